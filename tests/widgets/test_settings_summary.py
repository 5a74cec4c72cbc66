"""The settings summary: labels in a column, values wrapped beside them, one widget."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content

from tui.widgets.settings_summary import SettingsSummary, summary_lines

ROWS = [
    ("Client ID", Content("oauth-dance-demo")),
    ("Redirect URI", Content("http://127.0.0.1:8888/callback\n✓ Loopback literal: any port")),
    ("Scopes", Content("user-read-private user-read-email user-top-read")),
]


def plain(lines: list[Content]) -> list[str]:
    return [line.plain.rstrip() for line in lines]


def test_values_sit_beside_their_labels_and_wrap_under_themselves() -> None:
    assert plain(summary_lines(ROWS, 46)) == [
        "Client ID     oauth-dance-demo",
        "Redirect URI  http://127.0.0.1:8888/callback",
        "              ✓ Loopback literal: any port",
        "Scopes        user-read-private",
        "              user-read-email user-top-read",
    ]


def test_a_value_with_a_word_too_long_to_sit_beside_its_label_goes_under_it() -> None:
    assert plain(summary_lines(ROWS, 40)) == [
        "Client ID     oauth-dance-demo",
        "Redirect URI",
        "  http://127.0.0.1:8888/callback",
        "  ✓ Loopback literal: any port",
        "Scopes        user-read-private",
        "              user-read-email",
        "              user-top-read",
    ]


def test_a_word_that_would_not_fit_beside_the_labels_puts_values_under_them() -> None:
    assert plain(summary_lines(ROWS[1:2], 34)) == [
        "Redirect URI",
        "  http://127.0.0.1:8888/callback",
        "  ✓ Loopback literal: any port",
    ]


def test_wide_characters_count_by_the_cells_they_take() -> None:
    wide = [("Client ID", Content("クライアント識別子です"))]  # 11 characters, 22 cells
    assert plain(summary_lines(wide, 36)) == ["Client ID  クライアント識別子です"]
    assert plain(summary_lines(wide, 32)) == ["Client ID", "  クライアント識別子です"]


def test_a_word_too_long_for_any_column_is_folded() -> None:
    assert plain(summary_lines(ROWS[1:2], 20)) == [
        "Redirect URI",
        "  http://127.0.0.1:8",
        "  888/callback",
        "  ✓ Loopback",
        "  literal: any port",
    ]


def test_labels_are_muted_and_values_keep_their_styles() -> None:
    rows = [("PKCE", Content.styled("S256", "bold"))]
    (line,) = summary_lines(rows, 40)
    assert [(line.plain[span.start : span.end], span.style) for span in line.spans] == [
        ("PKCE  ", "$text-muted"),
        ("S256", "bold"),
    ]


class SummaryApp(App[None]):
    CSS = "SettingsSummary { width: 42; }"  # 40 cells inside its padding

    def compose(self) -> ComposeResult:
        yield SettingsSummary(ROWS)


async def test_the_widget_is_as_tall_as_its_lines_and_draws_them() -> None:
    app = SummaryApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        summary = app.query_one(SettingsSummary)
        assert summary.size.height == len(summary_lines(ROWS, 40)) == 7
        drawn = [summary.render_line(y).text.rstrip() for y in range(summary.size.height)]
        assert drawn == plain(summary_lines(ROWS, 40))


class ShortApp(App[None]):
    CSS = "SettingsSummary { width: 42; }"

    def compose(self) -> ComposeResult:
        yield SettingsSummary(ROWS)


async def test_on_a_terminal_too_short_for_it_it_scrolls_by_key() -> None:
    app = ShortApp()
    async with app.run_test(size=(60, 4)) as pilot:
        summary = app.query_one(SettingsSummary)
        summary.focus()
        await pilot.pause()
        assert summary.size.height == 4 and summary.max_scroll_y == 3
        assert summary.render_line(0).text.startswith("Client ID")
        await pilot.press("end")
        await pilot.pause()
        drawn = [summary.render_line(y).text.rstrip() for y in range(4)]
        assert drawn == plain(summary_lines(ROWS, 40))[-4:]
