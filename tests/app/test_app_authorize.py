"""The Authorize step: paste paths, the state check, denial, the listener, a reused code."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from textual import events
from textual.widgets import Input, Static

from tests.app.wizard import (
    WizardFactory,
    approve_in_browser,
    free_port,
    make_app,
    press,
    seed,
    settle,
    wait_until,
)
from tests.screenshot import screen_text as whole_screen
from tui.app import OAuthDanceApp
from tui.core.steps import Step
from tui.core.store import CredsStore
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.exchange import ExchangeScreen
from tui.widgets.error_panel import ErrorPanel
from tui.widgets.exchange_viewer import ExchangeViewer


def screen_text(app: object, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)  # type: ignore[attr-defined]
    return str(widget.render())


async def paste(pilot: object, text: str) -> None:
    """Focus the paste field with p, paste as a terminal does, press Enter."""
    await pilot.press("p")  # type: ignore[attr-defined]
    field = pilot.app.screen.query_one("#paste", Input)  # type: ignore[attr-defined]
    assert field.has_focus
    field.post_message(events.Paste(text))
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def token_requests(app: object) -> list[object]:
    return [e for e in app.session.history if e.step is Step.EXCHANGE]  # type: ignore[attr-defined]


async def open_authorize(creds: Path, demo: DemoServer):  # type: ignore[no-untyped-def]
    seed(creds, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    return make_app(creds, demo)


async def test_paste_full_redirect_url(isolated_environment: Path, demo_server: DemoServer) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
        redirect = approve_in_browser(str(app.session.authorization_request().url))
        await paste(pilot, f'  "{redirect}"\n')
        assert "state checked ✓" in screen_text(app, "#status")
        code = parse_qs(urlsplit(redirect).query)["code"][0]
        assert app.session.state.code == code


async def open_authorize_without_iss(creds: Path, demo: DemoServer) -> OAuthDanceApp:
    """The demo as a custom provider named by its endpoints: no metadata, so no
    promise of ``iss`` (the built-in demo provider makes it, as its metadata does)."""
    seed(
        creds,
        "mine",
        authorize_endpoint=f"{demo.base_url}/authorize",
        token_endpoint=f"{demo.base_url}/api/token",
        client_id=demo.client_id,
        client_secret=demo.client_secret,
        redirect_uri=f"http://127.0.0.1:{free_port()}/callback",
    )
    return OAuthDanceApp(CredsStore(creds), "mine", demo=demo)


async def test_a_bare_code_is_refused_when_the_provider_promises_iss(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.session.provider.iss_parameter_supported
        redirect = approve_in_browser(str(app.session.authorization_request().url))
        await paste(pilot, parse_qs(urlsplit(redirect).query)["code"][0])
        assert "A code alone carries no iss" in screen_text(app, "#status")
        assert app.session.state.code == "", "the code is not kept"
        await paste(pilot, redirect)
        assert "state checked ✓" in screen_text(app, "#status"), "the whole URL is taken"


async def test_paste_bare_code_says_state_not_checked(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize_without_iss(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
        redirect = approve_in_browser(str(app.session.authorization_request().url))
        code = parse_qs(urlsplit(redirect).query)["code"][0]
        await paste(pilot, code)
        status = screen_text(app, "#status")
        assert "state NOT checked" in status
        assert app.session.state.code == code
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, ExchangeScreen)
        await pilot.press("s")
        await settle(pilot)
        assert str(app.screen.query_one(ExchangeViewer).border_subtitle).startswith("200 OK")


async def test_wrong_state_refused_and_no_token_request(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        redirect = approve_in_browser(str(app.session.authorization_request().url))
        await paste(pilot, with_query(redirect, state="forged-state-value"))
        panel = app.screen.query_one(ErrorPanel).text
        assert "State mismatch" in panel
        assert app.session.state.code == ""
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen), "Exchange must stay closed"
        assert token_requests(app) == []


async def test_access_denied_explained(isolated_environment: Path, demo_server: DemoServer) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        panel = app.screen.query_one(ErrorPanel).text
        assert "access_denied" in panel
        assert "refused the request" in panel
        assert app.session.state.code == ""


async def test_pasted_error_url_explained(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        denied = approve_in_browser(str(app.session.authorization_request().url), "Deny")
        assert "error=access_denied" in denied
        await paste(pilot, denied)
        panel = app.screen.query_one(ErrorPanel).text
        assert "access_denied" in panel
        assert "Approve" in panel


async def test_listener_catches_the_browser_redirect(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "Listening" in screen_text(app, "#listener"), "listener")
        redirect = approve_in_browser(str(app.session.authorization_request().url))
        async with httpx.AsyncClient(trust_env=False) as browser:
            page = await browser.get(redirect)
        assert page.status_code == 200
        await settle(pilot)
        assert "loopback listener" in screen_text(app, "#status")
        assert "Listener stopped" in screen_text(app, "#listener")
        assert app.session.state.code == parse_qs(urlsplit(redirect).query)["code"][0]


async def test_reused_code_shows_invalid_grant(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        redirect = approve_in_browser(str(app.session.authorization_request().url))
        await paste(pilot, redirect)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert app.session.state.token
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        viewer = app.screen.query_one(ExchangeViewer)
        assert str(viewer.border_subtitle).startswith("400 Bad Request")
        panel = app.screen.query_one(ErrorPanel).text
        assert "invalid_grant" in panel
        assert "single-use" in panel


async def test_returning_to_authorize_tells_spent_from_waiting_codes(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("g", "a", "3", "s", "2"):
            await pilot.press(key)
            await settle(pilot)
        assert "exchanged already" in screen_text(app, "#status")
        for key in ("n", "g", "a", "3", "2"):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
        assert "is waiting" in screen_text(app, "#status")


async def test_failed_save_after_a_bare_code_still_says_state_not_checked(
    isolated_environment: Path, demo_server: DemoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = await open_authorize_without_iss(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)

        def disk_full(fd: int) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fsync", disk_full)
        await paste(pilot, "a-bare-code-1234")
        await settle(pilot)
        assert "state NOT checked" in screen_text(app, "#status")
        assert app.session.state.code == "a-bare-code-1234"
        assert app.session.unsaved


async def test_exchange_after_a_new_attempt_shows_the_new_code_unsent(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("g", "a", "3", "s", "2", "n", "g", "a", "3"):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, ExchangeScreen)
        viewer = app.screen.query_one(ExchangeViewer)
        assert str(viewer.border_subtitle) == "not sent"
        assert viewer.exchange is not None
        assert viewer.exchange.form_value("code") == app.session.state.code


async def test_y_inside_tmux_says_sent_and_how_to_enable_it_not_copied(
    isolated_environment: Path, demo_server: DemoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMUX", "/tmp/tmux-1000/default,4242,0")
    app = await open_authorize(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
        await pilot.press("y")
        await pilot.pause()
        exchange = app.screen.exchange
        assert exchange is not None
        assert app.clipboard == str(exchange.request.url)
        (message,) = [n.message for n in app.toasts]
        assert "copied" not in message.lower()
        assert message.startswith("Sent the authorization URL")
        assert "set -g set-clipboard on" in message


async def test_the_footer_offers_esc_to_leave_the_paste_field_while_in_it(
    wizard: WizardFactory,
) -> None:
    async with wizard() as (app, pilot):
        assert "esc Leave field" not in whole_screen(app).splitlines()[-1]
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        assert "esc Leave field" in whole_screen(app).splitlines()[-1]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, ExchangeViewer)
        assert "esc Leave field" not in whole_screen(app).splitlines()[-1]


@pytest.mark.parametrize(
    ("table", "fix"),
    [
        ({"client_id": "wrong-client"}, "The demo server knows oauth-dance-demo"),
        ({"redirect_uri": "https://example.com/cb"}, "The demo server registers"),
    ],
)
async def test_the_demos_error_pages_are_explained_truly(
    wizard: WizardFactory, table: dict[str, str], fix: str
) -> None:
    """A QA find: an unknown client id and an unregistered redirect URI on the demo got
    invalid_request's "A required parameter ... is absent or empty"."""
    async with wizard(size=(80, 24), **table) as (app, pilot):
        await press(pilot, "g")
        panel = app.screen.query_one(ErrorPanel).text
        assert "invalid_request" in panel and "absent or empty" not in panel
        assert fix in " ".join(panel.split())
