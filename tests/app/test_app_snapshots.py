"""Snapshots of every screen at 80x24 and 120x40, from a fixed, offline state.

The Spotify preset is used so no server is needed: screens show requests
prepared but not sent, and every value (state, verifier, tokens) is fixed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.app.wizard import seed
from tui.app import OAuthDanceApp
from tui.core.store import CredsStore

SIZES = [(80, 24), (120, 40)]
SCREENS = {
    "credentials": ("1",),
    "credentials-form": ("1", "e"),
    "authorize": ("2",),
    "exchange": ("3",),
    "profile": ("4",),
    "refresh": ("5",),
}


def snapshot_app(creds: Path) -> OAuthDanceApp:
    seed(
        creds,
        "spotify",
        client_id="0123456789abcdef0123456789abcdef",
        client_secret="fedcba9876543210fedcba9876543210",
        redirect_uri="https://example.com/callback",
        scope="user-read-private user-read-email",
        state="snapshot-state-0123456789abcdefghijklm",
        code_verifier="snapshot-verifier-0123456789abcdefghijklmnopqrstuvwxyz",
        code="snapshot-code",
        token="snapshot-access-token",
        refresh="snapshot-refresh-token",
        granted_scope="user-read-private user-read-email",
    )
    return OAuthDanceApp(CredsStore(creds), "spotify")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_snapshot(
    screen: str, size: tuple[int, int], isolated_environment: Path, snap_compare: Any
) -> None:
    async def open_step(pilot: Pilot[None]) -> None:
        await pilot.press(*SCREENS[screen])
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(
        snapshot_app(isolated_environment), terminal_size=size, run_before=open_step
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_history_snapshot(
    size: tuple[int, int], isolated_environment: Path, snap_compare: Any
) -> None:
    async def open_history(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, OAuthDanceApp)
        for step in (app.session.prepare_token_exchange, app.session.prepare_profile):
            exchange = step()
            exchange.at = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
            app.session.history.append(exchange)
        await pilot.press("h")
        await pilot.pause()

    assert snap_compare(
        snapshot_app(isolated_environment), terminal_size=size, run_before=open_history
    )
