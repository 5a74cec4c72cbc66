"""The chrome, Textual's Header and Footer: what the footer shows at 80x24, clicks, the title.

The footer holds what matters most on each screen (its main action, `?`,
quit, the palette); every other key is in the `?` panel and the palette.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Footer, Header

from tests.app.test_app_snapshots import snapshot_app
from tests.app.wizard import WizardFactory, advance_to, make_app, press, settle, wait_until
from tests.screenshot import screen_text
from tui.core.steps import Step
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.widgets.explain_panel import ExplainPanel
from tui.widgets.key_list import KeyList
from tui.widgets.sidebar import StepList

EVERYWHERE = ("? Help", "^q Quit", "▏^p palette")


def footer(pilot: Pilot[None]) -> str:
    """The footer's line as the terminal shows it."""
    return screen_text(pilot.app).splitlines()[-1]


async def open_screen(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize(
    ("keys", "main"),
    [
        (("1",), ("⏎ Authorize", "e Edit")),
        (("2",), ("⏎ Exchange", "y Copy", "o Open")),
        (("3",), ("⏎ Send", "x Cancel")),
        (("4",), ("⏎ Send", "x Cancel")),
        (("5",), ("⏎ Send", "x Cancel")),
        (("h",), ("esc Back",)),
    ],
    ids=["credentials", "authorize", "exchange", "profile", "refresh", "history"],
)
async def test_at_80x24_the_footer_shows_the_main_action_help_quit_and_the_palette(
    isolated_environment: Path, keys: tuple[str, ...], main: tuple[str, ...]
) -> None:
    app = snapshot_app(isolated_environment)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, *keys)
        shown = footer(pilot)
        for key in (*main, *EVERYWHERE):
            assert key in shown, f"{key!r} not in {shown!r}"
        for hidden in ("Reveal", "History", "Sidebar", "Steps", "QR", "New"):
            assert hidden not in shown


async def test_the_credentials_form_footer_keeps_save_quit_and_the_palette(
    isolated_environment: Path,
) -> None:
    """A text field takes `?` as a character, so the footer does not offer it there."""
    app = snapshot_app(isolated_environment)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "1", "e")
        shown = footer(pilot)
        assert "^s Save & next" in shown and "^q Quit" in shown and "^p palette" in shown
        assert "? Help" not in shown


async def test_the_demo_consent_keys_fit_beside_help_and_quit(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
        assert "⏎ Consent" in footer(pilot)
        await pilot.press("g")
        await pilot.wait_for_scheduled_animations()
        for _ in range(200):
            if "⏎ Approve" in footer(pilot):
                break
            await pilot.pause()
        shown = footer(pilot)
        for key in ("g Consent", "⏎ Approve", "d Deny", *EVERYWHERE):
            assert key in shown, f"{key!r} not in {shown!r}"


async def test_a_click_on_a_footer_key_presses_it(isolated_environment: Path) -> None:
    app = snapshot_app(isolated_environment)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "3")
        assert not app.screen.query(ExplainPanel)
        await pilot.click(Footer, offset=(footer(pilot).index("? Help") + 1, 0))
        await pilot.pause()
        assert app.screen.query_one(ExplainPanel).display


async def test_the_palettes_help_command_does_what_the_help_key_does(
    isolated_environment: Path,
) -> None:
    app = snapshot_app(isolated_environment)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "3")
        assert not app.screen.query(ExplainPanel)
        await pilot.press("ctrl+p", *"Help")
        await wait_until(pilot, lambda: "and every key" in screen_text(app), "the Help command")
        await open_screen(pilot, "enter")
        assert app.screen.query_one(ExplainPanel).display


async def test_the_help_panel_lists_the_keys_the_footer_leaves_out(
    isolated_environment: Path,
) -> None:
    app = snapshot_app(isolated_environment)
    async with app.run_test(size=(120, 60)) as pilot:
        await open_screen(pilot, "3", "question_mark")
        await open_screen(pilot, "question_mark")  # shown again on a wide terminal
        panel = app.screen.query_one(ExplainPanel)
        panel.scroll_to_widget(panel.query_one(KeyList), animate=False, top=True)
        await pilot.pause()
        text = screen_text(app)
        for key in ("Reveal", "Copy curl", "Request/Response", "History", "Sidebar"):
            assert key in text, key


async def test_the_header_shows_the_step_and_provider_and_its_icon_opens_the_palette(
    isolated_environment: Path,
) -> None:
    app = snapshot_app(isolated_environment)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "3")
        assert "OAuth Dance — Exchange · Spotify" in screen_text(app).splitlines()[0]
        await pilot.click(Header, offset=(1, 0))
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"


async def test_the_step_list_focused_the_footer_offers_enter_to_open(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await advance_to(pilot, Step.CONSOLE)
        await press(pilot, "tab")
        assert isinstance(app.focused, StepList)
        shown = footer(pilot)
        for key in ("⏎ Open", *EVERYWHERE):
            assert key in shown, f"{key!r} not in {shown!r}"
        await press(pilot, "up", "enter")
        assert getattr(app.screen, "STEP", None) is Step.REFRESH
