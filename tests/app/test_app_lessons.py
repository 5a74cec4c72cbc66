"""The break-it lessons, each run end to end by keys at 80x24 against the demo provider
on loopback: l opens the list, enter sets the lesson up and opens its step, the keys
the lesson names take the step, and the real error comes back, explained, and the
lesson is saved as done."""

from __future__ import annotations

import asyncio
import tomllib
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from tests.app.wizard import MovedClock, demo_wizard, press, seed, settle, wait_until
from tests.screenshot import screen_text
from tui.app import OAuthDanceApp
from tui.core.lesson_progress import PROGRESS_KEY
from tui.core.lessons import BY_KEY, LESSONS, Lesson
from tui.core.providers import DEMO_CLIENT_ID, DEMO_PUBLIC_CLIENT_ID
from tui.core.steps import Step
from tui.core.store import CredsStore
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.base import StepScreen
from tui.screens.lessons import LessonsScreen
from tui.screens.refresh import RefreshScreen
from tui.widgets.error_panel import ErrorPanel
from tui.widgets.lesson_panel import LessonPanel

STEP_KEYS: dict[str, tuple[str, ...]] = {
    "code-reuse": ("enter",),
    "state": ("g", "a"),
    "redirect-uri": ("enter",),
    "code-verifier": ("enter",),
    "expired-code": ("enter",),
    "refresh-reuse": ("enter",),
    "no-pkce": ("g",),
    "iss": ("g", "a"),
    "slow-down": ("enter",),
}
"""The keys each lesson's panel tells the user to press."""

SHOWN_ERROR = {
    "code-reuse": "Invalid authorization code",
    "state": "The state that came back is not the one we sent",
    "redirect-uri": "Invalid redirect URI",
    "code-verifier": "code_verifier was incorrect",
    "expired-code": "Invalid authorization code",
    "refresh-reuse": "Refresh token revoked",
    "no-pkce": "Code challenge required.",
    "iss": "https://attacker.example",
    "slow-down": "slow_down",
}
"""The real error each lesson brings back: the demo provider's, or the app's own check's."""


def test_every_lesson_has_its_keys_here() -> None:
    assert set(STEP_KEYS) == set(SHOWN_ERROR) == {lesson.key for lesson in LESSONS}


async def open_lesson(app: OAuthDanceApp, pilot: Pilot[None], lesson: Lesson) -> None:
    """l, the lesson chosen with the arrows, enter: set up, on its step."""
    await pilot.press("l")
    await wait_until(pilot, lambda: isinstance(app.screen, LessonsScreen), "the lessons")
    for _ in range(LESSONS.index(lesson)):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)
    await wait_until(
        pilot,
        lambda: getattr(app.screen, "STEP", None) is lesson.step,
        f"the {lesson.step} step",
    )


async def wait_for_x(seconds: float) -> None:
    """A wait between polls that only x (cancelling the worker) ends; none is none."""
    if seconds:
        await asyncio.Event().wait()


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.key)
async def test_a_lesson_by_keys(
    lesson: Lesson,
    isolated_environment: Path,
    short_lived_demo: DemoServer,
    moved_clock: MovedClock,
) -> None:
    async with demo_wizard(isolated_environment, short_lived_demo) as (app, pilot):
        await open_lesson(app, pilot, lesson)
        screen = app.screen
        assert isinstance(screen, StepScreen)
        panel = screen.query_one(LessonPanel)
        assert f"Lesson: {lesson.title}" in panel.text
        assert lesson.action in panel.text
        if lesson.key == "expired-code":
            moved_clock.advance(61)  # the demo's codes live 60 s
        if lesson.key == "slow-down":  # once taught, polling waits its (longer) interval
            app.session.sleep = wait_for_x
        for key in STEP_KEYS[lesson.key]:
            await pilot.press(key)
            if lesson.key != "slow-down":
                await settle(pilot)
        await wait_until(pilot, lambda: "Lesson done ✓" in panel.text, "the lesson caught")
        if lesson.key == "slow-down":  # a poll's answer, taught on the step, not an error
            assert SHOWN_ERROR[lesson.key] in str(screen.query_one("#result", Static).render())
            await pilot.press("x")  # stop polling
            await settle(pilot)
        else:
            assert SHOWN_ERROR[lesson.key] in screen.query_one(ErrorPanel).text
        assert lesson.rule in panel.text and lesson.rfc in panel.text
        assert lesson.attacker_gain in panel.text
        assert app.session.lesson is not None and not app.session.lesson.armed
        # Refused for the redirect_uri or verifier it altered: the code itself stays usable.
        assert app.session.code_usable() is (lesson.key in ("redirect-uri", "code-verifier"))
        creds = tomllib.loads(isolated_environment.read_text())
        assert creds["app"][PROGRESS_KEY] == [lesson.key]
        assert "app" not in CredsStore(isolated_environment).load()
        # The next step leaves the lesson behind: nothing is altered any more.
        await pilot.press("2")
        await settle(pilot)
        assert app.session.lesson is None


async def test_done_lessons_are_marked_and_a_code_sent_too_soon_misses(
    isolated_environment: Path, short_lived_demo: DemoServer
) -> None:
    expired = next(x for x in LESSONS if x.key == "expired-code")
    async with demo_wizard(isolated_environment, short_lived_demo) as (app, pilot):
        CredsStore(isolated_environment).update_app(**{PROGRESS_KEY: ["state"]})
        await open_lesson(app, pilot, expired)
        await pilot.press("enter")  # at once: the code is still good
        await settle(pilot)
        panel = app.screen.query_one(LessonPanel)
        await wait_until(pilot, lambda: "Lesson missed" in panel.text, "the lesson missed")
        assert app.session.state.token  # the exchange worked
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonsScreen), "the lessons")
        listing = app.screen.query_one("#lessons", OptionList)
        rows = [str(listing.get_option_at_index(i).prompt) for i in range(len(LESSONS))]
        assert rows[1] == "✓ Tamper with the state"
        assert rows[4] == "  Let a code expire"
        assert f"1 of {len(LESSONS)} done" in str(app.screen.sub_title)


def lessons_footer(app: OAuthDanceApp) -> str:
    return screen_text(app).splitlines()[-1]


async def test_the_lessons_footer_shows_what_enter_does(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    async with demo_wizard(isolated_environment, demo_server) as (app, pilot):
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonsScreen), "the lessons")
        await settle(pilot)
        assert "⏎ Start" in lessons_footer(app)
        assert "Press enter to start it" in str(app.screen.query_one("#lesson-text").render())


async def test_a_lesson_that_cannot_run_says_so_in_the_screen_not_over_the_list(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """On Spotify no lesson runs: the lesson's text says why, instead of promising that
    enter starts it; enter is not in the footer, and pressing it puts no toast over the
    list."""
    seed(
        isolated_environment,
        "spotify",
        client_id="0123456789abcdef0123456789abcdef",
        redirect_uri="http://127.0.0.1:8888/callback",
    )
    app = OAuthDanceApp(CredsStore(isolated_environment), "spotify", demo=demo_server)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonsScreen), "the lessons")
        await settle(pilot)
        text = " ".join(str(app.screen.query_one("#lesson-text").render()).split())
        assert "Lessons run on the demo provider, and this is Spotify" in text
        assert "Press enter to start it" not in text
        assert "Start" not in lessons_footer(app)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LessonsScreen)
        assert app.session.lesson is None
        assert not app.screen.query("Toast"), "no toast over the list"
        await pilot.press("escape")
        assert not isinstance(app.screen, LessonsScreen)


async def test_the_palette_opens_the_lessons(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    async with demo_wizard(isolated_environment, demo_server) as (app, pilot):
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Lessons", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonsScreen), "the lessons")


async def test_a_lesson_under_way_can_be_stopped(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    state = next(x for x in LESSONS if x.key == "state")
    async with demo_wizard(isolated_environment, demo_server) as (app, pilot):
        await open_lesson(app, pilot, state)
        await pilot.press("l", "x")
        await settle(pilot)
        assert app.session.lesson is None
        await pilot.press("escape", "g")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert all(panel.text == "" for panel in app.screen.query(ErrorPanel))
        assert not app.screen.query_one(LessonPanel).display
        assert app.session.state.code  # the redirect was taken as it came
        assert getattr(app.screen, "STEP", None) is Step.AUTHORIZE


def test_a_device_flow_lesson_names_the_device_flows_step() -> None:
    from tui.core.lessons import BY_KEY
    from tui.screens.lessons import lesson_details

    assert "on Poll (3): Press enter to poll." in str(
        lesson_details(BY_KEY["slow-down"], False, [])
    )
    assert "on Exchange (3):" in str(lesson_details(BY_KEY["code-reuse"], False, []))


async def test_a_lesson_says_before_and_after_what_of_your_settings_it_changes(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """The device flow chosen, then a code-flow lesson: the details say, before enter,
    that the device flow goes off and how to turn it on again; the lesson panel says it
    again once it changed, and x, which stops the lesson, that it stays off."""
    async with demo_wizard(isolated_environment, demo_server, flow="device") as (app, pilot):
        assert app.session.state.device_flow
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonsScreen), "the lessons")
        await settle(pilot)
        details = " ".join(str(app.screen.query_one("#lesson-text", Static).render()).split())
        assert "Changes your settings: the device flow goes off" in details, details
        assert "v on Credentials, 1, turns the device flow on again" in details
        assert app.session.state.device_flow, "nothing changed before enter"
        await pilot.press("enter")
        await settle(pilot)
        await wait_until(pilot, lambda: getattr(app.screen, "STEP", None) is Step.EXCHANGE, "3")
        assert not app.session.state.device_flow
        panel = " ".join(app.screen.query_one(LessonPanel).text.split())
        assert "Your settings changed (and saved): the device flow goes off" in panel, panel
        await press(pilot, "l", "x")  # stopped, the lesson says they stay so
        said = " ".join(str(app.screen.query_one("#lesson-problem", Static).render()).split())
        assert "Your settings stay as the lesson set them: the device flow goes off" in said
        assert "v on Credentials, 1, turns the device flow on again" in said
        assert not app.session.state.device_flow


STOPPED_KEYS = {
    "no-pkce": ("g",),  # the consent page
    "redirect-uri": ("enter",),
    "code-verifier": ("enter",),
    "refresh-reuse": (),  # the demo does not rotate: the setup revoked the refresh token
}
"""The lessons that alter the request their step prepares, and the keys that send it."""


def test_the_stopped_lessons_here_are_those_that_alter_a_prepared_request() -> None:
    altering = {x.key for x in LESSONS if x.tamper is not None and x.tamper.in_prepared_request}
    assert altering == set(STOPPED_KEYS)


@pytest.mark.parametrize("key", STOPPED_KEYS)
async def test_a_stopped_lesson_leaves_its_step_the_users_own_request(
    key: str, isolated_environment: Path, demo_server: DemoServer
) -> None:
    """l, the lesson, enter; l, x, escape: back on the lesson's step, its request is
    prepared again as the user's own (for the missing PKCE lesson, a new attempt, the
    user's client with its code_challenge), and sending it works."""
    lesson = BY_KEY[key]
    async with demo_wizard(isolated_environment, demo_server) as (app, pilot):
        await open_lesson(app, pilot, lesson)
        lesson_attempt = app.session.state.state
        await press(pilot, "l")
        assert isinstance(app.screen, LessonsScreen)
        await press(pilot, "x")
        said = str(app.screen.query_one("#lesson-problem", Static).render())
        assert said.startswith("Stopped"), said
        await press(pilot, "escape")
        screen = app.screen
        assert isinstance(screen, StepScreen) and screen.STEP is lesson.step
        assert app.session.lesson is None
        assert not screen.query(LessonPanel) or not screen.query_one(LessonPanel).display
        if key == "no-pkce":
            assert isinstance(screen, AuthorizeScreen) and screen.exchange is not None
            params = screen.exchange.request.url.params
            assert params["client_id"] == DEMO_CLIENT_ID
            assert "code_challenge" in params
            assert params["state"] == app.session.state.state != lesson_attempt
            assert "A new attempt" in said
            text = " ".join(screen_text(app).split())
            assert DEMO_PUBLIC_CLIENT_ID not in text
            assert f"client_id={DEMO_CLIENT_ID}" in text.replace(" ", "")
        if key == "refresh-reuse":  # the copy, revoked, is not offered: enter authorizes
            assert isinstance(screen, RefreshScreen) and screen.exchange is None
            assert not app.session.can_refresh() and "revoked" in said
            assert "Authorize (2)" in said and screen.next_step() is Step.AUTHORIZE
            return
        await press(pilot, *STOPPED_KEYS[key])
        sent = app.session.history[-1]
        assert sent.step is lesson.step and sent.error is None, sent.error
        assert sent.response is not None and sent.response.status_code == 200
        assert not screen.query(ErrorPanel) or not screen.query_one(ErrorPanel).text
