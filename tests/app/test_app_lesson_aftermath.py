"""What the steps say after a break-it lesson, stopped or done, at 80x24 on the demo
provider: the tokens its setup (or the provider, catching it) revoked are said dead,
the stopped lesson's step tells the truth at once, and what the setup sent shows as
sent."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.app.test_app_lessons import open_lesson
from tests.app.wizard import demo_wizard, press
from tests.screenshot import screen_text
from tui.core.lesson_setup import SETUP
from tui.core.lessons import BY_KEY
from tui.core.steps import Step
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.exchange import ExchangeScreen
from tui.screens.refresh import RefreshScreen
from tui.widgets.exchange_viewer import ExchangeViewer


def sidebar_token(app: object) -> str:
    expiry = app.screen.query_one("#expiry", Static)  # type: ignore[attr-defined]
    return " ".join(str(expiry.render()).split())


def flat(app: object) -> str:
    return " ".join(screen_text(app).split())  # type: ignore[arg-type]


def footer(app: object) -> str:
    return screen_text(app).splitlines()[-1]  # type: ignore[arg-type]


async def test_a_stopped_refresh_reuse_lesson_says_the_grant_is_revoked(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """l, Reuse a refresh token, enter; l, x, escape: Refresh says the setup revoked the
    refresh and access tokens, enter goes to Authorize (its footer says so); 5 opens
    Refresh (no "no refresh token" toast); the sidebar says the tokens are revoked."""
    async with demo_wizard(isolated_environment, demo_server, notifications=True) as (
        app,
        pilot,
    ):
        await open_lesson(app, pilot, BY_KEY["refresh-reuse"])
        await press(pilot, "l", "x", "escape")
        assert isinstance(app.screen, RefreshScreen)
        text = " ".join(str(app.screen.query_one("#result", Static).render()).split())
        assert "Settings incomplete" not in flat(app)
        assert "The lesson's setup revoked your refresh token, and with it your access" in text
        assert "authorize again" in text
        assert "⏎ Authorize" in footer(app), footer(app)
        assert sidebar_token(app) == "Access and refresh tokens revoked"
        await press(pilot, "4", "5")
        assert isinstance(app.screen, RefreshScreen)
        assert "brought no refresh token" not in flat(app)
        sent = len(app.session.history)
        await press(pilot, "enter")
        assert isinstance(app.screen, AuthorizeScreen)
        assert len(app.session.history) == sent, "nothing sent"


async def test_a_stopped_code_reuse_lesson_says_at_once_the_code_was_exchanged(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    async with demo_wizard(isolated_environment, demo_server) as (app, pilot):
        await open_lesson(app, pilot, BY_KEY["code-reuse"])
        await press(pilot, "l", "x", "escape")
        assert isinstance(app.screen, ExchangeScreen)
        text = flat(app)
        assert "This code was exchanged already" in text, text
        assert "built but not sent" not in text
        assert "⏎ Profile" in footer(app), footer(app)


async def test_the_sidebar_says_the_tokens_a_done_code_reuse_lesson_revoked(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    async with demo_wizard(isolated_environment, demo_server) as (app, pilot):
        await open_lesson(app, pilot, BY_KEY["code-reuse"])
        assert sidebar_token(app).endswith("left")
        await press(pilot, "enter")
        assert "Lesson done" in flat(app)
        assert sidebar_token(app) == "Access and refresh tokens revoked"
        await press(pilot, "4", "s")  # the provider agrees: 401
        assert "401" in flat(app)


async def test_every_exchange_of_a_setup_is_tagged_in_the_history(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    async with demo_wizard(isolated_environment, demo_server) as (app, pilot):
        await open_lesson(app, pilot, BY_KEY["code-reuse"])
        summaries = [e.summary for e in app.session.history]
        assert any("/callback" in line for line in summaries), summaries
        assert all(f"({SETUP})" in line for line in summaries), summaries


async def test_the_device_lessons_codes_show_as_sent_on_device_code(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    async with demo_wizard(isolated_environment, demo_server) as (app, pilot):
        await open_lesson(app, pilot, BY_KEY["slow-down"])
        await press(pilot, "2")
        assert getattr(app.screen, "STEP", None) is Step.AUTHORIZE
        text = flat(app)
        assert "Nothing sent yet" not in text, text
        viewer = app.screen.query_one(ExchangeViewer)
        assert viewer.exchange is not None and viewer.exchange.response is not None
        assert viewer.exchange.status_line == "200 OK"
