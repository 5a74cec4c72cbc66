"""What Poll says of its polling, by keys at 80x24 on the demo: enter from Device code
polls at once, leaving Poll says polling stopped, slow_down is not a refusal, and the
wait shown is the wait taken."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.app.test_app_console import enter_label
from tests.app.test_app_device import (
    Time,
    poll_answers,
    polling_wizard,
    shown,
    to_device_code,
    type_text,
)
from tests.app.test_app_lessons import open_lesson
from tests.app.wizard import MovedClock, demo_wizard, press, wait_until
from tui.core.lessons import BY_KEY
from tui.demo import DemoServer
from tui.screens.poll import PollScreen
from tui.widgets.error_panel import ErrorPanel


async def test_enter_from_device_code_after_approve_polls_at_once(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    """Polled once before approving (authorization_pending), back to Device code, approved
    there: enter opens Poll and polls, and the tokens come, no "stopped before the user
    answered"."""
    with DemoServer(port=0, clock=moved_clock) as demo:
        async with demo_wizard(isolated_environment, demo) as (app, pilot):
            time = Time(moved_clock, app)
            await to_device_code(app, pilot)
            forever = asyncio.Event()

            async def never(seconds: float) -> None:
                await forever.wait()

            app.session.sleep = never
            await pilot.press("enter", "enter")  # Poll, polling: pending
            await wait_until(pilot, lambda: poll_answers(app), "the first poll's answer")
            app.session.sleep = time.sleep
            await press(pilot, "2", "g")  # back to Device code: polling stops
            await type_text(pilot, app.session.state.user_code)
            await press(pilot, "enter", "a")  # approved
            assert "Press enter to poll" in shown(app, "#status")
            await press(pilot, "enter")
            assert isinstance(app.screen, PollScreen)
            assert poll_answers(app) == ["authorization_pending", "tokens"]
            assert app.session.state.token
            assert "Polling stopped before the user answered" not in shown(app, "#result")


async def never(seconds: float) -> None:
    """A wait between polls that only leaving (cancelling the worker) ends; none is none."""
    if seconds:
        await asyncio.Event().wait()


async def test_leaving_poll_while_polling_says_polling_stopped(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    async with polling_wizard(isolated_environment, moved_clock) as (app, pilot, _time):
        app.session.sleep = never
        await pilot.press("enter")
        await wait_until(pilot, lambda: poll_answers(app), "the first poll's answer")
        await press(pilot, "2")  # away: polling stops
        toasts = " ".join(f"{t.title} {t.message}" for t in app.toasts)
        assert "Polling stopped" in toasts and "left Poll" in toasts, toasts
        await press(pilot, "3")
        said = " ".join(shown(app, "#result").split())
        assert "Polling stopped when you left Poll" in said, said
        assert "before the user answered" not in said, said
        assert poll_answers(app) == ["authorization_pending"]


async def test_back_on_poll_after_the_slow_down_lesson_no_refusal_is_shown(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    async with demo_wizard(isolated_environment, demo_server) as (app, pilot):
        await press(pilot, "g", "a", "3", "s")  # tokens, by the redirect flow
        await open_lesson(app, pilot, BY_KEY["slow-down"])
        app.session.sleep = never
        await pilot.press("enter")
        await wait_until(pilot, lambda: "slow_down" in poll_answers(app), "slow_down")
        await press(pilot, "x", "2", "3")
        assert isinstance(app.screen, PollScreen)
        assert not [p for p in app.screen.query(ErrorPanel) if p.display and p.text.strip()]
        said = " ".join(shown(app, "#result").split())
        assert "slow_down" in said, said
        assert enter_label(pilot) == "Send"


async def test_next_poll_in_says_the_wait_taken(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    """The last wait is cut to the seconds the codes have left: the step says 3 s, not
    the interval's 5."""
    async with polling_wizard(isolated_environment, moved_clock) as (app, pilot, time):
        said: list[str] = []

        def note() -> None:
            said.append(" ".join(shown(app, "#result").split()))

        def at_first_wait() -> None:
            moved_clock.advance(592)  # 597 s gone: the codes have 3 s left
            note()

        time.on_wait = [at_first_wait, note]
        await press(pilot, "enter")
        assert time.waits == [5, 3]
        assert "Next poll in 3 s" in said[1], said
