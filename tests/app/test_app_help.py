"""``?`` shows help on every screen whose footer offers it, not only on the steps:
History, Lessons, the ID token, Export and the full-screen QR code each open their help
(what the screen is for, and its keys), and ``?`` or ``esc`` closes it."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.app.wizard import WizardFactory, advance_to, press, wait_until
from tests.screenshot import screen_text
from tui.core.steps import Step
from tui.screens.export import ExportScreen
from tui.screens.help import HelpScreen


async def help_shows(pilot: Pilot[None], name: str, *keys: str) -> None:
    """``?`` opens the help of the screen shown (its name, its own keys), ``?`` closes it."""
    under = pilot.app.screen
    await press(pilot, "question_mark")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), f"{name}'s help")
    text = screen_text(pilot.app)
    assert f"Help · {name}" in text, text
    for key in keys:
        assert key in text, text
    await press(pilot, "question_mark")
    assert pilot.app.screen is under


async def test_question_mark_shows_help_on_history_and_lessons(wizard: WizardFactory) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await advance_to(pilot, Step.PROFILE)
        await press(pilot, "h")
        assert "? Help" in screen_text(app)
        await help_shows(pilot, "History", "Export Write these exchanges")
        await press(pilot, "escape", "l")
        assert "? Help" in screen_text(app)
        await help_shows(pilot, "Lessons", "Back to the step")
        await press(pilot, "question_mark", "escape")  # esc closes the help too
        assert type(app.screen).__name__ == "LessonsScreen"


async def test_question_mark_shows_help_on_the_id_token_export_and_qr(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24), scope="openid user-read-email") as (app, pilot):
        await advance_to(pilot, Step.PROFILE)
        await press(pilot, "i")
        assert "? Help" in screen_text(app)
        await help_shows(pilot, "ID token", "Fetch keys")
        await press(pilot, "escape", "h", "x")
        assert isinstance(app.screen, ExportScreen)
        await press(pilot, "tab")  # out of the path field, where ? is typed
        await help_shows(pilot, "Export", "Close without exporting")
        await press(pilot, "escape", "escape", "2", "f")
        assert "? help" in screen_text(app)
        await help_shows(pilot, "QR code", "Close")


def help_box_fits_between_header_and_footer(pilot: Pilot[None], name: str) -> None:
    lines = screen_text(pilot.app).splitlines()
    assert "OAuth Dance" in lines[0] and "Help ·" not in lines[0], lines[0]
    assert f"Help · {name}" in lines[1], lines[1]
    for key in ("esc Back", "^q Quit", "▏^p palette"):
        assert key in lines[-1], lines[-1]
    assert "esc or ? closes" in lines[-2], lines[-2]


async def test_the_help_box_leaves_the_header_and_footer_whole_at_80x24(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await advance_to(pilot, Step.PROFILE)
        for screen, name in (("h", "History"), ("l", "Lessons")):
            await press(pilot, screen, "question_mark")
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), f"{name}'s help")
            help_box_fits_between_header_and_footer(pilot, name)
            await press(pilot, "escape", "escape")
        await press(pilot, "h", "ctrl+p", *"Keys", "enter")  # the palette's Keys: the same box
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the Keys command")
        help_box_fits_between_header_and_footer(pilot, "History")
