"""Revoke by keys: the access or the refresh token revoked at the demo server, dropped from
the credentials file, then tried and refused (the 401 taught); a preset with no endpoint
says so."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from tests.app.test_app_console import enter_label, panel_text, result_text
from tests.app.test_app_snapshots import snapshot_app
from tests.app.wizard import WizardFactory, advance_to, settle
from tests.screenshot import screen_text
from tui.core.steps import Step
from tui.screens.authorize import AuthorizeScreen
from tui.screens.refresh import RefreshScreen
from tui.screens.revoke import TokenChoice
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.sidebar import StepList


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
        said = result_text(pilot)
        assert "invalid_grant: the revoked token is refused, as it should be" in said
        assert "Cause It was revoked (by the app, RFC 7009" in said
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


async def test_the_refresh_token_revoked_after_the_access_token_is_tried_in_a_refresh(
    wizard: WizardFactory,
) -> None:
    """Both revoked, the access token first: "Try it" asks for a new access token with the
    revoked refresh token (it needed an access token, and there is none), and the
    provider's invalid_grant is taught."""
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.REVOKE)
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.state.token == ""
        await pilot.press("s")  # the refresh token is chosen now: its revocation shown
        await pilot.pause()
        refresh = app.session.state.refresh
        await pilot.press("enter")
        await settle(pilot)
        assert "Press enter to ask for a new access token with it" in result_text(pilot)
        assert "profile" not in result_text(pilot), "the lesson of a refresh token"
        assert enter_label(pilot) == "Try it"
        await pilot.press("enter")
        await settle(pilot)
        assert "Settings incomplete" not in panel_text(pilot)
        tried = app.session.history[-1]
        assert (tried.step, tried.purpose) == (Step.REFRESH, "revoked token")
        assert tried.form_value("grant_type") == "refresh_token"
        assert tried.form_value("refresh_token") == refresh
        assert refresh not in screen_text(app) and refresh not in tried.request_view()
        assert tried.response is not None and tried.response.status_code == 400
        said = result_text(pilot)
        assert "invalid_grant: the revoked token is refused, as it should be" in said
        assert "Fix Authorize again to get a new refresh token." in said
        assert enter_label(pilot) == "Authorize"
        sidebar = str(app.screen.query_one("#expiry", Static).render())
        assert " ".join(sidebar.split()) == "No access token (revoked)."


def choice_shown(pilot: Pilot[None]) -> tuple[str, dict[str | None, str]]:
    """The choice said in words, and each token's dot."""
    screen = pilot.app.screen
    dots = {button.name: button.BUTTON_INNER for button in screen.query(TokenChoice)}
    return " ".join(str(screen.query_one("#choice", Static).render()).split()), dots


async def test_once_the_access_token_is_gone_the_refresh_token_is_chosen(
    wizard: WizardFactory,
) -> None:
    """As on coming back to the step; the access token, none saved, cannot be chosen."""
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.REVOKE)
        await send_and_try(pilot)
        assert choice_shown(pilot) == (
            "Will revoke: the refresh token",  # no o: the other one is not held
            {"access_token": " ", "refresh_token": "●"},
        )
        labels = [str(b.label) for b in app.screen.query(TokenChoice)]
        assert labels == ["access token (none saved)", "refresh token"]
        await pilot.press("s")
        await settle(pilot)
        shown = getattr(app.screen, "exchange", None)
        assert shown is not None and shown.form_value("token_type_hint") == "refresh_token"
        assert shown.response is None and enter_label(pilot) == "Send"
        await pilot.press("o")
        await settle(pilot)
        assert panel_text(pilot) == "", "no access token to choose: no Nothing to revoke"
        assert choice_shown(pilot)[1] == {"access_token": " ", "refresh_token": "●"}
        assert enter_label(pilot) == "Send"


async def test_each_visit_chooses_the_access_token_and_says_the_choice_in_words(
    wizard: WizardFactory,
) -> None:
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.REVOKE)
        access = {"access_token": "●", "refresh_token": " "}
        assert choice_shown(pilot) == ("Will revoke: the access token (o: the other one)", access)
        await pilot.press("o")
        await pilot.pause()
        assert choice_shown(pilot) == (
            "Will revoke: the refresh token (o: the other one)",
            {"access_token": " ", "refresh_token": "●"},
        )
        for key in ("4", "7"):
            await pilot.press(key)
            await settle(pilot)
        assert choice_shown(pilot)[1] == access
        assert choice_shown(pilot)[0].startswith("Will revoke: the access token")
        shown = getattr(app.screen, "exchange", None)
        assert shown is not None and shown.form_value("token_type_hint") == "access_token"
        assert shown.response is None and enter_label(pilot) == "Send"


async def test_after_a_new_dance_revoke_and_refresh_show_fresh_requests(
    wizard: WizardFactory,
) -> None:
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.REFRESH)
        await pilot.press("enter")
        await settle(pilot)
        assert "Refreshed and saved" in result_text(pilot)
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("enter")  # the access token revoked
        await settle(pilot)
        assert "Revoked: the access token" in result_text(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, RefreshScreen)
        assert result_text(pilot) == "", "not the first refresh's summary, 0 characters long"
        assert app.screen.exchange is not None and app.screen.exchange.response is None
        assert enter_label(pilot) == "Send", "no access token: not on to Profile"
        for key in ("2", "n", "g", "a", "enter", "enter"):  # a new dance
            await pilot.press(key)
            await settle(pilot)
        assert app.session.state.token
        await pilot.press("7")
        await settle(pilot)
        assert "Revoked" not in result_text(pilot)
        assert app.screen.query_one(ExchangeViewer).exchange is app.screen.exchange
        assert app.screen.exchange is not None and app.screen.exchange.response is None
        assert enter_label(pilot) == "Send"


async def test_exchange_says_the_tokens_were_revoked_not_that_they_are_empty(
    wizard: WizardFactory,
) -> None:
    """Back on Exchange after revocations, its summary says which tokens are no longer
    held (revoked), never an access token of 0 characters or a refresh token never given."""
    async with wizard() as (_app, pilot):
        await advance_to(pilot, Step.REVOKE)
        await pilot.press("enter")  # the access token revoked
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        said = result_text(pilot)
        assert "Access token revoked (RFC 7009): no longer held" in said, said
        assert "0 characters" not in said and "Expires" not in said
        assert "Refresh token received" in said
        # The refresh token revoked too: the one left, so the one chosen; the first enter
        # shows its request in the last revocation's place, the second sends it.
        for key in ("7", "enter", "enter", "3"):
            await pilot.press(key)
            await settle(pilot)
        said = result_text(pilot)
        assert "Refresh token revoked (RFC 7009): no longer held" in said, said
        assert "brought no refresh token" not in said, "it brought one, revoked since"


def sidebar_marks(pilot: Pilot[None]) -> list[tuple[str, bool]]:
    """Each step's mark in the sidebar as shown, and whether it can be opened."""
    steps = pilot.app.screen.query_one(StepList)
    options = [steps.get_option_at_index(i) for i in range(steps.option_count)]
    return [(str(option.prompt)[0], not option.disabled) for option in options]


async def test_revocations_keep_the_done_steps_marks(wizard: WizardFactory) -> None:
    """The exchange and the profile call happened: their ✓ stay through revocations.
    A step that cannot be opened without the revoked token keeps its ✓, closed."""
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.PROFILE)
        await pilot.press("enter")  # the profile fetched: Profile's ✓
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("enter")  # the access token revoked
        await settle(pilot)
        marks = sidebar_marks(pilot)
        assert marks[:4] == [("✓", True), ("✓", True), ("✓", True), ("✓", False)], marks
        assert marks[4:] == [("·", True), (" ", False), ("▶", True)], "no token for Call API"
        await pilot.press("3")
        await settle(pilot)
        assert sidebar_marks(pilot)[2:4] == [("▶", True), ("✓", False)]
        for key in ("7", "enter", "enter"):  # the refresh token revoked too
            await pilot.press(key)
            await settle(pilot)
        assert not app.session.state.refresh
        marks = sidebar_marks(pilot)
        assert marks[2:5] == [("✓", True), ("✓", False), (" ", False)], marks
