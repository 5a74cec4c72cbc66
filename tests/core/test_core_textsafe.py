"""Text from outside shown as text: control characters made visible, no markup processing."""

from __future__ import annotations

from tui.core.textsafe import clean, excerpt, shorten

OSC52 = "\x1b]52;c;cHduZWQ=\x07"


def test_clean_shows_escapes_and_control_characters_as_python_escapes() -> None:
    assert clean("a\x1b[2Jb\x07c\rd") == "a\\x1b[2Jb\\x07c\\rd"
    assert clean("\x1b[1;31mred\x1b[0m") == "\\x1b[1;31mred\\x1b[0m"
    assert clean(f"id{OSC52}") == "id\\x1b]52;c;cHduZWQ=\\x07"
    assert clean("nul\x00del\x7fc1\x9bend") == "nul\\x00del\\x7fc1\\x9bend"


def test_clean_shows_bidi_controls_and_line_separators() -> None:
    assert clean("abc\u202edcba\u2066x\u2028y") == "abc\\u202edcba\\u2066x\\u2028y"


def test_clean_leaves_no_control_character_at_all() -> None:
    every = "".join(map(chr, range(0x00, 0xA0)))
    for text in (clean(every), clean(every, keep_newlines=False)):
        assert "\x1b" not in text and "\r" not in text and "\x9b" not in text
        assert all(ord(c) >= 0x20 or c in "\t\n" for c in text)
    assert "\n" not in clean(every, keep_newlines=False)


def test_clean_keeps_text_tabs_and_newlines() -> None:
    text = "Hello, wörld 日本 🔑\n\tindented line"
    assert clean(text) == text


def test_clean_one_line_shows_newlines_and_tabs() -> None:
    assert clean("a\nb\tc\r", keep_newlines=False) == "a\\nb\\tc\\r"


def test_rich_markup_is_left_as_literal_text() -> None:
    assert clean("[bold red]x[/]") == "[bold red]x[/]"
    assert excerpt("[link=https://evil.example]click[/link]") == (
        "[link=https://evil.example]click[/link]"
    )


def test_excerpt_strips_tags_and_shortens() -> None:
    assert excerpt("<h1>502</h1>\n<p>Bad\x1b[2J Gateway</p>") == "502 Bad\\x1b[2J Gateway"
    long = excerpt("x" * 500, limit=40)
    assert len(long) == 40
    assert long.endswith("…")


def test_shorten_is_one_line_and_visible() -> None:
    assert shorten("a\r\nb\x1b[2J") == "a\\r\\nb\\x1b[2J"
    assert len(shorten("\x1b" * 500, limit=30)) == 30
