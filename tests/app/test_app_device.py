"""The device flow (RFC 8628) in the wizard, by keys: choose it, get the codes, play the
browser on the demo's verification page, poll, and go on to Profile. Time between polls
is moved, never waited for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import Static

from tests.app.wizard import (
    MovedClock,
    WizardFactory,
    demo_wizard,
    settle,
    wait_until,
)
from tui.app import OAuthDanceApp
from tui.core.steps import Step
from tui.demo import DemoServer
from tui.screens.device import DeviceScreen
from tui.screens.poll import PollScreen

KEY_NAMES = {"-": "minus"}


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*(KEY_NAMES.get(ch, ch) for ch in text))


async def to_device_code(app: OAuthDanceApp, pilot: Pilot[Any]) -> None:
    """From Authorize: Credentials, v (the device flow), enter (Device code), enter (send)."""
    for key in ("1", "v", "enter", "enter"):
        await pilot.press(key)
        await settle(pilot)
    assert isinstance(app.screen, DeviceScreen)
    assert app.session.state.user_code


def shown(app: OAuthDanceApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_a_keyboard_user_completes_the_demo_dance_by_the_device_flow(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await to_device_code(app, pilot)
        user_code = app.session.state.user_code
        assert " ".join(user_code) in shown(app, "#user-code")
        await pilot.press("g")  # the verification page: it asks for the code
        await settle(pilot)
        await type_text(pilot, user_code)
        await pilot.press("enter")  # the consent page: Approve or Deny
        await settle(pilot)
        assert "Approve only if your device shows this code" in shown(app, "#page")
        await pilot.press("a")
        await settle(pilot)
        assert "Device approved" in shown(app, "#page")
        await pilot.press("enter")  # on to Poll
        await settle(pilot)
        assert isinstance(app.screen, PollScreen)
        await pilot.press("enter")  # poll: the user approved already, so the tokens come
        await settle(pilot)
        assert app.session.state.token
        await pilot.press("enter")  # on to Profile
        await settle(pilot)
        assert getattr(app.screen, "STEP", None) is Step.PROFILE
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.state.profile_fetched
        polls = [e for e in app.session.history if e.purpose == "poll"]
        assert len(polls) == 1
        assert app.session.state.device_code not in polls[0].request_view()
