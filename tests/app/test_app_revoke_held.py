"""Revoke offers only what can be revoked, by keys at 80x24: ``o`` switches only to a
token held, a token not held cannot be chosen nor sent, and once no token is left enter
goes to Authorize (the QA dead end: "Nothing to revoke" again and again)."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import RadioSet, Static

from tests.app.test_app_console import enter_label, footer_line, panel_text, result_text
from tests.app.test_app_reach import focus_with
from tests.app.wizard import WizardFactory, press
from tui.core.steps import Step
from tui.screens.revoke import TokenChoice

GRANT = ("enter", "g", "a", "enter", "enter")


def choices(pilot: Pilot[None]) -> dict[str | None, tuple[str, bool]]:
    """Each token's row as shown, and whether it can be chosen."""
    return {b.name: (str(b.label), not b.disabled) for b in pilot.app.screen.query(TokenChoice)}


async def test_o_does_not_choose_a_token_none_is_saved_of(wizard: WizardFactory) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await press(pilot, *GRANT, "7", "enter")  # the access token revoked
        assert not app.session.state.token and app.session.state.refresh
        assert choices(pilot) == {
            "access_token": ("access token (none saved)", False),
            "refresh_token": ("refresh token", True),
        }
        assert "o Other token" not in footer_line(pilot), footer_line(pilot)
        await press(pilot, "o")
        assert "Nothing to revoke" not in panel_text(pilot), panel_text(pilot)
        assert choices(pilot)["refresh_token"] == ("refresh token", True)
        assert getattr(app.screen, "chosen", None) == "refresh_token"
        assert enter_label(pilot) == "Try it", "the revoked token can still be tried"
        await press(pilot, "enter")
        assert "HTTP 401: the revoked token is refused" in result_text(pilot)


async def test_with_no_token_left_enter_goes_to_authorize_not_send(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await press(pilot, *GRANT, "7", "enter", "enter")  # access revoked, tried
        await press(pilot, "s", "enter")  # the refresh token (chosen now) revoked
        assert not app.session.state.token and not app.session.state.refresh
        footer = footer_line(pilot)
        assert enter_label(pilot) == "Try it", footer
        assert "s Send" not in footer and "Other token" not in footer, footer
        choice = str(app.screen.query_one("#choice", Static).render())
        assert choice == "Will revoke: nothing: no token is saved.", choice
        await press(pilot, "s", "o")
        assert "Nothing to revoke" not in panel_text(pilot), panel_text(pilot)
        assert enter_label(pilot) == "Try it"
        await press(pilot, "enter")  # the revoked refresh token tried
        said = result_text(pilot)
        assert "invalid_grant: the revoked token is refused" in said, said
        assert "Nothing is left to revoke" in said, said
        assert "press enter to go to Authorize (2)" in said, said
        footer = footer_line(pilot)
        assert "⏎ Authorize" in footer and "Send" not in footer, footer
        assert all(not usable for _label, usable in choices(pilot).values())
        await press(pilot, "o", "s")
        assert "Nothing to revoke" not in panel_text(pilot), panel_text(pilot)
        await press(pilot, "enter")
        assert getattr(app.screen, "STEP", None) is Step.AUTHORIZE


async def test_the_radio_keys_do_not_choose_a_token_none_is_saved_of(
    wizard: WizardFactory,
) -> None:
    """The choices' own keys (tab to them, enter on the row marked): no choosing the
    access token once it is revoked either."""
    async with wizard(size=(80, 24)) as (app, pilot):
        await press(pilot, *GRANT, "7", "enter")  # the access token revoked
        await focus_with(pilot, app.screen.query_one("#which", RadioSet))
        for key in ("enter", "space", "up", "enter"):
            await press(pilot, key)
            assert getattr(app.screen, "chosen", None) == "refresh_token", key
            assert "Nothing to revoke" not in panel_text(pilot), (key, panel_text(pilot))
            assert [b.value for b in app.screen.query(TokenChoice)] == [False, True], key
