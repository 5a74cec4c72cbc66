"""Settings at a glance: a label and its value per row, long values wrapped under themselves.

One widget draws every row: a form of Textual widgets costs a widget's
styling and layout per field, and this is the wizard's first screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

GAP = 2
"""Cells between the labels' column and the values' (and before a value under its label)."""

MIN_BESIDE = 20
"""The narrowest column of values beside the labels."""


def summary_lines(rows: Sequence[tuple[str, Content]], width: int) -> list[Content]:
    """``rows`` laid out in ``width`` cells: labels in a column, values wrapped beside them.

    A value may hold several lines; each is wrapped on its own. A value with
    a word that fits under its label but not beside it (a URL, say) goes
    under its label; so do all values where the column beside the labels
    would be narrower than ``MIN_BESIDE``.
    """
    indent = max((len(label) for label, _value in rows), default=0) + GAP
    beside = width - indent
    lines: list[Content] = []
    for label, value in rows:
        longest = max((cell_len(word) for word in value.plain.split()), default=0)
        if beside >= max(MIN_BESIDE, min(longest, width - GAP)):
            pieces = _wrapped(value, beside)
            lines.append(Content.styled(label.ljust(indent), "$text-muted") + pieces[0])
            lines += [piece.pad_left(indent) for piece in pieces[1:]]
        else:
            lines.append(Content.styled(label, "$text-muted"))
            lines += [piece.pad_left(GAP) for piece in _wrapped(value, width - GAP)]
    return lines


def _wrapped(value: Content, width: int) -> list[Content]:
    pieces = [piece for line in value.split("\n") for piece in line.wrap(max(width, 1))]
    return pieces or [Content("")]


class SettingsSummary(ScrollView, can_focus=True):
    """Rows of settings, drawn by one widget; focusable, so the screen's keys reach it.

    As tall as its lines; on a terminal too short for them it scrolls (arrows,
    page keys, the wheel).
    """

    DEFAULT_CSS = """
    SettingsSummary {
        height: auto;
        max-height: 100%;
        padding: 0 1;
        overflow-x: hidden;
    }
    """

    def __init__(self, rows: Sequence[tuple[str, Content]]) -> None:
        super().__init__()
        self.rows = list(rows)
        self._laid_out: tuple[int, list[Content]] = (-1, [])

    def lines(self, width: int) -> list[Content]:
        """The rows laid out in ``width`` cells (kept for the last width asked)."""
        if self._laid_out[0] != width:
            self._laid_out = (width, summary_lines(self.rows, width))
        return self._laid_out[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        self.virtual_size = Size(width, len(self.lines(width)))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        lines = self.lines(width)
        index = y + int(self.scroll_y)
        style = self.visual_style
        if index >= len(lines):
            return Strip.blank(width, style.rich_style)
        line = lines[index]
        (strip,) = line.to_strips(self, line, width, 1, style)
        return strip.extend_cell_length(width, style.rich_style)
