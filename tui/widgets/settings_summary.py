"""Settings at a glance: a label and its value per row, long values wrapped under themselves.

Textual's Labels and Statics, a row of two each, in a scrolling container:
labels in a column as wide as the longest, values beside them. A value with a word too
long to sit beside its label (a URL, say) goes under it; so do all values when
the column beside the labels would be too narrow.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import HorizontalGroup, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

GAP = 2
"""Cells between the labels' column and the values' (and before a value under its label)."""

MIN_BESIDE = 20
"""The narrowest column of values beside the labels."""


def values_under(rows: Sequence[tuple[str, Content]], width: int) -> list[bool]:
    """For each row laid out in ``width`` cells: whether its value goes under its label.

    It does when a word of it fits under the label but not beside it, or when
    the column beside the labels would be narrower than ``MIN_BESIDE``.
    """
    indent = max((cell_len(label) for label, _value in rows), default=0) + GAP
    beside = width - indent
    under = []
    for _label, value in rows:
        longest = max((cell_len(word) for word in value.plain.split()), default=0)
        under.append(beside < max(MIN_BESIDE, min(longest, width - GAP)))
    return under


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
        .summary-label { color: $text-muted; margin-right: 2; }
        .summary-value { width: 1fr; }
        .-under {
            layout: vertical;
            .summary-value { padding-left: 2; }
        }
    }
    """

    def __init__(self, rows: Sequence[tuple[str, Content]]) -> None:
        super().__init__()
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        width = max((cell_len(label) for label, _value in self.rows), default=0)
        for label, value in self.rows:
            shown = Label(label, classes="summary-label", markup=False)
            shown.styles.width = width  # the labels' column: as wide as the longest
            yield HorizontalGroup(shown, Static(value, classes="summary-value"))

    def on_resize(self) -> None:
        under = values_under(self.rows, self.scrollable_content_region.width)
        for flag, row in zip(under, self.query_children(HorizontalGroup), strict=True):
            row.set_class(flag, "-under")
