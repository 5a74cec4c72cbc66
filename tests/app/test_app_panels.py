"""The side panels: ? and ctrl+t toggle them, and every step opened afterwards keeps the choice."""

from __future__ import annotations

from pathlib import Path

import httpx
from textual.pilot import Pilot

from tests.app.test_app_snapshots import snapshot_app
from tests.faults.faultapp import bad_app, mock, panel_text
from tui.widgets.error_panel import ErrorPanel
from tui.widgets.explain_panel import ExplainPanel
from tui.widgets.sidebar import StepSidebar


def panels(pilot: Pilot[None]) -> tuple[bool, bool]:
    """Whether the explanation panel and the sidebar are on screen.

    The explanation panel is mounted when first shown: none is as good as hidden.
    """
    screen = pilot.app.screen
    explain = any(panel.display for panel in screen.query(ExplainPanel))
    return explain, screen.query_one(StepSidebar).display


async def open_step(pilot: Pilot[None], key: str) -> None:
    await pilot.press(key)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_on_a_narrow_terminal_the_explanation_takes_the_sidebars_place(
    isolated_environment: Path,
) -> None:
    app = snapshot_app(isolated_environment)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, "3")
        assert panels(pilot) == (False, True)  # narrow: no explanation unless asked
        assert not pilot.app.screen.query(ExplainPanel), "mounted only once shown"
        await pilot.press("question_mark")
        assert panels(pilot) == (True, False)
        await open_step(pilot, "4")  # a new screen keeps the choice from the start
        assert panels(pilot) == (True, False)
        await pilot.press("question_mark")
        assert panels(pilot) == (False, True)
        await pilot.press("ctrl+t")
        assert panels(pilot) == (False, False)
        await open_step(pilot, "5")
        assert panels(pilot) == (False, False)
        await pilot.press("ctrl+t")
        assert panels(pilot) == (False, True)


async def test_on_a_wide_terminal_both_show_until_the_user_says_otherwise(
    isolated_environment: Path,
) -> None:
    app = snapshot_app(isolated_environment)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_step(pilot, "3")
        assert panels(pilot) == (True, True)
        await pilot.press("question_mark")
        assert panels(pilot) == (False, True)
        await open_step(pilot, "4")
        assert panels(pilot) == (False, True)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert panels(pilot) == (False, True)
        await pilot.press("question_mark")
        await pilot.resize_terminal(120, 40)  # wide again: room for both
        await pilot.pause()
        assert panels(pilot) == (True, True)


async def test_widening_the_terminal_mounts_the_explanation_it_now_has_room_for(
    isolated_environment: Path,
) -> None:
    app = snapshot_app(isolated_environment)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, "3")
        assert not pilot.app.screen.query(ExplainPanel)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert panels(pilot) == (True, True)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert panels(pilot) == (False, True)


async def test_the_error_panel_is_mounted_at_the_first_error_and_hidden_once_it_is_over(
    isolated_environment: Path,
) -> None:
    replies = iter(
        [
            httpx.Response(401, json={"error": "invalid_token"}),
            httpx.Response(200, json={"id": "learner", "display_name": "Learner"}),
        ]
    )
    app = bad_app(isolated_environment, transport=mock(lambda request: next(replies)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, "4")
        assert not app.screen.query(ErrorPanel), "no error yet: no panel to style on each switch"
        await open_step(pilot, "s")
        assert "401" in panel_text(app)
        main = app.screen.query_one("#main")
        assert main.children[0] is app.screen.query_one(ErrorPanel), "above the step"
        await open_step(pilot, "s")
        assert panel_text(app) == ""
        assert not app.screen.query_one(ErrorPanel).display
