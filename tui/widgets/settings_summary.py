"""Settings at a glance: a label and its value per row, long values wrapped under themselves.

The rows are laid out as text for the width they get (``summary_lines``) and
shown by one widget in a scrolling container: a label and a value widget per
row made the wizard's first screen some thirty widgets heavier, each styled
and laid out before the first frame.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

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
    indent = max((cell_len(label) for label, _value in rows), default=0) + GAP
    beside = width - indent
    lines: list[Content] = []
    for label, value in rows:
        longest = max((cell_len(word) for word in value.plain.split()), default=0)
        if beside >= max(MIN_BESIDE, min(longest, width - GAP)):
            pieces = _wrapped(value, beside)
            padded = label + " " * (indent - cell_len(label))
            lines.append(Content.styled(padded, "$text-muted") + pieces[0])
            lines += [piece.pad_left(indent) for piece in pieces[1:]]
        else:
            lines.append(Content.styled(label, "$text-muted"))
            lines += [piece.pad_left(GAP) for piece in _wrapped(value, width - GAP)]
    return lines


def _wrapped(value: Content, width: int) -> list[Content]:
    pieces = [piece for line in value.split("\n") for piece in line.wrap(max(width, 1))]
    return pieces or [Content("")]


class SummaryRows(Widget):
    """The rows as ``summary_lines`` lays them out for this widget's width."""

    DEFAULT_CSS = "SummaryRows { height: auto; }"

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

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_size.width))


class SettingsSummary(VerticalScroll, can_focus=True):
    """Rows of settings; focusable, so the screen's keys reach it.

    As tall as its rows; on a terminal too short for them it scrolls (arrows,
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

    def compose(self) -> ComposeResult:
        yield SummaryRows(self.rows)
