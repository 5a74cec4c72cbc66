"""The credentials file's TOML: parsed without its text reaching an error, its
format version checked, and values made ready to write."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Unparsable:
    """The bytes on disk are not valid TOML (or not UTF-8), and where."""

    line: int | None
    column: int | None


_COORD_RE = re.compile(r"at line (\d+), column (\d+)")


def parse(raw: bytes) -> dict[str, Any] | Unparsable:
    # Returned, not raised, so no later StoreError carries the decode error (and the
    # frames holding the file's bytes) in its __context__. Only the line and column are
    # kept: tomllib's messages can quote characters of the file, which holds secrets.
    # Imported here: a first start, with no file to read, does without it.
    import tomllib

    from tui.core.jsonsafe import MAX_DEPTH, nesting_depth

    # tomllib recurses once per level of arrays and inline tables, as json does: a
    # file nested 100,000 deep would end the app with a RecursionError.
    if nesting_depth(raw, stop_at=MAX_DEPTH) > MAX_DEPTH:
        return Unparsable(None, None)
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        return Unparsable(raw[: e.start].count(b"\n") + 1, None)
    except tomllib.TOMLDecodeError as e:
        match = _COORD_RE.search(str(e))
        return Unparsable(int(match[1]), int(match[2])) if match else Unparsable(None, None)


def version_problem(doc: Mapping[str, Any]) -> str | None:
    """Return why this program must not use ``doc``, or None when its version is fine."""
    version = doc.get("version", FORMAT_VERSION)
    if isinstance(version, bool) or not isinstance(version, int):
        return "its 'version' is not a whole number"
    if version > FORMAT_VERSION:
        return (
            f"it uses format version {version}, but this OAuth Dance only understands "
            f"up to version {FORMAT_VERSION}; upgrade oauth-dance or use another file"
        )
    return None


def clean(value: Any) -> Any:
    """Drop None (TOML has no null) and normalise aware datetimes to UTC."""
    if isinstance(value, Mapping):
        return {str(k): clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value if v is not None]
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            # A naive time is ambiguous once written; refuse it loudly rather than guess.
            raise ValueError("credentials datetimes must be timezone-aware")
        return value.astimezone(UTC)
    return value


def at_line(line: int | None) -> str:
    return f" (line {line})" if line else ""
