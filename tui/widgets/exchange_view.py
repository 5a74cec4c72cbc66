"""What the exchange viewer shows of an exchange: title, status, and each pane's note and text.

Plain functions of the exchange and the viewer's toggles (reveal, pretty,
sending), no Textual: the viewer draws whatever ``exchange_view`` returns.
Every text a server sent is cleaned of control sequences, and masked unless
``reveal``.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.exchange import Exchange
from tui.core.masking import mask_text
from tui.core.textsafe import clean

REQUEST_PANE = "request"
RESPONSE_PANE = "response"

NOTHING_SENT = "Nothing sent yet. The request appears here before it is sent."
NOT_SENT = "No response yet: the request has not been sent."
WAITING = "Waiting for the answer…"


@dataclass(frozen=True)
class ExchangeView:
    title: str
    subtitle: str
    status: str | None
    """``success``, ``warning``, ``error`` or ``sending``; None while only prepared."""
    texts: dict[str, str]
    """Each pane's whole text, by pane."""
    notes: dict[str, str]
    """The line above each pane's text: masked or revealed, and which key toggles what."""
    answered: bool
    """A response or a fault came back: the response pane is the one that matters."""


def exchange_view(
    exchange: Exchange | None, *, reveal: bool, pretty: bool, sending: bool
) -> ExchangeView:
    """What the viewer shows of ``exchange`` (None: nothing prepared yet)."""
    if exchange is None:
        empty = dict.fromkeys((REQUEST_PANE, RESPONSE_PANE), "")
        nothing = dict.fromkeys((REQUEST_PANE, RESPONSE_PANE), NOTHING_SENT)
        return ExchangeView("No request", "not sent", None, nothing, empty, answered=False)
    answered = exchange.response is not None or exchange.error is not None
    note = "SECRETS REVEALED · r masks" if reveal else "secrets masked · r reveals"
    body_note = note
    if exchange.answered_json:
        body_note += " · pretty JSON · t raw" if pretty else " · raw body · t pretty"
    return ExchangeView(
        title=_title(exchange),
        subtitle=_subtitle(exchange, sending),
        status=_status(exchange, sending),
        texts={
            REQUEST_PANE: clean(exchange.request_view(reveal=reveal)),
            RESPONSE_PANE: _response_text(exchange, reveal=reveal, pretty=pretty, sending=sending),
        },
        notes={REQUEST_PANE: note, RESPONSE_PANE: body_note},
        answered=answered,
    )


def _response_text(exchange: Exchange, *, reveal: bool, pretty: bool, sending: bool) -> str:
    if exchange.response is not None:
        return exchange.response_view(pretty=pretty, reveal=reveal)
    if exchange.error is not None:
        fault = f"{exchange.error.title}\n\n{exchange.error.message}"
        if not reveal:
            fault = mask_text(fault, exchange.secrets())
        return clean(fault)
    if exchange.browser:
        return exchange.browser
    return WAITING if sending else NOT_SENT


def _title(exchange: Exchange) -> str:
    request = exchange.request
    path = clean(request.url.path or "/", keep_newlines=False)
    return f"{exchange.title} · {request.method} {path}"


def _subtitle(exchange: Exchange, sending: bool) -> str:
    if exchange.response is None and exchange.error is None:
        return "Sending…" if sending else exchange.status_line
    status = clean(exchange.status_line, keep_newlines=False)
    if exchange.elapsed is None:
        return status
    return f"{status} · {_duration(exchange.elapsed)}"


def _status(exchange: Exchange, sending: bool) -> str | None:
    if exchange.response is not None:
        code = exchange.response.status_code
        if 200 <= code < 300:
            return "success"
        return "error" if code >= 400 else "warning"
    if exchange.error is not None:
        return "error"
    return "sending" if sending else None


def _duration(seconds: float) -> str:
    """``seconds`` as "12 ms" or, from ten seconds, "12.3 s"."""
    if seconds < 10:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.1f} s"
