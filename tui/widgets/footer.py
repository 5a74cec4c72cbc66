"""The footer: the keys that work here, drawn by one widget on one line.

It looks and behaves like Textual's footer (the same cells and colours, a
click presses the key, a disabled key rings the bell, hover shows the
binding's tooltip, the wheel scrolls keys that do not fit), but Textual's is
a container with a widget per key: some fifteen widgets per screen, each
styled when a screen is built and again when it is rebuilt, which it is at
every focus move. Here the keys are a list of spans, laid out again only
when the keys shown change.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen

from tui.widgets.painted import Painted

KEY, DESCRIPTION = "footer--key", "footer--description"

SEPARATOR = "▏"
"""Left of the command palette's key, as Textual's ``vkey`` border draws it."""


class Span(NamedTuple):
    """Some cells of the footer, and what makes their style (component classes, by layer)."""

    text: str
    layers: tuple[str, ...]
    border: bool = False
    """Drawn as Textual draws a border: its colour over the footer's, on the key's background."""


class Item(NamedTuple):
    """A run of spans: a key (pressed on click, ``key`` set) or a group's label and margins."""

    spans: tuple[Span, ...]
    key: str = ""
    enabled: bool = True
    tooltip: str = ""

    @property
    def width(self) -> int:
        return sum(cell_len(span.text) for span in self.spans)


def key_item(display: str, description: str, active: tuple[Binding, bool, str]) -> Item:
    """A key as Textual's footer draws it: `` key description ``, or the bare key."""
    binding, enabled, tooltip = active
    spans: tuple[Span, ...] = (Span(display, (KEY,)),)
    if description:
        spans = (Span(f" {display} ", (KEY,)), Span(f"{description} ", (DESCRIPTION,)))
    return Item(spans, binding.key, enabled, tooltip)


def footer_items(screen: Screen[object]) -> tuple[list[Item], Item | None]:
    """The footer's items for the screen's active bindings, and the command palette's key.

    Textual's rules: one key per action; bindings of a group, when more than
    one is shown, are drawn as bare keys followed by the group's description.
    """
    app = screen.app
    active = screen.active_bindings
    by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
    for _node, binding, enabled, tooltip in active.values():
        if binding.show:
            by_action[binding.action].append((binding, enabled, tooltip))
    items: list[Item] = []
    gap = Item((Span(" ", ()),))
    shown = [bindings[0] for bindings in by_action.values()]
    for group, members in groupby(shown, lambda shown_: shown_[0].group):
        keys = list(members)
        if group is not None and len(keys) > 1:
            if group.compact:
                items.append(gap)
            for binding, enabled, tooltip in keys:
                if not group.compact:
                    items.append(gap)
                shown_key = (binding, enabled, tooltip or binding.description)
                items.append(key_item(app.get_key_display(binding), "", shown_key))
            items += [gap, Item((Span(group.description, (DESCRIPTION,)),)), gap]
            continue
        for key in keys:
            items.append(key_item(app.get_key_display(key[0]), key[0].description, key))
    palette: Item | None = None
    if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
        _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
        spans = (
            Span(SEPARATOR, ("footer--separator",), border=True),
            Span(app.get_key_display(binding), (KEY,)),
            Span(f" {binding.description}", (DESCRIPTION,)),
            Span(" ", ()),
        )
        palette = Item(spans, binding.key, enabled, binding.tooltip or binding.description)
    return items, palette


class Footer(Painted, can_focus=False):
    """The keys that work on this screen, at the bottom; click one to press it."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer--item",
        "footer--key",
        "footer--description",
        "footer--hover",
        "footer--disabled",
        "footer--separator",
    }
    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .footer--item { background: $footer-item-background; }
        .footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer--hover { color: $footer-key-foreground; background: $block-hover-background; }
        .footer--disabled { text-style: dim; }
        .footer--separator { color: $foreground 20%; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Item] = []
        self.palette: Item | None = None
        self._hover: Item | None = None
        self._scroll = 0

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        items, palette = footer_items(screen)
        if (items, palette) != (self.items, self.palette):
            self.items, self.palette = items, palette
            self._hover = None
            self._scroll = 0
            self.refresh()

    def _draw(self, item: Item) -> Text:
        under: tuple[str, ...] = ("footer--item",)
        if item is self._hover and item.key:
            under = (*under, "footer--hover")
        if item.key and not item.enabled:
            under = (*under, "footer--disabled")
        text = Text(no_wrap=True, end="")
        for span in item.spans:
            style = self.paint(*under, *span.layers) if item.key else self.paint(*span.layers)
            if span.border:
                style = self.paint(*span.layers) + Style(bgcolor=style.bgcolor)
            text.append(span.text, style)
        return text

    def _visible(self) -> int:
        """Cells for the keys: the width, less the command palette's key."""
        return self.size.width - (self.palette.width if self.palette else 0)

    def _overflow(self) -> int:
        """Cells of keys that do not fit: how far the wheel can move them."""
        return max(0, sum(item.width for item in self.items) - self._visible())

    def _offset(self) -> int:
        """Cells scrolled past: as far as the wheel moved, no further than what overflows."""
        return min(self._scroll, self._overflow())

    def render(self) -> Text:
        line = Text(no_wrap=True, end="")
        for item in self.items:
            line.append_text(self._draw(item))
        offset = self._offset()
        line = line[offset : offset + self._visible()]
        line.pad_right(self._visible() - line.cell_len)
        if self.palette is not None:
            line.append_text(self._draw(self.palette))
        line.stylize_before(self.paint())
        return line

    def item_at(self, x: int) -> Item | None:
        """The item drawn at column ``x``."""
        if self.palette is not None and x >= self._visible():
            return self.palette
        x += self._offset()
        for item in self.items:
            if x < item.width:
                return item
            x -= item.width
        return None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        item = self.item_at(event.x)
        if item is None or not item.key:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        item = self.item_at(event.x)
        if item is not self._hover:
            self._hover = item
            self.tooltip = (item.tooltip or None) if item is not None else None
            self.refresh()

    def on_leave(self) -> None:
        self._hover = None
        self.tooltip = None
        self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._scroll_by(event, +4)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._scroll_by(event, -4)

    def _scroll_by(self, event: events.MouseEvent, cells: int) -> None:
        """Show keys that do not fit: the wheel moves them sideways."""
        scroll = max(0, min(self._offset() + cells, self._overflow()))
        if scroll != self._scroll:
            self._scroll = scroll
            event.stop()
            self.refresh()
