"""Widgets that draw their own spans in the colours of their component classes."""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


class Painted(Widget):
    """A widget that draws several parts itself, each styled by component classes.

    Several small parts drawn by one widget cost one widget's styling and
    layout instead of a widget each: the footer's keys, the viewer's tabs.
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._painted: dict[tuple[str, ...], Style] = {}

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._painted.clear()

    def paint(self, *components: str) -> Style:
        """The style of cells drawn over this widget by component classes, in order.

        As Textual styles nested widgets: backgrounds blend, the last colour
        wins, text styles add up; a colour with alpha blends over the background.
        """
        if components not in self._painted:
            background, color = self.background_colors[1], self.styles.color
            style = Style()
            for styles in map(self.get_component_styles, components):
                if styles.has_rule("background"):
                    background += styles.background
                if styles.has_rule("color"):
                    color = styles.color
                style += styles.text_style
            colors = Style.from_color((background + color).rich_color, background.rich_color)
            self._painted[components] = style + colors if background.a else style
        return self._painted[components]
