"""The screen, cell by cell, read from Textual's public screenshot (``App.export_screenshot``).

Rich's SVG export draws each run of cells as a background ``<rect>`` and a ``<text>``
whose class names its colour, one cell every 12.2 units across and 24.4 down. Read back,
that is every cell's character, foreground and background as a terminal would show them.
"""

from __future__ import annotations

import html
import re
from typing import Any, NamedTuple

from rich.cells import get_character_cell_size
from textual.app import App

CELL_WIDTH = 12.2
LINE_HEIGHT = 24.4
BACKGROUND_TOP = 1.5
"""Where the first row's background starts (Rich's ``export_svg`` template)."""

_CLASS_FILL = re.compile(r"\.(terminal-\d+-r\d+) \{ fill: (#[0-9a-f]{6})")
_TERMINAL = re.compile(r'<g transform="translate\([^)]*\)" clip-path="[^"]*">(.*)</g>', re.S)
_BACKGROUND = re.compile(
    r'<rect fill="(#[0-9a-f]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" '
    r'height="[\d.]+" shape-rendering="crispEdges"/>'
)
_TEXT = re.compile(
    r'<text class="([^"]+)" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
    r'clip-path="url\(#[^)]*-line-(\d+)\)">(.*?)</text>',
    re.S,
)


class Cell(NamedTuple):
    character: str
    foreground: str
    """``#rrggbb``"""
    background: str
    """``#rrggbb``"""


def screen_cells(app: App[Any]) -> list[list[Cell]]:
    """Every cell of the app's screen (and the screens showing behind it), row by row.

    A wide character's second cell holds ``""``."""
    width, height = app.size
    return svg_cells(app.export_screenshot(), width, height)


def svg_cells(svg: str, width: int, height: int) -> list[list[Cell]]:
    """Every cell of a ``width`` x ``height`` screen, read from its SVG screenshot."""
    fills = dict(_CLASS_FILL.findall(svg))
    terminal = _TERMINAL.search(svg)
    assert terminal is not None, "not a Rich SVG export"
    backgrounds = [["#000000"] * width for _ in range(height)]
    for fill, x, y, span in _BACKGROUND.findall(terminal.group(1)):
        row = round((float(y) - BACKGROUND_TOP) / LINE_HEIGHT)
        first = round(float(x) / CELL_WIDTH)
        last = min(width, first + round(float(span) / CELL_WIDTH))
        if 0 <= row < height:
            backgrounds[row][first:last] = [fill] * (last - first)
    characters = [[" "] * width for _ in range(height)]
    foregrounds = [["#ffffff"] * width for _ in range(height)]
    for style, x, line, text in _TEXT.findall(terminal.group(1)):
        row, column = int(line), round(float(x) / CELL_WIDTH)
        chars = html.unescape(text).replace("\xa0", " ").rstrip("\n")
        if row >= height:
            continue
        for character in chars:  # a wide character's second cell holds ""
            cells = [character] + [""] * (get_character_cell_size(character) - 1)
            for offset, shown in enumerate(cells):
                if column + offset < width:
                    characters[row][column + offset] = shown
                    foregrounds[row][column + offset] = fills.get(style, "#ffffff")
            column += len(cells)
    return [
        [
            Cell(*cell)
            for cell in zip(characters[row], foregrounds[row], backgrounds[row], strict=True)
        ]
        for row in range(height)
    ]


def screen_text(app: App[Any]) -> str:
    """The screen as plain text, one line per row, trailing spaces kept."""
    return cells_text(screen_cells(app))


def cells_text(cells: list[list[Cell]]) -> str:
    """Cells as plain text, one line per row, trailing spaces kept."""
    return "\n".join("".join(cell.character for cell in row) for row in cells)
