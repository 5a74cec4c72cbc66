"""Connection faults in the wizard: each has its own message, a retry, and no traceback.

Pilot at 80x24, pressing keys as a person would, against a misbehaving server
on loopback (or, for a connect timeout, which loopback cannot produce
reliably, through httpx.MockTransport).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncGenerator
from pathlib import Path

import httpx
import pytest
from textual.pilot import Pilot

from tests.app.wizard import settle
from tests.faults import badserver
from tests.faults.badserver import BadServer, Behaviour
from tests.faults.faultapp import bad_app, mock, panel_text, subtitle, toasts
from tui.core import transport
from tui.core.steps import Step
from tui.screens.exchange import ExchangeScreen
from tui.screens.http_step import CODE_MAYBE_SPENT, RETRY
from tui.screens.refresh import RefreshScreen

WORDING = {
    "refused": "Connection refused by 127.0.0.1",
    "connect-timeout": "Timed out connecting to",
    "read-timeout": "Read timeout: 127.0.0.1 accepted the request",
    "reset": "was reset mid-exchange",
    "protocol": "broke the HTTP protocol",
    "too-slow": "sends too slowly",
}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def exchanges(app: object, step: Step = Step.EXCHANGE) -> list[object]:
    return [e for e in app.session.history if e.step is step]  # type: ignore[attr-defined]


def assert_own_wording(app: object, kind: str) -> None:
    panel = panel_text(app)  # type: ignore[arg-type]
    assert WORDING[kind] in panel
    for other, phrase in WORDING.items():
        if other != kind:
            assert phrase not in panel, f"{kind} worded like {other}"
    assert RETRY in panel
    assert any(WORDING[kind] in t for t in toasts(app))  # type: ignore[arg-type]
    assert "Traceback" not in panel


async def send_and_retry(app: object, key: str = "3") -> AsyncGenerator[Pilot[None]]:
    """Run the app: open the step and send (first yield), then retry with s, s (second
    yield). Closing the generator ends the app."""
    async with app.run_test(size=(80, 24)) as pilot:  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        yield pilot
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        yield pilot


SERVER_FAULTS: list[tuple[str, Behaviour]] = [
    ("read-timeout", badserver.silent),
    ("reset", badserver.reset),
    ("protocol", badserver.not_http),
]


@pytest.mark.parametrize(("kind", "behaviour"), SERVER_FAULTS, ids=[k for k, _ in SERVER_FAULTS])
async def test_server_fault_on_exchange(
    kind: str, behaviour: Behaviour, isolated_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transport, "TIMEOUT", httpx.Timeout(5.0, read=0.3))
    async with BadServer(behaviour) as server:
        app = bad_app(isolated_environment, server.base_url)
        steps = send_and_retry(app)
        await anext(steps)
        assert isinstance(app.screen, ExchangeScreen)
        assert subtitle(app).startswith("Network problem")
        assert_own_wording(app, kind)
        # The code may have been redeemed before the fault: the UI says so.
        assert CODE_MAYBE_SPENT in panel_text(app)
        await anext(steps)
        assert len(server.seen) == 2, "s, s sends the request again"
        assert_own_wording(app, kind)
        await steps.aclose()
    assert app.return_code in (None, 0)


async def test_connection_refused(isolated_environment: Path) -> None:
    app = bad_app(isolated_environment, f"http://127.0.0.1:{closed_port()}")
    steps = send_and_retry(app, key="5")
    await anext(steps)
    assert isinstance(app.screen, RefreshScreen)
    assert_own_wording(app, "refused")
    assert CODE_MAYBE_SPENT not in panel_text(app), "nothing reached a server"
    await anext(steps)
    assert len(exchanges(app, Step.REFRESH)) == 2
    await steps.aclose()


async def test_connect_timeout(isolated_environment: Path) -> None:
    attempts: list[httpx.Request] = []

    def unreachable(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        raise httpx.ConnectTimeout("timed out", request=request)

    app = bad_app(isolated_environment, "http://127.0.0.1:9", transport=mock(unreachable))
    steps = send_and_retry(app)
    await anext(steps)
    assert_own_wording(app, "connect-timeout")
    await anext(steps)
    assert len(attempts) == 2
    await steps.aclose()


@pytest.mark.slow
async def test_one_byte_a_second_hits_the_deadline(
    isolated_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each byte comes well within the read timeout, so only the whole-exchange
    # deadline can end this; it is made short here instead of waiting 30 s.
    monkeypatch.setattr(transport, "DEADLINE", 1.5)
    async with BadServer(badserver.drip(every=1.0)) as server:
        app = bad_app(isolated_environment, server.base_url)
        steps = send_and_retry(app, key="4")
        await anext(steps)
        assert_own_wording(app, "too-slow")
        await anext(steps)
        assert len(server.seen) == 2
        await steps.aclose()


async def test_cancel_key_stops_a_slow_answer(isolated_environment: Path) -> None:
    async with BadServer(badserver.drip(every=1.0)) as server:
        app = bad_app(isolated_environment, server.base_url)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("3", "s")
            await asyncio.wait_for(server.received.wait(), 10)
            assert subtitle(app) == "Sending…"
            await pilot.press("s")
            assert any("in flight" in t for t in toasts(app)), "no second send of the code"
            await pilot.press("x")
            await settle(pilot)
            assert subtitle(app).startswith("Cancelled")
            assert "Cancelled before an answer came" in panel_text(app)
            assert RETRY in panel_text(app)
            assert any("Request cancelled" in t for t in toasts(app))
            # The connection is closed, not left dripping.
            await asyncio.wait_for(server.disconnected.wait(), 10)
            assert len(server.seen) == 1
