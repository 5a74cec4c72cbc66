"""After a revocation, every step's enter goes where it works, by keys at 80x24: Refresh
while a refresh token is held, else Authorize; never to a step that is not open."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.app.test_app_console import enter_label
from tests.app.wizard import WizardFactory, press
from tests.screenshot import screen_text
from tui.core.steps import Step, available


def step_shown(pilot: Pilot[Any]) -> Step | None:
    return getattr(pilot.app.screen, "STEP", None)


async def enter_goes_where_it_works(pilot: Pilot[Any], key: str, expected: str) -> None:
    """On step ``key``, once its answer is read, enter is labelled ``expected`` and opens
    a step that is open."""
    await press(pilot, key)
    if enter_label(pilot) == "Send":
        await press(pilot, "enter")
    assert enter_label(pilot) == expected, (key, enter_label(pilot))
    before = step_shown(pilot)
    await press(pilot, "enter")
    after = step_shown(pilot)
    assert after is not before, f"enter on {key} stayed (a toast: not open yet?)"
    assert after is not None and available(after, pilot.app.session.state)  # type: ignore[attr-defined]


async def test_after_the_access_token_is_revoked_exchange_goes_to_refresh(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await press(pilot, "g", "a", "3", "s", "7", "enter")  # the access token revoked
        assert not app.session.state.token and app.session.state.refresh
        await enter_goes_where_it_works(pilot, "3", "Refresh")
        assert step_shown(pilot) is Step.REFRESH


async def test_after_the_refresh_token_is_revoked_profile_goes_to_authorize(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await press(pilot, "g", "a", "3", "s", "7", "o", "enter")  # the refresh token revoked
        assert app.session.state.token and not app.session.state.refresh
        await enter_goes_where_it_works(pilot, "3", "Profile")
        await enter_goes_where_it_works(pilot, "4", "Authorize")
        assert step_shown(pilot) is Step.AUTHORIZE


async def test_after_both_tokens_are_revoked_exchange_goes_to_authorize(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await press(pilot, "g", "a", "3", "s", "7", "enter", "enter")  # access revoked, tried
        await press(pilot, "s", "enter", "enter")  # refresh (chosen now) revoked, tried
        assert not app.session.state.token and not app.session.state.refresh
        await enter_goes_where_it_works(pilot, "3", "Authorize")
        assert step_shown(pilot) is Step.AUTHORIZE


async def test_back_on_revoke_the_other_token_is_chosen_fresh_and_one_enter_revokes_it(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await press(pilot, "g", "a", "3", "s", "7", "enter", "enter")  # access revoked, tried
        await press(pilot, "5", "7")  # away, and back to Revoke
        said = " ".join(screen_text(app).split())
        assert "Revoked: the access token" not in said, said
        assert "Will revoke: the refresh token" in said, said
        result = " ".join(str(app.screen.query_one("#result").render()).split())
        assert "revokes the refresh token: press enter to send it" in result, result
        assert enter_label(pilot) == "Send"
        await press(pilot, "enter")  # one enter: the refresh token revoked
        assert not app.session.state.refresh
        assert "Revoked: the refresh token" in " ".join(screen_text(app).split())
