"""A model of the terminal's cells: what the app drew, what the terminal shows, the bytes between.

`ScreenDiff.feed` takes the app's output as it would go to the terminal and
records the cells it draws (it understands cursor moves, SGR, OSC 8 links and
text). `ScreenDiff.render` returns what the terminal needs to show those
cells: only the cells that differ from what it shows now, reached by the
shortest cursor move, drawn with the shortest SGR change. Everything else the
app writes (modes, queries, titles, the clipboard) goes out unchanged and in
order. Whatever may have changed the screen behind the model's back (a clear,
the alternate screen) makes it forget what the terminal shows; after a resize
it sends again every cell the app drew. A frame that paints the whole screen
is sent whole, as Textual's own driver sends it, so that what another program
wrote over the screen goes.

Between two renders the terminal's pen is the default one and no link is
open, as with the app's own output, whose every segment ends with a reset.
"""

from __future__ import annotations

import re

from rich.cells import get_character_cell_size

from tui.terminal.pen import DEFAULT, Pen, apply_sgr, sgr_change

Cell = tuple[str, Pen]
"""A cell's text (``""`` for the right half of a wide character) and pen."""

ESCAPE = (
    r"\x1b\[(?P<params>[0-9;:?<>=!$ ]*)(?P<final>[@-~])"
    r"|(?P<osc>\x1b\][^\x07\x1b]*(?:\x07|\x1b\\))"
    r"|\x1b[P^_X][^\x1b]*\x1b\\"
    r"|\x1b[^\[\]P^_X]"
)
TOKENS = re.compile(rf"{ESCAPE}|(?P<text>[^\x00-\x1f\x7f-\x9f]+)|(?P<control>[\x00-\x1f\x7f-\x9f])")
COMPLETE_ESCAPE = re.compile(ESCAPE)
POSITION = re.compile(r"(?P<row>\d*)(?:;(?P<column>\d*))?")
"""The parameters of a cursor position (CUP): ``row;column``, either left out meaning 1."""

LONGEST_CARRY = 4096
"""An unfinished escape sequence longer than this is passed on as it is, not held."""

SYNC = "?2026"
"""Synchronized output: the model brackets its own renders with it, once the app uses it."""

FORGETTING_FINALS = frozenset("JKLMPSTX@r")
"""CSI finals that erase, insert, delete or scroll: the model no longer knows the cells."""

SCREEN_MODES = frozenset({"?47", "?1047", "?1049"})
"""Modes that switch between the main and the alternate screen."""

LINK_CLOSE = "\x1b]8;;\x1b\\"

GAP_REDRAWN = 3
"""Unchanged cells up to this many are written again rather than skipped with a cursor move."""


class ScreenDiff:
    """The cells the app drew, the cells the terminal shows, and the output that reconciles them."""

    def __init__(self, width: int = 0, height: int = 0) -> None:
        self.width = width
        self.height = height
        self._want: list[list[Cell | None]] = []
        self._have: list[list[Cell | None]] = []
        self._dirty: dict[int, list[int]] = {}
        self._out: list[str] = []
        self._carry = ""
        self._pen = DEFAULT
        self._x = 0
        self._y = 0
        self._cursor: tuple[int, int] | None = None
        """Where the terminal's cursor is, or None when not known."""
        self._sync = False
        self._placed = False
        """The app has put its cursor somewhere since the model last forgot the screen."""
        self._wide: set[int] = set()
        """Rows drawn with a wide character since the model last forgot the screen."""
        self.forget()

    def forget(self) -> None:
        """Stop assuming anything about what the terminal shows: the next frame is sent whole."""
        self._want = [[None] * self.width for _ in range(self.height)]
        self._have = [[None] * self.width for _ in range(self.height)]
        self._dirty.clear()
        self._wide.clear()
        self._cursor = None
        self._placed = False

    def resize(self, width: int, height: int, *, always: bool = False) -> None:
        """The terminal's size, after it changed (or, ``always``, may have changed and back).

        A resized terminal may have dropped or moved cells: nothing is assumed
        about what it shows, and the next render sends again every cell the
        app drew that still fits (the app's own repaint at the new size
        usually replaces them first).
        """
        if (width, height) == (self.width, self.height) and not always:
            return
        want: list[list[Cell | None]] = []
        for old in self._want[:height]:
            row = old[:width]
            if 0 < width < len(old) and (tail := old[width]) is not None and not tail[0]:
                row[width - 1] = None  # a wide character cut in half
            want.append(row + [None] * (width - len(row)))
        want += [[None] * width for _ in range(height - len(want))]
        self.width, self.height = width, height
        self._want = want
        self._have = [[None] * width for _ in range(height)]
        self._dirty = {y: [0, width] for y in range(height)}
        self._wide = {y for y in self._wide if y < height}
        self._cursor = None

    @property
    def whole_frame(self) -> bool:
        """What was drawn since the last render spans every row, as Textual's frame does
        on a screen switch or a refresh."""
        return len(self._dirty) == self.height and all(
            span == [0, self.width] for span in self._dirty.values()
        )

    @property
    def drawing(self) -> bool:
        """Cells were drawn since the last render: a frame is being written."""
        return bool(self._dirty)

    def feed(self, data: str) -> None:
        """Take the app's output: cells go into the model, the rest is queued in order."""
        data = self._carry + data
        self._carry = ""
        start = data.rfind("\x1b")
        unfinished = start >= 0 and not COMPLETE_ESCAPE.match(data, start)
        if unfinished and len(data) - start <= LONGEST_CARRY:
            data, self._carry = data[:start], data[start:]
        for match in TOKENS.finditer(data):
            text = match["text"]
            if text is not None:
                self._put(text)
            elif match["final"] is not None:
                self._csi(match[0], match["params"], match["final"])
            elif match["osc"] is not None and match[0].startswith("\x1b]8;"):
                link = match[0]
                self._pen = self._pen._replace(link="" if link.startswith("\x1b]8;;") else link)
            elif match["control"] is not None:
                self._control(match[0])
            else:
                sequence = match[0]
                self._pass(sequence, forget=sequence in ("\x1bc", "\x1bD", "\x1bM", "\x1bE"))

    def render(self) -> str:
        """What to send the terminal for everything fed since the last render."""
        self._draw()
        self._place_cursor()
        output = "".join(self._out)
        self._out.clear()
        if self._sync and output:
            output = f"\x1b[{SYNC}h{output}\x1b[{SYNC}l"
        return output

    def _csi(self, sequence: str, params: str, final: str) -> None:
        if final == "m" and not params.startswith(("?", "<", ">", "=")):
            self._pen = apply_sgr(self._pen, params)
        elif final in "Hf" and (position := POSITION.fullmatch(params)):
            self._y = max(int(position["row"] or 1), 1) - 1
            self._x = max(int(position["column"] or 1), 1) - 1
            self._placed = True
        elif final in "ABCDGd" and (params.isdigit() or not params):
            count = int(params or 1)
            self._placed = True
            if final == "A":
                self._y -= count
            elif final == "B":
                self._y += count
            elif final == "C":
                self._x += count
            elif final == "D":
                self._x = max(self._x - count, 0)
            elif final == "G":
                self._x = count - 1
            else:
                self._y = count - 1
        elif params == SYNC and final in "hl":
            self._sync = True
        else:
            forget = final in FORGETTING_FINALS or (final in "hl" and params in SCREEN_MODES)
            self._pass(sequence, forget=forget)
            if final in "Hf":
                self._cursor = None

    def _control(self, character: str) -> None:
        if character == "\r":
            self._x = 0
        elif character == "\n":
            self._x, self._y = 0, self._y + 1
        elif character == "\x08":
            self._x = max(self._x - 1, 0)
        else:
            self._pass(character, forget=character != "\x07")

    def _pass(self, sequence: str, *, forget: bool) -> None:
        """Send a sequence the model does not draw, after the cells drawn before it."""
        self._draw()
        self._place_cursor()
        self._out.append(sequence)
        if forget:
            self.forget()
        elif sequence in ("\x1b7", "\x1b8"):
            self._cursor = None

    def _put(self, text: str) -> None:
        """Record text drawn at the cursor with the current pen."""
        x, y, pen = self._x, self._y, self._pen
        self._placed = True
        cells: list[Cell] = []
        if text.isascii():
            cells = [(character, pen) for character in text]
        else:
            for character in text:
                size = get_character_cell_size(character)
                if size == 0:
                    if cells:
                        base = -2 if cells[-1][0] == "" else -1
                        cells[base] = (cells[base][0] + character, pen)
                    continue
                cells.append((character, pen))
                if size == 2:
                    cells.append(("", pen))
                    self._wide.add(y)
        self._x = x + len(cells)
        start, end = max(x, 0), min(x + len(cells), self.width)
        if not 0 <= y < self.height or start >= end:
            return
        row = self._want[y]
        low, high = start, end
        if start > 0 and (left := row[start]) is not None and left[0] == "":
            if (head := row[start - 1]) is not None:
                row[start - 1] = (" ", head[1])
            low = start - 1
        if end < self.width and (right := row[end]) is not None and right[0] == "":
            row[end] = (" ", right[1])
            high = end + 1
        row[start:end] = cells[start - x : end - x]
        span = self._dirty.setdefault(y, [low, high])
        span[0], span[1] = min(span[0], low), max(span[1], high)

    def _draw(self) -> None:
        """Queue the cells that differ from what the terminal shows."""
        if not self._dirty:
            return
        out = self._out
        pen = DEFAULT
        if self.whole_frame:
            # Send it whole, as Textual's own driver would, so that what
            # another program wrote over the screen goes.
            self._have = [[None] * self.width for _ in range(self.height)]
            self._cursor = None
        for y in sorted(self._dirty):
            low, high = self._dirty[y]
            want, have = self._want[y], self._have[y]
            changed = [x for x in range(low, high) if want[x] is not None and want[x] != have[x]]
            if y in self._wide:
                changed = self._whole_characters(want, have, changed)
            for x in changed:
                cell = want[x]
                if cell is None:
                    continue
                have[x] = cell
                text, cell_pen = cell
                if text == "":
                    continue
                if self._cursor != (x, y):  # else the cursor is there: the common case
                    self._skip_to(x, y, pen)
                if cell_pen is not pen:
                    if cell_pen.link != pen.link:
                        out.append(LINK_CLOSE if pen.link else "")
                        out.append(cell_pen.link)
                    out.append(sgr_change(pen, cell_pen))
                out.append(text)
                pen = cell_pen
                wide = x + 1 < self.width and (tail := want[x + 1]) is not None and tail[0] == ""
                after = x + (2 if wide else 1)
                self._cursor = (after, y) if after < self.width else None
        self._dirty.clear()
        out.append(sgr_change(pen, DEFAULT))
        if pen.link:
            out.append(LINK_CLOSE)

    def _whole_characters(
        self, want: list[Cell | None], have: list[Cell | None], changed: list[int]
    ) -> list[int]:
        """The changed cells, with the other half of any wide character among them, in order."""
        cells = set(changed)
        for x in changed:
            for row in (want, have):
                if x > 0 and (cell := row[x]) is not None and cell[0] == "":
                    cells.add(x - 1)
                if x + 1 < self.width and (cell := row[x + 1]) is not None and cell[0] == "":
                    cells.add(x + 1)
        return sorted(cells)

    def _skip_to(self, x: int, y: int, pen: Pen) -> None:
        """Move the cursor to a cell on the same row by the cheapest way, else by position."""
        if self._cursor is not None and self._cursor[1] == y and self._cursor[0] <= x:
            gap = range(self._cursor[0], x)
            have = self._have[y]
            cells = [have[i] for i in gap]
            if len(cells) <= GAP_REDRAWN and all(
                cell is not None and cell[1] == pen and len(cell[0]) == 1 and cell[0].isascii()
                for cell in cells
            ):
                self._out.extend(cell[0] for cell in cells if cell is not None)
                self._cursor = (x, y)
                return
        self._move_to(x, y)

    def _place_cursor(self) -> None:
        """Put the terminal's cursor where the app left it, if the app has put it anywhere.

        Not before that: the cursor saved on entering the alternate screen, and
        the one the shell gets back on leaving it, must stay where they were.
        """
        if self._placed:
            self._move_to(self._x, self._y)

    def _move_to(self, x: int, y: int) -> None:
        if self._cursor == (x, y) or not (0 <= x < self.width and 0 <= y < self.height):
            return
        if self._cursor is not None and self._cursor[1] == y and self._cursor[0] < x:
            gap = x - self._cursor[0]
            self._out.append("\x1b[C" if gap == 1 else f"\x1b[{gap}C")
        else:
            self._out.append(f"\x1b[{y + 1}H" if x == 0 else f"\x1b[{y + 1};{x + 1}H")
        self._cursor = (x, y)
