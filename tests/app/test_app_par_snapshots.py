"""Snapshots of Authorize with PAR on (RFC 9126), from a fixed, offline state: a provider
with a PAR endpoint whose request_uri was pushed already (saved, good until 2099).

At 80x24 and 120x40 the parameter table shows the swap: the URL's two parameters,
then those sent in the POST; at 80x24 the short URL's QR code full-screen (f) scans.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.app.test_app_reach import focus_with, rows_on_screen
from tests.app.wizard import seed
from tests.test_qr import decode
from tui.app import OAuthDanceApp
from tui.core.store import CredsStore
from tui.screens.authorize import AuthorizeScreen
from tui.widgets.qr_screen import QRScreen
from tui.widgets.scroll_area import ScrollArea

SIZES = [(80, 24), (120, 40)]
AS = "https://as.example.com"


def par_app(creds: Path) -> OAuthDanceApp:
    seed(
        creds,
        "example",
        authorize_endpoint=f"{AS}/authorize",
        token_endpoint=f"{AS}/token",
        par_endpoint=f"{AS}/par",
        client_id="0123456789abcdef",
        client_secret="fedcba9876543210fedcba9876543210",
        redirect_uri="https://example.com/callback",
        scope="email profile",
        par=True,
        state="snapshot-state-0123456789abcdefghijklm",
        code_verifier="snapshot-verifier-0123456789abcdefghijklmnopqrstuvwxyz",
        request_uri="urn:ietf:params:oauth:request_uri:snapshot-0123456",
        request_uri_expires=datetime(2099, 1, 1, tzinfo=UTC),
    )
    return OAuthDanceApp(CredsStore(creds), "example")


async def open_authorize(pilot: Pilot[None]) -> AuthorizeScreen:
    await pilot.press("2")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, AuthorizeScreen)
    return screen


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_authorize_with_par_snapshot(
    size: tuple[int, int], isolated_environment: Path, snap_compare: Any
) -> None:
    """Scrolled by keys until the table's first row is the step's first: the swap in sight."""

    async def scroll_to_params(pilot: Pilot[None]) -> None:
        screen = await open_authorize(pilot)
        area = screen.query_one("#step", ScrollArea)
        params = screen.query_one("#params")
        await focus_with(pilot, area)
        while params.region.y > area.region.y:
            assert area.scroll_y < area.max_scroll_y
            await pilot.press("down")
            await pilot.pause()
        assert 0 in rows_on_screen(params)

    assert snap_compare(
        par_app(isolated_environment), terminal_size=size, run_before=scroll_to_params
    )


def test_short_url_qr_code_at_80x24_snapshot(isolated_environment: Path, snap_compare: Any) -> None:
    async def show_qr(pilot: Pilot[None]) -> None:
        screen = await open_authorize(pilot)
        assert screen.exchange is not None
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(pilot.app.screen, QRScreen)
        assert decode(pilot.app) == [str(screen.exchange.request.url)]

    assert snap_compare(par_app(isolated_environment), terminal_size=(80, 24), run_before=show_qr)
