"""The palette's Keys at 80x24: it opens the ``?`` panel (what is happening, then every
key), so the footer keeps the step's main action, ``?``, the palette and quit, and the
step keeps its width, on every step of both flows, with ``?`` pressed as well or not."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import HelpPanel

from tests.app.wizard import DANCE_KEYS, demo_wizard, press, settle, wait_until
from tests.screenshot import screen_text
from tui.core.steps import Step
from tui.demo import DemoServer
from tui.screens.base import StepScreen
from tui.screens.help import HelpScreen
from tui.screens.history import HistoryScreen
from tui.widgets.explain_panel import ExplainPanel

EVERYWHERE = ("? Help", "^q Quit", "▏^p palette")

DEVICE_KEYS: dict[Step, tuple[str, ...]] = {
    Step.AUTHORIZE: ("2",),
    Step.EXCHANGE: ("2", "enter", "3"),
}
"""The device flow's own step screens: its device codes asked for, then its polling."""


def footer(pilot: Pilot[None]) -> str:
    return screen_text(pilot.app).splitlines()[-1]


async def open_keys_from_the_palette(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+p", *"keys")
    await wait_until(pilot, lambda: "Keys" in screen_text(pilot.app), "the Keys command")
    await press(pilot, "enter")


def panel_shown(pilot: Pilot[None]) -> bool:
    panels = pilot.app.screen.query(ExplainPanel)
    return bool(panels) and panels.first().display


def check_chrome(pilot: Pilot[None], step: Step, how: str) -> None:
    """The footer's main action and the keys shown everywhere; the step at its width."""
    screen = pilot.app.screen
    assert isinstance(screen, StepScreen) and screen.STEP is step, (screen, how)
    shown = footer(pilot)
    for key in ("⏎ ", *EVERYWHERE):
        assert key in shown, f"{how}: {key!r} not in {shown!r}"
    main = screen.query_one("#main")
    assert main.size.width >= 80 - 34 - 1, f"{how}: the step squeezed to {main.size.width}"


@pytest.mark.parametrize(
    ("flow", "step"),
    [*(("code", step) for step in DANCE_KEYS), *(("device", step) for step in DEVICE_KEYS)],
    ids=lambda value: str(getattr(value, "value", value)),
)
async def test_the_palettes_keys_opens_the_help_panel_and_the_footer_keeps_its_keys(
    isolated_environment: Path, demo_server: DemoServer, flow: str, step: Step
) -> None:
    keys = (DANCE_KEYS if flow == "code" else DEVICE_KEYS)[step]
    async with demo_wizard(isolated_environment, demo_server, flow=flow) as (_app, pilot):
        await press(pilot, *keys)
        check_chrome(pilot, step, "as it opens")

        await open_keys_from_the_palette(pilot)
        check_chrome(pilot, step, "Keys opened from the palette")
        assert panel_shown(pilot), "Keys shows the ? panel, every key in it"

        await press(pilot, "question_mark")  # the same panel: ? closes it
        check_chrome(pilot, step, "Keys, then ?")
        assert not panel_shown(pilot)

        await press(pilot, "question_mark")
        await open_keys_from_the_palette(pilot)  # the panel shown: Keys hides it
        check_chrome(pilot, step, "?, then Keys")
        assert not panel_shown(pilot)
        await settle(pilot)


async def test_off_a_step_the_palettes_keys_opens_the_screens_help(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """History is no step: Keys opens its help (its keys listed), as ``?`` does, and
    Textual's keys panel never splits the screen."""
    async with demo_wizard(isolated_environment, demo_server) as (app, pilot):
        await press(pilot, "h")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        await open_keys_from_the_palette(pilot)
        assert isinstance(app.screen, HelpScreen) and app.screen.about is history
        await open_keys_from_the_palette(pilot)  # shown: Keys hides it
        assert app.screen is history
        assert not history.query(HelpPanel)
        for key in ("esc Back", *EVERYWHERE):
            assert key in footer(pilot), footer(pilot)
