"""The session's exchanges as a Markdown transcript: a section per step of the dance.

Each step's section names its dance steps and RFC sections; under it, each
exchange's raw request and response (or fault) in fenced blocks, exactly as
the exchange viewer shows them: masked, control characters made visible,
long bodies cut. A fence is always longer than any run of backticks it holds,
so a body cannot close it.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from tui.core.masking import mask_text
from tui.core.textsafe import clean

if TYPE_CHECKING:
    from tui.core.exchange import Exchange
    from tui.core.session import Session

_TICKS = re.compile(r"`+")


def markdown_text(session: Session, now: datetime) -> str:
    """The transcript of every exchange of ``session``, masked, as of ``now``."""
    provider = clean(session.provider.title, keep_newlines=False)
    lines = [
        "# OAuth Dance transcript",
        "",
        f"Provider: {provider}. Exported {now:%Y-%m-%d %H:%M:%S %Z}, "
        f"{len(session.history)} exchanges. Secrets are masked (••••••••) as on screen.",
    ]
    info = None
    for number, exchange in enumerate(session.history, 1):
        if exchange.info is not info:
            info = exchange.info
            lines += ["", f"## {info.title}", "", info.cited[0].upper() + info.cited[1:]]
        lines += ["", *_exchange_section(session, number, exchange)]
    return session.mask("\n".join(lines)) + "\n"


def _exchange_section(session: Session, number: int, exchange: Exchange) -> list[str]:
    request = exchange.request
    path = clean(request.url.path or "/", keep_newlines=False)
    status = clean(exchange.status_line, keep_newlines=False)
    timing = f", {exchange.elapsed * 1000:.0f} ms" if exchange.elapsed is not None else ""
    lines = [
        f"### {number}. {request.method} {path} → {status}",
        "",
        f"At {exchange.at:%H:%M:%S %Z}{timing}.",
    ]
    if exchange.browser:
        lines += ["", exchange.browser]
    lines += ["", "Request:", "", *_fenced(clean(exchange.request_view()))]
    if exchange.response is not None:
        lines += ["", "Response:", "", *_fenced(exchange.response_view(pretty=False))]
    elif exchange.error is not None:
        fault = f"{exchange.error.title}\n\n{exchange.error.message}"
        fault = mask_text(fault, exchange.secrets() | session.known_secrets())
        lines += ["", "No response:", "", *_fenced(clean(fault), "text")]
    return lines


def _fenced(text: str, language: str = "http") -> list[str]:
    longest = max((len(run) for run in _TICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{language}", text, fence]
