"""Making server-controlled text safe to show: no control or escape sequences.

Text a server sends (error descriptions, profile fields, HTML pages) is shown
as text. ANSI escape sequences are removed whole, and every other control
character is dropped, so nothing a server says can move the cursor, clear
the screen, ring the bell or rewrite a line with a carriage return.
"""

from __future__ import annotations

import re

_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` without escape sequences and control characters.

    Tabs and newlines survive when ``keep_newlines`` is set; a carriage
    return never does, since it would rewrite the start of a line.
    """
    text = _ANSI.sub("", text)
    return (_CONTROL if keep_newlines else _CONTROL_ONE_LINE).sub("", text)


def excerpt(text: str, limit: int = 160) -> str:
    """A short, single-line, cleaned excerpt of ``text`` (HTML tags dropped)."""
    # Only the head is looked at: a body of megabytes must not stall the UI.
    plain = re.sub(r"<[^>]*>", " ", text[: limit * 16])
    one_line = " ".join(clean(plain, keep_newlines=False).split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def shorten(text: str, limit: int = 200) -> str:
    """``text`` cleaned to one line and cut to ``limit`` characters (markup-like text kept)."""
    one_line = clean(text[: limit * 4], keep_newlines=False)
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
