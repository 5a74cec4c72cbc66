"""Settings at a glance: a label and its value per row, long values wrapped under themselves.

One widget draws every row: a form of Textual widgets costs a widget's
styling and layout per field, and this is the wizard's first screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

GAP = 2
"""Cells between the labels' column and the values'."""


def summary_lines(rows: Sequence[tuple[str, Content]], width: int) -> list[Content]:
    """``rows`` laid out in ``width`` cells: labels in a column, values wrapped beside them.

    A value may hold several lines; each is wrapped on its own. Where the
    values' column would be too narrow, values go under their labels instead.
    """
    indent = max((len(label) for label, _value in rows), default=0) + GAP
    if width - indent < 20:
        indent = GAP
        lines: list[Content] = []
        for label, value in rows:
            lines.append(Content.styled(label, "$text-muted"))
            lines += [piece.pad_left(indent) for piece in _wrapped(value, width - indent)]
        return lines
    lines = []
    for label, value in rows:
        pieces = _wrapped(value, width - indent)
        lines.append(Content.styled(label.ljust(indent), "$text-muted") + pieces[0])
        lines += [piece.pad_left(indent) for piece in pieces[1:]]
    return lines


def _wrapped(value: Content, width: int) -> list[Content]:
    pieces = [piece for line in value.split("\n") for piece in line.wrap(max(width, 1))]
    return pieces or [Content("")]


class SettingsSummary(Widget, can_focus=True):
    """Rows of settings, drawn by one widget; focusable, so the screen's keys reach it."""

    DEFAULT_CSS = """
    SettingsSummary {
        height: auto;
        max-height: 100%;
        padding: 0 1;
    }
    """

    def __init__(self, rows: Sequence[tuple[str, Content]]) -> None:
        super().__init__()
        self.rows = list(rows)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(summary_lines(self.rows, width))

    def render(self) -> Content:
        return Content("\n").join(summary_lines(self.rows, self.content_size.width))
