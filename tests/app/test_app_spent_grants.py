"""A code or refresh token that can never work again does not trap enter: a spent code
after a restart, an invalid_grant on Exchange, a refused refresh token."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from tests.app.wizard import WizardFactory, free_port, make_app, press, seed, settle, wait_until
from tests.faults.faultapp import panel_text
from tests.screenshot import screen_text
from tui.app import OAuthDanceApp
from tui.core.steps import Step
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.console import ConsoleScreen
from tui.screens.exchange import ExchangeScreen
from tui.screens.profile import ProfileScreen
from tui.screens.refresh import RefreshScreen


def footer(pilot: Pilot[None]) -> str:
    return screen_text(pilot.app).splitlines()[-1]


async def on(pilot: Pilot[None], screen: type) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen), screen.__name__)
    await settle(pilot)


EXAMPLE_REDIRECT = "https://example.com/callback"


def dead_tokens_app(creds: Path, demo_server: DemoServer, **table: str) -> OAuthDanceApp:
    """The wizard on tokens of a demo server that restarted (it knows none of them)."""
    dead = {"token": "token-from-a-server-that-restarted"}
    seed(creds, "demo", **dead, refresh="refresh-from-a-server-that-restarted", **table)
    return make_app(creds, demo_server)


async def refused_on_refresh(pilot: Pilot[None]) -> None:
    """Refresh sends the dead refresh token: the provider refuses it (invalid_grant)."""
    await settle(pilot)
    await press(pilot, "5", "s")
    assert isinstance(pilot.app.screen, RefreshScreen)
    assert "invalid_grant" in panel_text(pilot.app)


async def test_after_a_restart_exchange_goes_on_rather_than_resend_the_spent_code(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    creds = isolated_environment
    seed(creds, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    app = make_app(creds, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "1", *["enter"] * 5)
        assert app.session.state.code_exchanged and app.session.state.token
    app = make_app(creds, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        assert isinstance(app.screen, ExchangeScreen)
        text = screen_text(app)
        assert "built but not sent" not in text
        assert "exchanged already" in text
        assert "⏎ Profile" in footer(pilot), footer(pilot)
        sent = len(app.session.history)
        await pilot.press("enter")
        await on(pilot, ProfileScreen)
        assert len(app.session.history) == sent, "enter sent nothing"
        # s still sends the spent code: the provider refuses it.
        await press(pilot, "3", "s")
        assert "invalid_grant" in panel_text(app)


async def test_a_spent_code_refused_on_exchange_leads_enter_to_authorize(
    wizard: WizardFactory,
) -> None:
    async with wizard() as (app, pilot):
        await press(pilot, "g", "a", "3", "s")  # the dance, then the same code again
        await press(pilot, "3", "s", "s")  # a fresh request of the same code, then sent
        assert isinstance(app.screen, ExchangeScreen)
        assert "invalid_grant" in panel_text(app)
        assert "press enter to go to Authorize (2) for a new attempt" in panel_text(app)
        assert "fresh request" not in panel_text(app)
        assert "⏎ Authorize" in footer(pilot), footer(pilot)
        await pilot.press("enter")
        await on(pilot, AuthorizeScreen)


async def test_a_refused_refresh_token_leads_every_step_to_authorize(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = dead_tokens_app(isolated_environment, demo_server, redirect_uri=EXAMPLE_REDIRECT)
    async with app.run_test(size=(80, 24)) as pilot:
        await refused_on_refresh(pilot)
        assert "No usable token is left: press enter to go to Authorize (2)" in panel_text(app)
        assert "⏎ Authorize" in footer(pilot), footer(pilot)
        # Profile's 401 no longer points to Refresh with the refused token.
        await press(pilot, "4", "s")
        assert isinstance(app.screen, ProfileScreen)
        assert "press enter to refresh" not in screen_text(app).lower()
        assert "⏎ Authorize" in footer(pilot), footer(pilot)
        # Nor does Call API, which says so before sending the refused token.
        await press(pilot, "6")
        assert isinstance(app.screen, ConsoleScreen)
        assert "Refresh & retry" not in footer(pilot)
        assert "⏎ Authorize" in footer(pilot), footer(pilot)
        await pilot.press("5", "enter")
        await on(pilot, AuthorizeScreen)
        assert app.screen.STEP is Step.AUTHORIZE


async def test_a_refusal_shown_again_on_return_keeps_the_flows_words(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """Back on Refresh, the device flow's refused refresh token is still explained for the
    device flow (new device codes), as when the answer came, not with Authorize's words."""
    app = dead_tokens_app(isolated_environment, demo_server, flow="device")
    async with app.run_test(size=(80, 24)) as pilot:
        await refused_on_refresh(pilot)
        advice = "Ask for new device codes on Device code (2)"
        assert advice in panel_text(app), panel_text(app)
        await press(pilot, "4")
        await on(pilot, ProfileScreen)
        await press(pilot, "5")
        await on(pilot, RefreshScreen)
        assert "invalid_grant" in panel_text(app)
        assert advice in panel_text(app), panel_text(app)
        assert "Authorize" not in panel_text(app), panel_text(app)
