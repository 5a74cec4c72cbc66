"""Authorize's attempts: a spent code, or one asked before the settings changed, is not
offered for Exchange; enter starts a new attempt."""

from __future__ import annotations

import pytest
from textual.widgets import SelectionList, Static

from tests.app.test_app_enter import footer
from tests.app.test_app_reach import focus_with
from tests.app.wizard import WizardFactory, settle, wait_until
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


@pytest.mark.parametrize("spend", [False, True], ids=["waiting", "spent"])
async def test_a_settings_change_ends_the_attempt_and_its_code(
    spend: bool, wizard: WizardFactory
) -> None:
    """A code asked with the settings before a change (here openid ticked, by keys) is not
    offered for Exchange: Authorize shows a new attempt, made with the new settings."""
    async with wizard() as (app, pilot):
        for key in ("g", "a", *(("3", "s") if spend else ()), "1", "e"):
            await pilot.press(key)
            await settle(pilot)
        before = app.session.state.state
        await focus_with(pilot, app.screen.query_one(SelectionList))
        await pilot.press("end", "space", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, AuthorizeScreen), "Authorize")
        await settle(pilot)
        state = app.session.state
        assert "openid" in state.scope.split()
        assert not state.code
        assert state.state not in ("", before)
        assert state.nonce, "openid asked: the new attempt has a nonce"
        assert "nonce=" in str(app.session.authorization_request().url)
        assert "⏎ Consent" in footer(pilot)
