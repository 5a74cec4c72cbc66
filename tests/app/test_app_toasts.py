"""Toasts say what no panel says, one per action, and never cover a modal's buttons:
PAR's push, the export dialog (see test_app_reach's test_toasts_never_cover_the_step)."""

from __future__ import annotations

from pathlib import Path

from textual.containers import Horizontal

from tests.app.test_app_authorize import open_authorize, paste
from tests.app.test_app_reach import SMALL, toast_texts, toasts_shown
from tests.app.wizard import made_up_redirect, settle, wait_until
from tui.demo import DemoServer
from tui.screens.export import ExportScreen
from tui.screens.history import HistoryScreen


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
