"""SGR parsing and the shortest change between two pens, checked against a terminal emulator."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.terminal.emulator import Terminal
from tui.terminal.pen import DEFAULT, Pen, apply_sgr, sgr_change

CODES = ["1", "2", "3", "4", "7", "9", "21", "22", "23", "24", "27", "29", "39", "49", "0"]
COLOURS = ["38;5;32", "48;5;233", "38;2;1;2;3", "48;2;200;0;9", "31", "42", "97", "104"]

sgr = st.lists(st.sampled_from(CODES + COLOURS), max_size=5).map(";".join)


def test_textual_segments_parse_to_their_attributes_and_colours() -> None:
    pen = apply_sgr(DEFAULT, "1;38;5;253;48;5;17")
    assert pen == Pen(frozenset({"1"}), "38;5;253", "48;5;17")
    assert apply_sgr(pen, "0") == DEFAULT
    assert apply_sgr(pen, "") == DEFAULT
    assert apply_sgr(pen, "22;39") == Pen(bg="48;5;17")
    assert apply_sgr(DEFAULT, "4:3;58:2::1:2:3") == Pen(frozenset({"4:3"}), underline="58:2::1:2:3")
    assert apply_sgr(apply_sgr(DEFAULT, "4:3"), "24") == DEFAULT


def test_the_change_between_equal_pens_is_nothing_and_to_the_default_a_reset() -> None:
    pen = apply_sgr(DEFAULT, "1;38;5;32")
    assert sgr_change(pen, pen) == ""
    assert sgr_change(pen, DEFAULT) == "\x1b[m"
    assert sgr_change(pen, apply_sgr(DEFAULT, "38;5;32")) == "\x1b[0;38;5;32m"
    grey_on_black = apply_sgr(DEFAULT, "38;5;32;48;5;233")
    red_on_black = apply_sgr(DEFAULT, "38;5;1;48;5;233")
    assert sgr_change(grey_on_black, red_on_black) == "\x1b[38;5;1m"


@given(sgr, sgr)
def test_the_change_draws_the_new_pen_from_the_old(old_sgr: str, new_sgr: str) -> None:
    old, new = apply_sgr(DEFAULT, old_sgr), apply_sgr(DEFAULT, new_sgr)
    change = sgr_change(old, new)
    assert apply_sgr(old, change[2:-1]) == new if change else old == new
    assert len(change) <= len(f"\x1b[0;{';'.join(new.sgr())}m")
    changed, fresh = Terminal(4, 1), Terminal(4, 1)
    changed.feed(f"\x1b[{';'.join(old.sgr())}m{change}x")
    fresh.feed(f"\x1b[0;{';'.join(new.sgr())}mx")
    assert changed.cells() == fresh.cells()
