"""Every part of every screen can be read at 80x24 with the keyboard alone.

A part is read when each of its rows has been on screen, not hidden by a
scroll or a toast: `rows_on_screen` asks the screen which widget is drawn on
each row. The keys are those a user presses: Tab (or shift+Tab) to a scroll
area, which says how it scrolls, then PgDn.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from textual.errors import NoWidget
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Select, Static

from tests.app.test_app_authorize import open_authorize, paste
from tests.app.wizard import (
    WizardFactory,
    advance_to,
    approve_in_browser,
    made_up_redirect,
    settle,
)
from tests.screenshot import screen_text
from tui.app import OAuthDanceApp
from tui.core.steps import Step
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.exchange import ExchangeScreen
from tui.screens.profile import ProfileScreen
from tui.widgets.error_panel import ErrorPanel
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.explain_panel import ExplainPanel
from tui.widgets.raw_text import RawText
from tui.widgets.scroll_area import FOCUSED_HINT, HINT, ScrollArea

SMALL = (80, 24)


def rows_on_screen(widget: Widget) -> set[int]:
    """The rows of ``widget`` (0: its first) that the screen shows now (its own or
    its children's cells, not another's drawn over them)."""
    region = widget.region
    seen = set()
    for y in range(region.y, region.bottom):
        try:
            drawn, _ = widget.screen.get_widget_at(region.x, y)
        except NoWidget:
            continue
        if widget in drawn.ancestors_with_self:
            seen.add(y - region.y)
    return seen


def unread(widget: Widget, seen: set[int]) -> set[int]:
    return set(range(widget.region.height)) - seen


async def focus_with(pilot: Pilot[None], widget: Widget, key: str = "tab") -> None:
    """Press ``key`` until ``widget`` has the focus (a user's Tab through the screen)."""
    for _ in range(12):
        if widget.has_focus:
            return
        await pilot.press(key)
        await pilot.pause()
    assert widget.has_focus, f"{key} never reaches {widget!r}"


async def read_by_paging(
    pilot: Pilot[None], area: ScrollArea, *parts: Widget
) -> dict[Widget, set[int]]:
    """Give ``area`` the focus by Tab, then PgDn to its end: the rows of ``parts`` seen."""
    assert area.border_subtitle == HINT, "the area says that it has more, and how to scroll"
    await focus_with(pilot, area)
    assert area.border_subtitle == FOCUSED_HINT
    seen = {part: rows_on_screen(part) for part in parts}
    while area.scroll_y < area.max_scroll_y:
        await pilot.press("pagedown")
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        for part in parts:
            seen[part] |= rows_on_screen(part)
    return seen


async def test_authorize_parameters_url_and_qr_are_read_by_tab_and_page_down(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuthorizeScreen)
        area = screen.query_one("#step", ScrollArea)
        parts = [screen.query_one(f"#{name}") for name in ("params", "pkce", "url", "qr")]
        assert any(unread(part, rows_on_screen(part)) for part in parts), "80x24 cuts them"
        seen = await read_by_paging(pilot, area, *parts)
        for part in parts:
            assert not unread(part, seen[part]), f"rows of #{part.id} never shown"
        assert "Press f" in str(parts[-1].render()), "the QR code says how to see it"


async def test_the_error_panel_is_read_to_its_fix_by_keyboard(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """A made-up code pasted on Authorize, then exchanged: invalid_grant, whose Fix comes last."""
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await open_exchange_with_a_made_up_code(pilot, app)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ExchangeScreen)
        panel = app.screen.query_one(ErrorPanel)
        assert "invalid_grant" in panel.text and "Fix" in panel.text
        text = panel.query_one(Static)
        assert unread(text, rows_on_screen(text)), "80x24 cuts the explanation"
        assert "Go back to Authorize" not in screen_text(app)
        seen = await read_by_paging(pilot, panel, text)
        assert not unread(text, seen[text])
        assert "Go back to Authorize" in screen_text(app)


async def test_every_profile_claim_is_read_by_keyboard(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await paste(pilot, approve_in_browser(str(app.session.authorization_request().url)))
        for key in ("3", "s", "4", "s"):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        result = app.screen.query_one("#result", Static)
        assert "Profile" in str(result.render())
        area = app.screen.query_one("#step", ScrollArea)
        seen = rows_on_screen(result)
        if area.overflows:
            seen = (await read_by_paging(pilot, area, result))[result]
        assert not unread(result, seen)


async def test_the_explanation_panel_is_read_by_keyboard(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        panel = app.screen.query_one(ExplainPanel)
        parts = list(panel.children)
        seen = await read_by_paging(pilot, panel, *parts)
        for part in parts:
            assert not unread(part, seen[part]), f"rows of {part!r} never shown"


async def test_a_scroll_area_with_nothing_to_scroll_is_no_tab_stop(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await open_exchange_with_a_made_up_code(pilot, app)
        area = app.screen.query_one("#step", ScrollArea)
        assert "not sent" in str(area.query_one("#result", Static).render())
        assert not area.overflows and not area.border_subtitle
        stops = []
        for _ in range(4):
            await pilot.press("tab")
            stops.append(app.focused)
        assert area not in stops


async def test_approve_is_in_sight_when_g_focuses_it_and_then_the_code_received(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        approve = app.screen.query_one("#approve", Button)
        assert approve.has_focus
        assert not unread(approve, rows_on_screen(approve)), "focused, and in sight"
        await pilot.press("enter")
        await settle(pilot)
        status = app.screen.query_one("#status", Static)
        assert "Code received" in str(status.render())
        assert not unread(status, rows_on_screen(status)), "the news in sight, not scrolled away"


async def test_a_failed_save_on_authorize_is_explained_in_the_panel(
    isolated_environment: Path, demo_server: DemoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)

        def disk_full(fd: int) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        with monkeypatch.context() as patch:
            patch.setattr(os, "fsync", disk_full)
            await paste(pilot, made_up_redirect(app, "a-code-1234"))
            await settle(pilot)
            panel = app.screen.query_one(ErrorPanel)
            assert "Not saved" in panel.text and "ctrl+s" in panel.text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not app.session.unsaved
        assert not panel.display, "the save worked: the message goes"


async def open_exchange_with_a_made_up_code(pilot: Pilot[None], app: OAuthDanceApp) -> None:
    """Paste a redirect carrying a code the provider never issued, then open Exchange."""
    await paste(pilot, made_up_redirect(app, "a-made-up-code"))
    await pilot.press("3")
    await settle(pilot)


def toasts_shown(app: OAuthDanceApp) -> list[Widget]:
    return list(app.screen.query("Toast"))


def toast_texts(app: OAuthDanceApp) -> str:
    return " ".join(str(toast.render()) for toast in toasts_shown(app))


async def test_toasts_never_cover_the_step(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await open_exchange_with_a_made_up_code(pilot, app)
        await pilot.press("s")
        await settle(pilot)
        for explain in (False, True):  # with the sidebar; with the explanation in its place
            if explain:
                await pilot.press("question_mark")
                await settle(pilot)
                app.screen.notify("A toast about the step.")
                await settle(pilot)
            main = app.screen.query_one("#main").region
            toasts = toasts_shown(app)
            assert toasts
            for toast in toasts:
                assert not toast.region.overlaps(main), toast.region


async def test_leaving_a_step_takes_its_toasts_away_but_not_the_apps(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        app.notify("Something about the whole app.", title="App-wide", timeout=30)
        await paste(pilot, made_up_redirect(app, "a-made-up-code"))
        await pilot.press("y")  # copy the URL: the step says what became of it
        assert "authorization URL" in toast_texts(app)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, ExchangeScreen)
        assert "authorization URL" not in toast_texts(app)
        assert "App-wide" in toast_texts(app)


async def test_a_widgets_toast_goes_with_its_step_too(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """The viewer's "copied the curl command" is about the step, as the step's own toasts."""
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        viewer = app.screen.query_one(ExchangeViewer)
        for _ in range(10):
            if app.focused is not None and viewer in (app.focused, *app.focused.ancestors):
                break
            await pilot.press("tab")
        await pilot.press("c")
        await settle(pilot)
        assert "curl command" in toast_texts(app)
        await pilot.press("1")
        await settle(pilot)
        assert "curl command" not in toast_texts(app)


def viewer_text_rows(viewer: ExchangeViewer) -> set[int]:
    """The rows of the viewer's text (the request or response) that the screen shows."""
    return rows_on_screen(viewer.query_one(RawText))


async def test_call_api_keeps_the_answer_readable_beside_an_error_panel(
    wizard: WizardFactory,
) -> None:
    """A POST the demo answers 405: the panel, the form and the answer all read at 80x24."""
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.CONSOLE)
        screen = app.screen
        method = screen.query_one("#method", Select)
        await focus_with(pilot, method)
        for key in ("enter", "down", "enter"):
            await pilot.press(key)
            await pilot.pause()
        assert method.value == "POST"
        await pilot.press("s")
        await settle(pilot)
        panel = screen.query_one(ErrorPanel)
        assert "HTTP 405" in panel.text
        area = screen.query_one("#step", ScrollArea)
        parts = [panel, screen.query_one("#api-headers"), screen.query_one("#api-body")]
        assert not unread(panel, rows_on_screen(panel)), "the panel shows whole at first"
        seen = await read_by_paging(pilot, area, *parts[1:])
        for part in parts[1:]:
            assert not unread(part, seen[part]), f"rows of {part!r} never shown"
        viewer = screen.query_one(ExchangeViewer)
        await focus_with(pilot, viewer)
        assert len(viewer_text_rows(viewer)) >= 4, "the answer has rows of its own"
        assert "Method Not Allowed" not in viewer_lines(app)
        await pilot.press("end")
        await pilot.pause()
        assert "Method Not Allowed" in viewer_lines(app), "the body, at the end"


def viewer_lines(app: OAuthDanceApp) -> list[str]:
    """The lines inside the viewer's box on screen, stripped."""
    boxed = (line.split("│") for line in screen_text(app).splitlines())
    return [parts[1].strip(" ▁▃▅▇█") for parts in boxed if len(parts) == 3]


async def test_revoke_and_its_lesson_are_read_by_keyboard(wizard: WizardFactory) -> None:
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.REVOKE)
        for _ in range(2):  # revoke the access token, then try it
            await pilot.press("enter")
            await settle(pilot)
        screen = app.screen
        result = screen.query_one("#result", Static)
        assert "the revoked token is refused" in str(result.render())
        area = screen.query_one("#step", ScrollArea)
        parts = [screen.query_one("#which"), screen.query_one("#choice"), result]
        assert unread(result, rows_on_screen(result)), "80x24 cuts the lesson"
        seen = await read_by_paging(pilot, area, *parts)
        for part in parts:
            assert not unread(part, seen[part]), f"rows of {part!r} never shown"
        assert len(viewer_text_rows(screen.query_one(ExchangeViewer))) >= 4
