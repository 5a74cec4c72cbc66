"""A scroll area that says when it holds more than it shows, and how to scroll it.

Textual's ``VerticalScroll`` takes the focus and scrolls by keyboard, but
nothing on screen tells that it has more to show, nor that it has the focus.
This one is a focus stop only while it has something to scroll; then its
border's subtitle says so, and how to scroll (Tab to it, then the arrows or
PgUp/PgDn), and it is tinted while it has the focus. A bottom (or full)
border is the caller's to give: the subtitle is drawn on it.
"""

from __future__ import annotations

from textual import events, on
from textual.containers import VerticalScroll

__all__ = ["FOCUSED_HINT", "HINT", "ScrollArea"]

HINT = "more · tab here to scroll"
"""The subtitle while the area overflows and another widget has the focus."""

FOCUSED_HINT = "↑↓ PgUp PgDn to scroll"
"""The subtitle while the area overflows and has the focus."""


class ScrollArea(VerticalScroll):
    """Scrolls by keyboard (arrows, PgUp/PgDn, Home/End) once Tab gives it the focus.

    The ``-overflow`` class is set while it holds more than it shows.
    """

    DEFAULT_CSS = """
    ScrollArea {
        border-subtitle-color: $text-muted;
        &:focus {
            background-tint: $foreground 5%;
            border-subtitle-color: $text-accent;
            border-subtitle-style: bold;
        }
    }
    """

    @property
    def overflows(self) -> bool:
        """Whether some of the content is out of sight."""
        return self.max_scroll_y > 0

    def allow_focus(self) -> bool:
        """A focus stop only when there is something to scroll (or it has the focus)."""
        return super().allow_focus() and (self.overflows or self.has_focus)

    @on(events.Resize)
    @on(events.Focus)
    @on(events.Blur)
    def _show_hint(self, event: events.Event) -> None:
        # Called before Textual's own handlers: ``has_focus`` may not follow yet.
        focused = isinstance(event, events.Focus) or (
            self.has_focus and not isinstance(event, events.Blur)
        )
        self.show_hint(focused)

    def watch_virtual_size(self) -> None:
        """The content grew or shrank: an area at its max height gets no Resize for that."""
        self.show_hint(self.has_focus)

    def show_hint(self, focused: bool) -> None:
        """Say whether there is more to see, and how to scroll to it."""
        overflows = self.overflows
        self.set_class(overflows, "-overflow")
        self.border_subtitle = (FOCUSED_HINT if focused else HINT) if overflows else ""
