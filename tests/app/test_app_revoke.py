"""Revoke by keys: the access or the refresh token revoked at the demo server, dropped from
the credentials file, then tried and refused (the 401 taught); a preset with no endpoint
says so."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.pilot import Pilot

from tests.app.test_app_console import enter_label, panel_text, result_text
from tests.app.test_app_snapshots import snapshot_app
from tests.app.wizard import WizardFactory, advance_to, settle
from tui.core.steps import Step
from tui.screens.authorize import AuthorizeScreen
from tui.screens.refresh import RefreshScreen


def saved(creds: Path) -> dict[str, object]:
    table = tomllib.loads(creds.read_text())["demo"]
    assert isinstance(table, dict)
    return table


async def send_and_try(pilot: Pilot[None]) -> None:
    """Enter sends the revocation; enter again tries the revoked token."""
    await pilot.press("enter")
    await settle(pilot)
    assert "Revoked: the" in result_text(pilot), panel_text(pilot)
    assert enter_label(pilot) == "Try it"
    await pilot.press("enter")
    await settle(pilot)


async def test_a_revoked_access_token_leaves_the_file_and_its_401_is_taught(
    wizard: WizardFactory, isolated_environment: Path
) -> None:
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.REVOKE)
        assert enter_label(pilot) == "Send"
        refresh = app.session.state.refresh
        await pilot.press("enter")
        await settle(pilot)
        assert "access token is gone from the credentials file" in result_text(pilot)
        await app.workers.wait_for_complete()
        app.store.flush()
        table = saved(isolated_environment)
        assert "token" not in table and table["refresh"] == refresh
        await pilot.press("enter")
        await settle(pilot)
        said = result_text(pilot)
        assert "HTTP 401: the revoked token is refused, as it should be" in said
        assert "Meaning invalid_token: the API no longer accepts this access token" in said
        assert "revoked (by the app, RFC 7009" in said
        assert app.session.history[-1].response is not None
        assert app.session.history[-1].response.status_code == 401
        assert enter_label(pilot) == "Refresh", "a refresh token is left: a way back"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RefreshScreen)


async def test_o_picks_the_refresh_token_whose_revocation_ends_the_grant(
    wizard: WizardFactory, isolated_environment: Path
) -> None:
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.REVOKE)
        await pilot.press("o")
        await pilot.pause()
        shown = getattr(app.screen, "exchange", None)
        assert shown is not None and shown.form_value("token_type_hint") == "refresh_token"
        await send_and_try(pilot)
        app.store.flush()
        assert "refresh" not in saved(isolated_environment)
        assert "HTTP 401: the revoked token is refused" in result_text(pilot)
        assert enter_label(pilot) == "Authorize", "no refresh token left: authorize again"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)


async def test_a_preset_without_a_revocation_endpoint_says_so(isolated_environment: Path) -> None:
    async with snapshot_app(isolated_environment).run_test(size=(80, 24)) as pilot:
        await pilot.press("7")
        await settle(pilot)
        said = panel_text(pilot)
        assert "Not offered by this provider" in said
        assert "Spotify has no token revocation endpoint (RFC 7009)" in said
        assert "Manage apps" in said
