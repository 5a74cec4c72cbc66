"""Snapshots of the device flow's two screens (RFC 8628) at 80x24 and 120x40, from a fixed,
offline state: a provider with a device authorization endpoint whose codes were asked for
already (saved, good until 2099), seen at a fixed time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.app.wizard import seed
from tui.app import OAuthDanceApp
from tui.core.store import CredsStore
from tui.screens.device import DeviceScreen
from tui.screens.poll import PollScreen

SIZES = [(80, 24), (120, 40)]
AS = "https://as.example.com"
NOW = datetime(2099, 1, 1, 11, 50, tzinfo=UTC)


def device_app(creds: Path) -> OAuthDanceApp:
    seed(
        creds,
        "example",
        authorize_endpoint=f"{AS}/authorize",
        token_endpoint=f"{AS}/token",
        device_authorization_endpoint=f"{AS}/device/code",
        client_id="0123456789abcdef",
        client_secret="fedcba9876543210fedcba9876543210",
        redirect_uri="https://example.com/callback",
        scope="email profile",
        flow="device",
        device_code="snapshot-device-code-0123456789abcdef",
        user_code="WDJB-MJHT",
        verification_uri=f"{AS}/device",
        verification_uri_complete=f"{AS}/device?user_code=WDJB-MJHT",
        device_expires=datetime(2099, 1, 1, 12, 0, tzinfo=UTC),
        poll_interval=5,
    )
    return OAuthDanceApp(CredsStore(creds), "example")


async def open_step(pilot: Pilot[None], key: str) -> None:
    app = pilot.app
    assert isinstance(app, OAuthDanceApp)
    app.session.clock = lambda: NOW
    await pilot.press(key)
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_device_code_snapshot(
    size: tuple[int, int], isolated_environment: Path, snap_compare: Any
) -> None:
    """The user code large, where to type it, the countdown, and the QR code."""

    async def run_before(pilot: Pilot[None]) -> None:
        await open_step(pilot, "2")
        assert isinstance(pilot.app.screen, DeviceScreen)

    assert snap_compare(device_app(isolated_environment), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_poll_snapshot(
    size: tuple[int, int], isolated_environment: Path, snap_compare: Any
) -> None:
    """The poll built and not sent: grant_type, the device code masked."""

    async def run_before(pilot: Pilot[None]) -> None:
        await open_step(pilot, "3")
        assert isinstance(pilot.app.screen, PollScreen)

    assert snap_compare(device_app(isolated_environment), terminal_size=size, run_before=run_before)
