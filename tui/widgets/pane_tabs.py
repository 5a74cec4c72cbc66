"""A row of tabs over an underline, drawn by one widget.

It looks like Textual's ``Tabs`` (the same cells and colours, the bar under
the active tab, hover) but is one widget instead of seven, with no
animation: the exchange viewer restyles its whole subtree whenever it gains
or loses the focus or its status changes, and a ``TabbedContent`` made that
subtree fifteen widgets deep.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Group
from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.renderables.bar import Bar

from tui.widgets.painted import Painted


class PaneTabs(Painted, can_focus=False):
    """Tabs naming panes; a click on a tab or under it chooses that pane."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "pane-tabs--tab",
        "pane-tabs--hover",
        "pane-tabs--active",
        "pane-tabs--bar",
    }
    DEFAULT_CSS = """
    PaneTabs {
        width: 100%;
        height: 2;
        .pane-tabs--tab { color: $foreground 50%; }
        .pane-tabs--hover { color: $foreground; }
        .pane-tabs--active { color: $foreground; }
        .pane-tabs--bar { color: $block-cursor-background; background: $foreground 10%; }
        &:ansi {
            .pane-tabs--tab { text-style: dim; }
            .pane-tabs--active { text-style: not dim bold; }
            .pane-tabs--bar { background: $border-blurred; }
        }
    }
    """

    @dataclass
    class Chosen(Message):
        """The user clicked a tab: ``pane`` is the name of the pane it shows."""

        tabs: PaneTabs
        pane: str

    def __init__(self, tabs: Sequence[tuple[str, str]], active: str) -> None:
        """``tabs``: (pane, label) pairs, in order; ``active``: the pane shown first."""
        super().__init__()
        self.tabs = list(tabs)
        self._active = active
        self._hover: str | None = None

    @property
    def active(self) -> str:
        """The pane whose tab is highlighted."""
        return self._active

    @active.setter
    def active(self, pane: str) -> None:
        if pane != self._active:
            self._active = pane
            self.refresh()

    def _spans(self) -> list[tuple[str, str, int, int]]:
        """Each tab's pane, label and columns, padding included: first, past the last."""
        spans, x = [], 0
        for pane, label in self.tabs:
            spans.append((pane, label, x, x + cell_len(label) + 2))
            x += cell_len(label) + 2
        return spans

    def render(self) -> Group:
        row = Text(no_wrap=True)
        highlight = (0, 0)
        for pane, label, start, end in self._spans():
            layers = ["pane-tabs--tab"]
            if pane == self._hover:
                layers.append("pane-tabs--hover")
            if pane == self._active:
                layers.append("pane-tabs--active")
                highlight = (start + 1, end - 1)
            row.append(f" {label} ", self.paint(*layers))
        bar = self.paint("pane-tabs--bar")
        return Group(
            row,
            Bar(
                highlight_range=highlight,
                highlight_style=Style.from_color(bar.color),
                background_style=Style.from_color(bar.bgcolor),
            ),
        )

    def pane_at(self, x: int) -> str | None:
        return next((pane for pane, _label, start, end in self._spans() if start <= x < end), None)

    def on_click(self, event: events.Click) -> None:
        pane = self.pane_at(event.x)
        if pane is not None:
            event.stop()
            self.post_message(self.Chosen(self, pane))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        pane = self.pane_at(event.x) if event.y == 0 else None
        if pane != self._hover:
            self._hover = pane
            self.refresh()

    def on_leave(self) -> None:
        self._hover = None
        self.refresh()
