"""Starting again picks up the saved state; a restarted demo server's tokens are refused cleanly."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.app.test_app_reach import toast_texts
from tests.app.wizard import make_app, press, seed, settle
from tests.screenshot import screen_text
from tui.app import OAuthDanceApp
from tui.core.store import CredsStore
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.device import DeviceScreen
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


def own_demo_app(creds: Path) -> OAuthDanceApp:
    """The wizard as a person starts it: its demo server started with it, knowing nothing."""
    return OAuthDanceApp(CredsStore(creds), "demo")


async def test_device_codes_of_an_earlier_run_are_dropped_and_device_code_asks_anew(
    isolated_environment: Path,
) -> None:
    """Codes asked for, then quit: the next run's demo server never issued them. They are
    dropped with a note; the wizard opens on Device code, and enter gets codes that work."""
    creds = isolated_environment
    app = own_demo_app(creds)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "v", "enter", "enter")  # the device flow, Device code, the codes
        old = app.session.state.verification_uri
        assert old and app.session.state.device_code
    app = own_demo_app(creds)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DeviceScreen), app.screen
        assert not app.session.state.device_code and not app.session.state.verification_uri
        said = toast_texts(app)
        assert "The demo server started afresh" in said and "device codes" in said, said
        assert "device_code" not in tomllib.loads(creds.read_text())["demo"]
        text = " ".join(screen_text(app).split())
        assert "Press enter to send it." in text and "The codes:" not in text, text
        await press(pilot, "enter")  # new codes, from this run's server
        assert app.demo is not None
        assert app.session.state.verification_uri.startswith(app.demo.base_url)
        assert app.session.state.verification_uri != old
        await press(pilot, "g")  # its verification page answers
        assert app.session.history[-1].status_line == "200 OK"


async def test_a_code_of_an_earlier_run_is_dropped_and_authorize_starts_anew(
    isolated_environment: Path,
) -> None:
    seed(
        isolated_environment,
        "demo",
        redirect_uri="https://example.com/callback",
        state="state-of-the-last-run",
        code_verifier="v" * 43,
        code="code-the-last-run-got",
    )
    app = own_demo_app(isolated_environment)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen), app.screen
        assert not app.session.state.code
        assert app.session.state.state != "state-of-the-last-run"
        said = toast_texts(app)
        assert "authorization code" in said and "Authorize starts a new attempt" in said, said
