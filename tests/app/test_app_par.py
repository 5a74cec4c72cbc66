"""Pushed authorization requests (RFC 9126) on the Authorize step, by keys at 80x24: the
POST shown and sent, the URL that shrinks to client_id and request_uri, its QR code
decoded from what Textual draws, and a reused request_uri taught."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.app.test_app_dead_ends import consent_shown
from tests.app.wizard import (
    WizardFactory,
    dance_app,
    make_app,
    press,
    seed,
    settle,
    wait_until,
)
from tests.faults.faultapp import panel_text
from tests.screenshot import screen_text
from tests.test_qr import decode
from tui.core.providers import ClientAuth
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.profile import ProfileScreen
from tui.widgets.error_panel import ErrorPanel
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.qr_screen import QRScreen


def shown(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


def footer(app: object) -> str:
    return screen_text(app).splitlines()[-1]  # type: ignore[arg-type]


async def test_par_dance_by_keys_at_80x24(wizard: WizardFactory) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, AuthorizeScreen)
        assert "u pushes the parameters first" in shown(screen, "#status")
        long_url = str(app.session.authorization_request().url)

        await pilot.press("u")
        await settle(pilot)
        assert app.session.state.par and app.session.store.load_provider("demo")["par"] is True
        assert screen.exchange is None and screen.push is not None
        assert screen.push.response is None, "prepared and shown, not sent"
        assert screen.query_one(ExchangeViewer).exchange is screen.push
        assert "⏎ Push" in footer(app)
        assert "Sent in the POST, not in the URL" in shown(screen, "#params")

        await pilot.press("enter")
        await settle(pilot)
        push = screen.push
        assert push.response is not None and push.response.status_code == 201
        assert push in app.session.history
        assert screen.exchange is not None
        url = screen.exchange.request.url
        assert [name for name, _ in url.params.multi_items()] == ["client_id", "request_uri"]
        assert len(str(url)) < len(long_url) / 2
        params = shown(screen, "#params")
        assert "request_uri = urn:ietf:params:oauth:request_uri:" in params
        assert "one use, short-lived (RFC 9126 §4)" in params
        assert "code_challenge = " in params and "Sent in the POST." in params
        assert "⏎ Consent" in footer(app)

        for key in ("g", "a", "3", "s", "4", "s"):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        assert app.session.state.profile_fetched, "tokens from the pushed request, and a profile"


async def test_the_short_urls_qr_code_scans_at_80x24(wizard: WizardFactory) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await pilot.press("u", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuthorizeScreen) and screen.exchange is not None
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, QRScreen), "the QR screen")
        await pilot.pause()
        assert decode(app) == [str(screen.exchange.request.url)]


async def test_a_reused_request_uri_is_taught(wizard: WizardFactory) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await pilot.press("u", "enter")
        await settle(pilot)
        await pilot.press("g")  # the browser's part: the request_uri is used
        await settle(pilot)
        await pilot.press("g")  # and again: the same URL
        await settle(pilot)
        panel = app.screen.query_one(ErrorPanel).text
        assert "invalid_request_uri" in panel
        assert "used already" in panel and "RFC 9126 §4" in panel
        assert app.session.state.code == ""


async def test_g_after_deny_pushes_a_new_attempt_before_the_consent_page(
    wizard: WizardFactory,
) -> None:
    """Deny ends the attempt and its request_uri is spent (one use, RFC 9126 §4): g then
    starts a new attempt, pushed first, and shows its consent page, not an error page."""
    async with wizard(size=(80, 24)) as (app, pilot):
        await press(pilot, "u", "enter", "g", "d")  # pushed, consent page, Deny
        assert "access_denied" in panel_text(app)
        spent, attempt = app.session.state.request_uri, app.session.state.state
        await press(pilot, "g")
        assert "invalid_request_uri" not in panel_text(app)
        assert consent_shown(pilot), screen_text(app)
        assert app.session.state.state != attempt, "a new attempt"
        assert app.session.state.request_uri not in ("", spent), "pushed again"
        pushes = [e for e in app.session.history if e.purpose == "push"]
        assert len(pushes) == 2 and pushes[-1].response is not None
        assert pushes[-1].response.status_code == 201
        await press(pilot, "a")
        assert app.session.state.code


async def test_par_off_again_brings_back_the_whole_url(wizard: WizardFactory) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await pilot.press("u", "enter")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuthorizeScreen) and screen.exchange is not None
        assert "redirect_uri" in screen.exchange.request.url.params
        assert not app.session.state.par and not app.session.state.request_uri
        assert "Sent in the POST" not in shown(screen, "#params")


async def test_a_provider_without_par_is_not_offered_it(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    seed(
        isolated_environment,
        "spotify",
        client_id="id",
        client_secret="secret",
        redirect_uri="https://example.com/callback",
        auth_method=ClientAuth.BASIC.value,
    )
    app = make_app(isolated_environment, demo_server, "spotify")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = dance_app(pilot).screen
        assert isinstance(screen, AuthorizeScreen)
        assert "PAR" not in shown(screen, "#status")
        await pilot.press("u")
        await settle(pilot)
        assert not app.session.state.par
        assert screen.push is None and screen.exchange is not None
        assert "redirect_uri" in screen.exchange.request.url.params
