"""The viewer's tabs: the same cells as Textual's tabs, and a click chooses a pane."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import Tab, Tabs

from tests.widgets.test_footer import seen
from tui.widgets.pane_tabs import PaneTabs

PANES = [("request", "Request"), ("response", "Response")]


class TabsApp(App[None]):
    def __init__(self, ours: bool, active: str) -> None:
        super().__init__()
        self.ours = ours
        self.active = active
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        if self.ours:
            yield PaneTabs(PANES, self.active)
        else:
            tabs = Tabs(*[Tab(label, id=pane) for pane, label in PANES], active=self.active)
            tabs.can_focus = False
            yield tabs

    def on_pane_tabs_chosen(self, event: PaneTabs.Chosen) -> None:
        self.chosen.append(event.pane)


def rows(app: App[None]) -> list[list[tuple[str, object]]]:
    strips = app.screen._compositor.render_strips()[:2]
    return [[seen(char, seg.style) for seg in strip for char in seg.text] for strip in strips]


async def rendered(ours: bool, theme: str, active: str, hover: int | None) -> list:
    app = TabsApp(ours, active)
    async with app.run_test(size=(40, 6)) as pilot:
        app.theme = theme
        await pilot.pause(0.5)  # Textual's underline slides into place
        if hover is not None:
            await pilot.hover(Widget, offset=(hover, 0))
            await pilot.pause()
        return rows(app)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "ansi-dark"])
@pytest.mark.parametrize("active", ["request", "response"])
async def test_the_tabs_draw_the_same_cells_as_textuals(theme: str, active: str) -> None:
    ours = await rendered(True, theme, active, hover=None)
    assert ours == await rendered(False, theme, active, hover=None)
    assert "".join(char for char, _ in ours[0]).startswith(" Request  Response ")


@pytest.mark.parametrize("theme", ["textual-dark", "ansi-dark"])
@pytest.mark.parametrize("column", [3, 12])
async def test_a_hovered_tab_looks_as_in_textuals(theme: str, column: int) -> None:
    ours = await rendered(True, theme, "request", hover=column)
    assert ours == await rendered(False, theme, "request", hover=column)


async def test_a_click_on_a_tab_or_under_it_chooses_its_pane() -> None:
    app = TabsApp(True, "request")
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.click(PaneTabs, offset=(12, 0))
        await pilot.click(PaneTabs, offset=(2, 1))
        await pilot.click(PaneTabs, offset=(30, 0))  # past the tabs: nothing
        assert app.chosen == ["response", "request"]
        assert app.query_one(PaneTabs).active == "request"  # the owner decides what is shown
