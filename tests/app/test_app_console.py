"""Call API by keys, against the demo server: the default call, a call of the user's own,
a 401 mended by a refresh and a retry, and input refused before anything is sent."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, OptionList, Select, Static, TextArea

from tests.app.test_app_reach import focus_with, rows_on_screen
from tests.app.wizard import (
    MovedClock,
    WizardFactory,
    advance_to,
    demo_wizard,
    paste,
    settle,
)
from tests.screenshot import screen_text
from tui.core.console import MAX_BODY_BYTES, MAX_HEADERS_BYTES
from tui.core.steps import Step
from tui.demo import DemoServer
from tui.screens.console import ConsoleScreen
from tui.widgets.error_panel import ErrorPanel


def result_text(pilot: Pilot[None]) -> str:
    return " ".join(str(pilot.app.screen.query_one("#result", Static).render()).split())


def panel_text(pilot: Pilot[None]) -> str:
    panels = pilot.app.screen.query(ErrorPanel)
    return " ".join(panels.first().text.split()) if panels else ""


def enter_label(pilot: Pilot[None]) -> str:
    """What the footer says enter does now."""
    return pilot.app.screen.active_bindings["enter"].binding.description


async def type_into(pilot: Pilot[None], widget: Input | TextArea, text: str) -> None:
    """Tab to ``widget`` and type ``text`` at its end, key by key."""
    await focus_with(pilot, widget)
    await pilot.press("end")
    for char in text:
        await pilot.press("enter" if char == "\n" else char)


async def test_enter_sends_the_profile_call_and_it_joins_the_history(
    wizard: WizardFactory,
) -> None:
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.CONSOLE)
        assert enter_label(pilot) == "Send"
        await pilot.press("enter")
        await settle(pilot)
        assert "Answered HTTP 200 OK · application/json" in result_text(pilot)
        await pilot.press("h")
        await pilot.pause()
        listing = app.screen.query_one("#history", OptionList)
        last = listing.get_option_at_index(listing.option_count - 1)
        assert "Call API: GET /v1/me → 200 OK" in str(last.prompt)


async def test_a_method_url_header_and_body_set_by_keys_reach_the_server(
    wizard: WizardFactory,
) -> None:
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.CONSOLE)
        screen = app.screen
        method = screen.query_one("#method", Select)
        await focus_with(pilot, method)
        await pilot.press("enter", "down", "down", "down", "enter")  # GET → PATCH
        await pilot.pause()
        assert method.value == "PATCH"
        await type_into(pilot, screen.query_one("#api-headers", TextArea), "X-Lesson: seven")
        await type_into(pilot, screen.query_one("#api-body", TextArea), "hello\nworld")
        url = screen.query_one("#api-url", Input)
        await focus_with(pilot, url)
        await pilot.press("end", "backspace", "backspace", *"echo", "enter")  # /v1/me → /v1/echo
        await settle(pilot)
        sent = app.session.history[-1]
        assert sent.response is not None, panel_text(pilot)
        received = json.loads(sent.response.text)
        assert received["method"] == "PATCH"
        assert received["headers"]["x-lesson"] == "seven"
        assert received["headers"]["content-type"] == "text/plain; charset=utf-8"
        assert received["body"] == "hello\nworld"


async def test_a_401_offers_a_refresh_then_sends_the_call_again(
    isolated_environment: Path, short_lived_demo: DemoServer, moved_clock: MovedClock
) -> None:
    async with demo_wizard(isolated_environment, short_lived_demo) as (app, pilot):
        await advance_to(pilot, Step.CONSOLE)
        old_token = app.session.state.token
        moved_clock.advance(61)
        await pilot.press("enter")
        await settle(pilot)
        assert "401: the access token is no longer good" in result_text(pilot)
        assert "Meaning invalid_token" in panel_text(pilot)
        assert enter_label(pilot) == "Refresh & retry"
        way_on = "Press enter (ctrl+s in the headers or body box) to refresh it and send"
        assert f"→ {way_on} this call again." in panel_text(pilot)
        assert "fresh request" not in panel_text(pilot), "the panel says what enter does"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        assert "Answered HTTP 200 OK" in result_text(pilot)
        assert app.session.state.token != old_token
        steps = [exchange.step for exchange in app.session.history[-3:]]
        assert steps == [Step.CONSOLE, Step.REFRESH, Step.CONSOLE]
        assert app.session.history[-1].bearer_token() == app.session.state.token
        assert enter_label(pilot) == "Send"


async def test_after_a_401_enter_in_the_url_field_refreshes_and_retries(
    isolated_environment: Path, short_lived_demo: DemoServer, moved_clock: MovedClock
) -> None:
    """In the one-line URL field enter does what the panel says, refresh and retry (not
    the expired token sent again); in the body box enter is a new line, ctrl+s does it."""
    async with demo_wizard(isolated_environment, short_lived_demo) as (app, pilot):
        await advance_to(pilot, Step.CONSOLE)
        url = app.screen.query_one("#api-url", Input)
        await focus_with(pilot, url)
        moved_clock.advance(61)
        await pilot.press("enter")  # the call: its token expired, a 401
        await settle(pilot)
        assert "401: the access token is no longer good" in result_text(pilot)
        way_on = "Press enter (ctrl+s in the headers or body box) to refresh it and send"
        assert way_on in panel_text(pilot) and way_on in result_text(pilot)
        assert url.has_focus
        assert footer_line(pilot).startswith("⏎ Refresh & retry"), footer_line(pilot)
        assert "^s" not in footer_line(pilot), "ctrl+s does it too, but enter is the key shown"
        old_token = app.session.state.token
        await pilot.press("enter")
        await settle(pilot)
        assert "Answered HTTP 200 OK" in result_text(pilot), panel_text(pilot)
        steps = [exchange.step for exchange in app.session.history[-3:]]
        assert steps == [Step.CONSOLE, Step.REFRESH, Step.CONSOLE]
        assert app.session.state.token != old_token
        assert url.has_focus and footer_line(pilot).startswith("⏎ Send")

        body = app.screen.query_one("#api-body", TextArea)
        await focus_with(pilot, body)
        moved_clock.advance(61)
        await pilot.press("ctrl+s")  # a 401 again
        await settle(pilot)
        assert way_on in panel_text(pilot)
        assert footer_line(pilot).startswith("^s Refresh & retry"), footer_line(pilot)
        sent = len(app.session.history)
        await pilot.press("enter")
        await settle(pilot)
        assert body.text == "\n" and len(app.session.history) == sent, "enter is a new line"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Answered HTTP 200 OK" in result_text(pilot), panel_text(pilot)


@pytest.mark.parametrize(
    ("url_keys", "said"),
    [
        (("ctrl+u", *"http://example.com/v1/me"), "Refused: plain http"),
        (("ctrl+u", *"not a url"), "The URL 'not a url' holds ' '"),
    ],
)
async def test_a_bad_url_is_refused_before_anything_is_sent(
    wizard: WizardFactory, url_keys: tuple[str, ...], said: str
) -> None:
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.CONSOLE)
        sent = len(app.session.history)
        await focus_with(pilot, app.screen.query_one("#api-url", Input))
        await pilot.press("end", *url_keys, "enter")
        await settle(pilot)
        assert said in panel_text(pilot)
        assert len(app.session.history) == sent


async def test_a_header_without_a_colon_is_explained_and_nothing_is_sent(
    wizard: WizardFactory,
) -> None:
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.CONSOLE)
        sent = len(app.session.history)
        await type_into(pilot, app.screen.query_one("#api-headers", TextArea), "X-Lesson seven")
        await pilot.press("tab")
        await focus_with(pilot, app.screen.query_one("#api-url", Input), "shift+tab")
        await pilot.press("enter")
        await settle(pilot)
        said = panel_text(pilot)
        assert said.startswith("Cannot send this call")
        assert "Header line 1, 'X-Lesson seven', has no colon" in said
        assert len(app.session.history) == sent


def footer_line(pilot: Pilot[None]) -> str:
    return screen_text(pilot.app).splitlines()[-1]


async def test_the_footer_shows_the_key_that_sends_where_the_focus_is(
    wizard: WizardFactory,
) -> None:
    """In a text box enter types a new line and s an s: ctrl+s sends, and the footer says
    so; in the URL field enter sends, and the footer says that too."""
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.CONSOLE)
        assert footer_line(pilot).startswith("⏎ Send")
        headers = app.screen.query_one("#api-headers", TextArea)
        await type_into(pilot, headers, "X-Lesson: s\n")
        await pilot.pause()
        assert headers.text == "X-Lesson: s\n", "enter and s are typed"
        footer = footer_line(pilot)
        assert footer.startswith("^s Send") and "⏎" not in footer and " s Send" not in footer
        sent = len(app.session.history)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(app.session.history) == sent + 1
        assert "Answered HTTP 200 OK" in result_text(pilot)
        assert headers.has_focus and headers.text == "X-Lesson: s\n"
        await focus_with(pilot, app.screen.query_one("#api-url", Input), "shift+tab")
        assert footer_line(pilot).startswith("⏎ Send")
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.session.history) == sent + 2


async def test_a_refused_url_takes_the_last_calls_result_away(wizard: WizardFactory) -> None:
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.CONSOLE)
        await pilot.press("enter")
        await settle(pilot)
        assert "Answered HTTP 200 OK" in result_text(pilot)
        await focus_with(pilot, app.screen.query_one("#api-url", Input))
        await pilot.press("ctrl+u", *"not a url", "enter")
        await settle(pilot)
        assert panel_text(pilot).startswith("Cannot send this call")
        assert result_text(pilot) == ""


@pytest.mark.parametrize("field", ["#api-headers", "#api-body", "#api-url"])
async def test_esc_leaves_a_text_field_and_the_footer_says_so(
    wizard: WizardFactory, field: str
) -> None:
    """Esc leaves the headers, the body or the URL, as on Authorize: a step key pressed
    then goes to its step instead of being typed."""
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.CONSOLE)
        assert "esc Leave field" not in footer_line(pilot)
        box = app.screen.query_one(field)
        assert isinstance(box, Input | TextArea)
        await focus_with(pilot, box)
        before = box.value if isinstance(box, Input) else box.text
        assert "esc Leave field" in footer_line(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not box.has_focus
        assert "esc Leave field" not in footer_line(pilot)
        await pilot.press("7")
        await settle(pilot)
        assert (box.value if isinstance(box, Input) else box.text) == before, "7 was typed"
        assert getattr(app.screen, "STEP", None) is Step.REVOKE


def on_screen(widget: Widget) -> set[int]:
    """The rows of ``widget`` shown, checked against the rows it has."""
    return rows_on_screen(widget) & set(range(widget.region.height))


async def set_url(pilot: Pilot[None], url: str) -> None:
    await focus_with(pilot, pilot.app.screen.query_one("#api-url", Input))
    await pilot.press("ctrl+u", *url)


async def fill_body(pilot: Pilot[None]) -> None:
    """A body of one byte more than the console sends: the most a paste may bring, and a
    key typed."""
    await focus_with(pilot, pilot.app.screen.query_one("#api-body", TextArea))
    await paste(pilot, ("a" * 63 + "\n") * (MAX_BODY_BYTES // 64))
    await pilot.press("b")


@pytest.mark.parametrize(
    ("field", "fill", "said"),
    [
        ("#api-body", lambda p: set_url(p, "http://example.com/api"), "Refused: plain http"),
        (
            "#api-headers",
            lambda p: type_into(
                p, p.app.screen.query_one("#api-headers", TextArea), "\n" * 4 + "Not a header"
            ),
            "Header line 5, 'Not a header', has no colon",
        ),
        ("#api-body", fill_body, f"The body is {MAX_BODY_BYTES + 1:,} bytes"),
    ],
    ids=["plain-http", "header", "body-too-large"],
)
async def test_after_a_refusal_the_panel_and_the_focused_field_are_both_on_screen(
    wizard: WizardFactory,
    field: str,
    fill: Callable[[Pilot[None]], Awaitable[None]],
    said: str,
) -> None:
    """At 80x24 the form's area shows 11 rows: the panel goes under the field with the
    focus, its first lines (its edge, title, and the message's start) shown with the
    field, and a toast says that nothing was sent."""
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.CONSOLE)
        sent = len(app.session.history)
        box = app.screen.query_one(field, TextArea)
        await fill(pilot)
        await focus_with(pilot, box)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()
        panel = app.screen.query_one(ErrorPanel)
        assert said in panel_text(pilot)
        assert len(app.session.history) == sent
        assert box.has_focus
        assert on_screen(box) == set(range(box.region.height)), "the focused field is shown"
        assert {0, 1, 2} <= on_screen(panel), f"the panel's first lines: {on_screen(panel)}"
        shown = screen_text(app)
        assert panel.text.splitlines()[0] in shown
        assert " ".join(panel.text.splitlines()[1].split()[:3]) in " ".join(shown.split())
        assert [n.title for n in app.toasts] == ["Not sent"]
        assert "the panel in the form says why" in app.toasts[0].message
        await pilot.press("z")  # typed where it is seen
        await pilot.pause()
        assert box.text.endswith("z") and on_screen(box) == set(range(box.region.height))


async def test_a_body_with_a_lone_surrogate_is_refused_in_the_panel_and_kept(
    wizard: WizardFactory,
) -> None:
    """Pasted text can hold half of a UTF-16 pair ("\\ud800"), which UTF-8 cannot encode:
    encoding the body raised, out of the screen, instead of the panel saying so."""
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.CONSOLE)
        sent = len(app.session.history)
        body = app.screen.query_one("#api-body", TextArea)
        await focus_with(pilot, body)
        pasted = '{"name": "half \ud800 a pair"}'
        await paste(pilot, pasted)
        assert body.text == pasted
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = panel_text(pilot)
        assert said.startswith("Cannot send this call")
        assert "The body holds '\\ud800' (character 16), which UTF-8 cannot encode" in said
        assert "Nothing was sent" in said
        assert len(app.session.history) == sent
        assert [n.title for n in app.toasts] == ["Not sent"]
        assert body.text == pasted and body.has_focus, "nothing lost"


async def test_a_paste_that_would_take_the_body_or_headers_past_the_limit_is_refused_whole(
    wizard: WizardFactory,
) -> None:
    """The limit the console sends at is the body box's at paste time, in bytes: a paste
    over it is taken not in part, and the box still takes keys at once."""
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.CONSOLE)
        body = app.screen.query_one("#api-body", TextArea)
        await type_into(pilot, body, "hi")
        accented = "é" * (MAX_BODY_BYTES // 2)  # fewer characters than the limit, more bytes
        await paste(pilot, accented)
        assert body.text == "hi", "nothing of it taken"
        [toast] = [n for n in app.toasts if n.title == "Paste refused"]
        said = " ".join(toast.message.split())
        assert f"That paste is {MAX_BODY_BYTES:,} bytes" in said
        assert f"at most {MAX_BODY_BYTES:,}, with the 2 already in it" in said
        assert "Nothing of it was taken" in said
        json_paste = '{"k": "' + "v" * 3_000_000 + '"}'  # 3 MB of JSON
        await paste(pilot, json_paste)
        assert body.text == "hi"
        [toast] = app.toasts  # the step's toast before it replaced
        assert toast.title == "Paste refused"
        assert f"That paste is {len(json_paste):,} bytes" in " ".join(toast.message.split())
        await pilot.press("!")
        await pilot.pause()
        assert body.text == "hi!"
        await paste(pilot, "a" * (MAX_BODY_BYTES - 3))  # what fits is taken
        assert len(body.text) == MAX_BODY_BYTES
        headers = app.screen.query_one("#api-headers", TextArea)
        before = headers.text
        headers.focus()
        await paste(pilot, "X-Big: " + "v" * MAX_HEADERS_BYTES)  # the headers box too
        assert headers.text == before
        assert "Nothing of it was taken" in " ".join(app.toasts[-1].message.split())
