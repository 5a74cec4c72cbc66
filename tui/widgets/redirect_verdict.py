"""A redirect URI's verdict in a line, marked and coloured as the provider would take it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from tui.core.redirect_uri import Verdict, check_redirect_uri
from tui.core.textsafe import clean

if TYPE_CHECKING:
    from tui.core.providers import Provider

STYLE = {Verdict.OK: "$success", Verdict.WARN: "$warning", Verdict.REFUSED: "$error"}
MARK = {Verdict.OK: "✓", Verdict.WARN: "!", Verdict.REFUSED: "✗"}


def redirect_verdict(uri: str, provider: Provider | None = None) -> Content:
    """``✓``, ``!`` or ``✗`` and the reason, for ``uri`` (which it may quote, made safe)
    as ``provider`` would take it."""
    check = check_redirect_uri(uri, provider)
    return Content.assemble(
        (f"{MARK[check.verdict]} ", f"bold {STYLE[check.verdict]}"),
        clean(check.reason, keep_newlines=False),
    )
