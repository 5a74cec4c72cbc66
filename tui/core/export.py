"""Writing the session's transcript: a HAR file and a Markdown file, mode 0600.

The user gives one path (by default next to the credentials file); the two
files are that path with ``.har`` and ``.md``. Each is a new file, created
0600 and never through a symlink (:func:`~tui.core.store_files.write_private`),
so an export never overwrites anything: an existing file is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.errors import DanceError
from tui.core.textsafe import clean

if TYPE_CHECKING:
    from tui.core.session import Session

SUFFIXES = (".har", ".md")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class ExportError(DanceError):
    """The transcript could not be written; nothing was left half written."""

    title = "Not exported"


@dataclass(frozen=True)
class Exported:
    har: Path
    markdown: Path

    @property
    def paths(self) -> tuple[Path, Path]:
        return self.har, self.markdown


def default_target(session: Session, now: datetime) -> Path:
    """Where an export goes unless the user says otherwise: next to the credentials
    file, named for the provider and the time (without the suffixes)."""
    name = _UNSAFE.sub("-", session.provider.name).strip("-.") or "provider"
    return session.store.path.parent / f"oauth-dance-{name}-{now:%Y%m%d-%H%M%S}"


def targets(given: str, default: Path) -> Exported:
    """The two files for the path the user gave: a ``.har`` or ``.md`` suffix is
    dropped, ``~`` expanded, and a folder gets the default name inside it.

    Raises:
        ExportError: nothing was given, ``~user`` names no one, or the path cannot
            even be looked at (a name too long for the system, a folder not readable).
    """
    text = given.strip()
    if not text:
        raise ExportError("Give a path to export to, e.g. " + str(default))
    try:
        path = Path(text).expanduser()
    except RuntimeError:  # ~name of no user this system knows
        shown = clean(text.partition("/")[0], keep_newlines=False)
        raise ExportError(f"{shown} names no user here: give the folder itself.") from None
    try:
        folder = path.is_dir()
    except OSError as e:
        raise ExportError(_why(path, e)) from None
    if folder:
        path = path / default.name
    if path.suffix.lower() in SUFFIXES:
        path = path.with_suffix("")
    return Exported(*(path.with_name(path.name + suffix) for suffix in SUFFIXES))


def export_session(session: Session, given: str, now: datetime) -> Exported:
    """Write the HAR and the Markdown transcript of ``session`` where ``given`` says.

    Raises:
        ExportError: the path is empty, a file exists already, or one cannot be
            written; then neither file is left.
    """
    from tui.core.har import har_text
    from tui.core.store_files import write_private
    from tui.core.transcript import markdown_text

    files = targets(given, default_target(session, now))
    documents = {files.har: har_text(session), files.markdown: markdown_text(session, now)}
    written: list[Path] = []
    try:
        for path, text in documents.items():
            write_private(path, text.encode("utf-8"))
            written.append(path)
    except OSError as e:
        for done in written:
            done.unlink(missing_ok=True)
        raise ExportError(_why(path, e)) from None
    return files


def _why(path: Path, error: OSError) -> str:
    """What went wrong, from the error and what is on disk: ENOENT also comes from a
    folder that exists but makes no new file (/proc/1), so the folder is looked at."""
    shown = clean(str(path), keep_newlines=False)
    folder = clean(str(path.parent), keep_newlines=False)
    reason = error.strerror or type(error).__name__
    if isinstance(error, FileExistsError):
        return f"{shown} exists already: give another name (an export never overwrites)."
    if isinstance(error, NotADirectoryError):
        file = next((p for p in reversed(path.parents) if p.exists() and not p.is_dir()), None)
        if file is not None:
            return f"{clean(str(file), keep_newlines=False)} is a file, not a folder."
    if isinstance(error, FileNotFoundError):
        if not path.parent.is_dir():
            return f"There is no folder {folder}."
        return f"The folder {folder} exists, but the system cannot create a file in it ({reason})."
    return f"Could not write {shown}: {reason}."
