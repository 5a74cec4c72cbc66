"""Tokens known dead are said so on every step that shows or sends them, before
anything is sent: Exchange's summary after a lesson revoked them, Profile and Call API
after the provider revoked them, and, after a restart, the tokens of the demo server's
last run (kept: sending them shows the refusal)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.app.test_app_lesson_aftermath import flat, footer, sidebar_token
from tests.app.test_app_lessons import open_lesson
from tests.app.test_app_resume import own_demo_app
from tests.app.wizard import advance_to, demo_wizard, free_port, press, seed, settle
from tests.faults.faultapp import panel_text
from tui.core.lessons import BY_KEY
from tui.core.steps import Step
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.console import ConsoleScreen
from tui.screens.profile import ProfileScreen


def result(app: object) -> str:
    shown = app.screen.query_one("#result", Static)  # type: ignore[attr-defined]
    return " ".join(str(shown.render()).split())


async def test_exchange_says_the_tokens_a_refresh_reuse_lesson_revoked(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """grant, l, Reuse a refresh token, enter (caught), 3: the summary says the tokens
    are revoked (by the provider, catching the reuse), not held; enter goes to Authorize."""
    async with demo_wizard(isolated_environment, demo_server) as (app, pilot):
        await advance_to(pilot, Step.EXCHANGE)
        await press(pilot, "s")
        await open_lesson(app, pilot, BY_KEY["refresh-reuse"])
        await press(pilot, "enter")
        assert "Lesson done" in flat(app), flat(app)
        await press(pilot, "3")
        text = result(app)
        assert "characters (masked)" not in text, text
        assert "Access token revoked by the provider: no longer works" in text, text
        assert "Refresh token revoked by the provider: no longer works" in text, text
        assert "⏎ Authorize" in footer(app), footer(app)
        sent = len(app.session.history)
        await press(pilot, "enter")
        assert isinstance(app.screen, AuthorizeScreen)
        assert len(app.session.history) == sent, "nothing sent"


async def test_profile_and_call_api_say_a_revoked_token_is_dead_before_sending(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """Reuse a code caught: 4 and 6 say the provider revoked the tokens, ⏎ Authorize;
    s on Profile still sends the token, and the provider refuses it."""
    async with demo_wizard(isolated_environment, demo_server) as (app, pilot):
        await open_lesson(app, pilot, BY_KEY["code-reuse"])
        await press(pilot, "enter")
        assert "Lesson done" in flat(app), flat(app)
        for key, screen in (("6", ConsoleScreen), ("4", ProfileScreen)):
            await press(pilot, key)
            assert isinstance(app.screen, screen)
            said = "The provider revoked your refresh token, and with it your access token"
            assert said in result(app), result(app)
            assert "to go to Authorize (2)" in result(app), result(app)
            assert "⏎ Authorize" in footer(app), footer(app)
        await press(pilot, "s")
        assert "401" in flat(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, AuthorizeScreen)


async def test_after_a_restart_the_demos_last_run_tokens_are_said_dead(
    isolated_environment: Path,
) -> None:
    """grant, quit, start again (its own demo server, afresh): the sidebar says the tokens
    are the last run's, refused, not a countdown; Profile says so before sending; s
    sends them (kept in the file), to see the refusal."""
    creds = isolated_environment
    seed(creds, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    app = own_demo_app(creds)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await advance_to(pilot, Step.PROFILE)
        token = app.session.state.token
        assert sidebar_token(app).endswith("left")
    app = own_demo_app(creds)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        assert app.session.state.token == token, "kept"
        said = sidebar_token(app)
        assert "left" not in said, said
        assert said == "Access and refresh tokens from the demo server's last run: refused"
        assert "The demo server's last run issued your tokens" in result(app), result(app)
        assert "⏎ Authorize" in footer(app), footer(app)
        await press(pilot, "s")
        assert "401" in flat(app), panel_text(app)
