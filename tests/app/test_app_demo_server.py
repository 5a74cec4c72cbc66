"""The wizard's own demo server: bound at start, serving from the first step that talks to it."""

from __future__ import annotations

from pathlib import Path

from tests.app.test_app_credentials import replace_field
from tests.app.wizard import free_port, seed, settle
from tui.app import OAuthDanceApp
from tui.core.store import CredsStore
from tui.screens.authorize import AuthorizeScreen
from tui.screens.credentials import CredentialsScreen


def own_demo_app(creds: Path) -> OAuthDanceApp:
    return OAuthDanceApp(CredsStore(creds), "demo")  # no server given: the app starts its own


async def test_credentials_does_not_load_the_server_and_authorize_does(
    isolated_environment: Path,
) -> None:
    app = own_demo_app(isolated_environment)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # every worker done: nothing is left that could start the server
        assert isinstance(app.screen, CredentialsScreen)
        assert app.demo is not None and app.demo.base_url  # its port is bound: URLs are known
        assert not app.demo.running
        await pilot.press("e")
        await replace_field(pilot, "redirect_uri", f"http://127.0.0.1:{free_port()}/callback")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
        assert app.demo.running
        await pilot.press("g")  # the consent page, from the server that just started
        await settle(pilot)
        assert [e.status_line for e in app.session.history] == ["200 OK"]
        demo = app.demo
    assert not demo.running  # stopped with the app


async def test_a_resumed_dance_serves_right_after_the_first_frame(
    isolated_environment: Path,
) -> None:
    seed(isolated_environment, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    app = own_demo_app(isolated_environment)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
        assert app.demo is not None and app.demo.running
        await pilot.press("1")
        await settle(pilot)
        assert app.demo.running  # going back to Credentials does not stop it


async def test_a_lesson_started_from_credentials_starts_the_server_first(
    isolated_environment: Path,
) -> None:
    """From Credentials (which leaves the server unstarted), a lesson's setup talks to it:
    opening the lessons starts it, or the setup would wait for a server that never
    answers."""
    from tests.app.wizard import wait_until
    from tui.core.steps import Step
    from tui.screens.lessons import LessonsScreen

    app = own_demo_app(isolated_environment)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        assert app.demo is not None and not app.demo.running
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonsScreen), "the lessons")
        assert app.demo.running
        await pilot.press("enter")  # the first lesson: a code set up, then Exchange
        await wait_until(
            pilot, lambda: getattr(app.screen, "STEP", None) is Step.EXCHANGE, "Exchange"
        )
