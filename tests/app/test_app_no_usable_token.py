"""When no usable token is left, the way on leads to a new authorization, not round a loop:
a refresh token the provider refuses on Call API's Refresh & retry, or a 401 on Profile or
Call API without a refresh token. The error panel says so, and enter goes to Authorize
(ctrl+s in Call API's text fields, as the panel says)."""

from __future__ import annotations

from textual.widgets import Input, Static, TextArea

from tests.app.test_app_console import enter_label, footer_line, panel_text, result_text
from tests.app.test_app_reach import focus_with
from tests.app.wizard import FAR_FUTURE, WizardFactory, press, settle
from tui.core.steps import BY_STEP, Step
from tui.screens.authorize import AuthorizeScreen
from tui.screens.console import ConsoleScreen
from tui.screens.profile import ProfileScreen
from tui.screens.refresh import RefreshScreen

UNKNOWN = {"token": "a-token-the-demo-never-issued", "expires": FAR_FUTURE}
"""Tokens in the credentials file that the demo server does not know."""


async def test_a_refused_refresh_token_on_call_api_leads_to_authorize(
    wizard: WizardFactory,
) -> None:
    async with wizard(refresh="a-refresh-token-the-demo-never-issued", **UNKNOWN) as (app, pilot):
        await press(pilot, "6", "enter")
        assert isinstance(app.screen, ConsoleScreen)
        assert enter_label(pilot) == "Refresh & retry"
        await press(pilot, "enter")  # the refresh is refused: invalid_grant
        panel = panel_text(pilot)
        assert "invalid_grant" in panel
        assert "send the call again" not in panel, panel
        assert "authorize again" in panel, panel
        assert enter_label(pilot) == "Authorize"

        await press(pilot, "s")  # the call again: a 401, and the refused token is not offered
        assert "401" in panel_text(pilot)
        assert enter_label(pilot) == "Authorize"
        assert "authorize again" in panel_text(pilot), panel_text(pilot)
        assert "refresh it and send this call again" not in result_text(pilot)

        await press(pilot, "enter")
        assert isinstance(app.screen, AuthorizeScreen)


async def test_a_401_without_a_refresh_token_leads_to_authorize(wizard: WizardFactory) -> None:
    async with wizard(**UNKNOWN) as (app, pilot):
        for step in (Step.PROFILE, Step.CONSOLE):
            # s: on Call API, after Profile's 401, enter goes to Authorize before sending
            await press(pilot, BY_STEP[step].key, "s")
            panel = panel_text(pilot)
            assert "401" in panel
            assert "fresh request" not in panel and "send the call again" not in panel, panel
            assert "authorize again" in panel, panel
            assert enter_label(pilot) == "Authorize"
            await press(pilot, "enter")
            assert isinstance(app.screen, AuthorizeScreen), step


async def test_in_a_text_field_the_way_on_names_ctrl_s_and_ctrl_s_takes_it(
    wizard: WizardFactory,
) -> None:
    """Where enter is typed (or sends the call as set up), the panel's way on names ctrl+s,
    the key that does it there: Refresh & retry after a 401, then, the refresh token
    refused, Authorize."""
    async with wizard(refresh="a-refresh-token-the-demo-never-issued", **UNKNOWN) as (app, pilot):
        await press(pilot, "6")
        body = app.screen.query_one("#api-body", TextArea)
        await focus_with(pilot, body)
        await pilot.press("ctrl+s")  # the call: a 401
        await settle(pilot)
        assert "401" in panel_text(pilot)
        retry = (
            "Press enter (ctrl+s in the headers or body box) to refresh it and send this "
            "call again."
        )
        assert retry in panel_text(pilot)
        assert retry in result_text(pilot)
        assert footer_line(pilot).startswith("^s Refresh & retry")
        await pilot.press("ctrl+s")  # the refresh: refused, invalid_grant
        await settle(pilot)
        assert "invalid_grant" in panel_text(pilot)
        assert (
            "No usable token is left: press enter (ctrl+s in the headers or body box) to go to "
            "Authorize (2)" in panel_text(pilot)
        )
        assert footer_line(pilot).startswith("^s Authorize")
        assert body.has_focus and body.text == ""
        sent = len(app.session.history)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
        assert len(app.session.history) == sent, "nothing sent again"


def sidebar_token(pilot: object) -> str:
    """The sidebar's access token line, as shown."""
    expiry = pilot.app.screen.query_one("#expiry", Static)  # type: ignore[attr-defined]
    return " ".join(str(expiry.render()).split())


async def test_the_sidebar_says_the_access_token_was_refused_not_how_long_it_has(
    wizard: WizardFactory,
) -> None:
    """Tokens the provider no longer knows (the demo restarted), an expiry far off: once
    Profile's 401 refused the access token, the sidebar says so rather than count down,
    through the refused refresh as well (the refresh token said dead too); a new token
    brings the countdown back."""
    async with wizard(refresh="a-refresh-token-the-demo-never-issued", **UNKNOWN) as (app, pilot):
        await press(pilot, "4")
        assert isinstance(app.screen, ProfileScreen)
        assert "left" in sidebar_token(pilot)
        await press(pilot, "enter")  # the 401
        assert "401" in panel_text(pilot)
        assert sidebar_token(pilot) == "Access token refused by the provider"
        assert app.screen.query_one("#expiry").has_class("-expired")
        await press(pilot, "enter")
        assert isinstance(app.screen, RefreshScreen)
        assert sidebar_token(pilot) == "Access token refused by the provider"
        await press(pilot, "enter")  # the refresh: invalid_grant
        assert "No usable token is left" in panel_text(pilot)
        assert sidebar_token(pilot) == "Access and refresh tokens refused by the provider"

        await press(pilot, "enter", "g", "a", "enter", "enter")  # a new grant
        assert app.session.state.token != UNKNOWN["token"]
        assert sidebar_token(pilot).endswith("left"), sidebar_token(pilot)


async def test_a_401_on_call_api_tells_the_sidebar_too(wizard: WizardFactory) -> None:
    async with wizard(**UNKNOWN) as (app, pilot):
        await press(pilot, "6", "enter")
        assert isinstance(app.screen, ConsoleScreen)
        assert "401" in panel_text(pilot)
        assert sidebar_token(pilot) == "Access token refused by the provider"


async def test_in_the_url_field_enter_takes_the_way_on_as_the_panel_says(
    wizard: WizardFactory,
) -> None:
    """The URL field is one line: enter there does what ctrl+s does in a box, as the
    panel's "press enter" says: no usable token left, it goes to Authorize."""
    async with wizard(**UNKNOWN) as (app, pilot):
        await press(pilot, "6")
        await focus_with(pilot, app.screen.query_one("#api-url", Input))
        await press(pilot, "enter")  # the call: a 401, no refresh token
        assert "press enter (ctrl+s in the headers or body box) to go to Authorize (2)" in (
            panel_text(pilot)
        )
        assert footer_line(pilot).startswith("⏎ Authorize"), footer_line(pilot)
        sent = len(app.session.history)
        await press(pilot, "enter")
        assert isinstance(app.screen, AuthorizeScreen)
        assert len(app.session.history) == sent, "the refused token not sent again"
