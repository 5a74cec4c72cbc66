"""The docs cannot drift from the app.

- Every screenshot the docs show is made by docs/make_screenshots.py, which
  drives the app itself against the embedded demo provider, and the folder
  holds no image that script does not make. The script lists what each of its
  runs makes; the docs are checked against that list, and each run, once, in a
  test of its own (the runs go in parallel), against its part of it. What a run
  makes is also compared with the committed image, cheaply: as text, with what
  changes from run to run evened out (see ``shape``).
- Every relative link in README.md and docs/ resolves, #anchors included.
- docs/reference.md is exactly what docs/gen_reference.py renders from the
  code the app shows its explanations from.
- The raw HTTP quoted in docs/tutorial.md has the shape the app really sends
  and receives: the same request line, header names, parameters and fields.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import random
import re
import socket
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from tests.screenshot import cells_text, svg_cells

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
IMAGES = DOCS / "images"
DOC_FILES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]

_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_TRANSCRIPT = re.compile(
    r"<!--\s*transcript:\s*(\S+)\s+(request|response)\s*-->\s*\n```[^\n]*\n(.*?)\n```", re.DOTALL
)


def load(path: Path) -> ModuleType:
    """Import a script from docs/ (not a package) by its path."""
    spec = importlib.util.spec_from_file_location(f"docs_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@cache
def screenshots() -> ModuleType:
    return load(DOCS / "make_screenshots.py")


def shot_names() -> set[str]:
    """Every screenshot the script makes, as its runs declare them (``<name>.svg``)."""
    return {f"{name}.svg" for run in screenshots().RUNS.values() for name in run.shots}


def prose(text: str) -> str:
    """Markdown without code blocks and code spans, where links are not links."""
    return _INLINE_CODE.sub("", _FENCE.sub("", text))


def links(path: Path) -> list[str]:
    return _LINK.findall(prose(path.read_text(encoding="utf-8")))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: text only, lower case, punctuation dropped."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = text.replace("`", "").replace("*", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for _, heading in _HEADING.findall(_FENCE.sub("", path.read_text(encoding="utf-8"))):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def is_external(target: str) -> bool:
    return bool(urlsplit(target).scheme) or target.startswith("//")


def referenced_images() -> dict[Path, list[Path]]:
    """Every .svg under docs/images/ that a doc links to, by doc."""
    found: dict[Path, list[Path]] = {}
    for doc in DOC_FILES:
        for target in links(doc):
            if is_external(target) or not target.split("#")[0].endswith(".svg"):
                continue
            image = (doc.parent / unquote(target.split("#")[0])).resolve()
            found.setdefault(doc, []).append(image)
    return found


def test_the_docs_show_screenshots() -> None:
    images = referenced_images()
    assert ROOT / "README.md" in images, "README.md shows no screenshot"
    assert DOCS / "tutorial.md" in images, "the tutorial shows no screenshot"


def test_every_screenshot_the_docs_show_is_made_by_the_script() -> None:
    made = shot_names()
    for doc, images in referenced_images().items():
        for image in images:
            where = doc.relative_to(ROOT)
            assert image.parent == IMAGES, f"{where}: {image} is not in docs/images/"
            assert image.name in made, f"{where}: {image.name} is not made by the script"


def test_docs_images_holds_only_what_the_script_makes() -> None:
    committed = {p.name for p in IMAGES.glob("*.svg")}
    assert committed == shot_names(), (
        "docs/images/ differs from what docs/make_screenshots.py makes: "
        f"extra {sorted(committed - shot_names())}, "
        f"missing {sorted(shot_names() - committed)}"
    )


_TIMING = re.compile(r"\d+ ms")
_RULE = re.compile(r"─+")
_WORD = re.compile(r"[A-Za-z0-9_-]")
_QR = re.compile(r"[▀▄█]")


def shape(svg: str) -> list[str]:
    """A screenshot's text, row by row, with what differs from run to run evened out:
    every letter, digit, ``_`` and ``-`` (ports, dates, states, codes, PKCE values) is
    ``a``, a timing is one mark, so is every run of a border (a title in it moves as
    the timing's digits change), and the QR code's blocks are blank. A changed layout,
    a line more or less, a word of another length shows; a word swapped for one of the
    same length does not."""
    rows = cells_text(svg_cells(svg, 200, 100)).splitlines()
    shaped = [
        _QR.sub(" ", _WORD.sub("a", _RULE.sub("─", _TIMING.sub("N ms", row)))).rstrip()
        for row in rows
    ]
    while shaped and not shaped[-1]:
        shaped.pop()
    return shaped


def free_four_digit_port() -> int:
    """A port of four digits that nobody listens on right now."""
    for port in random.sample(range(2000, 10000), 8000):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError("no free port of four digits")


@pytest.mark.slow
@pytest.mark.parametrize("run", list(screenshots().RUNS))
def test_each_run_of_the_script_makes_what_it_says(
    run: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its screenshots, exported by the app, and the raw exchanges the tutorial quotes."""
    script = screenshots()
    # Runs in parallel share no port; four digits, as the committed images' 8888, so that
    # the URLs holding it wrap where theirs do.
    monkeypatch.setattr(script, "PREFERRED_PORT", free_four_digit_port())
    made = asyncio.run(script.make_run(run, tmp_path))
    declared = script.RUNS[run]
    assert made.images == [f"{name}.svg" for name in declared.shots]
    assert sorted(made.transcripts) == sorted(declared.records)
    for name in made.images:
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert text.lstrip().startswith("<svg"), name
        assert "Generated with Rich" in text, name  # Textual's export_screenshot
        committed = shape((IMAGES / name).read_text(encoding="utf-8"))
        assert shape(text) == committed, (
            f"docs/images/{name} is not what the app shows now: "
            "run python docs/make_screenshots.py and look at the change"
        )
    for name, side, block in quoted_transcripts():
        if name in made.transcripts:
            request, response = made.transcripts[name]
            real = request if side == "request" else response
            assert http_shape(block) == http_shape(real), (
                f"tutorial.md, {name} {side}: the quoted text no longer matches the app:\n{real}"
            )


@pytest.mark.parametrize("doc", DOC_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(doc: Path) -> None:
    problems = []
    for target in links(doc):
        if is_external(target) or target.startswith("mailto:"):
            continue
        file_part, _, anchor = target.partition("#")
        dest = (doc.parent / unquote(file_part)).resolve() if file_part else doc
        if not dest.exists():
            problems.append(f"{target}: no such file")
            continue
        if anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            problems.append(f"{target}: no heading #{anchor} in {dest.name}")
    assert not problems, f"{doc.relative_to(ROOT)}: " + "; ".join(problems)


def test_reference_is_generated_from_the_code() -> None:
    generator = load(DOCS / "gen_reference.py")
    current = (DOCS / "reference.md").read_text(encoding="utf-8")
    assert current == generator.render(), (
        "docs/reference.md differs from the texts in the code: run python docs/gen_reference.py"
    )


def http_shape(text: str) -> tuple[str, list[str], list[str], dict[str, Any]]:
    """What must not drift in a raw exchange: the first line, header names, field
    names, and the error a provider answers with.

    Other values (ports, dates, lengths, tokens) may differ from run to run.
    """
    head, _, body = text.strip("\n").partition("\n\n")
    first, *header_lines = head.splitlines()
    parts = first.split(" ")
    if parts[0].startswith("HTTP/"):
        start = parts[1]
    else:
        url = urlsplit(parts[1])
        names = ",".join(name for name, _ in parse_qsl(url.query))
        start = f"{parts[0]} {url.path}?{names}" if names else f"{parts[0]} {url.path}"
    headers = [line.split(":", 1)[0].strip().lower() for line in header_lines]
    body = body.strip()
    errors: dict[str, Any] = {}
    if body.startswith("{"):
        data = json.loads(body)
        fields = list(data)
        errors = {k: data[k] for k in ("error", "error_description", "message") if k in data}
    elif body.startswith("<"):
        fields = ["(html)"]
    else:
        fields = [name for name, _ in parse_qsl(body)]
    return start, headers, fields, errors


def quoted_transcripts() -> list[tuple[str, str, str]]:
    """(name, request or response, the quoted text) of each exchange the tutorial quotes."""
    return _TRANSCRIPT.findall((DOCS / "tutorial.md").read_text(encoding="utf-8"))


def test_the_tutorial_quotes_only_what_the_script_records() -> None:
    """Each quoted exchange is checked against the app by the run that records it."""
    names = {name for name, _, _ in quoted_transcripts()}
    assert {"exchange", "profile", "refresh", "code-reuse"} <= names, names
    recorded = {name for run in screenshots().RUNS.values() for name in run.records}
    assert names <= recorded, f"the script records no exchange named {names - recorded}"


_STEP_KEYS = re.compile(r"`1` to `(\d+)`(?: open the steps)")


@pytest.mark.parametrize("doc", DOC_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_step_keys_the_docs_name_are_the_apps(doc: Path) -> None:
    """ "`1` to `N` open the steps": N is the number of steps the app has."""
    from tui.core.steps import Step

    if not doc.exists():
        return
    for last in _STEP_KEYS.findall(doc.read_text(encoding="utf-8")):
        assert int(last) == len(Step), f"{doc.name} says `1` to `{last}`"
