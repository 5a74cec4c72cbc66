"""Snapshots of the lessons at 80x24 and 120x40, from the fixed, offline Spotify state of
tests/app/test_app_snapshots.py: the list (one lesson done, its rule shown), a lesson under
way on its step, and the same lesson caught and explained."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.app.test_app_snapshots import snapshot_app
from tui.app import OAuthDanceApp
from tui.core.errors import OAuthError
from tui.core.lesson_progress import PROGRESS_KEY
from tui.core.lesson_setup import LessonRun
from tui.core.lessons import BY_KEY
from tui.core.store import CredsStore
from tui.screens.base import StepScreen

SIZES = [(80, 24), (120, 40)]
LESSON = BY_KEY["redirect-uri"]


def lessons_app(creds: Path) -> OAuthDanceApp:
    app = snapshot_app(creds)
    CredsStore(creds).update_app(**{PROGRESS_KEY: ["state"]})
    return app


async def settled(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lessons_list_snapshot(
    size: tuple[int, int], isolated_environment: Path, snap_compare: Any
) -> None:
    async def open_list(pilot: Pilot[None]) -> None:
        await pilot.press("l", "down")  # the lesson done: its rule shows
        await settled(pilot)

    assert snap_compare(lessons_app(isolated_environment), terminal_size=size, run_before=open_list)


@pytest.mark.parametrize("caught", [False, True], ids=["under-way", "explained"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lesson_on_its_step_snapshot(
    size: tuple[int, int], caught: bool, isolated_environment: Path, snap_compare: Any
) -> None:
    async def run_lesson(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, OAuthDanceApp)
        app.session.start_lesson(LessonRun(LESSON, LESSON.setup))
        await pilot.press("3")
        await settled(pilot)
        if caught:  # as the provider's answer would be read
            error = OAuthError("invalid_grant", "Invalid redirect URI", 400)
            app.session.lesson_saw(error)
            screen = app.screen
            assert isinstance(screen, StepScreen)
            screen.show_error(error, toast=False)
            await settled(pilot)

    assert snap_compare(
        lessons_app(isolated_environment), terminal_size=size, run_before=run_lesson
    )
