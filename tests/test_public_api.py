"""tui/ uses Textual and httpx through their public API only.

Private API changes in any release without notice, so a version range cannot
promise anything about it. The rules, checked on every module of tui/:

1. No import of a Textual or httpx module with a private part in its path
   (``textual._compositor``, ``textual.widgets._toast``, ``httpx._main``).
2. No ``sys.modules`` (``[...] =``, ``setdefault``...): no surgery on what
   another package imports.
3. No ``x._name`` on anything but ``self`` or ``cls`` (``app._driver``,
   ``self.app._notifications``): another object's private names are its own.
   (A named tuple's ``_replace`` and friends are public.)
4. In a class derived from a Textual or httpx class, no ``self._name`` (used
   or defined) that one of those classes defines: ``self._file`` in a driver,
   ``self._driver`` or ``def _fatal_error`` in an app. A class's own private
   helpers are fine as long as their names are not Textual's.
5. None of the names in `INTERNAL`: spelled like public API, but internal
   to Textual (undocumented, and changed between releases).

The tests are held to rules 1 and 3 for Textual's and httpx's own private names: what
they read of the screen goes through ``App.export_screenshot`` (tests/screenshot.py),
not the compositor.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import re
import sys
import textwrap
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("textual", "httpx")

INTERNAL = frozenset({"update_nodes", "to_strips", "bindings_updated_signal"})
"""Textual's internal names without a leading underscore."""

NAMEDTUPLE = frozenset({"_replace", "_asdict", "_fields", "_make", "_field_defaults"})
"""Public API with a leading underscore (named tuples'), allowed on any object."""


def is_ours(module: str) -> bool:
    return module.split(".")[0] in PACKAGES


@cache
def private_names(cls: type) -> frozenset[str]:
    """The ``_names`` a Textual or httpx class defines: attributes, methods, ``self._x =``."""
    names = {name for name in vars(cls) if name.startswith("_") and not name.startswith("__")}
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return frozenset(names)
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            names.add(node.attr)
    return frozenset(names)


def inherited_private_names(cls: type) -> frozenset[str]:
    names: set[str] = set()
    for base in cls.__mro__[1:]:
        if is_ours(base.__module__):
            names |= private_names(base)
    return frozenset(names)


def offences(source: str, module: object) -> list[tuple[int, str, str]]:
    """(line, name, rule) of every use of private API in ``source``; ``module`` is it imported."""
    found: list[tuple[int, str, str]] = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "modules"
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
        ):
            found.append((node.lineno, "sys.modules", "sys.modules surgery"))
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in modules:
            parts = name.split(".")
            if is_ours(name) and any(p.startswith("_") and not p.startswith("__") for p in parts):
                found.append((getattr(node, "lineno", 0), name, "private module"))
        if isinstance(node, ast.Attribute):
            if node.attr in INTERNAL:
                found.append((node.lineno, node.attr, "internal name"))
            elif (
                node.attr.startswith("_")
                and not node.attr.startswith("__")
                and node.attr not in NAMEDTUPLE
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
            ):
                found.append((node.lineno, node.attr, "another object's private name"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        cls = getattr(module, node.name, None)
        if not isinstance(cls, type):
            continue
        theirs = inherited_private_names(cls)
        for inner in ast.walk(node):
            used: str | None = None
            if isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name):
                used = inner.attr if inner.value.id in ("self", "cls") else None
            elif isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef):
                used = inner.name
            if used in theirs:
                found.append(
                    (getattr(inner, "lineno", 0), used, "Textual's private name in a subclass")
                )
    return sorted(set(found))


def tui_modules() -> list[Path]:
    return sorted((ROOT / "tui").rglob("*.py"))


@pytest.mark.parametrize("path", tui_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_tui_uses_only_public_textual_and_httpx_api(path: Path) -> None:
    relative = path.relative_to(ROOT)
    name = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
    module = importlib.import_module(name)
    found = [
        f"{relative}:{line}: {what} ({rule})"
        for line, what, rule in offences(path.read_text(), module)
    ]
    assert not found, "private API:\n" + "\n".join(found)


OFFENDERS = """
import sys
from textual._compositor import Compositor
import httpx._main
from textual.app import App
from textual.drivers.linux_driver import LinuxDriver

sys.modules["httpx._main"] = None
sys.modules.setdefault("httpx._main", None)


class Wizard(App[None]):
    def _fatal_error(self) -> None:
        pass

    def action_redraw(self) -> None:
        self._driver.write("")
        self.app._notifications.clear()
        self.stylesheet.update_nodes([self])


class Driver(LinuxDriver):
    def __init__(self, app: App[None]) -> None:
        super().__init__(app)
        self._file = self._get_terminal_size()
        self._own_helper = 1
"""


def test_the_rules_catch_the_known_offenders(tmp_path: Path) -> None:
    path = tmp_path / "offenders.py"
    path.write_text(OFFENDERS)
    spec = importlib.util.spec_from_file_location("offenders", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    before = sys.modules.get("httpx._main")
    spec.loader.exec_module(module)
    if before is None:  # the snippet's own surgery undone
        del sys.modules["httpx._main"]
    else:
        sys.modules["httpx._main"] = before
    names = {what for _, what, _ in offences(OFFENDERS, module)}
    assert names == {
        "sys.modules",
        "textual._compositor",
        "textual._compositor.Compositor",
        "httpx._main",
        "_fatal_error",
        "_driver",
        "_notifications",
        "update_nodes",
        "_file",
        "_get_terminal_size",
    }
    assert not re.search("_own_helper", repr(offences(OFFENDERS, module)))


@cache
def textual_and_httpx_private_names() -> frozenset[str]:
    """Every ``_name`` that a class of Textual or httpx defines (a method, a class
    attribute, or ``self._name``), read from their source: importing every module of
    theirs would run some (``textual._sleep`` measures the clock when imported)."""
    names: set[str] = set()
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        assert spec is not None and spec.origin is not None
        for path in Path(spec.origin).parent.rglob("*.py"):
            for cls in ast.walk(ast.parse(path.read_bytes())):
                if not isinstance(cls, ast.ClassDef):
                    continue
                for node in ast.walk(cls):
                    name = ""
                    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                        name = node.name
                    elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                        name = node.id
                    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                        name = node.attr if node.value.id == "self" else ""
                    if name.startswith("_") and not name.startswith("__"):
                        names.add(name)
    return frozenset(names - NAMEDTUPLE)


def offences_in_tests(source: str) -> list[tuple[int, str]]:
    """What a test module uses of Textual's or httpx's private API: a private module, or
    another object's ``_name`` that one of their classes defines (``app._driver``,
    ``screen._compositor``). The tests' own helpers' private names are theirs to use."""
    theirs = textual_and_httpx_private_names()
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [alias.name for alias in node.names]
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] if node.level == 0 else []
            for name in names:
                parts = name.split(".")
                if is_ours(name) and any(part.startswith("_") for part in parts):
                    found.append((node.lineno, name))
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in theirs
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls", "os"))
        ):
            found.append((node.lineno, node.attr))
    return found


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "tests").rglob("*.py")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_tests_use_only_public_textual_and_httpx_api(path: Path) -> None:
    found = offences_in_tests(path.read_text())
    assert not found, f"private API in {path.relative_to(ROOT)}: {found}"


def test_the_tests_rule_catches_what_test_qr_once_did() -> None:
    once = (
        "from textual._compositor import LayoutUpdate\n"
        "update = app.screen._compositor.render_update(screen_stack=app._background_screens)\n"
        "qr_module._encode.cache_clear()\n"
        "os._exit(3)\n"
    )
    assert offences_in_tests(once) == [
        (1, "textual._compositor"),
        (2, "_compositor"),
        (2, "_background_screens"),
    ]
