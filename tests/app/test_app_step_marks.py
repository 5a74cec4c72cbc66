"""The sidebar's marks and the "not open yet" advice, by keys at 80x24 on the demo
provider: a ✓ only where a step of this flow happened, and advice that names the step
that works (Refresh while a refresh token is held, Device code for Poll)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.app.test_app_reach import toast_texts
from tests.app.wizard import WizardFactory, settle
from tests.screenshot import screen_text
from tui.screens.device import DeviceScreen


async def press(pilot: Pilot[Any], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def sidebar_line(pilot: Pilot[Any], title: str) -> str:
    """The sidebar's line of the step ``title``, its mark first."""
    for line in screen_text(pilot.app).splitlines():
        cell = line[:22].strip()
        if cell.endswith(title) and cell[:-len(title)].strip()[-1:].isdigit():
            return line[:22].strip()
    raise AssertionError(f"no {title} in the sidebar")


async def test_with_a_refresh_token_held_profile_and_call_api_advise_refresh(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24), notifications=True) as (app, pilot):
        await press(pilot, "g", "a", "3", "s", "4", "s")  # the dance, Profile sent
        await press(pilot, "7", "enter")  # the access token revoked, the refresh kept
        assert not app.session.state.token and app.session.state.refresh
        for key, title in (("4", "Profile"), ("6", "Call API")):
            await press(pilot, key)
            said = toast_texts(app)
            assert f"{title} is not open yet" in said, said
            assert "Refresh (5)" in said, said
            assert "Exchange a code" not in said, said
            await press(pilot, "5")  # a step's toasts go with it
        await press(pilot, "enter")  # Refresh: a new access token
        assert app.session.state.token
