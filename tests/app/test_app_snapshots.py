"""Snapshots of every screen at 80x24 and 120x40, from a fixed, offline state.

The Spotify preset is used so no server is needed: screens show requests
prepared but not sent, and every value (state, verifier, tokens) is fixed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static

from tests.app.test_app_reach import focus_with, rows_on_screen, unread
from tests.app.wizard import seed, wait_until
from tui.app import OAuthDanceApp
from tui.core.store import CredsStore
from tui.screens.export import ExportScreen
from tui.widgets.error_panel import ErrorPanel
from tui.widgets.scroll_area import ScrollArea

SIZES = [(80, 24), (120, 40)]
SCREENS = {
    "credentials": ("1",),
    "credentials-form": ("1", "e"),
    "authorize": ("2",),
    "exchange": ("3",),
    "profile": ("4",),
    "refresh": ("5",),
    "console": ("6",),
    "revoke": ("7",),
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


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_export_snapshot(
    size: tuple[int, int], isolated_environment: Path, snap_compare: Any
) -> None:
    async def open_export(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, OAuthDanceApp)
        for step in (app.session.prepare_token_exchange, app.session.prepare_profile):
            exchange = step()
            exchange.at = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
            app.session.history.append(exchange)
        await pilot.press("h", "x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the export")
        # The default holds the test's folder and the time: a fixed one in their place.
        app.screen.query_one(Input).value = "~/.config/oauth-dance/oauth-dance-spotify-20261129"
        await pilot.pause()

    assert snap_compare(
        snapshot_app(isolated_environment), terminal_size=size, run_before=open_export
    )


async def page_to(pilot: Pilot[None], area: ScrollArea, part: Widget) -> None:
    """Tab to ``area`` and press PgDn until the last row of ``part`` is on screen."""
    if area.overflows:
        await focus_with(pilot, area)
    while part.region.height - 1 not in rows_on_screen(part):
        assert area.scroll_y < area.max_scroll_y, "the end, and the part never in sight"
        await pilot.press("pagedown")
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_authorize_scrolled_to_the_url_snapshot(
    size: tuple[int, int], isolated_environment: Path, snap_compare: Any
) -> None:
    async def scroll_to_url(pilot: Pilot[None]) -> None:
        await pilot.press("2")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        url = screen.query_one("#url")
        await page_to(pilot, screen.query_one("#step", ScrollArea), url)
        for _ in range(3):
            if 0 in rows_on_screen(url):
                break
            await pilot.press("up")
            await pilot.pause()
        assert not unread(url, rows_on_screen(url)), "the whole URL in sight"

    assert snap_compare(
        snapshot_app(isolated_environment), terminal_size=size, run_before=scroll_to_url
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_error_panel_scrolled_to_its_fix_snapshot(
    size: tuple[int, int], isolated_environment: Path, snap_compare: Any
) -> None:
    async def scroll_to_fix(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, OAuthDanceApp)
        # The code refused, as Spotify answers a reused one: an answer in the history,
        # which Exchange explains on opening (no network, no timing to vary).
        exchange = app.session.prepare_token_exchange()
        exchange.response = httpx.Response(
            400,
            json={"error": "invalid_grant", "error_description": "Invalid authorization code"},
            request=exchange.request,
        )
        exchange.elapsed = 0.042
        app.session.history.append(exchange)
        await pilot.press("3")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        panel = app.screen.query_one(ErrorPanel)
        assert "Fix" in panel.text
        await page_to(pilot, panel, panel.query_one(Static))

    assert snap_compare(
        snapshot_app(isolated_environment), terminal_size=size, run_before=scroll_to_fix
    )
