"""The device flow (RFC 8628) in the wizard, by keys: choose it, get the codes, play the
browser on the demo's verification page, poll, and go on to Profile. Time between polls
is moved, never waited for."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import Static

from tests.app.test_app_console import enter_label
from tests.app.test_app_id_token import open_id_token, report_text
from tests.app.test_app_key_list import first, panel_lines
from tests.app.wizard import (
    MovedClock,
    WizardFactory,
    demo_wizard,
    press,
    settle,
    wait_until,
)
from tests.screenshot import screen_text
from tui.app import OAuthDanceApp
from tui.core.steps import Step
from tui.demo import DemoServer
from tui.screens.device import DeviceScreen
from tui.screens.poll import PollScreen
from tui.widgets.error_panel import ErrorPanel
from tui.widgets.settings_summary import SettingsSummary

KEY_NAMES = {"-": "minus"}


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*(KEY_NAMES.get(ch, ch) for ch in text))


async def to_device_code(app: OAuthDanceApp, pilot: Pilot[Any]) -> None:
    """From Authorize: Credentials, v (the device flow), enter (Device code), enter (send)."""
    for key in ("1", "v", "enter", "enter"):
        await pilot.press(key)
        await settle(pilot)
    assert isinstance(app.screen, DeviceScreen)
    assert app.session.state.user_code


def shown(app: OAuthDanceApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def summary_text(app: OAuthDanceApp) -> str:
    """The settings summary's rows, as words."""
    rows = app.screen.query_one(SettingsSummary).rows
    return " ".join(f"{label} {value}" for label, value in rows)


async def test_a_keyboard_user_completes_the_demo_dance_by_the_device_flow(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await to_device_code(app, pilot)
        user_code, device_code = app.session.state.user_code, app.session.state.device_code
        assert " ".join(user_code) in shown(app, "#user-code")
        await pilot.press("g")  # the verification page: it asks for the code
        await settle(pilot)
        await type_text(pilot, user_code)
        await pilot.press("enter")  # the consent page: Approve or Deny
        await settle(pilot)
        assert "Approve only if your device shows this code" in shown(app, "#page")
        await pilot.press("a")
        await settle(pilot)
        assert "Device approved" in shown(app, "#page")
        await pilot.press("enter")  # on to Poll
        await settle(pilot)
        assert isinstance(app.screen, PollScreen)
        await pilot.press("enter")  # poll: the user approved already, so the tokens come
        await settle(pilot)
        assert app.session.state.token
        await pilot.press("enter")  # on to Profile
        await settle(pilot)
        assert getattr(app.screen, "STEP", None) is Step.PROFILE
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.state.profile_fetched
        polls = [e for e in app.session.history if e.purpose == "poll"]
        assert len(polls) == 1
        assert device_code not in polls[0].request_view()


class Time:
    """One clock for the demo server and the session, moved by the wizard's waits between
    polls (which return at once); ``on_wait`` plays the user meanwhile."""

    def __init__(self, clock: MovedClock, app: OAuthDanceApp) -> None:
        self.clock, self.waits = clock, list[float]()
        self.start = datetime.now(UTC)
        self.on_wait: list[Callable[[], object]] = []
        app.session.clock = lambda: self.start + timedelta(seconds=clock.now - 1000.0)
        app.session.sleep = self.sleep

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(seconds)
        if self.on_wait:
            self.on_wait.pop(0)()


def decide_in_browser(app: OAuthDanceApp, decision: str) -> Callable[[], object]:
    """What the user does in a browser meanwhile: Approve or Deny on the verification page."""
    state = app.session.state

    def decide() -> None:
        with httpx.Client(trust_env=False) as browser:
            url = httpx.URL(state.verification_uri).join("/device/decision")
            answer = browser.post(url, data={"user_code": state.user_code, "decision": decision})
            assert answer.status_code == 200, answer.text

    return decide


@contextlib.asynccontextmanager
async def polling_wizard(
    creds: Path, clock: MovedClock, **options: Any
) -> AsyncIterator[tuple[OAuthDanceApp, Pilot[None], Time]]:
    """The wizard on a demo server of ``clock``, on Poll (by its key: not polling yet)
    with the codes asked for."""
    with DemoServer(port=0, clock=clock, **options) as demo:
        async with demo_wizard(creds, demo) as (app, pilot):
            time = Time(clock, app)
            await to_device_code(app, pilot)
            await pilot.press("3")
            await settle(pilot)
            assert isinstance(app.screen, PollScreen)
            yield app, pilot, time


def poll_answers(app: OAuthDanceApp) -> list[str]:
    """Each poll's answer: its error code, or "tokens"."""
    answers = []
    for exchange in app.session.history:
        if exchange.purpose == "poll":
            assert exchange.response is not None
            answers.append(exchange.response.json().get("error", "tokens"))
    return answers


async def test_polling_waits_the_interval_while_pending_then_takes_the_tokens(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    async with polling_wizard(isolated_environment, moved_clock) as (app, pilot, time):
        time.on_wait = [lambda: None, decide_in_browser(app, "Approve")]
        await pilot.press("enter")
        await settle(pilot)
        assert poll_answers(app) == ["authorization_pending", "authorization_pending", "tokens"]
        assert time.waits == [5, 5]
        assert app.session.state.token
        await pilot.press("enter")
        await settle(pilot)
        assert getattr(app.screen, "STEP", None) is Step.PROFILE


async def test_slow_down_adds_five_seconds_to_every_later_wait(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    async with polling_wizard(isolated_environment, moved_clock, slow_down_once=True) as (
        app,
        pilot,
        time,
    ):
        time.on_wait = [lambda: None, decide_in_browser(app, "Approve")]
        await pilot.press("enter")
        await settle(pilot)
        assert poll_answers(app) == ["slow_down", "authorization_pending", "tokens"]
        assert time.waits == [10, 10]


def expire_at_the_provider(app: OAuthDanceApp) -> Callable[[], object]:
    """The provider ends the codes early, before the lifetime it gave (its expires_in)."""

    def expire() -> None:
        assert app.demo is not None and app.demo.store is not None
        record = app.demo.store.device(app.session.state.device_code)
        assert record is not None
        record.expires_at = app.demo.store.now()

    return expire


async def test_expired_codes_end_polling_with_the_explanation(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    async with polling_wizard(isolated_environment, moved_clock) as (app, pilot, time):
        time.on_wait = [expire_at_the_provider(app)]
        await pilot.press("enter")
        await settle(pilot)
        assert poll_answers(app) == ["authorization_pending", "expired_token"]
        assert not app.session.state.token
        panel = app.screen.query_one(ErrorPanel).text
        assert "expired_token" in panel
        assert "Ask for new codes" in panel


async def test_denied_on_the_verification_page_ends_polling(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    async with polling_wizard(isolated_environment, moved_clock) as (app, pilot, time):
        time.on_wait = [decide_in_browser(app, "Deny")]
        await pilot.press("enter")
        await settle(pilot)
        assert poll_answers(app) == ["authorization_pending", "access_denied"]
        assert not app.session.state.token
        await pilot.press("enter")  # the codes are over: enter goes for new ones
        await settle(pilot)
        assert isinstance(app.screen, DeviceScreen)
        assert poll_answers(app) == ["authorization_pending", "access_denied"]


async def test_x_stops_polling_during_the_wait(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    async with polling_wizard(isolated_environment, moved_clock) as (app, pilot, _time):
        forever = asyncio.Event()

        async def never(seconds: float) -> None:
            await forever.wait()

        app.session.sleep = never
        await pilot.press("enter")
        await wait_until(pilot, lambda: poll_answers(app), "the first poll's answer")
        await pilot.press("x")
        await settle(pilot)
        assert poll_answers(app) == ["authorization_pending"]
        assert "Polling stopped" in shown(app, "#result")


async def test_poll_says_a_revoked_access_token_is_no_longer_held(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    async with polling_wizard(isolated_environment, moved_clock) as (app, pilot, _time):
        decide_in_browser(app, "Approve")()
        await pilot.press("enter")  # poll: the tokens
        await settle(pilot)
        assert app.session.state.token
        for key in ("7", "enter", "3"):  # the access token revoked, then back to Poll
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, PollScreen)
        said = " ".join(shown(app, "#result").split())
        assert "Access token revoked (RFC 7009): no longer held" in said, said
        assert "0 characters" not in said


async def test_v_is_in_the_footer_and_the_help_saying_which_flow_it_switches_to(
    wizard: WizardFactory,
) -> None:
    """On Credentials at 80 columns the footer shows v beside the step's main action,
    ?, quit and the palette; the label says where v goes; the help explains it."""
    async with wizard(size=(80, 24)) as (app, pilot):
        await pilot.press("1")
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        for key in ("⏎ Authorize", "v Device flow", "? Help", "^q Quit", "^p palette"):
            assert key in footer, footer
        assert "v switches to the device flow" in summary_text(app)
        await pilot.press("question_mark")
        await settle(pilot)
        lines = await panel_lines(pilot)
        said = " ".join(lines[first(lines, "Device flow") :][:5])
        assert "switch to the device flow (RFC 8628)" in said, lines
        await pilot.press("question_mark", "v")
        await settle(pilot)
        assert app.session.state.device_flow
        footer = screen_text(app).splitlines()[-1]
        assert "v Redirect flow" in footer and "^p palette" in footer, footer
        assert "v switches back to the redirect" in summary_text(app)


async def test_polling_stops_by_itself_when_the_codes_countdown_ends(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    """The codes live 600 s (the demo's expires_in). The last wait is cut to the seconds
    left; then polling stops without asking the provider, says why and how to get new
    codes, and enter goes to Device code for them."""
    async with polling_wizard(isolated_environment, moved_clock) as (app, pilot, time):
        time.on_wait = [lambda: moved_clock.advance(592)]  # 597 s gone after the 1st wait
        await pilot.press("enter")
        await settle(pilot)
        assert poll_answers(app) == ["authorization_pending", "authorization_pending"]
        assert time.waits == [5, 3], "the last wait ends when the codes do"
        assert not app.screen.workers, "polling stopped by itself"
        assert "Polling stopped: the codes expired." in shown(app, "#result")
        panel = " ".join(app.screen.query_one(ErrorPanel).text.split())
        assert "The device code and the user code expired: their expires_in ran out" in panel, panel
        assert "Press enter for Device code, then enter again for new codes" in panel
        assert enter_label(pilot) == "New codes"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DeviceScreen)
        await pilot.press("enter")  # the POST that asks for new codes, sent
        await settle(pilot)
        assert app.session.device_seconds_left() == 600


async def test_poll_opened_after_the_codes_expired_says_so_and_sends_nothing(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    async with polling_wizard(isolated_environment, moved_clock) as (app, pilot, _time):
        await pilot.press("2")
        await settle(pilot)
        moved_clock.advance(600)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, PollScreen)
        panel = " ".join(app.screen.query_one(ErrorPanel).text.split())
        assert "The device code and the user code expired" in panel, panel
        await pilot.press("s")
        await settle(pilot)
        assert poll_answers(app) == [], "no poll with expired codes"


async def test_with_openid_the_device_flow_ends_in_a_verified_id_token(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24), scope="openid user-read-email") as (app, pilot):
        await to_device_code(app, pilot)
        decide_in_browser(app, "Approve")()
        await press(pilot, "enter")  # Poll, polling at once: the user approved already
        assert isinstance(app.screen, PollScreen)
        assert app.session.state.token and app.session.state.id_token
        screen = await open_id_token(pilot)
        assert screen.report is not None and screen.report.verified
        text = report_text(app)
        assert "✓ ID token verified" in text and "✗" not in text, text
        assert "No nonce was sent, and the token has none." in text
