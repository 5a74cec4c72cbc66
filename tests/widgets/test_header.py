"""The title bar: the same cells as Textual's header, the same clicks, in one widget."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header as TextualHeader
from textual.widgets import Static

from tests.widgets.test_footer import seen
from tui.widgets.header import Header


class TitledApp(App[None]):
    TITLE = "OAuth Dance"

    def __init__(self, header: type[Widget]) -> None:
        super().__init__()
        self.header = header

    def compose(self) -> ComposeResult:
        yield self.header()
        yield Static("body")

    def on_mount(self) -> None:
        self.screen.sub_title = "Authorize · Embedded demo server"


def rows(app: App[None], count: int) -> list[list[tuple[str, object]]]:
    strips = app.screen._compositor.render_strips()[:count]
    return [[seen(char, seg.style) for seg in strip for char in seg.text] for strip in strips]


def text(row: list[tuple[str, object]]) -> str:
    return "".join(char for char, _ in row)


async def rendered(
    header: type[Widget], width: int, theme: str, *, hover: bool = False, tall: bool = False
) -> list:
    app = TitledApp(header)
    async with app.run_test(size=(width, 8)) as pilot:
        app.theme = theme
        await pilot.pause()
        if tall:
            await pilot.click(header, offset=(width // 2, 0))
        if hover:
            await pilot.hover(header, offset=(1, 1 if tall else 0))
        await pilot.pause()
        return rows(app, 3 if tall else 1)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "ansi-dark"])
@pytest.mark.parametrize("width", [100, 40, 30])
async def test_the_header_draws_the_same_cells_as_textuals(theme: str, width: int) -> None:
    ours = await rendered(Header, width, theme)
    assert ours == await rendered(TextualHeader, width, theme)
    assert text(ours[0]).startswith(" ⭘      ")
    if width == 100:
        assert "OAuth Dance — Authorize · Embedded demo server" in text(ours[0])
    else:
        assert "…" in text(ours[0])  # too narrow: cut with an ellipsis


@pytest.mark.parametrize("tall", [False, True])
async def test_hover_and_the_tall_bar_look_as_in_textuals(tall: bool) -> None:
    ours = await rendered(Header, 80, "textual-dark", hover=True, tall=tall)
    assert ours == await rendered(TextualHeader, 80, "textual-dark", hover=True, tall=tall)
    assert ours != await rendered(Header, 80, "textual-dark", tall=tall)


async def test_the_icon_opens_the_palette_and_the_bar_grows_and_shrinks() -> None:
    app = TitledApp(Header)
    async with app.run_test(size=(80, 8)) as pilot:
        header = app.query_one(Header)
        await pilot.hover(Header, offset=(1, 0))
        assert header.tooltip == "Open the command palette"
        await pilot.click(Header, offset=(40, 0))
        await pilot.pause()
        assert header.size.height == 3
        await pilot.click(Header, offset=(40, 1))
        await pilot.pause()
        assert header.size.height == 1
        await pilot.click(Header, offset=(1, 0))
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"


async def test_a_new_subtitle_is_shown() -> None:
    app = TitledApp(Header)
    async with app.run_test(size=(100, 8)) as pilot:
        await pilot.pause()
        screen: Screen[object] = app.screen
        screen.sub_title = "Exchange · Spotify"
        await pilot.pause()
        assert "OAuth Dance — Exchange · Spotify" in text(rows(app, 1)[0])
