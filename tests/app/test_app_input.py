"""Input off the happy path: a paste of several lines, and more text than a field holds."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from textual import events
from textual.message import Message
from textual.widgets import Input

from tests.app.test_app_credentials import replace_field
from tests.app.wizard import (
    WizardFactory,
    approve_in_browser,
    free_port,
    make_app,
    press,
    seed,
    settle,
)
from tui.app_surfaces import SafeSurfaces
from tui.core.callback import MAX_PASTE
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.credentials_form import MAX_URI
from tui.widgets.error_panel import ErrorPanel


def code_last(url: str) -> str:
    """The redirect URL with ``code`` moved to the end of its query."""
    parts = urlsplit(url)
    query = sorted(parse_qsl(parts.query), key=lambda kv: kv[0] == "code")
    return urlunsplit(parts._replace(query=urlencode(query)))


def full_toasts(app: SafeSurfaces) -> int:
    return sum(n.title == "Field full" for n in app.toasts)


async def test_a_paste_of_several_lines_is_refused_with_its_lines_not_cut_to_the_first(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """A URL wrapped inside its code: the first line alone is a valid-looking, cut-off code."""
    seed(isolated_environment, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
        redirect = code_last(approve_in_browser(str(app.session.authorization_request().url)))
        first, second = redirect[:-6], redirect[-6:]
        await pilot.press("p")
        field = app.screen.query_one("#paste", Input)
        field.post_message(events.Paste(f"{first}\n{second}\n"))
        await settle(pilot)
        assert app.session.state.code == "", "the first line's cut-off code must not be kept"
        assert field.value == ""
        panel = " ".join(app.screen.query_one(ErrorPanel).text.split())
        assert "holds 2 lines" in panel
        assert f"2: {second}" in panel

        await pilot.press("p")
        field.post_message(events.Paste(redirect))
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.state.code, "the same URL on one line is taken"


async def test_the_paste_field_stops_at_its_limit_says_so_once_and_stays_responsive(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    seed(isolated_environment, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        field = app.screen.query_one("#paste", Input)
        field.post_message(events.Paste("x" * (MAX_PASTE - 20)))
        await pilot.pause()
        await pilot.press(*"y" * 60)
        assert len(field.value) == MAX_PASTE
        assert full_toasts(app) == 1
        first = app.toasts[-1]
        await pilot.press("backspace", "z", "z")
        assert len(field.value) == MAX_PASTE
        # Said again once the value had shrunk and grew past: the new toast replaces the
        # step's earlier one rather than piling on it.
        assert full_toasts(app) == 1 and app.toasts[-1] is not first
        await pilot.press("escape", "1")
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen), "the app still reacts"


async def test_a_paste_longer_than_the_field_is_refused_whole(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await replace_field(pilot, "redirect_uri", "")
        field = app.screen.query_one("#redirect_uri", Input)
        field.post_message(events.Paste("http://127.0.0.1:8888/" + "a" * MAX_URI))
        await pilot.pause()
        assert field.value == "", "not cut silently to a different URI"
        assert [n.title for n in app.toasts] == ["Paste refused"]
        await pilot.press("h")
        assert field.value == "h", "the field still takes keys"


async def test_the_paste_fields_messages_do_not_carry_the_code(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """Textual's debug log writes every message by its repr: the field's messages must not
    carry the code pasted and typed. (The terminal's own key and paste events carry it:
    a limit docs/security.md states.)"""
    seed(isolated_environment, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    app = make_app(isolated_environment, demo_server)
    seen: list[str] = []

    def hook(message: Message) -> None:
        if not isinstance(message, events.Key | events.Paste):
            seen.append(repr(message))

    async with app.run_test(size=(100, 40), message_hook=hook) as pilot:
        await settle(pilot)
        redirect = approve_in_browser(str(app.session.authorization_request().url))
        code = dict(parse_qsl(urlsplit(redirect).query))["code"]
        await pilot.press("p")
        field = app.screen.query_one("#paste", Input)
        field.post_message(events.Paste(redirect[:-1]))
        await pilot.pause()
        await pilot.press(redirect[-1], "enter")
        await settle(pilot)
        assert app.session.state.code == code, "the paste was taken"
    assert any("CallbackInput.Changed" in text for text in seen)
    assert any("CallbackInput.Submitted" in text for text in seen)
    assert not [text for text in seen if code in text or code[:-1] in text]


async def test_a_paste_over_the_limit_is_refused_whole_and_the_toast_says_so(
    wizard: WizardFactory,
) -> None:
    """A bracketed paste of a 5,000-character redirect URL: nothing of it is taken (a cut
    URL is useless), the toast says so rather than "what went past was not taken", and
    the field keeps the focus for the next paste."""
    async with wizard(size=(80, 24)) as (app, pilot):
        await press(pilot, "p")
        field = app.screen.query_one("#paste", Input)
        url = "http://127.0.0.1:8888/callback?code=" + "c" * (5000 - 36)
        assert len(url) == 5000
        app.post_message(events.Paste(url))  # as the terminal's bracketed paste arrives
        await settle(pilot)
        assert field.value == ""
        assert app.focused is field
        [toast] = [n for n in app.toasts if n.title == "Paste refused"]
        text = " ".join(toast.message.split())
        assert "5,000 characters" in text and "at most 4,096" in text
        assert "Nothing of it was taken" in text
        assert not full_toasts(app), "no toast claims a part was taken"
