"""Each step opens with its own widget focused, and nothing else focused first.

Textual's auto focus would focus the first focusable widget (the step list)
while the screen is composed; a step that then focused its own widget had the
screen restyled and drawn again, which was a whole frame more per step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widget import Widget

from tests.app.test_app_snapshots import snapshot_app
from tests.app.wizard import make_app, seed, settle
from tui.app import OAuthDanceApp
from tui.core.store import CredsStore
from tui.demo import DemoServer
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.settings_summary import SettingsSummary
from tui.widgets.sidebar import StepSidebar


@pytest.fixture
def focused(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(screen, widget) of every focus change, as Textual's ``Screen.set_focus`` makes it."""
    changes: list[tuple[str, str]] = []
    set_focus = Screen.set_focus

    def recorded(screen: Screen[object], widget: Widget | None, *args: Any, **kwargs: Any) -> None:
        if widget is not None and widget is not screen.focused:
            changes.append((type(screen).__name__, type(widget).__name__ + f"#{widget.id}"))
        set_focus(screen, widget, *args, **kwargs)

    monkeypatch.setattr(Screen, "set_focus", recorded)
    return changes


async def test_credentials_opens_with_the_summary_focused_and_e_focuses_the_client_id(
    isolated_environment: Path, demo_server: DemoServer, focused: list[tuple[str, str]]
) -> None:
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.focused is app.screen.query_one(SettingsSummary)
        assert app.screen.query_one(StepSidebar).display  # focusable, and not focused first
        assert focused == [("CredentialsScreen", "SettingsSummary#None")]
        await pilot.press("e")
        await settle(pilot)
        assert app.focused is app.screen.query_one("#client_id")
    assert focused[1:] == [("CredentialsScreen", "BoundedInput#client_id")]


async def test_incomplete_credentials_open_with_the_client_id_focused(
    isolated_environment: Path, focused: list[tuple[str, str]]
) -> None:
    seed(isolated_environment, "spotify", redirect_uri="http://127.0.0.1:8888/callback")
    app = OAuthDanceApp(CredsStore(isolated_environment), "spotify")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.focused is app.screen.query_one("#client_id")
    assert focused == [("CredentialsScreen", "BoundedInput#client_id")]


@pytest.mark.parametrize(
    ("key", "screen"), [("3", "ExchangeScreen"), ("4", "ProfileScreen"), ("5", "RefreshScreen")]
)
async def test_an_http_step_opens_with_the_viewer_focused(
    isolated_environment: Path, focused: list[tuple[str, str]], key: str, screen: str
) -> None:
    app = snapshot_app(isolated_environment)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # it opens on Profile, its viewer focused: leave it
        await pilot.press("2")
        await settle(pilot)
        focused.clear()
        await pilot.press(key)
        await settle(pilot)
        assert type(app.screen).__name__ == screen
        assert isinstance(app.focused, ExchangeViewer)
    # Profile's screen was kept, its viewer still focused: no focus change at all.
    assert focused == ([] if screen == "ProfileScreen" else [(screen, "ExchangeViewer#None")])
