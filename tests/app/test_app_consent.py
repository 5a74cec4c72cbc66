"""The demo's consent page on Authorize: its footer, and a new attempt taking it away
(its form carries the old attempt's state)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Static

from tests.app.test_app_chrome import EVERYWHERE, footer
from tests.app.test_app_device_late_answers import LateAnswers
from tests.app.wizard import WizardFactory, free_port, press, seed, settle, wait_until
from tests.screenshot import screen_text
from tui.app import OAuthDanceApp
from tui.core.errors import CancelledError
from tui.core.store import CredsStore
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen


def status(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#status", Static).render())


def consent_shown(pilot: Pilot[None]) -> bool:
    screen = pilot.app.screen
    return bool(screen.query_one("#consent").display or screen.query_one("#decision").display)


async def test_n_takes_the_consent_page_away_until_g_shows_the_new_attempts(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        assert isinstance(app.screen, AuthorizeScreen)
        await press(pilot, "g")
        assert consent_shown(pilot) and "Approve" in footer(pilot)
        old_state = app.session.state.state
        await press(pilot, "n")
        assert app.session.state.state != old_state
        assert not consent_shown(pilot), "the old attempt's page is gone"
        assert "Consent page" not in screen_text(app)
        shown = footer(pilot)
        assert "Approve" not in shown and "Deny" not in shown, shown
        assert not isinstance(app.focused, Button), "focus left the hidden buttons"
        sent = len(app.session.history)
        await press(pilot, "a", "d")
        assert len(app.session.history) == sent, "no decision posted: there is no page"
        assert "State mismatch" not in screen_text(app)
        await press(pilot, "g", "a")  # the new attempt's page, approved
        assert "Code received" in status(pilot), status(pilot)
        assert "State mismatch" not in screen_text(app)


async def test_the_consent_page_footer_offers_enter_to_approve(wizard: WizardFactory) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await press(pilot, "g")
        assert app.screen.query_one("#approve", Button).has_focus
        shown = footer(pilot)
        for key in ("⏎ Approve", "d Deny", "g Consent", *EVERYWHERE):
            assert key in shown, f"{key!r} not in {shown!r}"
        await press(pilot, "enter")
        assert "Code received" in status(pilot), status(pilot)


async def test_on_the_deny_button_the_footer_does_not_offer_enter_to_approve(
    wizard: WizardFactory,
) -> None:
    """There enter presses Deny, the button's own enter: not ⏎ Approve."""
    async with wizard(size=(80, 24)) as (app, pilot):
        await press(pilot, "g", "tab")
        assert app.screen.query_one("#deny", Button).has_focus
        shown = footer(pilot)
        assert "⏎ Approve" not in shown and "a Approve" in shown, shown
        await press(pilot, "enter")
        assert "denied" in status(pilot).lower() or "refused" in status(pilot).lower()


async def test_n_while_the_page_is_on_its_way_lets_it_go(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """The consent page asked for, ``n`` before it came: the old attempt's page, coming
    later, was shown over the new attempt (its form carrying the old state)."""
    seed(isolated_environment, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    late = LateAnswers("/authorize")
    app = OAuthDanceApp(CredsStore(isolated_environment), "demo", demo=demo_server, transport=late)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("g")
            await wait_until(pilot, late.arrived.is_set, "the page's answer, held")
            await pilot.press("n")
            late.release.set()  # the old attempt's page comes now, too late
            await settle(pilot)
            assert not consent_shown(pilot), "no page of the old attempt"
            (page,) = [e for e in app.session.history if e.request.url.path == "/authorize"]
            assert isinstance(page.error, CancelledError)
    finally:
        await late.real.aclose()
