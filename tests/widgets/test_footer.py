"""The footer: the same cells as Textual's footer, the same mouse behaviour, in one widget."""

from __future__ import annotations

import pytest
from rich.style import Style
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Button
from textual.widgets import Footer as TextualFooter

from tui.widgets.footer import Footer

STEPS = Binding.Group("Steps", compact=True)
MODES = Binding.Group("Modes")


class KeysApp(App[None]):
    """Every kind of key a footer shows: groups, plain, disabled, hidden, the palette."""

    BINDINGS = [
        *[Binding(str(n), f"go({n})", f"Step {n}", group=STEPS) for n in range(1, 4)],
        Binding("s", "send", "Send", tooltip="Send the request"),
        Binding("x", "cancel", "Cancel"),
        Binding("ctrl+t", "fold", "Sidebar", tooltip="Fold the step list"),
        Binding("u", "unused", "Never shown"),
        Binding("ctrl+l", "redraw", "Redraw", show=False),
        *[Binding(key, f"mode('{key}')", key.upper(), group=MODES) for key in "ab"],
    ]

    def __init__(self, footer: type[Widget]) -> None:
        super().__init__()
        self.footer = footer
        self.sending = False
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        yield Button("one", id="one")
        yield Button("two", id="two")
        yield self.footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "unused":
            return False  # hidden
        if action == "cancel":
            return True if self.sending else None  # None: shown, disabled
        return True

    def action_go(self, step: int) -> None:
        self.pressed.append(f"go {step}")

    def action_send(self) -> None:
        self.pressed.append("send")
        self.sending = True
        self.refresh_bindings()

    def action_cancel(self) -> None:
        self.pressed.append("cancel")

    def action_fold(self) -> None:
        self.pressed.append("fold")

    def action_mode(self, key: str) -> None:
        self.pressed.append(f"mode {key}")


def seen(char: str, style: Style | None) -> tuple[str, Style | None]:
    """A cell as the terminal shows it: no mouse metadata; a blank shows no foreground colour."""
    if style is None:
        return char, None
    style = style.clear_meta_and_links()
    if char == " " and not (style.underline or style.reverse or style.strike):
        style = Style(bgcolor=style.bgcolor)
    return char, style


def footer_cells(app: App[None]) -> list[tuple[str, Style | None]]:
    """The bottom row as the terminal gets it: each cell's character and style."""
    strips = app.screen._compositor.render_strips()
    return [seen(char, segment.style) for segment in strips[-1] for char in segment.text]


def text(cells: list[tuple[str, Style | None]]) -> str:
    return "".join(char for char, _style in cells)


async def rendered(footer: type[Widget], width: int, theme: str, hover: int | None) -> list:
    app = KeysApp(footer)
    async with app.run_test(size=(width, 12)) as pilot:
        app.theme = theme
        await pilot.pause()
        if hover is not None:
            await pilot.hover(footer, offset=(hover, 0))
            await pilot.pause()
        return footer_cells(app)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "ansi-dark"])
@pytest.mark.parametrize("width", [100, 40])
async def test_the_footer_draws_the_same_cells_as_textuals(theme: str, width: int) -> None:
    ours = await rendered(Footer, width, theme, hover=None)
    assert ours == await rendered(TextualFooter, width, theme, hover=None)
    shown = text(ours)
    assert " 123 Steps  s Send  x Cancel  ^t Sidebar  a b Modes"[: width - 12] in shown
    assert shown.rstrip().endswith("▏^p palette") and "Never shown" not in shown


@pytest.mark.parametrize("column", [1, 13, 18, 20, 90])  # grouped, Send, its end, Cancel, palette
async def test_a_hovered_key_looks_as_in_textuals_footer(column: int) -> None:
    ours = await rendered(Footer, 100, "textual-dark", hover=column)
    assert ours == await rendered(TextualFooter, 100, "textual-dark", hover=column)
    assert ours != await rendered(Footer, 100, "textual-dark", hover=None)


async def test_a_click_presses_the_key_and_a_disabled_key_rings_the_bell() -> None:
    app = KeysApp(Footer)
    bells: list[None] = []
    async with app.run_test(size=(100, 12)) as pilot:
        app.bell = lambda: bells.append(None)  # type: ignore[method-assign]
        await pilot.click(Footer, offset=(1, 0))
        await pilot.click(Footer, offset=(20, 0))  # Cancel, disabled until something is sent
        assert (app.pressed, len(bells)) == (["go 1"], 1)
        await pilot.click(Footer, offset=(13, 0))
        await pilot.pause()
        await pilot.click(Footer, offset=(20, 0))
        await pilot.click(Footer, offset=(6, 0))  # the group's label: not a key
        assert (app.pressed, len(bells)) == (["go 1", "send", "cancel"], 1)


async def test_hovering_a_key_shows_its_tooltip() -> None:
    app = KeysApp(Footer)
    async with app.run_test(size=(100, 12)) as pilot:
        footer = app.query_one(Footer)
        await pilot.hover(Footer, offset=(13, 0))
        assert footer.tooltip == "Send the request"
        await pilot.hover(Footer, offset=(1, 0))
        assert footer.tooltip == "Step 1"  # a grouped key without a tooltip: its description
        await pilot.hover(Footer, offset=(6, 0))
        assert footer.tooltip is None
        await pilot.hover(Button, offset=(1, 1))
        assert footer.tooltip is None


async def test_the_wheel_brings_keys_that_do_not_fit_into_view() -> None:
    app = KeysApp(Footer)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert "Modes" not in text(footer_cells(app))
        for _ in range(10):
            await pilot._post_mouse_events([events.MouseScrollDown], Footer, offset=(5, 0))
        await pilot.pause()
        shown = text(footer_cells(app))
        assert "Modes" in shown and shown.rstrip().endswith("▏^p palette")
        await pilot.click(Footer, offset=(shown.index("b Modes"), 0))
        assert app.pressed == ["mode b"]
        for _ in range(10):
            await pilot._post_mouse_events([events.MouseScrollUp], Footer, offset=(5, 0))
        await pilot.pause()
        assert text(footer_cells(app)).startswith(" 123 Steps")
        for _ in range(10):
            await pilot._post_mouse_events([events.MouseScrollDown], Footer, offset=(5, 0))
        await pilot.resize_terminal(60, 12)  # wider: less to scroll, and none past the end
        await pilot.pause()
        assert text(footer_cells(app)).rstrip().endswith("a b Modes ▏^p palette")
        await pilot.press("s")  # other keys: shown from the start
        await pilot.pause()
        assert text(footer_cells(app)).startswith(" 123 Steps")


async def test_the_footer_is_laid_out_again_only_when_its_keys_change() -> None:
    app = KeysApp(Footer)
    async with app.run_test(size=(100, 12)) as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        before = footer.items
        await pilot.press("tab", "tab", "tab")
        await pilot.pause()
        assert footer.items is before
        await pilot.press("s")
        await pilot.pause()
        assert footer.items is not before
        assert " x Cancel " in text(footer_cells(app))
