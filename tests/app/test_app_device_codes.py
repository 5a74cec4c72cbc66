"""The device flow's codes after use, by keys at 80x24: spent codes are cleared (in memory
and in the file), n asks for new ones, and what ends a device code sends the user back
for new codes rather than polling with a dead one."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.app.test_app_console import enter_label
from tests.app.test_app_device import poll_answers, shown, to_device_code, type_text
from tests.app.wizard import WizardFactory, settle
from tests.screenshot import screen_text
from tui.app import OAuthDanceApp
from tui.screens.device import DeviceScreen
from tui.screens.poll import PollScreen
from tui.widgets.error_panel import ErrorPanel


async def press(pilot: Pilot[Any], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def approve_by_keys(app: OAuthDanceApp, pilot: Pilot[Any], decision: str = "a") -> None:
    """On Device code with codes: g, the user code typed, enter, then Approve (a) or Deny (d)."""
    await press(pilot, "g")
    await type_text(pilot, app.session.state.user_code)
    await press(pilot, "enter", decision)


def saved(creds: Path) -> dict[str, Any]:
    table: dict[str, Any] = tomllib.loads(creds.read_text())["demo"]
    return table


def footer(app: OAuthDanceApp) -> str:
    return screen_text(app).splitlines()[-1]


async def test_codes_used_for_tokens_are_cleared_and_enter_asks_for_new_ones(
    wizard: WizardFactory, isolated_environment: Path
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await to_device_code(app, pilot)
        old_code = app.session.state.user_code
        await approve_by_keys(app, pilot)
        await press(pilot, "enter")  # to Poll
        assert isinstance(app.screen, PollScreen)
        await press(pilot, "enter")  # the tokens
        assert app.session.state.token
        assert not app.session.state.device_code and not app.session.state.user_code
        table = saved(isolated_environment)
        assert "device_code" not in table and "user_code" not in table, table
        await press(pilot, "2")
        assert isinstance(app.screen, DeviceScreen)
        text = screen_text(app)
        assert " ".join(old_code) not in text
        assert "The codes:" not in text and "poll for the tokens" not in text
        assert "asks for a device code" in text
        assert enter_label(pilot) == "Send"
        await press(pilot, "enter")  # new codes, not the old used ones
        assert app.session.state.user_code not in ("", old_code)


async def test_n_clears_the_codes_and_their_countdown_qr_and_poll(
    wizard: WizardFactory, isolated_environment: Path
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await to_device_code(app, pilot)
        old_code = app.session.state.user_code
        await press(pilot, "n")
        assert not app.session.state.device_code
        assert "device_code" not in saved(isolated_environment)
        text = screen_text(app)
        assert "The codes:" not in text and " ".join(old_code) not in text
        assert "⏎ Send" in footer(app) and "Poll" not in footer(app), footer(app)
        await press(pilot, "f")  # no QR code of the old codes
        assert isinstance(app.screen, DeviceScreen)
        await press(pilot, "3")  # Poll is not open without codes
        assert isinstance(app.screen, DeviceScreen)
        await press(pilot, "2")
        assert " ".join(old_code) not in screen_text(app)
        await press(pilot, "enter")
        assert app.session.state.user_code not in ("", old_code)


async def test_after_revoking_both_tokens_enter_asks_for_new_device_codes(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await to_device_code(app, pilot)
        old_code = app.session.state.user_code
        await approve_by_keys(app, pilot)
        await press(pilot, "enter", "enter")  # Poll, the tokens
        await press(pilot, "7", "enter", "enter")  # the access token revoked, tried
        await press(pilot, "o", "enter", "enter")  # the refresh token revoked, tried
        assert not app.session.state.token and not app.session.state.refresh
        await press(pilot, "enter")  # on to Device code
        assert isinstance(app.screen, DeviceScreen)
        assert " ".join(old_code) not in screen_text(app)
        await press(pilot, "enter")
        assert app.session.state.user_code not in ("", old_code)
