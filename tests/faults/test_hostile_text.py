"""Text from outside that looks like markup or carries terminal control sequences is shown
as text: literally, its control characters made visible (``\x1b``), and it never runs an
action. Server answers, the credentials file, and the command line alike."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from textual.content import Content
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import Input, Static

from tests.app.wizard import free_port, settle
from tests.faults.faultapp import (
    bad_app,
    mock,
    panel_text,
    seed_bad,
    toasts,
    viewer_texts,
    widget_texts,
)
from tests.screenshot import screen_text
from tui.app import OAuthDanceApp
from tui.core.store import CredsStore
from tui.widgets.error_panel import ErrorPanel
from tui.widgets.redirect_verdict import redirect_verdict

MARKUP = "[bold red]x[/] [@click=app.quit]q[/] [link=https://evil.example]l[/link]"
CONTROLS = "\x1b[2J\x1b[H\x07\rover\x1b]8;;https://evil.example\x07osc\x1b]8;;\x07\x9b31m"
HOSTILE = f"{MARKUP} {CONTROLS}end"
FORBIDDEN = ("\x1b", "\x07", "\r", "\x9b")


def answering(status: int, payload: object) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status,
            content=json.dumps(payload).encode(),
            headers=[(b"Content-Type", b"application/json"), (b"X-Note", b"\x1b[2Jhdr\x07")],
            extensions={"reason_phrase": b"[@click=app.quit]Quit\x1b[2J"},
        )

    return mock(handler)


def assert_shown_safely(app: object, *, toast: bool = True) -> None:
    """No control character anywhere on screen or in any widget; no action in any text."""
    if toast:
        assert app.screen.query("Toast"), "toasts are on screen (notifications=True)"  # type: ignore[attr-defined]
    texts = [screen_text(app), *widget_texts(app), *toasts(app)]  # type: ignore[arg-type]
    for text in texts:
        for char in FORBIDDEN:
            assert char not in text, f"{char!r} reached the screen in {text[:80]!r}"
    for widget in app.screen.query("Static, Toast"):  # type: ignore[attr-defined]
        visual = widget.render()
        if isinstance(visual, Content):
            for span in visual.spans:
                style = str(span.style)
                assert "@click" not in style and "link" not in style, style


async def still_running_after_clicks(pilot: object, *targets: str) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    for target in targets:
        for widget in app.screen.query(target):
            await pilot.click(widget)  # type: ignore[attr-defined]
            await settle(pilot)  # type: ignore[arg-type]
    assert app.return_code is None, "a click on server text ran an action"


@pytest.mark.parametrize(
    "payload",
    [
        {"error": "invalid_grant", "error_description": HOSTILE},
        {"error": HOSTILE},
    ],
    ids=["error_description", "error"],
)
async def test_hostile_error_in_panel_toast_and_viewer(
    payload: dict[str, str], isolated_environment: Path
) -> None:
    app = bad_app(isolated_environment, transport=answering(400, payload))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("3", "s")
        await settle(pilot)
        panel = panel_text(app)
        assert "[bold red]x[/] [@click=app.quit]q[/]" in panel, "markup shown literally"
        assert "\\x1b[2J\\x1b[H\\x07\\rover\\x1b]8;;" in panel, "escapes shown visibly"
        assert "[link=https://evil.example]l[/link]" in panel
        assert any("[@click=app.quit]q[/]" in t for t in toasts(app))
        assert any("[@click=app.quit]q[/]" in t for t in viewer_texts(app))
        assert_shown_safely(app)
        await still_running_after_clicks(pilot, "ErrorPanel", "Toast")
        assert app.screen.query_one(ErrorPanel).display


async def test_hostile_profile_fields(isolated_environment: Path) -> None:
    profile = {
        "display_name": HOSTILE,
        "id": "[@click=app.quit]q[/]",
        "email": "a@b.example\r\x1b[1A\x1b[2Kforged line",
        HOSTILE: "a hostile key",
    }
    app = bad_app(isolated_environment, transport=answering(200, profile))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        result = str(app.screen.query_one("#result", Static).render())
        assert "[bold red]x[/]" in result and "[@click=app.quit]q[/]" in result
        assert "a@b.example\\r\\x1b[1A\\x1b[2Kforged line" in result
        assert_shown_safely(app, toast=False)
        await still_running_after_clicks(pilot, "#result")


async def test_hostile_api_error_message(isolated_environment: Path) -> None:
    payload = {"error": {"status": 401, "message": HOSTILE}}
    app = bad_app(isolated_environment, transport=answering(401, payload))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert "[@click=app.quit]q[/]" in panel_text(app)
        assert_shown_safely(app)
        await still_running_after_clicks(pilot, "ErrorPanel")


async def test_hostile_html_error_page(isolated_environment: Path) -> None:
    page = f"<html><title>{HOSTILE}</title><body><h1>{MARKUP}</h1></body></html>"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text=page, headers={"Content-Type": "text/html"})

    app = bad_app(isolated_environment, transport=mock(handler))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("5", "s")
        await settle(pilot)
        assert "[@click=app.quit]q[/]" in panel_text(app)
        assert_shown_safely(app)
        await pilot.press("t")
        await settle(pilot)
        assert_shown_safely(app)


OSC52 = "\x1b]52;c;cHduZWQ=\x07"
"""Sets the terminal's clipboard to "pwned"."""
CLEAR = "\x1b[2J"
HOSTILE_ID = f"id{OSC52}{CLEAR}[bold]b[/]"
HOSTILE_TABLE = f"corp{OSC52}{CLEAR}"


def seed_hostile(creds: Path) -> None:
    """A creds file whose table name and client id hold OSC 52 and a screen clear."""
    seed_bad(
        creds,
        "https://as.example",
        HOSTILE_TABLE,
        client_id=HOSTILE_ID,
        redirect_uri=f"http://127.0.0.1:{free_port()}/callback",
        code="",
        token="",
        refresh="",
    )


SHOWN_ID = "id\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J[bold]b[/]"
SHOWN_TABLE = "corp\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J"


def assert_no_control(texts: list[str]) -> None:
    for text in texts:
        for char in (*FORBIDDEN, "\x00"):
            assert char not in text, f"{char!r} reached the screen in {text[:80]!r}"


async def test_hostile_creds_file_is_shown_with_visible_escapes(
    isolated_environment: Path,
) -> None:
    """A table name and a client id holding OSC 52 and a screen clear: the header, the
    summary, the form, Authorize and History show the escapes as text, and a save
    of the untouched form keeps the file's values as they were."""
    seed_hostile(isolated_environment)
    app = OAuthDanceApp(CredsStore(isolated_environment), HOSTILE_TABLE)
    notes: list[str] = []
    async with app.run_test(
        size=(160, 40), notifications=True, message_hook=notes_of(notes)
    ) as pilot:
        await settle(pilot)
        assert f"client_id = {SHOWN_ID}" in screen_text(app), "Authorize's parameters"
        assert_no_control([screen_text(app), *widget_texts(app)])
        await pilot.press("1")
        await settle(pilot)
        shown = screen_text(app)
        assert f"Client ID      {SHOWN_ID}" in shown
        assert f"Credentials · {SHOWN_TABLE}" in shown.splitlines()[0], "the header"
        assert_no_control([shown, *widget_texts(app)])
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#client_id", Input).value == SHOWN_ID
        assert f"{SHOWN_TABLE} (custom)" in screen_text(app), "the provider list"
        assert_no_control([screen_text(app), *widget_texts(app)])
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.session.state.client_id == HOSTILE_ID, "the untouched field kept its value"
        assert f"client_id = {SHOWN_ID}" in screen_text(app), "Authorize's parameters"
        assert_no_control([screen_text(app), *widget_texts(app)])
        await pilot.press("h")
        await settle(pilot)
        assert_no_control([screen_text(app), *widget_texts(app)])
    assert_no_control(notes)
    saved = tomllib.loads(isolated_environment.read_text())
    assert saved[HOSTILE_TABLE]["client_id"] == HOSTILE_ID


def notes_of(notes: list[str]) -> Callable[[Message], None]:
    """A message hook keeping every toast's title and message (the public Notify)."""

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            notes.extend((message.notification.title, message.notification.message))

    return hook


async def test_hostile_provider_name_on_the_command_line(isolated_environment: Path) -> None:
    """``--provider`` naming no table, with escapes: the toast says so with them visible."""
    notes: list[str] = []
    app = OAuthDanceApp(CredsStore(isolated_environment), HOSTILE_TABLE)
    async with app.run_test(
        size=(100, 30), notifications=True, message_hook=notes_of(notes)
    ) as pilot:
        await settle(pilot)
        assert any(SHOWN_TABLE in note for note in notes), notes
        assert_no_control(notes)
        assert_no_control([screen_text(app), *widget_texts(app)])
        assert app.session.provider.name == "demo", "the demo opens instead"


async def test_hostile_reason_phrase_in_the_retry_countdown(isolated_environment: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            429,
            headers={"Retry-After": "30"},
            extensions={"reason_phrase": f"Slow{OSC52}{CLEAR}[b]x[/b]".encode("latin-1")},
        )

    app = bad_app(isolated_environment, transport=mock(handler))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        countdown = str(app.screen.query_one("#countdown", Static).render())
        assert "429 Slow\\x1b]52;c;cHduZWQ=" in countdown
        assert "\\x1b[2J[b]x[/b]: wait" in countdown
        assert_shown_safely(app)


def test_hostile_redirect_uri_in_its_verdict() -> None:
    """The verdict quotes the host of a refused URI, as the form composes it from the file."""
    verdict = redirect_verdict("http://evil\x1bc.example/").plain
    assert "Plain http to evil\\x1bc.example would" in verdict
    assert_no_control([verdict])
