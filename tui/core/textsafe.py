"""Making text from outside safe to show: its control characters made visible.

Text from files, servers, the command line or the environment (a client id,
a table name, an error description, a profile field, an HTML page) is shown
as text. Each control character in it (C0, DEL, C1), and each Unicode
character that reorders or breaks lines (bidi controls, line and paragraph
separators), is shown as its Python escape: ESC as ``\\x1b``, NUL as
``\\x00``, a carriage return as ``\\r``. So nothing from outside can move the
cursor, clear the screen, set the clipboard (OSC 52), ring the bell or
rewrite a line, and the reader sees that it was there. Newlines and tabs
survive where a multi-line view needs them.
"""

from __future__ import annotations

import re

_SHOWN_AS_ESCAPES = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{_SHOWN_AS_ESCAPES}]")
_CONTROL_ONE_LINE = re.compile(f"[\t\n{_SHOWN_AS_ESCAPES}]")
_LINE_BREAKS = re.compile(r"[ \t\r\n]+")


def _escape(match: re.Match[str]) -> str:
    return match[0].encode("unicode_escape").decode("ascii")


def clean(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with every control character shown as its escape (``\\x1b``, ``\\r``).

    Tabs and newlines stay as they are when ``keep_newlines`` is set (a
    multi-line view); otherwise they are shown as ``\\t`` and ``\\n`` too. A
    carriage return is always shown as ``\\r``: it would rewrite the start
    of a line.
    """
    return (_CONTROL if keep_newlines else _CONTROL_ONE_LINE).sub(_escape, text)


def excerpt(text: str, limit: int = 160) -> str:
    """A short, single-line, safe excerpt of ``text`` (HTML tags dropped, runs of
    spaces and line breaks made one space)."""
    # Only the head is looked at: a body of megabytes must not stall the UI.
    plain = re.sub(r"<[^>]*>", " ", text[: limit * 16])
    one_line = clean(_LINE_BREAKS.sub(" ", plain).strip(), keep_newlines=False)
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def shorten(text: str, limit: int = 200) -> str:
    """``text`` made safe on one line and cut to ``limit`` characters (markup-like text kept)."""
    one_line = clean(text[: limit * 4], keep_newlines=False)
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def fits_a_header(value: str) -> bool:
    """``value`` can go in an HTTP header as it is: printable ASCII, no line break."""
    return value.isascii() and value.isprintable()
