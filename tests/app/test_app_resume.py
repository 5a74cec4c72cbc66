"""Starting again picks up the saved state; a restarted demo server's tokens are refused cleanly."""

from __future__ import annotations

from pathlib import Path

from tests.app.wizard import make_app, seed, settle
from tui.demo import DemoServer
from tui.screens.credentials import CredentialsScreen
from tui.screens.history import HistoryScreen
from tui.screens.profile import ProfileScreen
from tui.screens.refresh import RefreshScreen
from tui.widgets.error_panel import ErrorPanel
from tui.widgets.exchange_viewer import ExchangeViewer


async def test_fresh_file_opens_on_credentials(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)


async def test_saved_tokens_open_on_profile_and_stale_ones_lead_to_refresh(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    seed(
        isolated_environment,
        "demo",
        redirect_uri="https://example.com/callback",
        token="token-from-a-server-that-restarted",
        refresh="refresh-from-a-server-that-restarted",
    )
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        await pilot.press("s")
        await settle(pilot)
        assert str(app.screen.query_one(ExchangeViewer).border_subtitle).startswith(
            "401 Unauthorized"
        )
        assert "refresh" in str(app.screen.query_one("#result").render()).lower()
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, RefreshScreen)
        await pilot.press("s")
        await settle(pilot)
        panel = app.screen.query_one(ErrorPanel).text
        assert "invalid_grant" in panel
        assert app.session.state.refresh == "refresh-from-a-server-that-restarted"


async def test_a_step_key_on_history_replaces_the_step_below(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    seed(isolated_environment, "demo", redirect_uri="https://example.com/cb", token="t-1234")
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        assert len(app.screen_stack) == 2, "History and the old step are gone, not stacked"
