"""The ID token view: the demo dance with openid ends in a verified ID token; hostile
tokens are a clear ✗; the view is reachable, scrollable and masked at 80x24."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, OctKey
from textual.pilot import Pilot

from tests.app.wizard import (
    WizardFactory,
    advance_to,
    approve_in_browser,
    free_port,
    make_app,
    seed,
    settle,
    wait_until,
)
from tui.app import OAuthDanceApp
from tui.core.steps import Step
from tui.core.store import CredsStore
from tui.demo import DemoServer
from tui.screens.exchange import ExchangeScreen
from tui.screens.id_token import IdTokenScreen
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.scroll_area import ScrollArea

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CLIENT = "acme-client"
KEY = ECKey.generate_key("P-256", parameters={"kid": "test-key"})


def report_text(app: OAuthDanceApp) -> str:
    """The report's text: its paragraphs, and its tables' cells, a line each."""
    return "\n".join(str(part.render()) for part in app.screen.query("#report Static"))


async def open_id_token(pilot: Pilot[Any]) -> IdTokenScreen:
    await pilot.press("i")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, IdTokenScreen), "the ID token")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, IdTokenScreen)
    return screen


async def test_the_demo_dance_with_openid_shows_a_verified_id_token(
    wizard: WizardFactory,
) -> None:
    async with wizard(scope="openid user-read-email") as (app, pilot):
        await advance_to(pilot, Step.EXCHANGE)
        assert app.session.state.nonce
        await pilot.press("s")
        await settle(pilot)
        assert app.session.state.id_token
        screen = await open_id_token(pilot)
        assert screen.report is not None and screen.report.verified
        text = report_text(app)
        assert "✓ ID token verified" in text and "✗" not in text
        assert "✓ nonce" in text and "Rule 11" in text
        assert app.session.state.id_token not in text
        keys = app.session.history[-1]
        assert keys.purpose == "ID token keys"
        assert keys.request.url.path == "/.well-known/jwks.json"
        viewer = screen.query_one(ExchangeViewer)
        assert viewer.exchange is keys and viewer.status == "success"
        assert str(viewer.border_title) == "Exchange (ID token keys) · GET /.well-known/jwks.json"
        assert "Exchange (ID token keys): GET /.well-known/jwks.json → 200 OK" in keys.summary
        for key in ("escape", "4", "3"):  # back, away, and back to Exchange
            await pilot.press(key)
            await settle(pilot)
        step = app.screen
        assert isinstance(step, ExchangeScreen)
        assert step.exchange is not None and step.exchange.response is not None, (
            "Exchange still shows its own answer, not a fresh request"
        )


async def test_no_openid_no_id_token_key(wizard: WizardFactory) -> None:
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.PROFILE)
        assert not app.session.state.id_token and not app.session.state.nonce
        shown = app.screen.active_bindings["i"].binding
        assert shown.action == "no_id_token" and not shown.show, "not in the footer"
        await pilot.press("i")
        await settle(pilot)
        assert not isinstance(app.screen, IdTokenScreen)


def acme_app(creds: Path, id_token: str, **table: Any) -> OAuthDanceApp:
    """A custom provider, offline: explicit endpoints, no jwks_uri, tokens saved."""
    saved = {
        "authorize_endpoint": "https://op.example/authorize",
        "token_endpoint": "https://op.example/token",
        "issuer": "https://op.example",
        "client_id": CLIENT,
        "client_secret": "acme-secret-0123456789",
        "redirect_uri": "https://example.com/callback",
        "scope": "openid",
        "id_token_nonce": "nonce-0123456789",
        "token": "acme-access-token",
        "id_token": id_token,
    }
    seed(creds, "acme", **{**saved, **table})
    return OAuthDanceApp(CredsStore(creds), "acme")


def acme_token(**claims: Any) -> str:
    base = {
        "iss": "https://op.example",
        "sub": "user-42",
        "aud": CLIENT,
        "iat": int(NOW.timestamp()) - 60,
        "exp": int(NOW.timestamp()) + 3540,
        "nonce": "nonce-0123456789",
        "name": "Ada \x1b]52;c;aGk=\x07Lovelace",
    }
    return jwt.encode({"alg": "ES256", "kid": "test-key"}, {**base, **claims}, KEY)


async def open_acme(pilot: Pilot[Any]) -> IdTokenScreen:
    app = pilot.app
    assert isinstance(app, OAuthDanceApp)
    app.session.clock = lambda: NOW
    await settle(pilot)
    return await open_id_token(pilot)


HOSTILE: dict[str, tuple[Callable[[], str], str]] = {
    "malformed": (lambda: "garbage", "Not a JWT"),
    "alg-none": (lambda: "eyJhbGciOiJub25lIn0.e30.", "alg is none"),
    "huge": (lambda: "x" * 20_000, "20,000 characters long"),
    "wrong-nonce": (lambda: acme_token(nonce="replayed"), "✗ nonce"),
    "expired": (lambda: acme_token(exp=int(NOW.timestamp()) - 7200), "✗ exp"),
    "wrong-aud": (lambda: acme_token(aud="someone-else"), "✗ aud"),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
async def test_a_hostile_id_token_is_a_clear_cross(isolated_environment: Path, kind: str) -> None:
    make, said = HOSTILE[kind]
    app = acme_app(isolated_environment, make())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_acme(pilot)
        text = report_text(app)
        assert said in text and "✗ ID token NOT verified" in text
        assert screen.report is not None and not screen.report.verified
        if said.startswith("✗"):
            assert "keys could not be fetched" in text and "jwks_uri" in text
            assert "failed; the signature could not be checked." in text


async def test_keys_that_cannot_be_fetched_leave_the_signature_unchecked_not_failed(
    isolated_environment: Path,
) -> None:
    """The provider's server is down: the signature could not be checked (?), which is
    no failure; the refused connection names the port nothing listens on."""
    port = free_port()
    app = acme_app(
        isolated_environment, acme_token(), jwks_uri=f"http://127.0.0.1:{port}/jwks.json"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_acme(pilot)
        text = report_text(app)
        assert "? ID token not verified: the signature could not be checked." in text, text
        assert "✗" not in text and "failed" not in text, text
        assert "? signature" in text
        assert f"Connection refused by 127.0.0.1:{port}: nothing is listening" in text
        assert screen.report is not None and not screen.report.verified


@pytest.mark.parametrize(
    ("claims", "said"),
    [({"nonce": "replayed"}, "1 check failed."), ({"nonce": "replayed", "aud": "x"}, "2 checks")],
)
async def test_the_count_of_failed_checks_agrees_with_it(
    isolated_environment: Path, claims: dict[str, str], said: str
) -> None:
    mac = jwt.encode(
        {"alg": "HS256"},
        jwt.decode(acme_token(**claims), KEY).claims,
        OctKey.import_key("acme-secret-0123456789"),
    )
    app = acme_app(isolated_environment, mac)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_acme(pilot)
        assert f"✗ ID token NOT verified: {said}" in report_text(app), report_text(app)


async def test_claims_show_control_characters_and_the_view_scrolls_at_80x24(
    isolated_environment: Path,
) -> None:
    app = acme_app(isolated_environment, acme_token())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_acme(pilot)
        text = report_text(app)
        assert "Ada \\x1b]52;c;aGk=\\x07Lovelace" in text
        assert "\x1b" not in text
        area = screen.query_one("#token", ScrollArea)
        assert area.overflows and area.has_focus
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: area.scroll_y > 0, "the report to scroll")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, IdTokenScreen)


async def test_a_jwt_access_token_is_decoded_and_labelled(isolated_environment: Path) -> None:
    access = jwt.encode(
        {"alg": "ES256", "typ": "at+jwt"}, {"client_id": CLIENT, "scope": "openid"}, KEY
    )
    app = acme_app(isolated_environment, acme_token(), token=access)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_acme(pilot)
        text = report_text(app)
        assert "Access token: a JWT (RFC 9068)" in text
        assert "not for this client" in text and "never rely on it" in text
        assert access not in text


SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_id_token_snapshot(
    size: tuple[int, int], isolated_environment: Path, snap_compare: Any
) -> None:
    token = jwt.encode(
        {"alg": "HS256", "kid": "snapshot"},
        {
            "iss": "https://op.example",
            "sub": "user-42",
            "aud": CLIENT,
            "iat": int(NOW.timestamp()) - 60,
            "exp": int(NOW.timestamp()) + 3540,
            "nonce": "nonce-0123456789",
            "email": "ada@example.com",
        },
        OctKey.import_key("acme-secret-0123456789"),
    )

    async def open_view(pilot: Pilot[None]) -> None:
        await open_acme(pilot)

    assert snap_compare(
        acme_app(isolated_environment, token), terminal_size=size, run_before=open_view
    )


async def test_a_provider_found_by_discovery_shows_a_verified_id_token(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """A custom provider known only by its issuer: discovery finds its jwks_uri."""
    seed(
        isolated_environment,
        "corp",
        issuer=demo_server.issuer,
        client_id=demo_server.client_id,
        client_secret=demo_server.client_secret,
        redirect_uri=f"http://127.0.0.1:{free_port()}/callback",
        scope="openid",
    )
    app = make_app(isolated_environment, demo_server, "corp")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.session.provider.jwks_uri == f"{demo_server.issuer}/.well-known/jwks.json"
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: "Listening" in str(app.screen.query_one("#listener").render()), "it"
        )
        assert "nonce=" in str(app.session.authorization_request().url)
        redirect = approve_in_browser(str(app.session.authorization_request().url))
        async with httpx.AsyncClient(trust_env=False) as browser:
            await browser.get(redirect)
        await wait_until(pilot, lambda: app.session.state.code, "the code")
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = await open_id_token(pilot)
        assert screen.report is not None and screen.report.verified


async def test_wrapped_explanations_keep_their_column_at_80x24(isolated_environment: Path) -> None:
    """A rule or a claim's meaning too long for a line wraps within its own column: no
    line of it starts at the left edge, under the names."""
    app = acme_app(isolated_environment, acme_token())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_acme(pilot)
        names_end = None
        wrapped = 0
        for grid in screen.query("#report Grid"):
            cells = list(grid.children)
            for name, said in zip(cells[::2], cells[1::2], strict=True):
                assert said.region.x > name.region.x + len(str(name.render())), said
                names_end = names_end or said.region.x
                assert said.region.x == names_end, "one column for every table"
                wrapped += said.region.height > str(said.render()).count("\n") + 1
        assert wrapped, "some explanation is longer than a line at 80 columns"


async def test_r_reveals_the_id_token_and_masks_it_again(wizard: WizardFactory) -> None:
    async with wizard(scope="openid user-read-email") as (app, pilot):
        await advance_to(pilot, Step.PROFILE)
        token = app.session.state.id_token
        assert token
        screen = await open_id_token(pilot)
        assert token not in report_text(app) and "r reveals it" in report_text(app)
        for focus in (screen.query_one(ExchangeViewer), screen.query_one(ScrollArea)):
            focus.focus()
            await pilot.press("r")
            await settle(pilot)
            assert token in report_text(app).replace("\n", ""), "revealed"
            await pilot.press("r")
            await settle(pilot)
            assert token not in report_text(app).replace("\n", ""), "masked again"


async def test_i_without_an_id_token_says_why(wizard: WizardFactory) -> None:
    async with wizard() as (app, pilot):
        await advance_to(pilot, Step.PROFILE)
        assert not app.session.state.id_token
        await pilot.press("i")
        await settle(pilot)
        assert not isinstance(app.screen, IdTokenScreen)
        assert any(
            "scope has openid" in toast.message and toast.title == "No ID token"
            for toast in app.toasts
        ), [toast.message for toast in app.toasts]
