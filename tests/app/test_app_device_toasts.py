"""The device flow's toasts, by keys at 80x24 on the demo: one at a time, gone once
untrue, never repeating their title, never over the help panel."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from textual import events
from textual.pilot import Pilot

from tests.app.test_app_device import Time, poll_answers, to_device_code
from tests.app.test_app_reach import toast_texts, toasts_shown
from tests.app.wizard import MovedClock, demo_wizard, press, wait_until
from tui.app import OAuthDanceApp
from tui.demo import DemoServer
from tui.screens.poll import PollScreen
from tui.widgets.explain_panel import ExplainPanel


async def never(seconds: float) -> None:
    """A wait between polls that only cancelling the worker ends."""
    await asyncio.Event().wait()


@contextlib.asynccontextmanager
async def polling(
    creds: Path, clock: MovedClock
) -> AsyncIterator[tuple[OAuthDanceApp, Pilot[None]]]:
    """Toasts shown; on Poll, polling: the first answer in, waiting for ever after it."""
    with DemoServer(port=0, clock=clock) as demo:
        async with demo_wizard(creds, demo, notifications=True) as (app, pilot):
            Time(clock, app)
            await to_device_code(app, pilot)
            await press(pilot, "3")
            assert isinstance(app.screen, PollScreen)
            app.session.sleep = never
            await pilot.press("enter")
            await wait_until(pilot, lambda: poll_answers(app), "the first poll's answer")
            await pilot.pause()
            yield app, pilot


def toasts_saying(app: OAuthDanceApp, words: str) -> list[str]:
    return [str(t.render()) for t in toasts_shown(app) if words in str(t.render())]


async def test_enter_while_polling_says_polling_already_once(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    async with polling(isolated_environment, moved_clock) as (app, pilot):
        for _ in range(3):  # as fast as key repeat: each before the last one's toast
            key = events.Key("enter", "\r")
            key.set_sender(app)
            app.post_message(key)
        await wait_until(pilot, lambda: toasts_saying(app, "Polling already"), "the toast")
        await pilot.pause()
        assert len(toasts_saying(app, "Polling already")) == 1, toast_texts(app)


async def test_polling_stopped_goes_once_polling_goes_on(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    async with polling(isolated_environment, moved_clock) as (app, pilot):
        await pilot.press("x")
        await wait_until(pilot, lambda: toasts_saying(app, "Polling stopped"), "the toast")
        await pilot.press("enter")  # at once: the demo answers slow_down, polling goes on
        await wait_until(pilot, lambda: len(poll_answers(app)) == 2, "the second poll")
        await pilot.pause()
        assert poll_answers(app) == ["authorization_pending", "slow_down"]
        screen = app.screen
        assert isinstance(screen, PollScreen) and screen.in_flight()
        assert not toasts_saying(app, "Polling stopped"), toast_texts(app)


async def test_leaving_poll_says_polling_stopped_once(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    async with polling(isolated_environment, moved_clock) as (app, pilot):
        await press(pilot, "2")
        said = [f"{t.title} | {t.message}" for t in app.toasts if "left Poll" in t.message]
        assert said == ["Polling stopped | You left Poll. On Poll (3), enter polls again."], said


async def test_new_codes_take_the_old_attempts_network_problem_away(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    async with demo_wizard(isolated_environment, demo_server, notifications=True) as (
        app,
        pilot,
    ):
        await to_device_code(app, pilot)
        demo_server.stop()
        await press(pilot, "g")  # the verification page: nobody answers
        assert toasts_saying(app, "Network problem"), toast_texts(app)
        await press(pilot, "n")
        assert not app.session.state.device_code
        assert not toasts_saying(app, "Network problem"), toast_texts(app)


async def test_the_help_opened_right_after_v_is_not_under_its_toast(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    async with demo_wizard(isolated_environment, demo_server, notifications=True) as (
        app,
        pilot,
    ):
        await press(pilot, "1", "v")
        assert toasts_saying(app, "Device flow (RFC 8628)"), toast_texts(app)
        await press(pilot, "question_mark")
        panel = app.screen.query_one(ExplainPanel)
        assert panel.display
        for toast in toasts_shown(app):
            assert not toast.region.overlaps(panel.region), toast_texts(app)
