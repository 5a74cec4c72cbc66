"""Authorize's attempts: a spent code, or one asked before the settings changed, is not
offered for Exchange; enter starts a new attempt, and so does g once the attempt is over."""

from __future__ import annotations

import socket

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList, Static

from tests.app.test_app_enter import footer
from tests.app.test_app_reach import focus_with
from tests.app.test_app_redirect_checks import paste_and_enter
from tests.app.wizard import Wizard, WizardFactory, approve_in_browser, press, settle, wait_until
from tui.app import OAuthDanceApp
from tui.screens.authorize import AuthorizeScreen


def status(app: object) -> str:
    return str(app.screen.query_one("#status", Static).render())  # type: ignore[attr-defined]


async def test_enter_on_a_spent_code_starts_a_new_attempt(wizard: WizardFactory) -> None:
    """A spent code: the footer offers ⏎ New attempt, and enter starts one (as n does),
    not Exchange with the previous grant's answer."""
    async with wizard() as (app, pilot):
        for key in ("g", "a", "3", "s", "2"):
            await pilot.press(key)
            await settle(pilot)
        assert "exchanged already" in status(app)
        await wait_until(pilot, lambda: "⏎ New attempt" in footer(pilot), "⏎ New attempt")
        spent = app.session.state.state
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
        assert not app.session.state.code
        assert app.session.state.state not in ("", spent)
        assert "⏎ Consent" in footer(pilot)


def listening(app: OAuthDanceApp) -> bool:
    """A redirect listener is running (or starting)."""
    return any(w.group == "listener" and not w.is_finished for w in app.workers)


def port_open(port: int) -> bool:
    """Something accepts connections on 127.0.0.1:``port``."""
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


async def test_nothing_listens_for_a_spent_attempt_and_the_screen_says_what_to_do(
    wizard: WizardFactory,
) -> None:
    """Its state can never match a new redirect: no listener, and the line where one
    would be says to press enter (the footer's ⏎ New attempt); the new attempt listens."""
    async with wizard() as (app, pilot):
        port = httpx.URL(app.session.state.redirect_uri).port
        assert port is not None
        await wait_until(pilot, lambda: port_open(port), "the first attempt's listener")
        for key in ("g", "a", "3", "s", "2"):
            await pilot.press(key)
            await settle(pilot)
        assert "exchanged already" in status(app)
        await wait_until(pilot, lambda: "⏎ New attempt" in footer(pilot), "⏎ New attempt")
        said = " ".join(str(app.screen.query_one("#listener", Static).render()).split())
        assert "Listening" not in said
        assert said == (
            "Not listening: this attempt is over, so no redirect can match its state. "
            "Press enter for a new attempt."
        )
        assert not listening(app)
        assert not port_open(port)
        await pilot.press("enter")
        await settle(pilot)
        await wait_until(pilot, lambda: port_open(port), "the new attempt's listener")
        assert "Listening" in str(app.screen.query_one("#listener", Static).render())


async def tick_openid(pilot: Pilot[None]) -> None:
    """On Credentials: e, Tab to the scopes, tick the last (openid), ctrl+s."""
    app = pilot.app
    await pilot.press("e")
    await settle(pilot)
    await focus_with(pilot, app.screen.query_one(SelectionList))
    await pilot.press("end", "space", "ctrl+s")
    await wait_until(pilot, lambda: isinstance(app.screen, AuthorizeScreen), "Authorize")
    await settle(pilot)


@pytest.mark.parametrize("spend", [False, True], ids=["waiting", "spent"])
async def test_a_code_from_before_a_settings_change_is_not_offered_for_exchange(
    spend: bool, wizard: WizardFactory
) -> None:
    """A code asked with the settings before a change (here openid ticked, by keys):
    Authorize offers a new attempt, not Exchange; the code stays for 3 to send anyway."""
    async with wizard() as (app, pilot):
        for key in ("g", "a", *(("3", "s") if spend else ()), "1"):
            await pilot.press(key)
            await settle(pilot)
        code = app.session.state.code
        await tick_openid(pilot)
        assert "openid" in app.session.state.scope.split()
        assert app.session.state.code == code, "kept: Exchange can still send it"
        if not spend:
            assert "settings before your change" in status(app)
        await wait_until(pilot, lambda: "⏎ New attempt" in footer(pilot), "⏎ New attempt")
        await pilot.press("enter")
        await settle(pilot)
        state = app.session.state
        assert isinstance(app.screen, AuthorizeScreen)
        assert not state.code and state.nonce, "a new attempt, with openid's nonce"
        assert "nonce=" in str(app.session.authorization_request().url)
        assert "⏎ Consent" in footer(pilot)


async def test_a_settings_change_before_the_code_starts_the_attempt_again(
    wizard: WizardFactory,
) -> None:
    async with wizard() as (app, pilot):
        before = app.session.state.state
        assert not app.session.state.nonce
        await pilot.press("1")
        await settle(pilot)
        await tick_openid(pilot)
        state = app.session.state
        assert state.state not in ("", before) and state.nonce
        assert "nonce=" in str(app.session.authorization_request().url)
        assert "⏎ Consent" in footer(pilot)


@pytest.mark.parametrize(
    "keys",
    [("g", "d"), ("g", "d", "1", "2"), ("g", "a", "3", "s", "2")],
    ids=["refused", "refused-then-back", "exchanged"],
)
async def test_g_on_an_attempt_that_is_over_shows_a_new_attempts_consent_page(
    wizard: WizardFactory, keys: tuple[str, ...]
) -> None:
    """Refused (Deny), even after leaving the step and coming back, or its code exchanged:
    g starts a new attempt first, as enter does; the old state is never approved again."""
    async with wizard() as (app, pilot):
        await press(pilot, *keys)
        await wait_until(pilot, lambda: "⏎ New attempt" in footer(pilot), "⏎ New attempt")
        over = app.session.state.state
        await press(pilot, "g")
        assert app.session.state.state not in ("", over)
        assert not app.session.attempt_refused() and not app.session.state.code
        assert "⏎ Approve" in footer(pilot)
        await press(pilot, "a")
        assert "state checked ✓" in status(app)
        assert app.session.state.state != over and app.session.code_usable()


@pytest.mark.parametrize("pasted", ["refusal", "code after Deny"])
async def test_once_a_paste_ends_the_attempt_focus_leaves_the_field_for_enter(
    wizard: WizardFactory, pasted: str
) -> None:
    """A refusal pasted, or a code for an attempt refused already: the panel says to press
    enter for a new attempt, and enter does that (focus left the paste field)."""
    async with wizard() as (app, pilot):
        url = str(app.session.authorization_request().url)
        if pasted == "refusal":
            text = approve_in_browser(url, "Deny")
        else:
            text = approve_in_browser(url)
            await press(pilot, "g", "d")
        over = app.session.state.state
        await paste_and_enter(Wizard(app, pilot), text)
        assert "Press enter for a new attempt" in " ".join(status(app).split())
        assert not isinstance(app.focused, Input)
        await press(pilot, "enter")
        assert app.session.state.state not in ("", over)
        assert app.screen.query_one("#paste", Input).value == ""
