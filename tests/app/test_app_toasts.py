"""Toasts say what no panel says, one per action, and never cover a modal's buttons:
PAR's push, the export dialog (see test_app_reach's test_toasts_never_cover_the_step)."""

from __future__ import annotations

from pathlib import Path

from textual.containers import Horizontal

from tests.app.test_app_authorize import open_authorize, paste
from tests.app.test_app_reach import SMALL, toast_texts, toasts_shown
from tests.app.wizard import (
    FAR_FUTURE,
    WizardFactory,
    free_port,
    made_up_redirect,
    make_app,
    press,
    seed,
    settle,
    wait_until,
)
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.exchange import ExchangeScreen
from tui.screens.export import ExportScreen
from tui.screens.history import HistoryScreen
from tui.screens.lessons import LessonsScreen


async def test_par_push_leaves_one_toast_at_most(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert len(toasts_shown(app)) <= 1, toast_texts(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.state.request_uri
        assert len(toasts_shown(app)) <= 1, toast_texts(app)
        main = app.screen.query_one("#main").region
        assert not any(toast.region.overlaps(main) for toast in toasts_shown(app))


async def test_code_received_is_said_by_the_status_not_a_toast_too(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await paste(pilot, made_up_redirect(app, "a-made-up-code"))
        assert app.session.state.code
        assert "Code received" not in toast_texts(app)


async def test_toasts_never_cover_the_export_dialog(
    isolated_environment: Path, demo_server: DemoServer, tmp_path: Path
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await paste(pilot, made_up_redirect(app, "a-made-up-code"))
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History")
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the dialog")
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        assert "Written" in str(dialog.query_one("#done").render())
        box = dialog.query_one("Vertical").region
        buttons = dialog.query_one(Horizontal).region
        assert buttons.height and box.contains_region(buttons)
        for toast in toasts_shown(app):
            assert not toast.region.overlaps(box), toast_texts(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen), "closed")


async def test_a_steps_toasts_replace_each_other_and_a_lesson_adds_none(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """A 401 then a refused refresh on Call API: one toast, the newer; a lesson caught on
    its step: the error's toast only (the lesson panel says it is done). The sidebar's
    step list and countdown stay mostly in view."""
    seed(
        isolated_environment,
        "demo",
        redirect_uri=f"http://127.0.0.1:{free_port()}/callback",
        token="a-token-the-demo-never-issued",
        refresh="a-refresh-token-the-demo-never-issued",
        expires=FAR_FUTURE,
    )
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        for key in ("6", "enter", "enter"):  # a 401, then Refresh & retry: invalid_grant
            await pilot.press(key)
            await settle(pilot)
        assert len(toasts_shown(app)) == 1, toast_texts(app)
        assert "invalid_grant" in toast_texts(app)

        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonsScreen), "the lessons")
        await pilot.press("enter")  # Reuse a code: set up, on Exchange
        await settle(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, ExchangeScreen), "Exchange")
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.lesson is not None and app.session.lesson.caught is not None
        assert "Lesson done" not in toast_texts(app)
        assert len(toasts_shown(app)) == 1, toast_texts(app)


async def test_a_step_not_open_yet_is_not_said_once_it_opens(wizard: WizardFactory) -> None:
    """Saving without a client id: "Authorize is not open yet". With one typed, ctrl+s
    opens Authorize, and that toast, now untrue, goes with the form it was said on."""
    async with wizard(size=(80, 24), notifications=True) as (app, pilot):
        await press(pilot, "1", "e")
        assert isinstance(app.screen, CredentialsScreen)
        assert app.focused is not None and app.focused.id == "client_id"
        await press(pilot, "end", "ctrl+u", "ctrl+s")
        assert "Authorize is not open yet" in toast_texts(app)
        await press(pilot, *"my-app", "ctrl+s")
        assert isinstance(app.screen, AuthorizeScreen)
        assert app.session.state.client_id == "my-app"
        assert "not open yet" not in toast_texts(app)
        assert not [n for n in app.toasts if "not open yet" in n.title]
