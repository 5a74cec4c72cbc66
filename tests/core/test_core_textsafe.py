"""Server text shown as text: no escapes, no control characters, no markup processing."""

from __future__ import annotations

from tui.core.textsafe import clean, excerpt


def test_clean_removes_ansi_and_control_characters() -> None:
    assert clean("a\x1b[2Jb\x07c\rd") == "abcd"
    assert clean("\x1b[1;31mred\x1b[0m") == "red"
    assert clean("title\x1b]0;pwned\x07 rest") == "title rest"
    assert clean("nul\x00del\x7fc1\x9bend") == "nuldelc1end"


def test_clean_keeps_text_tabs_and_newlines() -> None:
    text = "Hello, wörld 日本 🔑\n\tindented line"
    assert clean(text) == text


def test_clean_one_line_drops_newlines_and_tabs() -> None:
    assert clean("a\nb\tc\r", keep_newlines=False) == "abc"


def test_rich_markup_is_left_as_literal_text() -> None:
    assert clean("[bold red]x[/]") == "[bold red]x[/]"
    assert excerpt("[link=https://evil.example]click[/link]") == (
        "[link=https://evil.example]click[/link]"
    )


def test_excerpt_strips_tags_and_shortens() -> None:
    assert excerpt("<h1>502</h1>\n<p>Bad\x1b[2J Gateway</p>") == "502 Bad Gateway"
    long = excerpt("x" * 500, limit=40)
    assert len(long) == 40
    assert long.endswith("…")
