"""Exporting the transcript by keys: x in History, or the command palette; the files are
written 0600 and their paths shown."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input, Static

from tests.app.wizard import WizardFactory, paste, settle, wait_until
from tests.faults.faultapp import toasts
from tests.screenshot import screen_text
from tui.core.steps import Step
from tui.screens.export import ExportScreen
from tui.screens.history import HistoryScreen


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, under which a file is created 0644 unless asked otherwise."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def shown_result(app: App[None]) -> str:
    """The modal's report of the files written (a long path wraps on screen)."""
    done = app.screen.query_one("#done", Static)
    return str(done.render()) if done.display else ""


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_x_in_history_writes_both_files_0600_next_to_the_creds_and_shows_where(
    wizard: WizardFactory, isolated_environment: Path, umask_022: None
) -> None:
    async with wizard() as (app, pilot):
        for key in ("g", "a", "3", "s"):  # consent, approve, exchange, send
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History")
        assert "x Export" in screen_text(app).splitlines()[-1]
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the export")
        default = app.screen.query_one(Input).value
        assert Path(default).parent == isolated_environment.parent
        await pilot.press("enter")
        har, md = Path(default + ".har"), Path(default + ".md")
        await wait_until(pilot, lambda: har.exists() and md.exists(), "both files")
        assert private(har) and private(md)
        assert "Written (mode 0600)" in screen_text(app)
        assert f"{har}\n  {md}" in shown_result(app)
        assert not any(str(har) in toast for toast in toasts(app)), "shown above: no toast"
        assert "GET /callback" in md.read_text(), "the browser's redirect is in it"
        entries = json.loads(har.read_text())["log"]["entries"]
        callback = next(e for e in entries if "/callback" in e["request"]["url"])
        # g played the browser: the URL came from the provider's 302, nothing was pasted.
        assert "pasted" not in callback["comment"], callback["comment"]
        assert "took this URL from the Location" in callback["comment"]
        await pilot.press("enter")  # Close
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen), "back")


async def test_the_palette_exports_to_the_path_typed(
    wizard: WizardFactory, tmp_path: Path, umask_022: None
) -> None:
    async with wizard() as (app, pilot):
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("ctrl+p", *"export transcript")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the export")
        field = app.screen.query_one(Input)
        assert field.has_focus
        field.value = ""
        await pilot.press(*str(tmp_path / "mine.har"), "enter")
        har, md = tmp_path / "mine.har", tmp_path / "mine.md"
        await wait_until(pilot, lambda: md.exists(), "the files")
        assert private(har) and private(md)
        assert str(md) in shown_result(app)


async def test_an_existing_file_is_said_and_the_path_can_be_changed(
    wizard: WizardFactory, tmp_path: Path
) -> None:
    (tmp_path / "taken.md").write_text("mine")
    async with wizard() as (app, pilot):
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("h", "x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the export")
        app.screen.query_one(Input).value = str(tmp_path / "taken")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "exists already" in screen_text(app), "the refusal")
        assert (tmp_path / "taken.md").read_text() == "mine"
        assert not (tmp_path / "taken.har").exists()
        await pilot.press("end", *"-2", "enter")
        await wait_until(pilot, lambda: (tmp_path / "taken-2.md").exists(), "the files")


async def test_a_name_too_long_is_said_in_the_dialog_and_the_wizard_goes_on(
    wizard: WizardFactory, tmp_path: Path
) -> None:
    async with wizard() as (app, pilot):
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("h", "x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the export")
        await pilot.press("ctrl+a", "ctrl+k")
        await paste(pilot, f"{tmp_path}/{'n' * 300}")  # pasted: 300 key presses take seconds
        await pilot.press("enter")
        await wait_until(pilot, lambda: "File name too long" in screen_text(app), "the refusal")
        assert isinstance(app.screen, ExportScreen) and app.is_running
        await pilot.press("ctrl+a", "ctrl+k", *f"{tmp_path}/short", "enter")
        await wait_until(pilot, lambda: (tmp_path / "short.md").exists(), "the files")


async def test_escape_closes_and_nothing_to_export_is_said(wizard: WizardFactory) -> None:
    async with wizard() as (app, pilot):
        assert not app.session.history
        await pilot.press("h", "x")
        await wait_until(pilot, lambda: toasts(app), "a toast")
        assert any("No exchange to export yet" in t for t in toasts(app))
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape", "g")
        await settle(pilot)
        await pilot.press("h", "x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the export")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen), "back")
        assert Step.AUTHORIZE in {e.step for e in app.session.history}


async def test_the_dialog_footer_shows_its_own_keys_and_typing_adds_to_the_path(
    wizard: WizardFactory,
) -> None:
    """The path is not selected as a whole: a key typed goes at its end, `?` included
    (a path may hold one; the footer does not offer it), and the footer is the dialog's."""
    async with wizard() as (app, pilot):
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("h", "x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the export")
        field = app.screen.query_one(Input)
        suggested = field.value
        footer = screen_text(app).splitlines()[-1]
        assert "esc Close" in footer, footer
        assert "Back" not in footer and "?" not in footer, footer
        await pilot.press("question_mark")
        await settle(pilot)
        assert field.value == suggested + "?"
