"""The settings summary: labels in a column, values beside them or under them, scrolling."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.content import Content

from tests.screenshot import screen_text
from tui.widgets.settings_summary import SettingsSummary, summary_lines

ROWS = [
    ("Client ID", Content("oauth-dance-demo")),
    ("Redirect URI", Content("http://127.0.0.1:8888/callback\n✓ Loopback literal: any port")),
    ("Scopes", Content("user-read-private user-read-email user-top-read")),
]


class SummaryApp(App[None]):
    def __init__(self, width: int, rows: list[tuple[str, Content]] = ROWS) -> None:
        super().__init__()
        self.width, self.rows = width, rows

    def compose(self) -> ComposeResult:
        summary = SettingsSummary(self.rows)
        summary.styles.width = self.width + 2  # its padding: a cell each side
        yield summary


async def shown(width: int, rows: list[tuple[str, Content]] = ROWS) -> list[str]:
    app = SummaryApp(width, rows)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        summary = app.query_one(SettingsSummary)
        assert summary.size.height == len(lines[: summary.size.height]), "as tall as its rows"
        return [line[1:].rstrip() for line in lines[: summary.size.height]]


async def test_values_sit_beside_their_labels_and_wrap_under_themselves() -> None:
    assert await shown(46) == [
        "Client ID     oauth-dance-demo",
        "Redirect URI  http://127.0.0.1:8888/callback",
        "              ✓ Loopback literal: any port",
        "Scopes        user-read-private",
        "              user-read-email user-top-read",
    ]


async def test_a_value_with_a_word_too_long_to_sit_beside_its_label_goes_under_it() -> None:
    assert await shown(40) == [
        "Client ID     oauth-dance-demo",
        "Redirect URI",
        "  http://127.0.0.1:8888/callback",
        "  ✓ Loopback literal: any port",
        "Scopes        user-read-private",
        "              user-read-email",
        "              user-top-read",
    ]


async def test_too_narrow_for_a_column_beside_the_labels_every_value_goes_under() -> None:
    lines = await shown(20)
    assert lines[:2] == ["Client ID", "  oauth-dance-demo"]
    assert lines[2] == "Redirect URI" and lines[3].startswith("  http://127.0.0.1")
    assert "Scopes" in lines


def plain(lines: list[Content]) -> list[str]:
    return [line.plain.rstrip() for line in lines]


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
    (line,) = summary_lines([("PKCE", Content.styled("S256", "bold"))], 40)
    assert [(line.plain[span.start : span.end], span.style) for span in line.spans] == [
        ("PKCE  ", "$text-muted"),
        ("S256", "bold"),
    ]


async def test_a_resize_moves_values_under_their_labels_and_back() -> None:
    app = SummaryApp(0, ROWS)
    async with app.run_test(size=(48, 20)) as pilot:
        summary = app.query_one(SettingsSummary)
        summary.styles.width = "1fr"
        await pilot.pause()
        assert "Redirect URI  http" in screen_text(app)
        await pilot.resize_terminal(42, 20)
        await pilot.pause()
        assert "  http://127.0.0.1:8888/callback" in screen_text(app).splitlines()[2]
        await pilot.resize_terminal(48, 20)
        await pilot.pause()
        assert "Redirect URI  http" in screen_text(app)


@pytest.mark.parametrize("key", ["end", "pagedown"])
async def test_on_a_terminal_too_short_for_it_it_scrolls_by_key(key: str) -> None:
    app = SummaryApp(40)
    async with app.run_test(size=(60, 4)) as pilot:
        summary = app.query_one(SettingsSummary)
        summary.focus()
        await pilot.pause()
        assert summary.size.height == 4 and summary.max_scroll_y == 3
        assert screen_text(app).startswith(" Client ID")
        await pilot.press(key)
        await pilot.pause()
        assert screen_text(app).splitlines()[-1].strip() == "user-top-read"
