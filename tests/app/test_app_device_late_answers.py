"""Device code, by keys at 80x24: an answer still on its way when the codes are forgotten
(their countdown ended, or ``n``) is let go, never shown over the POST for new codes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from tests.app.test_app_console import enter_label
from tests.app.test_app_device import to_device_code
from tests.app.wizard import free_port, seed, settle, wait_until
from tui.app import OAuthDanceApp
from tui.core.errors import CancelledError
from tui.core.store import CredsStore
from tui.demo import DemoServer
from tui.demo.device import VERIFICATION_PATH
from tui.screens.device import DeviceScreen
from tui.widgets.exchange_viewer import ExchangeViewer


class LateAnswers(httpx.AsyncBaseTransport):
    """The demo's real answers, but those to GETs of ``path`` held back until released:
    a slow network (a fault injected, not a mock of the provider)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.real = httpx.AsyncHTTPTransport()
        self.arrived = asyncio.Event()
        self.release = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.real.handle_async_request(request)
        if request.method == "GET" and request.url.path == self.path:
            self.arrived.set()
            await self.release.wait()
        return response

    async def aclose(self) -> None:
        """Each exchange's client closes its transport: this one lives for the test."""


async def forget_by_countdown(app: OAuthDanceApp, pilot: Pilot[None]) -> str:
    """The codes' 600 s run out: the countdown forgets them. Returns why, as the status says."""
    expired = app.session.clock() + timedelta(seconds=601)
    app.session.clock = lambda: expired
    await wait_until(pilot, lambda: not app.session.state.device_code, "the codes gone")
    return "The codes expired, and are forgotten. "


async def forget_by_n(app: OAuthDanceApp, pilot: Pilot[None]) -> str:
    """``n``: new codes asked for. Returns why, as the status says (nothing)."""
    await pilot.press("n")
    await wait_until(pilot, lambda: not app.session.state.device_code, "the codes gone")
    return ""


@pytest.mark.parametrize("forget", [forget_by_countdown, forget_by_n])
async def test_a_verification_page_on_its_way_when_the_codes_go_is_not_shown(
    isolated_environment: Path,
    demo_server: DemoServer,
    forget: Callable[[OAuthDanceApp, Pilot[None]], Awaitable[str]],
) -> None:
    seed(isolated_environment, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    late = LateAnswers(VERIFICATION_PATH)
    app = OAuthDanceApp(CredsStore(isolated_environment), "demo", demo=demo_server, transport=late)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await to_device_code(app, pilot)
            screen = app.screen
            assert isinstance(screen, DeviceScreen)
            await pilot.press("g")  # the browser asks for the verification page...
            await wait_until(pilot, late.arrived.is_set, "the page's answer, held")
            why = await forget(app, pilot)  # ...and the codes go meanwhile
            late.release.set()  # the page's answer comes now, too late
            await settle(pilot)
            status = str(screen.query_one("#status", Static).render())
            assert status.startswith(f"{why}The POST below asks for a device code"), status
            assert not screen.query_one("#page").display, "no page of the old codes"
            assert not screen.query_one("#typed-code").display
            assert screen.exchange is not None and screen.exchange.purpose == "device code"
            assert screen.query_one(ExchangeViewer).exchange is screen.exchange
            assert enter_label(pilot) == "Send"
            # History tells the page's request was let go, not that it is still out.
            (page,) = [e for e in app.session.history if e.request.url.path == late.path]
            assert page.response is None and isinstance(page.error, CancelledError)
            await pilot.press("enter")  # and new codes come
            await settle(pilot)
            assert app.session.state.user_code and screen.query_one("#user-code").display
    finally:
        await late.real.aclose()
