"""The screen model sends less and leaves the terminal showing exactly what the app drew.

Equivalence is checked with a terminal emulator (pyte): one fed the app's own
output, one fed what `ScreenDiff` made of it. After every render both must
show the same characters, colours and attributes, with the cursor in the same
place.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.terminal.emulator import Terminal
from tui.terminal.pen import DEFAULT
from tui.terminal.screen_diff import TOKENS, ScreenDiff

WIDTH, HEIGHT = 24, 6

PENS = [
    "",
    "1",
    "48;5;233",
    "38;5;253;48;5;233",
    "38;5;32;48;5;233",
    "1;38;5;253;48;5;17",
    "3;4;38;2;10;20;30",
    "7",
    "9;38;5;1;48;2;0;0;95",
    "2;48;5;233",
]
"""SGR parameters as Textual writes them: attributes first, then colours."""

UNITS = ["ab", "  ", "█▌", "·x", "字", "é "]
"""Two cells each, so wide characters always sit on even columns and spans never split one."""

PASSED_ON = ["\x1b[?25l", "\x1b]52;c;aGk=\x07", "\x1b[2J", "\x1b[?1049h"]
"""Sequences the model does not draw: sent on in order, the last two making it forget the screen."""


def segment(pen: str, text: str, link: bool = False) -> str:
    """A segment as Textual renders it: its full SGR, the text, a reset."""
    drawn = f"\x1b[{pen}m{text}\x1b[0m" if pen else text
    return f"\x1b]8;id=1;https://example.test/\x1b\\{drawn}\x1b]8;;\x1b\\" if link else drawn


spans = st.tuples(
    st.integers(0, HEIGHT - 1),
    st.integers(0, WIDTH // 2 - 1),
    st.lists(
        st.tuples(st.sampled_from(PENS), st.lists(st.sampled_from(UNITS), min_size=1, max_size=4)),
        min_size=1,
        max_size=4,
    ),
)


@st.composite
def frames(draw: st.DrawFn) -> str:
    """An update: spans of segments at cursor positions, maybe a sequence the model passes on."""
    parts = []
    for y, unit_x, segments in draw(st.lists(spans, min_size=1, max_size=6)):
        parts.append(f"\x1b[{y + 1};{unit_x * 2 + 1}H")
        room = WIDTH // 2 - unit_x  # in units: Textual never draws past the right edge
        for pen, units in segments:
            parts.append(segment(pen, "".join(units[:room])))
            room -= len(units)
            if room <= 0:
                break
    parts.insert(
        draw(st.integers(0, len(parts))),
        draw(st.sampled_from(["", *PASSED_ON])),
    )
    column, row = draw(st.integers(1, WIDTH)), draw(st.integers(1, HEIGHT))
    parts.append(f"\x1b[{row};{column}H")
    return "".join(parts)


def check_same(frames_: list[str], cuts: list[int]) -> None:
    """Feed frames (each cut into writes) to the model; after each frame, compare the terminals."""
    direct, diffed = Terminal(WIDTH, HEIGHT), Terminal(WIDTH, HEIGHT)
    start = "\x1b[?7l"
    direct.feed(start)
    diffed.feed(start)
    model = ScreenDiff(WIDTH, HEIGHT)
    for number, frame in enumerate(frames_):
        cut = cuts[number % len(cuts)] % (len(frame) + 1)
        model.feed(frame[:cut])
        model.feed(frame[cut:])
        direct.feed(frame)
        diffed.feed(model.render())
        assert diffed.cells() == direct.cells(), f"after frame {number}\n{diffed.text()}"
        assert (diffed.screen.cursor.x, diffed.screen.cursor.y) == (
            direct.screen.cursor.x,
            direct.screen.cursor.y,
        )


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(frames(), min_size=1, max_size=8), st.lists(st.integers(0, 10_000), min_size=1))
def test_the_terminal_shows_what_the_app_drew(frames_: list[str], cuts: list[int]) -> None:
    check_same(frames_, cuts)


@settings(max_examples=100, deadline=None)
@given(st.lists(frames(), min_size=1, max_size=5))
def test_the_same_frames_again_send_no_cells(frames_: list[str]) -> None:
    model = ScreenDiff(WIDTH, HEIGHT)
    clean = []  # passed-on sequences make the model draw what came before them at once
    for frame in frames_:
        for sequence in PASSED_ON:
            frame = frame.replace(sequence, "")
        clean.append(frame)
    for frame in clean:
        model.feed(frame)
    model.render()
    for frame in clean:
        model.feed(frame)
    assume(not model.whole_frame)  # that one is sent whole (see below)
    again = model.render()
    assert TOKENS.sub(lambda m: m["text"] or "", again) == ""  # no text: at most a cursor move


def test_a_repaint_of_the_whole_screen_is_sent_whole_and_of_a_part_only_what_changed() -> None:
    """A whole repaint (a new screen, ctrl+l) goes out as from Textual's own driver, so that
    whatever another program wrote over the screen goes; a partial one only where it changed."""
    model = ScreenDiff(WIDTH, HEIGHT)
    row = segment("38;5;253;48;5;233", "x" * WIDTH)
    frame = "".join(f"\x1b[{y + 1};1H{row}" for y in range(HEIGHT))
    model.feed(frame + "\x1b[1;1H")
    whole = model.render()
    assert len(whole) > WIDTH * HEIGHT
    model.feed(frame + "\x1b[1;1H")
    assert model.render() == whole
    model.feed("".join(f"\x1b[{y + 1};1H{row}" for y in range(HEIGHT - 1)) + "\x1b[1;1H")
    assert model.render() == ""


def test_one_changed_cell_costs_a_move_and_the_cell() -> None:
    model = ScreenDiff(WIDTH, HEIGHT)
    pen = "38;5;253;48;5;233"
    model.feed("\x1b[3;1H" + segment(pen, "hello world"))
    model.render()
    model.feed("\x1b[3;1H" + segment(pen, "hello World"))
    # the cursor then goes where the app left it: after the text
    assert model.render() == "\x1b[3;7H\x1b[38;5;253;48;5;233mW\x1b[m\x1b[4C"


def test_a_colour_change_sends_only_the_colour_that_changed() -> None:
    model = ScreenDiff(WIDTH, HEIGHT)
    model.feed("\x1b[1;1H" + segment("38;5;253;48;5;233", "ab") + segment("38;5;32;48;5;233", "cd"))
    assert model.render() == "\x1b[1H\x1b[38;5;253;48;5;233mab\x1b[38;5;32mcd\x1b[m"


def test_short_gaps_are_written_again_long_ones_skipped() -> None:
    model = ScreenDiff(WIDTH, HEIGHT)
    model.feed("\x1b[1;1H" + "a" * 20)
    model.render()
    model.feed("\x1b[1;1Hb\x1b[1;4Hb\x1b[1;15Hb")
    assert model.render() == "\x1b[1Hbaab\x1b[10Cb"


def test_other_sequences_go_out_in_order_after_the_cells_drawn_before_them() -> None:
    model = ScreenDiff(WIDTH, HEIGHT)
    model.feed("\x1b[1;1Hab\x1b]52;c;aGk=\x07\x1b[2;1Hcd")
    assert model.render() == "\x1b[1Hab\x1b]52;c;aGk=\x07\x1b[2Hcd"


def test_an_escape_sequence_cut_between_writes_is_held_until_complete() -> None:
    model = ScreenDiff(WIDTH, HEIGHT)
    model.feed("\x1b[1;1H\x1b[38;5;3")
    model.feed("2mab\x1b[0m")
    assert model.render() == "\x1b[1H\x1b[38;5;32mab\x1b[m"


def test_clearing_or_switching_screens_forgets_the_cells() -> None:
    for forgetting in ("\x1b[2J", "\x1b[?1049h", "\x1b[?1049l", "\x1bc"):
        model = ScreenDiff(WIDTH, HEIGHT)
        model.feed("\x1b[1;1Hab")
        model.render()
        model.feed(forgetting + "\x1b[1;1Hab")
        assert model.render().endswith(forgetting + "\x1b[1Hab"), forgetting


def test_after_a_resize_every_cell_the_app_drew_that_fits_is_sent_again() -> None:
    """The terminal may have dropped cells, even when resized there and back (``always``)."""
    model = ScreenDiff(WIDTH, HEIGHT)
    model.feed("\x1b[1;1Hab")
    model.render()
    model.resize(WIDTH, HEIGHT)
    model.feed("\x1b[1;1Hab")
    assert model.render() == ""
    model.resize(WIDTH, HEIGHT, always=True)
    assert model.render() == "\x1b[1Hab"
    model.resize(WIDTH + 1, HEIGHT)
    assert model.render() == "\x1b[1Hab"
    model.resize(1, HEIGHT)
    assert model.render() == "\x1b[1Ha"


def test_a_wide_character_cut_by_a_resize_is_not_sent_half() -> None:
    model = ScreenDiff(4, 1)
    model.feed("\x1b[1;1Ha字")
    model.render()
    model.resize(2, 1)
    assert model.render() == "\x1b[1Ha"


def test_synchronized_output_brackets_each_render_once_the_app_uses_it() -> None:
    model = ScreenDiff(WIDTH, HEIGHT)
    model.feed("\x1b[?2026h\x1b[1;1Hab\x1b[?2026l\x1b[?2026h\x1b[1;1Hac\x1b[?2026l")
    assert model.render() == "\x1b[?2026h\x1b[1Hac\x1b[?2026l"
    assert model.render() == ""


def test_links_open_and_close_around_their_cells() -> None:
    model = ScreenDiff(WIDTH, HEIGHT)
    model.feed("\x1b[1;1Hx" + segment("1", "go", link=True) + "y")
    assert model.render() == (
        "\x1b[1Hx\x1b]8;id=1;https://example.test/\x1b\\\x1b[1mgo\x1b]8;;\x1b\\\x1b[my"
    )


def test_between_renders_the_pen_is_the_default_one_and_no_link_is_open() -> None:
    model = ScreenDiff(WIDTH, HEIGHT)
    model.feed("\x1b[1;1H\x1b[1;38;5;32m" + "\x1b]8;id=1;https://example.test/\x1b\\ab")
    assert model.render().endswith("ab\x1b[m\x1b]8;;\x1b\\")
    assert model._pen != DEFAULT  # the app's pen carries on into its next write


def test_overwriting_half_a_wide_character_blanks_its_other_half() -> None:
    model = ScreenDiff(WIDTH, HEIGHT)
    model.feed("\x1b[1;1H字字")
    model.render()
    model.feed("\x1b[1;2Hx")
    assert model.render() == "\x1b[1H x"
    model.feed("\x1b[1;3Hy")
    assert model.render() == "y \x1b[1;4H"


def test_the_cursor_is_left_alone_around_the_alternate_screen() -> None:
    model = ScreenDiff(WIDTH, HEIGHT)
    model.feed("\x1b[?1049h\x1b[?25l")
    assert model.render() == "\x1b[?1049h\x1b[?25l"  # the shell's cursor is saved where it was
    model.feed("\x1b[3;1Hab\x1b[1;1H")
    model.render()
    model.feed("\x1b[?1049l\x1b[?25h")
    assert model.render() == "\x1b[?1049l\x1b[?25h"  # and the shell gets it back there


def test_cursor_positions_with_missing_or_zero_parameters_mean_the_first_row_and_column() -> None:
    direct, diffed = Terminal(WIDTH, HEIGHT), Terminal(WIDTH, HEIGHT)
    model = ScreenDiff(WIDTH, HEIGHT)
    frame = "\x1b[Ha\x1b[0;0Hb\x1b[3Hc\x1b[;5Hd\x1b[2;Hx"
    model.feed(frame)
    direct.feed(frame)
    diffed.feed(model.render())
    assert diffed.cells() == direct.cells()
    assert diffed.text().splitlines()[:3] == ["b   d" + " " * 19, "x" + " " * 23, "c" + " " * 23]


def test_a_cursor_position_the_model_cannot_read_goes_out_as_it_is() -> None:
    model = ScreenDiff(WIDTH, HEIGHT)
    model.feed("\x1b[1;1Hab\x1b[1;2;3Hc")
    assert model.render() == "\x1b[1Hab\x1b[1;2;3H\x1b[1;3Hc"
