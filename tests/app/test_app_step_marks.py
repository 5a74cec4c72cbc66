"""The sidebar's marks and the "not open yet" advice, by keys at 80x24 on the demo
provider: a ✓ only where a step of this flow happened, and advice that names the step
that works (Refresh while a refresh token is held, Device code for Poll)."""

from __future__ import annotations

import re
from typing import Any

from textual.pilot import Pilot

from tests.app.test_app_reach import toast_texts
from tests.app.wizard import WizardFactory, press
from tests.screenshot import screen_text
from tui.screens.device import DeviceScreen


def sidebar_line(pilot: Pilot[Any], title: str) -> str:
    """The sidebar's line of the step ``title``, its mark first."""
    for line in screen_text(pilot.app).splitlines():
        if re.match(rf". \d {re.escape(title)}\b", line):
            return line[:21].rstrip()
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


async def test_a_new_attempt_after_switching_flows_marks_no_closed_exchange_done(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24), notifications=True) as (app, pilot):
        await press(pilot, "g", "a", "3", "s", "4")  # the dance: Exchange done
        assert sidebar_line(pilot, "Exchange").startswith("✓")
        await press(pilot, "1", "v", "v", "2")  # the device flow and back: a new attempt
        assert sidebar_line(pilot, "Exchange")[0] not in "✓·", sidebar_line(pilot, "Exchange")
        await press(pilot, "3")
        assert "Exchange is not open yet" in toast_texts(app)
        assert sidebar_line(pilot, "Profile").startswith("·")  # the token is still held


async def test_the_redirect_flows_marks_are_not_the_device_flows(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24), notifications=True) as (app, pilot):
        await press(pilot, "g", "a", "3", "s")  # the redirect flow's dance
        await press(pilot, "1", "v", "enter")  # Device code, no codes asked for yet
        assert isinstance(app.screen, DeviceScreen)
        assert sidebar_line(pilot, "Poll")[0] == " ", sidebar_line(pilot, "Poll")
        await press(pilot, "3")
        said = toast_texts(app)
        assert "Poll is not open yet" in said and "Device code (2)" in said, said
        assert "Settings incomplete" not in said, said
        assert isinstance(app.screen, DeviceScreen)
        assert sidebar_line(pilot, "Device code").startswith("▶")
