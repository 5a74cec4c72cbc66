"""Where the QA found enter stuck at 80x24, by keys on the demo provider: a made-up code
refused on Exchange, a denied consent, a code saved without its PKCE verifier, and Revoke's
s with nothing left to revoke. Each time enter and the footer do what the text says."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from tests.app.test_app_console import enter_label, result_text
from tests.app.wizard import (
    WizardFactory,
    advance_to,
    free_port,
    made_up_redirect,
    make_app,
    paste,
    press,
    seed,
    settle,
    wait_until,
)
from tests.faults.faultapp import panel_text, toasts
from tests.screenshot import screen_text
from tui.core.steps import Step
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.exchange import ExchangeScreen
from tui.widgets.exchange_viewer import ExchangeViewer


def footer(pilot: Pilot[None]) -> str:
    return screen_text(pilot.app).splitlines()[-1]


async def on(pilot: Pilot[None], screen: type) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen), screen.__name__)
    await settle(pilot)


def consent_shown(pilot: Pilot[None]) -> bool:
    screen = pilot.app.screen
    return isinstance(screen, AuthorizeScreen) and screen.query_one("#consent").display


def status(pilot: Pilot[None]) -> str:
    return " ".join(str(pilot.app.screen.query_one("#status", Static).render()).split())


async def test_a_code_refused_on_exchange_is_spent_and_enter_on_authorize_starts_over(
    wizard: WizardFactory,
) -> None:
    async with wizard() as (app, pilot):
        await press(pilot, "p")
        await paste(pilot, made_up_redirect(app, "made-up-code"))
        await press(pilot, "enter")  # the paste field takes the redirect
        assert app.session.state.code == "made-up-code"
        await press(pilot, "enter")  # ⏎ Exchange
        await on(pilot, ExchangeScreen)
        await press(pilot, "enter")  # ⏎ Send
        assert "invalid_grant" in panel_text(app)
        await press(pilot, "enter")  # ⏎ Authorize, for a new attempt
        await on(pilot, AuthorizeScreen)
        assert "A code from this attempt is waiting" not in status(pilot)
        assert "refused" in status(pilot) and "new attempt" in status(pilot), status(pilot)
        assert "⏎ New attempt" in footer(pilot), footer(pilot)
        attempt = app.session.state.state
        await press(pilot, "enter")
        assert isinstance(app.screen, AuthorizeScreen)
        assert app.session.state.code == "" and app.session.state.state != attempt
        assert enter_label(pilot) == "Consent"


async def test_after_deny_enter_starts_a_new_attempt_and_the_refusal_goes(
    wizard: WizardFactory,
) -> None:
    async with wizard() as (app, pilot):
        await press(pilot, "g", "d")
        assert "access_denied" in panel_text(app)
        assert "⏎ New attempt" in footer(pilot), footer(pilot)
        attempt = app.session.state.state
        await press(pilot, "enter")
        assert app.session.state.state != attempt
        assert panel_text(app) == ""
        await press(pilot, "enter")  # ⏎ Consent: the page again, to Approve this time
        assert consent_shown(pilot)
        await press(pilot, "a")
        assert app.session.state.code


async def test_g_after_deny_shows_the_consent_page_without_the_old_refusal(
    wizard: WizardFactory,
) -> None:
    async with wizard() as (app, pilot):
        await press(pilot, "g", "d")
        assert "access_denied" in panel_text(app)
        await press(pilot, "g")
        assert consent_shown(pilot)
        assert panel_text(app) == ""
        await press(pilot, "a")
        assert app.session.state.code


async def test_a_code_without_its_pkce_verifier_leads_enter_to_a_new_attempt(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    # The demo as a custom provider: the built-in one drops, at start, a code its
    # server (started afresh) never issued.
    seed(
        isolated_environment,
        "mine",
        authorize_endpoint=f"{demo_server.base_url}/authorize",
        token_endpoint=f"{demo_server.base_url}/api/token",
        client_id=demo_server.client_id,
        client_secret=demo_server.client_secret,
        redirect_uri=f"http://127.0.0.1:{free_port()}/callback",
        state="hand-edited-state",
        code="x",
        code_exchanged=False,
        pkce=True,
    )
    app = make_app(isolated_environment, demo_server, "mine")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        await on(pilot, ExchangeScreen)
        assert "PKCE verifier" in panel_text(app)
        assert "new attempt" in panel_text(app)
        assert "⏎ Authorize" in footer(pilot), footer(pilot)
        await press(pilot, "enter")
        await on(pilot, AuthorizeScreen)
        assert "PKCE verifier (start a new attempt)" in panel_text(app)
        assert "Exchange" not in str(app.screen.query_one(ExchangeViewer).border_title)
        assert "⏎ New attempt" in footer(pilot), footer(pilot)
        await press(pilot, "enter")
        assert app.session.state.code == "" and app.session.state.code_verifier
        assert panel_text(app) == ""


async def test_s_with_nothing_left_to_revoke_is_not_offered_and_keeps_the_result(
    wizard: WizardFactory,
) -> None:
    async with wizard(notifications=True) as (app, pilot):
        await advance_to(pilot, Step.REVOKE)
        await press(pilot, "enter", "enter")  # revoke the access token, then try it
        assert "HTTP 401" in result_text(pilot)
        # The refresh token, left, is chosen: s prepares its revocation, enter sends it,
        # and enter again tries it.
        await press(pilot, "s", "enter", "enter")
        tried = result_text(pilot)
        assert "invalid_grant: the revoked token is refused" in tried
        assert "Nothing is left to revoke" in tried
        viewer = app.screen.query_one(ExchangeViewer)
        title = str(viewer.border_title)
        await press(pilot, "s")
        assert result_text(pilot) == tried
        assert str(viewer.border_title) == title
        assert panel_text(app) == ""
        assert not any("to revoke" in toast for toast in toasts(app)), toasts(app)
