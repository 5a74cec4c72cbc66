"""A scroll area holding one text: the base of the error and lesson panels."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tui.widgets.scroll_area import ScrollArea


class TextPanel(ScrollArea):
    """One ``Static`` in a :class:`ScrollArea`: reachable and scrolled by keyboard when
    the text is longer than the panel."""

    def __init__(self, *, id: str | None = None) -> None:
        self._text = Static()
        super().__init__(self._text, id=id)

    @property
    def text(self) -> str:
        """The text shown, as plain text ("" when none)."""
        return str(self._text.render())

    def show_text(self, content: Content | str) -> None:
        """Show ``content`` (Content, or "" for none)."""
        self._text.update(content)
