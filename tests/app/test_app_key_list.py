"""The help panel's key list (``?``): the step's own keys first, then the focused
widget's (scrolling, paging), then the app's."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.app.wizard import WizardFactory, settle
from tests.screenshot import screen_text
from tui.widgets.explain_panel import ExplainPanel


async def panel_lines(pilot: Pilot[None]) -> list[str]:
    """The help panel's rows as the screen shows them, paged through to its end."""
    app = pilot.app
    panel = app.screen.query_one(ExplainPanel)
    region = panel.content_region
    panel.scroll_home(animate=False)
    await pilot.pause()
    lines: list[str] = []
    for _ in range(20):
        rows = screen_text(app).splitlines()[region.y : region.bottom]
        lines += [row[region.x : region.right].strip() for row in rows]
        if panel.scroll_y >= panel.max_scroll_y:
            return lines
        panel.scroll_to(y=panel.scroll_y + region.height, animate=False)
        await pilot.pause()
    raise AssertionError("the panel never reached its end")


def first(lines: list[str], words: str) -> int:
    return next(i for i, line in enumerate(lines) if words in line)


async def test_the_steps_own_keys_come_before_scrolling_and_focus_keys(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (_app, pilot):
        await pilot.press("question_mark")
        await settle(pilot)
        lines = await panel_lines(pilot)
        keys = lines[first(lines, "Keys") :]
        own = first(keys, "Consent")
        assert own < first(keys, "Scroll up"), keys
        assert own < first(keys, "Page down"), keys
        assert first(keys, "New") < first(keys, "Scroll up"), keys
        assert first(keys, "Scroll up") < first(keys, "Quit"), "the app's keys come last"

        await pilot.press("p")  # the paste field: its keys join the list, after the step's
        await settle(pilot)
        lines = await panel_lines(pilot)
        keys = lines[first(lines, "Keys") :]
        assert first(keys, "Leave field") < first(keys, "Move cursor left") < first(keys, "Quit")
