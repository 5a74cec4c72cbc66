"""Textual's crash report without the local variables it shows for every frame.

A bug nobody foresaw ends the app with Textual's report: a traceback that
shows every frame's local variables, and here those hold the client secret
and tokens. Textual prints the report, once the terminal is restored, on the
app's ``error_console``; `CrashConsole` prints it with each "locals" panel
blanked out, whether Rich put the panel beside the code (a wide terminal) or
under it.
"""

from __future__ import annotations

import re
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment, Segments

LOCALS_TOP = re.compile(r"╭─+ locals ─+╮")
"""The top border of Rich's panel of a frame's local variables."""

BORDERS_ONLY = re.compile(r"[│\s]*")
"""A line left with nothing but the borders of the panels around it."""


class CrashConsole(Console):
    """A console that prints renderables without Rich's "locals" panels."""

    def print(self, *objects: Any, **options: Any) -> None:
        super().print(*(Segments(self.without_locals(item)) for item in objects), **options)

    def without_locals(self, renderable: Any) -> list[Segment]:
        kept: list[Segment] = []
        span: tuple[int, int] | None = None
        """The cells of an open locals panel: from its left border to past its right one."""
        for line in self.render_lines(renderable, pad=False, new_lines=False):
            text = "".join(segment.text for segment in line)
            if span is None and (top := LOCALS_TOP.search(text)):
                span = cell_len(text[: top.start()]), cell_len(text[: top.end()])
            if span is not None:
                start, end = span
                before, inside, after = Segment.divide(line, [start, end, cell_len(text)])
                if "".join(segment.text for segment in inside).startswith("╰"):
                    span = None
                line = [*before, Segment(" " * (end - start)), *after]
                if BORDERS_ONLY.fullmatch("".join(segment.text for segment in line)):
                    continue
            kept += [*line, Segment.line()]
        return kept
