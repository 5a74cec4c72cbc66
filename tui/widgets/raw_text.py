"""A read-only text area for raw HTTP: plain text, never markup, never focused."""

from __future__ import annotations

from textual.widgets import TextArea


class RawText(TextArea, can_focus=False):
    """Read-only plain text: never parsed as markup, never focused (the viewer keeps the focus)."""

    def __init__(self) -> None:
        super().__init__(
            read_only=True,
            soft_wrap=True,
            show_line_numbers=False,
            show_cursor=False,
            highlight_cursor_line=False,
            compact=True,
            classes="exchange-text",
        )

    def on_resize(self) -> None:
        """Repaint once the text is rewrapped for the new width.

        The screen draws this text area at its new size before the area
        hears of the resize, so with the old wrapping, cut at the new width.
        Textual's text area then rewraps, but repaints only if the number of
        lines or the scrollbar changed: the lines cut off would stay.
        """
        self.refresh()

    def show_text(self, text: str, *, scroll_y: float) -> None:
        """Show ``text``, scrolled to line ``scroll_y`` (0: the top)."""
        if text != self.text:
            self.load_text(text)
            # load_text does not always repaint a text area whose size is unchanged.
            self.refresh()
            # The new text is laid out at the next refresh: only then can it scroll down.
            self.call_after_refresh(self.scroll_to, y=scroll_y, animate=False)
        elif scroll_y != self.scroll_y:
            self.scroll_to(y=scroll_y, animate=False)
