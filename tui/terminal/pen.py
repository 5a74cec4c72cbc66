"""The terminal's pen (SGR attributes, colours, hyperlink) and the shortest change between two.

Both functions are pure and cached: an app uses a few dozen pens, and every
frame repeats their SGR sequences cell after cell.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

COLOUR_LENGTHS = {"5": 3, "2": 5}
"""Parameters taken by ``38;5;N`` and ``38;2;R;G;B`` (and their 48 and 58 forms)."""

COLOUR_SLOTS = {"38": 0, "48": 1, "58": 2}
"""Extended colour introducers: foreground, background, underline."""

ATTRIBUTES_OFF = {
    "22": ("1", "2"),
    "23": ("3",),
    "24": ("4", "21"),
    "25": ("5", "6"),
    "27": ("7",),
    "28": ("8",),
    "29": ("9",),
    "54": ("51", "52"),
    "55": ("53",),
}
"""SGR codes that switch attributes off, and the attributes they switch off."""


class Pen(NamedTuple):
    """How a cell is drawn: SGR attributes, colours (as SGR parameters) and an OSC 8 link."""

    attributes: frozenset[str] = frozenset()
    fg: str = ""
    bg: str = ""
    underline: str = ""
    link: str = ""
    """The whole OSC 8 sequence that opened the link, or empty."""

    def sgr(self) -> list[str]:
        """The SGR parameters that draw this pen from a reset."""
        return [*sorted(self.attributes), *(c for c in (self.fg, self.bg, self.underline) if c)]


DEFAULT = Pen()


@lru_cache(maxsize=4096)
def apply_sgr(pen: Pen, parameters: str) -> Pen:
    """The pen after an SGR sequence (``ESC [ parameters m``) is applied to it."""
    attributes = set(pen.attributes)
    colours = [pen.fg, pen.bg, pen.underline]
    parts = parameters.split(";") if parameters else ["0"]
    index = 0
    while index < len(parts):
        code = parts[index]
        index += 1
        introducer = code.split(":", 1)[0]
        if code in ("", "0"):
            attributes.clear()
            colours = ["", "", ""]
        elif introducer in COLOUR_SLOTS:
            if ":" not in code:
                length = COLOUR_LENGTHS.get(parts[index] if index < len(parts) else "", 1)
                code = ";".join(parts[index - 1 : index - 1 + length])
                index += length - 1
            colours[COLOUR_SLOTS[introducer]] = code
        elif code in ("39", "49", "59"):
            colours[{"39": 0, "49": 1, "59": 2}[code]] = ""
        elif code.isdigit() and (30 <= int(code) <= 37 or 90 <= int(code) <= 97):
            colours[0] = code
        elif code.isdigit() and (40 <= int(code) <= 47 or 100 <= int(code) <= 107):
            colours[1] = code
        elif code in ATTRIBUTES_OFF:
            attributes.difference_update(ATTRIBUTES_OFF[code])
            if code == "24":
                attributes.difference_update(a for a in list(attributes) if a.startswith("4:"))
        else:
            if introducer == "4":
                attributes.difference_update(a for a in list(attributes) if a.startswith("4:"))
            if code == "4:0":
                attributes.discard("4")
            else:
                attributes.add(code)
    fg, bg, underline = colours
    return Pen(frozenset(attributes), fg, bg, underline, pen.link)


@lru_cache(maxsize=4096)
def sgr_change(old: Pen, new: Pen) -> str:
    """The shortest SGR sequence that turns ``old`` into ``new`` (links aside), or ``""``."""
    if old[:4] == new[:4]:
        return ""
    reset = "\x1b[" + ";".join(["0", *new.sgr()]) + "m" if new[:4] != DEFAULT[:4] else "\x1b[m"
    if not old.attributes <= new.attributes:
        return reset
    parameters = sorted(new.attributes - old.attributes)
    for was, now, default in zip(old[1:4], new[1:4], ("39", "49", "59"), strict=True):
        if was != now:
            parameters.append(now or default)
    change = "\x1b[" + ";".join(parameters) + "m"
    return change if len(change) < len(reset) else reset
