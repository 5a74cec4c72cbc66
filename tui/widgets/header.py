"""The title bar, drawn by one widget.

It looks and behaves like Textual's header without a clock (the same cells:
the icon, the screen's title and subtitle centred, the clock's empty space;
a click on the icon opens the command palette, anywhere else makes the bar
taller), but Textual's is four widgets, and every step screen has one.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.style import Style

from tui.widgets.painted import Painted

ICON = "⭘"
ICON_WIDTH = 8
"""Cells for the icon, as Textual's ``HeaderIcon``: one of padding on each side."""
CLOCK_WIDTH = 10
"""Cells Textual's header leaves on the right for a clock it does not show."""


class Header(Painted, can_focus=False):
    """The app's title and the screen's subtitle, at the top."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"header--icon-hover"}
    DEFAULT_CSS = """
    Header {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        &.-tall { height: 3; }
        .header--icon-hover { background: $foreground 10%; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._icon_hover = False

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            self.watch(node, "title", self._title_changed, init=False)
            self.watch(node, "sub_title", self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    def shown_title(self) -> Content:
        """The screen's title and subtitle (or the app's), as the app formats them."""
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return app.format_title(title, sub_title)

    def render(self) -> Content:
        width, height = self.size
        space = max(width - ICON_WIDTH - CLOCK_WIDTH, 0)
        icon_style = Style.from_rich_style(self.paint("header--icon-hover"))
        rows = []
        for row in range(height):
            # In the tall bar Textual draws the icon on the middle row, the title on the first.
            icon = Content((f" {ICON}" if row == height // 2 else "").ljust(ICON_WIDTH))
            if self._icon_hover:
                icon = icon.stylize(icon_style)
            title = self.shown_title() if row == 0 else Content()
            title = title.center(space, ellipsis=True).truncate(space)
            rows.append(icon + title + " " * CLOCK_WIDTH)
        return Content("\n").join(rows)

    def _on_icon(self, x: int) -> bool:
        return x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._on_icon(event.x)
        if hover != self._icon_hover:
            self._icon_hover = hover
            self.tooltip = "Open the command palette" if hover else None
            self.refresh()

    def on_leave(self) -> None:
        self._icon_hover = False
        self.tooltip = None
        self.refresh()

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        if self._on_icon(event.x):
            await self.run_action("app.command_palette")
        else:
            self.toggle_class("-tall")
