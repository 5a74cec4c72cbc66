"""A scannable QR code widget (see ``tui.widgets.qr_screen`` for a full-screen one).

The code is drawn with half-block characters (two modules per terminal cell,
stacked vertically) in explicit black on white, so it scans on dark and light
terminal themes alike. ``segno`` is imported lazily, the first time a code is
drawn: a code's size comes from the QR capacity tables (`code_modules`), so
one with no room for it, shown as a message (at 80x24, say), costs no segno.
"""

from __future__ import annotations

import functools

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

__all__ = ["QRCode"]

QUIET_ZONE = 4
"""Preferred quiet zone (light border) in modules, as the QR standard asks."""

MIN_QUIET_ZONE = 2
"""Smallest quiet zone used when the preferred one does not fit."""

_QR_STYLE = Style(color=RichColor.from_rgb(0, 0, 0), bgcolor=RichColor.from_rgb(255, 255, 255))
"""Dark modules are drawn in the foreground (black), light ones in the background (white)."""

_HALF_BLOCKS = " ▀▄█"
"""Characters indexed by ``top_dark + 2 * bottom_dark``, drawn with ``_QR_STYLE``."""

_TIMES = "\N{MULTIPLICATION SIGN}"

Matrix = tuple[tuple[bool, ...], ...]
"""Rows of modules, ``True`` meaning dark, without any quiet zone."""

_DATA_CODEWORDS_L = (
    19, 34, 55, 80, 108, 136, 156, 194, 232, 274,
    324, 370, 428, 461, 523, 589, 647, 721, 795, 861,
    932, 1006, 1094, 1174, 1276, 1370, 1468, 1531, 1631, 1735,
    1843, 1955, 2071, 2191, 2306, 2434, 2566, 2702, 2812, 2956,
)  # fmt: skip
"""Data codewords of QR versions 1 to 40 at error correction level L (ISO/IEC 18004)."""

_ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


@functools.lru_cache(maxsize=8)
def code_modules(data: str) -> int | None:
    """Modules per side of the code `_encode` makes for ASCII ``data`` (0: too much data).

    segno takes the smallest version whose capacity holds the data in one
    mode: numeric, alphanumeric or byte. This works that out from the tables,
    without segno. None for other text, which only segno sizes.
    """
    if not data.isascii():
        return None
    n = len(data)
    if data.isdigit():
        count_bits, data_bits = (10, 12, 14), 10 * (n // 3) + (0, 4, 7)[n % 3]
    elif _ALPHANUMERIC.issuperset(data):
        count_bits, data_bits = (9, 11, 13), 11 * (n // 2) + 6 * (n % 2)
    else:
        count_bits, data_bits = (8, 16, 16), 8 * n
    for version, codewords in enumerate(_DATA_CODEWORDS_L, start=1):
        count = count_bits[0 if version < 10 else 1 if version < 27 else 2]
        if 4 + count + data_bits <= 8 * codewords:  # mode indicator, count, data
            return 17 + 4 * version
    return 0


def _too_much(data: str) -> str:
    return f"Too much data for a QR code ({len(data.encode())} bytes)."


@functools.lru_cache(maxsize=8)
def _encode(data: str) -> Matrix | None:
    """Encode ``data`` as a QR code (once per text: returning to Authorize draws the same).

    Returns:
        The module matrix, or ``None`` when there is too much data.
    """
    import segno  # Lazy: importing segno costs start-up time.

    try:
        qr = segno.make(data, error="l", micro=False)
    except segno.DataOverflowError:
        return None
    return tuple(tuple(bool(module) for module in row) for row in qr.matrix)


def _half_block(top: bool, bottom: bool) -> str:
    """The character showing a dark or light ``top`` module above a ``bottom`` one."""
    return _HALF_BLOCKS[top + 2 * bottom]


def _cell_size(modules: int, quiet_zone: int) -> tuple[int, int]:
    """Cells (width, height) taken by a code of ``modules`` modules with a quiet zone."""
    side = modules + 2 * quiet_zone
    return side, (side + 1) // 2


class QRCode(Widget):
    """Shows ``data`` as a QR code, or a short message when there is no room for it.

    The natural size (used by ``width: auto; height: auto``) is the code with a
    4-module quiet zone. When less room is given the quiet zone shrinks to 2
    modules; below that a message naming the needed size is shown instead of a
    cropped, unscannable code.
    """

    DEFAULT_CSS = """
    QRCode {
        width: auto;
        height: auto;
    }
    """

    data: reactive[str] = reactive("", layout=True)
    """The text encoded in the QR code. It is never interpreted as markup."""

    def __init__(
        self,
        data: str = "",
        *,
        too_small_hint: str | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Create a QR code widget.

        Args:
            data: The text to encode.
            too_small_hint: Advice appended to the message shown when the code does not
                fit; by default, ``f`` shows it full screen, in a terminal of what size.
            name: The name of the widget.
            id: The ID of the widget in the DOM.
            classes: The CSS classes of the widget.
            disabled: Whether the widget is disabled.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.too_small_hint = too_small_hint
        self._strips: dict[int, list[Strip]] = {}
        self.set_reactive(QRCode.data, data)

    def _watch_data(self) -> None:
        """Forget the strips of the previous code."""
        self._strips.clear()

    @property
    def matrix(self) -> Matrix | None:
        """The module matrix of the current data, or ``None`` if it can't be encoded."""
        return _encode(self.data)

    @property
    def modules(self) -> int:
        """Modules per side of the code, excluding the quiet zone (0 if not encodable).

        From the capacity tables when they tell: sizing a code needs no segno.
        """
        modules = code_modules(self.data)
        if modules is None:
            matrix = self.matrix
            return len(matrix) if matrix else 0
        return modules

    @property
    def natural_size(self) -> tuple[int, int]:
        """Cells (width, height) of the code with the preferred 4-module quiet zone."""
        modules = self.modules
        return _cell_size(modules, QUIET_ZONE) if modules else (0, 0)

    @property
    def needed_size(self) -> tuple[int, int]:
        """The smallest content size (width, height) in cells in which the code is drawn."""
        modules = self.modules
        return _cell_size(modules, MIN_QUIET_ZONE) if modules else (0, 0)

    def _quiet_zone_for(self, width: int, height: int) -> int | None:
        """The largest quiet zone with which the code fits ``width`` x ``height``, if any."""
        if not self.modules:
            return None
        for quiet_zone in range(QUIET_ZONE, MIN_QUIET_ZONE - 1, -1):
            code_width, code_height = _cell_size(self.modules, quiet_zone)
            if code_width <= width and code_height <= height:
                return quiet_zone
        return None

    @property
    def fits(self) -> bool:
        """Whether the code is drawn in the widget's current content region."""
        width, height = self.size
        return self._quiet_zone_for(width, height) is not None

    def _message(self, width: int, height: int) -> str:
        """The text shown instead of the code when it has no room; none without data
        (nothing to show, nor to see full screen, yet)."""
        if not self.data:
            return ""
        if not self.modules:
            return _too_much(self.data)
        needed_width, needed_height = self.needed_size
        needs = f"QR code needs {needed_width}{_TIMES}{needed_height} cells"
        if self.too_small_hint is None:
            return f"{needs}. {self._full_screen_hint()}"
        return f"{needs}; only {width}{_TIMES}{height} available. {self.too_small_hint}"

    def _full_screen_hint(self) -> str:
        """How to see the code full screen (``f``), and whether this terminal can."""
        width, height = self.needed_size
        height += 1  # the full-screen view's line of help
        terminal = self.app.size
        if terminal.width >= width and terminal.height >= height:
            return "Press f to see it full screen."
        return (
            f"Press f to see it full screen in a terminal of {width}{_TIMES}{height} "
            "or more: enlarge this one, or shrink the font (ctrl+minus in most terminals)."
        )

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """The width of the largest code that fits the container, else the container's width."""
        width = self.natural_size[0]
        if container.width <= 0:
            return width
        if container.height > 0:
            quiet_zone = self._quiet_zone_for(container.width, container.height)
            if quiet_zone is not None:
                return _cell_size(self.modules, quiet_zone)[0]
        return min(width, container.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The code's natural height (or the message's height if the code can't fit);
        none without data."""
        if not self.data:
            return 0
        natural_height = self.natural_size[1]
        needed_width, needed_height = self.needed_size
        if self.modules and width >= needed_width:
            if container.height <= 0:
                return natural_height
            if container.height >= needed_height:
                return min(natural_height, container.height)
        message = Content(self._message(width, container.height))
        return max(1, len(message.wrap(max(1, width))))

    def render(self) -> Content:
        """The message shown when the code does not fit (the code itself uses render_line)."""
        width, height = self.size
        return Content(self._message(width, height))

    def _code_strips(self, quiet_zone: int) -> list[Strip]:
        """The lines of the code with the given quiet zone (cached per data and quiet zone)."""
        strips = self._strips.get(quiet_zone)
        if strips is None:
            matrix = self.matrix
            assert matrix is not None
            side = len(matrix) + 2 * quiet_zone
            light_row = (False,) * side
            margin = (False,) * quiet_zone
            rows = [light_row] * quiet_zone
            rows.extend(margin + row + margin for row in matrix)
            rows.extend([light_row] * (quiet_zone + side % 2))
            strips = [
                Strip([Segment("".join(map(_half_block, top, bottom)), _QR_STYLE)])
                for top, bottom in zip(rows[0::2], rows[1::2], strict=True)
            ]
            self._strips[quiet_zone] = strips
        return strips

    def render_line(self, y: int) -> Strip:
        """Render one line of the code, aligned according to ``content-align``."""
        width, height = self.size
        quiet_zone = self._quiet_zone_for(width, height)
        if quiet_zone is None:
            return super().render_line(y)
        strips = self._code_strips(quiet_zone)
        code_width, code_height = _cell_size(self.modules, quiet_zone)
        styles = self.styles
        left = {"left": 0, "center": (width - code_width) // 2, "right": width - code_width}[
            styles.content_align_horizontal
        ]
        top = {"top": 0, "middle": (height - code_height) // 2, "bottom": height - code_height}[
            styles.content_align_vertical
        ]
        background = self.visual_style.rich_style
        if not top <= y < top + code_height:
            return Strip.blank(width, background)
        line = strips[y - top]
        if left:
            line = Strip.join([Strip.blank(left, background), line])
        return line.adjust_cell_length(width, background)
