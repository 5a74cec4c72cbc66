"""Pilot and snapshot tests of the HTTP exchange viewer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from textual.app import ComposeResult
from textual.color import Color
from textual.geometry import Region
from textual.widgets import Footer, Static, Tabs, TextArea

from tests.app.wizard import wait_until
from tui.app_surfaces import SafeSurfaces
from tui.core.exchange import Exchange
from tui.core.flow import token_request
from tui.core.masking import MASK
from tui.core.providers import ClientAuth, demo_provider
from tui.core.state import DanceState
from tui.core.steps import Step
from tui.core.transport_errors import NetworkError
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.raw_text import RawText

SECRET = "S3cr3t+/=&%"
CODE = "AUTHCODE-abcdef123456"
TOKENS = {
    "access_token": "AT-1234567890",
    "token_type": "Bearer",
    "expires_in": 3600,
    "refresh_token": "RT-1234567890",
}
SECRET_FORMS = (SECRET, "S3cr3t%2B%2F%3D%26%25", CODE, "v" * 43, "AT-1234567890", "RT-1234567890")


def make_request() -> httpx.Request:
    state = DanceState(
        client_id="cid",
        client_secret=SECRET,
        redirect_uri="http://127.0.0.1:8888/callback",
        auth_method=ClientAuth.BASIC,
        code_verifier="v" * 43,
        pkce=True,
    )
    return token_request(demo_provider("http://127.0.0.1:9"), state, CODE)


def make_exchange(status: int = 200, body: Any = None, *, text: str | None = None) -> Exchange:
    request = make_request()
    if text is not None:
        response = httpx.Response(status, text=text, request=request)
    else:
        response = httpx.Response(status, json=TOKENS if body is None else body, request=request)
    return Exchange(step=Step.EXCHANGE, request=request, response=response, elapsed=0.012)


class ViewerApp(SafeSurfaces):
    """The viewer alone, in the app's toast surface."""

    def __init__(self, exchange: Exchange | None = None) -> None:
        super().__init__()
        self.exchange = exchange

    def compose(self) -> ComposeResult:
        yield ExchangeViewer(self.exchange)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ExchangeViewer).focus()


def shown_text(viewer: ExchangeViewer) -> str:
    """Every text the viewer holds: title, subtitle, note, the text shown and both panes'."""
    parts = [str(viewer.border_title), str(viewer.border_subtitle)]
    parts += [str(static.render()) for static in viewer.query(Static)]
    parts += [area.text for area in viewer.query(TextArea)]
    parts += viewer.texts.values()
    return "\n".join(parts)


def pane_text(viewer: ExchangeViewer, pane: str) -> str:
    return viewer.texts[pane]


BASIC = make_request().headers["Authorization"].removeprefix("Basic ")


def assert_masked(text: str) -> None:
    for form in (*SECRET_FORMS, BASIC):
        assert form not in text, form


async def test_masked_by_default_with_status_and_class() -> None:
    app = ViewerApp(make_exchange())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        viewer = app.query_one(ExchangeViewer)
        text = shown_text(viewer)
        assert_masked(text)
        assert MASK in pane_text(viewer, "request")
        assert MASK in pane_text(viewer, "response")
        assert "POST /api/token HTTP/1.1" in pane_text(viewer, "request")
        assert "Exchange · POST /api/token" in str(viewer.border_title)
        assert str(viewer.border_subtitle) == "200 OK · 12 ms"
        assert viewer.status == "success"
        assert viewer.status != "error"
        assert "secrets masked · r reveals" in text
        # Answered: the response pane is shown.
        assert viewer.pane == "response"


async def test_r_reveals_and_masks_again_and_new_viewer_starts_masked() -> None:
    exchange = make_exchange()
    app = ViewerApp(exchange)
    async with app.run_test(size=(80, 24)) as pilot:
        viewer = app.query_one(ExchangeViewer)
        await pilot.press("r")
        assert viewer.reveal
        revealed = shown_text(viewer)
        assert "AT-1234567890" in revealed
        assert "RT-1234567890" in revealed
        assert CODE in revealed
        assert "SECRETS REVEALED · r masks" in revealed
        assert viewer.query_one(".exchange-note").has_class("-revealed")
        await pilot.press("r")
        assert not viewer.reveal
        assert_masked(shown_text(viewer))

        await pilot.press("r")
        second = ExchangeViewer(exchange)
        await app.mount(second)
        await pilot.pause()
        assert not second.reveal
        assert_masked(shown_text(second))


async def test_showing_another_exchange_masks_again() -> None:
    app = ViewerApp(make_exchange())
    async with app.run_test(size=(80, 24)) as pilot:
        viewer = app.query_one(ExchangeViewer)
        await pilot.press("r")
        assert "AT-1234567890" in shown_text(viewer)
        viewer.show(make_exchange())
        await pilot.pause()
        assert not viewer.reveal
        assert_masked(shown_text(viewer))


@pytest.mark.parametrize(
    ("status", "text"), [(200, "<html><body>Approve?</body></html>"), (302, "")]
)
async def test_a_body_that_is_not_json_offers_no_pretty_json(status: int, text: str) -> None:
    """A consent page, a redirect's empty body: no "pretty JSON · t raw", and t is dimmed."""
    app = ViewerApp(make_exchange(status, text=text))
    async with app.run_test(size=(80, 24)) as pilot:
        viewer = app.query_one(ExchangeViewer)
        said = str(viewer.query_one(".exchange-note", Static).render())
        assert said == "secrets masked · r reveals", said
        assert viewer.check_action("raw", ()) is None, "nothing to indent"
        await pilot.press("t")
        await pilot.pause()
        assert str(viewer.query_one(".exchange-note", Static).render()) == said


async def test_t_toggles_pretty_and_raw_body() -> None:
    app = ViewerApp(make_exchange())
    async with app.run_test(size=(80, 24)) as pilot:
        viewer = app.query_one(ExchangeViewer)
        assert '{\n  "access_token"' in pane_text(viewer, "response")
        await pilot.press("t")
        assert not viewer.pretty
        raw = pane_text(viewer, "response")
        assert '{"access_token":' in raw
        assert '\n  "access_token"' not in raw
        assert "raw body · t pretty" in shown_text(viewer)
        await pilot.press("t")
        assert viewer.pretty
        assert '{\n  "access_token"' in pane_text(viewer, "response")


async def test_c_copies_masked_curl() -> None:
    exchange = make_exchange()
    app = ViewerApp(exchange)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        assert app.clipboard.startswith("curl -X POST http://127.0.0.1:9/api/token ")
        assert app.clipboard == exchange.curl(reveal=False)
        assert_masked(app.clipboard)
        assert "authorization: basic " + MASK in app.clipboard.lower()
        messages = [n.message for n in app.toasts]
        assert "Copied the curl command, secrets masked (OSC 52)." in messages

        await pilot.press("r", "c")
        assert app.clipboard == exchange.curl(reveal=True)
        assert CODE in app.clipboard
        assert BASIC in app.clipboard
        assert "Copied the curl command, secrets revealed! (OSC 52)." in [
            n.message for n in app.toasts
        ]


async def test_inside_tmux_c_says_what_was_sent_not_copied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """tmux's default set-clipboard drops OSC 52: the app cannot know it was copied."""
    monkeypatch.setenv("TMUX", "/tmp/tmux-1000/default,4242,0")
    exchange = make_exchange()
    app = ViewerApp(exchange)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        assert app.clipboard == exchange.curl(reveal=False)
        (message,) = [n.message for n in app.toasts]
        assert "copied" not in message.lower()
        assert "Sent the curl command" in message
        assert "set -g set-clipboard on" in message


async def test_400_response_is_an_error() -> None:
    body = {"error": "invalid_grant", "error_description": "Invalid authorization code"}
    app = ViewerApp(make_exchange(400, body))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        viewer = app.query_one(ExchangeViewer)
        assert viewer.status == "error"
        assert viewer.status != "success"
        assert "400 Bad Request" in str(viewer.border_subtitle)
        assert "HTTP/1.1 400 Bad Request" in pane_text(viewer, "response")
        assert "invalid_grant" in pane_text(viewer, "response")


async def test_the_status_colours_the_border_from_the_theme_and_follows_a_theme_change() -> None:
    app = ViewerApp(make_exchange(400, {"error": "invalid_grant"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        viewer = app.query_one(ExchangeViewer)

        def colours() -> tuple[object, object]:
            return viewer.styles.border_top[1], viewer.styles.border_subtitle_color

        def themes(border: str, subtitle: str) -> tuple[object, object]:
            theme = app.theme_variables
            return Color.parse(theme[border]), Color.parse(theme[subtitle])

        dark = themes("error", "text-error")
        assert colours() == dark
        app.theme = "textual-light"
        await wait_until(pilot, lambda: themes("error", "text-error") != dark, "the light theme")
        await wait_until(pilot, lambda: colours() == themes("error", "text-error"), "its colours")
        # Only prepared: no status, the stylesheet's border (the focused one).
        viewer.show(Exchange(step=Step.EXCHANGE, request=make_request()))
        await pilot.pause()
        assert viewer.status is None
        assert colours()[0] == themes("border", "border")[0]
        assert viewer.styles.auto_border_subtitle_color  # $text-muted: a contrast, not a colour


async def test_302_response_is_a_warning() -> None:
    app = ViewerApp(make_exchange(302, {}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        viewer = app.query_one(ExchangeViewer)
        assert viewer.status == "warning"
        assert "302 Found" in str(viewer.border_subtitle)


async def test_network_error_shows_title_and_message() -> None:
    exchange = Exchange(
        step=Step.EXCHANGE,
        request=make_request(),
        error=NetworkError("refused", "Connection refused by 127.0.0.1: is the server running?"),
    )
    app = ViewerApp(exchange)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        viewer = app.query_one(ExchangeViewer)
        assert viewer.status == "error"
        assert str(viewer.border_subtitle) == "Network problem"
        response = pane_text(viewer, "response")
        assert "Network problem" in response
        assert "Connection refused by 127.0.0.1: is the server running?" in response
        assert viewer.pane == "response"
        assert_masked(shown_text(viewer))


async def test_empty_prepared_and_sending_states() -> None:
    app = ViewerApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        viewer = app.query_one(ExchangeViewer)
        assert viewer.exchange is None
        assert "Nothing sent yet." in pane_text(viewer, "request")
        assert str(viewer.border_subtitle) == "not sent"
        await pilot.press("c")  # nothing to copy: no error, nothing copied
        assert app.clipboard == ""

        prepared = Exchange(step=Step.EXCHANGE, request=make_request())
        viewer.show(prepared)
        await pilot.pause()
        assert viewer.exchange is prepared
        assert viewer.pane == "request"
        assert str(viewer.border_subtitle) == "not sent"
        assert_masked(shown_text(viewer))

        viewer.show(prepared, sending=True)
        await pilot.pause()
        assert str(viewer.border_subtitle) == "Sending…"
        assert viewer.status == "sending"
        assert "Waiting for the answer" in pane_text(viewer, "response")

        prepared.response = httpx.Response(200, json=TOKENS, request=prepared.request)
        prepared.elapsed = 0.5
        viewer.show(prepared)
        await pilot.pause()
        assert str(viewer.border_subtitle) == "200 OK · 500 ms"
        assert viewer.pane == "response"
        assert_masked(shown_text(viewer))


async def test_status_reveal_and_focus_changes_are_drawn_in_their_styles() -> None:
    """After each change the screen is drawn as after restyling every widget."""
    prepared = Exchange(step=Step.EXCHANGE, request=make_request())
    refused = Exchange(
        step=Step.EXCHANGE, request=make_request(), error=NetworkError("refused", "Refused.")
    )
    app = ViewerApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        viewer = app.query_one(ExchangeViewer)
        changes: list[Callable[[], object]] = [
            lambda: viewer.show(prepared, sending=True),
            lambda: viewer.show(make_exchange(200)),
            lambda: setattr(viewer, "reveal", True),
            lambda: viewer.show(make_exchange(302, text="")),
            lambda: setattr(viewer, "reveal", True),
            lambda: viewer.show(refused),
            lambda: setattr(viewer, "reveal", True),
            lambda: setattr(viewer, "reveal", False),
            lambda: app.screen.set_focus(None),
            lambda: app.screen.set_focus(viewer),
        ]
        for change in changes:
            change()
            await pilot.pause()
            drawn = app.export_screenshot()
            app.screen.update_node_styles()
            await pilot.pause()
            assert app.export_screenshot() == drawn


async def test_v_and_arrows_switch_panes() -> None:
    app = ViewerApp(make_exchange())
    async with app.run_test(size=(80, 24)) as pilot:
        viewer = app.query_one(ExchangeViewer)
        area = viewer.query_one(TextArea)
        assert viewer.pane == "response"
        assert area.text == viewer.texts["response"] and "HTTP/1.1 200 OK" in area.text
        await pilot.press("v")
        assert viewer.pane == "request"
        assert area.text == viewer.texts["request"] and "POST /api/token" in area.text
        await pilot.press("right")
        assert viewer.pane == "response"
        await pilot.press("left")
        assert viewer.pane == "request"
        # The viewer keeps the focus: its bindings stay live.
        assert app.focused is app.query_one(ExchangeViewer)


async def test_long_body_scrolls_with_keyboard() -> None:
    body = {"items": [f"line {n}" for n in range(200)]}
    app = ViewerApp(make_exchange(200, body))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        scroll = app.query_one(TextArea)
        assert scroll.max_scroll_y > 100
        await pilot.press("down", "down")
        assert scroll.scroll_y == 2
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
        await pilot.press("home")
        await pilot.pause()
        assert scroll.scroll_y == 0


async def test_each_pane_keeps_its_place_and_a_new_exchange_starts_at_the_top() -> None:
    body = {"items": [f"line {n}" for n in range(200)]}
    app = ViewerApp(make_exchange(200, body))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        viewer, area = app.query_one(ExchangeViewer), app.query_one(TextArea)
        await pilot.press(*["down"] * 5)
        await pilot.press("v")
        await pilot.pause()
        assert (viewer.pane, area.scroll_y) == ("request", 0)
        await pilot.press("v")
        await pilot.pause()
        assert (viewer.pane, area.scroll_y) == ("response", 5)
        viewer.show(make_exchange(200, body))
        await pilot.pause()
        assert (viewer.pane, area.scroll_y) == ("response", 0)


async def test_clicking_a_tab_shows_its_pane_and_the_focus_stays() -> None:
    app = ViewerApp(make_exchange())
    async with app.run_test(size=(80, 24)) as pilot:
        viewer = app.query_one(ExchangeViewer)
        await pilot.click(Tabs, offset=(3, 0))
        assert viewer.pane == "request"
        assert app.query_one(TextArea).text == viewer.texts["request"]
        await pilot.click(Tabs, offset=(12, 1))  # under the Response tab
        assert viewer.pane == "response"
        assert app.focused is viewer


MARKUP = "[bold red]x[/] [@click=app.quit]q[/]"


async def test_server_text_is_never_markup() -> None:
    app = ViewerApp(make_exchange(200, text=MARKUP))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        viewer = app.query_one(ExchangeViewer)
        assert MARKUP in pane_text(viewer, "response")
        # On screen, character for character (the SVG writes spaces as &#160;).
        assert MARKUP.replace(" ", "&#160;") in app.export_screenshot()
        # Clicking the literal "q" must not run the action its text names.
        area = viewer.query_one(TextArea)
        line = area.text.splitlines().index(MARKUP)
        await pilot.click(offset=(area.region.x + MARKUP.index("]q[") + 1, area.region.y + line))
        await pilot.press("r", "t", "v", "v", "q", "x", "enter")
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
        assert app.focused is viewer


async def test_ctrl_c_copies_the_selected_text() -> None:
    app = ViewerApp(make_exchange())
    async with app.run_test(size=(80, 24)) as pilot:
        area = app.query_one(TextArea)
        area.select_line(0)
        await pilot.press("ctrl+c")
        assert app.clipboard == "HTTP/1.1 200 OK"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    exchange = make_exchange()
    # Pin the version-bearing header so a release does not change the picture.
    exchange.request.headers["User-Agent"] = "oauth-dance/test"
    assert snap_compare(ViewerApp(exchange), terminal_size=size)


async def test_reveal_right_after_an_answer_repaints_the_screen() -> None:
    """The text area's content and the cells on screen agree after r."""
    exchange = make_exchange()
    answered = exchange.response
    exchange.response = None
    app = ViewerApp(exchange)
    async with app.run_test(size=(100, 30)) as pilot:
        viewer = app.query_one(ExchangeViewer)
        exchange.response = answered
        viewer.show(exchange)
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert "AT-1234567890" in app.export_screenshot()


def drawn_rows(text: RawText) -> list[str]:
    """The rows the text area gives the screen to draw (what the terminal shows)."""
    return [strip.text.rstrip() for strip in text.render_lines(Region(0, 0, *text.size))]


def wrapped_rows(text: RawText) -> list[str]:
    """The text as the text area wrapped it for its width, padded with blank rows."""
    rows = [section.rstrip() for line in text.wrapped_document.lines for section in line]
    return (rows + [""] * text.size.height)[: text.size.height]


async def test_a_drag_back_to_the_first_width_draws_the_text_as_at_first() -> None:
    """Issue 16: each step of a drag rewraps the text, and what is drawn follows.

    Steps that keep the number of wrapped lines (61 to 60 columns, say) used
    to leave on screen the rows drawn before the rewrap, cut at the new width.
    """
    app = ViewerApp(None)
    async with app.run_test(size=(60, 12)) as pilot:
        text = app.query_one(RawText)
        await pilot.pause()
        at_first = drawn_rows(text)
        assert at_first == wrapped_rows(text)
        assert "Nothing sent yet." in at_first[0]
        for columns in [*range(61, 67), *range(65, 59, -1)]:
            await pilot.resize_terminal(columns, 12)
            await pilot.pause()
            assert drawn_rows(text) == wrapped_rows(text), f"at {columns} columns"
        assert drawn_rows(text) == at_first
