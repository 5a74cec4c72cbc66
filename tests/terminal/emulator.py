"""A terminal emulator (pyte) to compare what two streams of output leave on the screen."""

from __future__ import annotations

import pyte


class Terminal:
    """A pyte screen fed with output; `cells` is what it shows, colours and attributes included."""

    def __init__(self, width: int = 80, height: int = 24) -> None:
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.Stream(self.screen)

    def feed(self, output: str) -> None:
        self.stream.feed(output)

    def resize(self, width: int, height: int) -> None:
        """As a terminal does: cells past the new edges are lost, new ones are blank."""
        self.screen.resize(height, width)

    def cells(self) -> list[list[tuple[object, ...]]]:
        """Every cell's character, colours and attributes, row by row."""
        return [
            [tuple(self.screen.buffer[y][x]) for x in range(self.screen.columns)]
            for y in range(self.screen.lines)
        ]

    def text(self) -> str:
        return "\n".join(self.screen.display)
