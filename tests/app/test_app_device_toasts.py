"""The device flow's toasts, by keys at 80x24 on the demo: one at a time, gone once
untrue, never repeating their title, never over the help panel."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from pathlib import Path

from textual import events
from textual.pilot import Pilot

from tests.app.test_app_device import Time, poll_answers, to_device_code
from tests.app.test_app_key_list import first, panel_lines
from tests.app.test_app_reach import toast_texts, toasts_shown
from tests.app.wizard import MovedClock, demo_wizard, press, wait_until
from tests.screenshot import screen_text
from tui.app import OAuthDanceApp
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
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


async def test_a_key_pressed_thrice_fast_leaves_one_toast(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """y (copy the verification URI) thrice, faster than the screen: each toast replaces
    the one before, even one still on its way to the screen."""
    async with demo_wizard(isolated_environment, demo_server, notifications=True) as (
        app,
        pilot,
    ):
        await to_device_code(app, pilot)
        await press(pilot, "question_mark")  # the step's toasts gone: none but y's
        for _ in range(3):  # as fast as key repeat: each before the last one's toast
            key = events.Key("y", "y")
            key.set_sender(app)
            app.post_message(key)
        await wait_until(pilot, lambda: toasts_saying(app, "verification URI"), "the toast")
        await pilot.pause()
        assert len(toasts_saying(app, "verification URI")) == 1, toast_texts(app)


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
    isolated_environment: Path, own_demo: DemoServer
) -> None:
    async with demo_wizard(isolated_environment, own_demo, notifications=True) as (app, pilot):
        await to_device_code(app, pilot)
        own_demo.stop()
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


def footer(app: OAuthDanceApp) -> str:
    return screen_text(app).splitlines()[-1]


async def test_while_polling_the_footer_offers_stop_not_send(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    """Polling: enter would only say "polling already", so the footer shows no ⏎, and x
    stops; stopped: ⏎ Send again, and no x (nothing to stop)."""
    async with polling(isolated_environment, moved_clock) as (app, pilot):
        said = footer(app)
        assert "⏎" not in said and "x Stop" in said, said
        await pilot.press("x")
        await wait_until(pilot, lambda: "⏎ Send" in footer(app), "⏎ Send again")
        said = footer(app)
        assert "x " not in said, said


async def test_the_key_lists_send_says_what_it_does_on_its_own(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    """Before polling, ⏎ Send is the only enter listed: its text cannot lean on an entry
    the list does not show ("Until then")."""
    async with polling(isolated_environment, moved_clock) as (app, pilot):
        await pilot.press("x")
        await wait_until(pilot, lambda: "⏎ Send" in footer(app), "polling stopped")
        await press(pilot, "question_mark")
        lines = await panel_lines(pilot)
        keys = " ".join(" ".join(lines[first(lines, "Keys") :]).split())
        assert "Until then" not in keys, keys
        unscrolled = re.sub(r"[▁▂▃▄▅▆▇█] ", "", keys)  # the panel's scrollbar, where it is
        assert "⏎ s Send The poll shown below, then again" in unscrolled, keys


async def test_switching_flow_takes_polls_toast_away(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    """Polling, 1 (Credentials: "You left Poll..."), v (the authorization code flow,
    where step 3 is Exchange): Poll's toast goes, and the switch's own is the one shown."""
    async with polling(isolated_environment, moved_clock) as (app, pilot):
        await press(pilot, "1")
        assert toasts_saying(app, "left Poll"), toast_texts(app)
        await press(pilot, "v")
        assert not app.session.state.device_flow
        await wait_until(pilot, lambda: toasts_saying(app, "Authorization code flow"), "v's")
        assert not toasts_saying(app, "left Poll"), toast_texts(app)
        assert not [t for t in app.toasts if "left Poll" in t.message]


async def test_a_lesson_that_switches_flow_takes_polls_toast_away(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    """Polling, 1 ("You left Poll..."), l, a code-flow lesson started (the device flow
    goes off): on the lesson's step, nothing is said of Poll, now of the other flow."""
    async with polling(isolated_environment, moved_clock) as (app, pilot):
        await press(pilot, "1")
        assert toasts_saying(app, "left Poll"), toast_texts(app)
        await press(pilot, "l", "down", "enter")  # Tamper with the state: on Authorize
        await wait_until(pilot, lambda: isinstance(app.screen, AuthorizeScreen), "Authorize")
        assert app.session.lesson is not None and not app.session.state.device_flow
        assert not [t for t in app.toasts if "left Poll" in t.message], toast_texts(app)
