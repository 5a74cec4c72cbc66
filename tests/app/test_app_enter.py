"""`enter` does the obvious next thing on every step, and the footer says what, at 80x24."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from tests.app.wizard import free_port, make_app, seed, settle, wait_until
from tests.faults.faultapp import panel_text
from tests.screenshot import screen_text
from tui.core.browser_leg import AUTHORIZATION
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.exchange import ExchangeScreen
from tui.screens.profile import ProfileScreen
from tui.screens.refresh import RefreshScreen
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.sidebar import StepList


def footer(pilot: Pilot[None]) -> str:
    return screen_text(pilot.app).splitlines()[-1]


def status_of(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one(ExchangeViewer).border_subtitle)


async def enter(pilot: Pilot[None], then: type, what: str) -> None:
    """Press enter; wait until the screen is a ``then`` and its work is done."""
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, then), what)
    await settle(pilot)


async def footer_says(pilot: Pilot[None], label: str) -> None:
    await wait_until(pilot, lambda: f"⏎ {label}" in footer(pilot), f"⏎ {label} in the footer")


async def test_a_whole_demo_dance_by_enter_alone(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    creds = isolated_environment
    seed(creds, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    app = make_app(creds, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await wait_until(pilot, lambda: isinstance(app.screen, CredentialsScreen), "Credentials")
        await footer_says(pilot, "Authorize")

        await enter(pilot, AuthorizeScreen, "Authorize")
        await footer_says(pilot, "Consent")
        await enter(pilot, AuthorizeScreen, "the consent page")
        assert status_of(pilot).startswith("200 OK")
        # The Approve button has the focus: enter presses it.
        await enter(pilot, AuthorizeScreen, "the approval")
        await wait_until(pilot, lambda: app.session.state.code, "the code")
        await footer_says(pilot, "Exchange")

        await enter(pilot, ExchangeScreen, "Exchange")
        await footer_says(pilot, "Send")
        await enter(pilot, ExchangeScreen, "the token answer")
        assert status_of(pilot).startswith("200 OK")
        assert app.session.state.token
        await footer_says(pilot, "Profile")

        await enter(pilot, ProfileScreen, "Profile")
        await footer_says(pilot, "Send")
        await enter(pilot, ProfileScreen, "the profile")
        assert status_of(pilot).startswith("200 OK")
        await footer_says(pilot, "Refresh")

        await enter(pilot, RefreshScreen, "Refresh")
        assert "✓ 4 Profile" in screen_text(app), "Profile done: its ✓ in the sidebar"
        await footer_says(pilot, "Send")
        token = app.session.state.token
        await enter(pilot, RefreshScreen, "the refresh answer")
        assert status_of(pilot).startswith("200 OK")
        assert app.session.state.token != token
        await footer_says(pilot, "Profile")

        # Back on Profile with the new token: a fresh request, which enter sends.
        await enter(pilot, ProfileScreen, "Profile again")
        await footer_says(pilot, "Send")
        await enter(pilot, ProfileScreen, "the profile again")
        assert status_of(pilot).startswith("200 OK")
        assert [bool(e.browser) for e in app.session.history[:3]] == [False, False, True]
        assert [e.step.value for e in app.session.history] == [
            "authorize",
            "authorize",
            "authorize",
            "exchange",
            "profile",
            "refresh",
            "profile",
        ]


async def test_enter_on_a_refused_token_goes_to_refresh(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    seed(
        isolated_environment,
        "demo",
        redirect_uri=f"http://127.0.0.1:{free_port()}/callback",
        token="not-a-token-the-demo-gave",
        refresh="not-a-refresh-token-either",
    )
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        await footer_says(pilot, "Send")
        await enter(pilot, ProfileScreen, "the 401")
        assert status_of(pilot).startswith("401")
        await footer_says(pilot, "Refresh")
        await enter(pilot, RefreshScreen, "Refresh")


async def test_a_focused_field_or_list_keeps_its_own_enter(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    seed(isolated_environment, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
        await pilot.press("p")
        assert isinstance(app.screen.focused, Input)
        assert "⏎ Consent" not in footer(pilot)
        # The paste field's enter: its value is checked (a bare code, which the demo refuses
        # since its metadata promises iss), and no consent page is fetched.
        await pilot.press(*"pasted-code", "enter")
        await wait_until(pilot, lambda: "RFC 9207" in panel_text(app), "the bare code's verdict")
        assert app.session.state.code == ""
        assert [e.browser for e in app.session.history] == [AUTHORIZATION], "nothing sent"

        # The step list: enter opens the step highlighted, here Credentials.
        app.screen.query_one(StepList).focus()
        await pilot.press("home", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CredentialsScreen), "Credentials")
