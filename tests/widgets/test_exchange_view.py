"""What the viewer shows of an exchange, without a screen: status, durations, masking."""

from __future__ import annotations

import httpx
import pytest

from tests.widgets.test_exchange_viewer import SECRET, assert_masked, make_exchange, make_request
from tui.core.exchange import Exchange
from tui.core.steps import Step
from tui.core.transport_errors import NetworkError
from tui.widgets.exchange_view import NOT_SENT, WAITING, exchange_view


@pytest.mark.parametrize(
    ("status", "expected"), [(200, "success"), (302, "warning"), (400, "error"), (503, "error")]
)
def test_the_status_class_follows_the_status_code(status: int, expected: str) -> None:
    view = exchange_view(make_exchange(status), reveal=False, pretty=True, sending=False)
    assert (view.status, view.answered) == (expected, True)


@pytest.mark.parametrize(
    ("elapsed", "shown"), [(0.0123, "12 ms"), (9.9994, "9999 ms"), (12.34, "12.3 s")]
)
def test_the_subtitle_gives_the_status_line_and_how_long_it_took(
    elapsed: float, shown: str
) -> None:
    exchange = make_exchange()
    exchange.elapsed = elapsed
    view = exchange_view(exchange, reveal=False, pretty=True, sending=False)
    assert view.subtitle == f"200 OK · {shown}"


def test_a_prepared_request_is_not_sent_then_sending() -> None:
    prepared = Exchange(step=Step.EXCHANGE, request=make_request())
    idle = exchange_view(prepared, reveal=False, pretty=True, sending=False)
    busy = exchange_view(prepared, reveal=False, pretty=True, sending=True)
    assert (idle.subtitle, idle.status, idle.texts["response"]) == ("not sent", None, NOT_SENT)
    assert (busy.subtitle, busy.status, busy.texts["response"]) == ("Sending…", "sending", WAITING)
    assert not idle.answered and not busy.answered
    assert "pretty JSON" not in idle.notes["response"]  # no body yet to toggle


def test_a_fault_is_shown_masked_unless_revealed() -> None:
    exchange = Exchange(
        step=Step.EXCHANGE,
        request=make_request(),
        error=NetworkError("refused", f"Refused while sending {SECRET}"),
        known=frozenset({SECRET}),  # as the session makes them: the secrets the dance knows
    )
    masked = exchange_view(exchange, reveal=False, pretty=True, sending=False)
    assert (masked.status, masked.subtitle, masked.answered) == ("error", "Network problem", True)
    assert_masked("\n".join([*masked.texts.values(), *masked.notes.values()]))
    revealed = exchange_view(exchange, reveal=True, pretty=True, sending=False)
    assert SECRET in revealed.texts["response"]
    assert revealed.notes["request"] == "SECRETS REVEALED · r masks"


def test_server_text_cannot_reach_the_terminal_as_control_sequences() -> None:
    request = make_request()
    response = httpx.Response(
        200, text="ok\x1b]0;pwned\x07", request=request, headers={"X-Evil": "a\x1b[2Jb"}
    )
    exchange = Exchange(step=Step.EXCHANGE, request=request, response=response)
    view = exchange_view(exchange, reveal=True, pretty=False, sending=False)
    for text in (view.title, view.subtitle, *view.texts.values()):
        assert "\x1b" not in text and "\x07" not in text
