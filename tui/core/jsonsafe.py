"""Reading JSON from outside with a nesting limit.

``json.loads`` recurses once per level: a document nested 100,000 deep
(``[[[[…]]]]``) raises ``RecursionError``, and one a few hundred deep parses
but breaks whatever walks it next (masking, pretty printing). Every JSON
that comes from a server or a file is read here, and one nested deeper than
``MAX_DEPTH`` is refused as malformed before ``json`` sees it.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 64
"""The deepest nesting accepted. Real token, metadata and profile answers
nest a few levels; 64 leaves room for any real API and stays far below
Python's recursion limit."""

# Strings are skipped whole, so brackets inside them do not count.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class JsonTooDeepError(ValueError):
    """The document nests deeper than the limit (a ``ValueError``, as malformed JSON is)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"JSON nested more than {limit} levels deep")
        self.limit = limit


def nesting_depth(data: str | bytes, stop_at: int | None = None) -> int:
    """How deep ``data``'s arrays and objects nest (outside strings).

    Stops counting past ``stop_at``, so a hostile document costs no more
    than reaching the limit.
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    depth = deepest = 0
    for match in _TOKENS.finditer(raw):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_at is not None and deepest > stop_at:
                    return deepest
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


def loads(data: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that refuses documents nested deeper than ``max_depth``.

    Raises:
        JsonTooDeepError: nested too deep (a ValueError).
        ValueError: not JSON (``json.JSONDecodeError``), or bytes that are not UTF-8.
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    # Fewer opening brackets than the limit cannot nest past it: no scan needed.
    opening = raw.count(b"[") + raw.count(b"{")
    if opening > max_depth and nesting_depth(raw, stop_at=max_depth) > max_depth:
        raise JsonTooDeepError(max_depth)
    return json.loads(data)
