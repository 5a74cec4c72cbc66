"""A provider found by discovery: the steps wait for it, a failure stays shown, RFC 9207."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx

from tests.app.wizard import approve_in_browser, free_port, make_app, seed, settle
from tests.faults.badserver import BadServer, Behaviour, Conversation, response_bytes
from tui.app_surfaces import SafeSurfaces
from tui.core.errors import IssuerMismatchError
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.credentials import CredentialsScreen
from tui.widgets.error_panel import ErrorPanel


def metadata(base: str, **extra: object) -> bytes:
    return json.dumps(
        {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            **extra,
        }
    ).encode()


def metadata_once(release: asyncio.Event) -> Behaviour:
    """The server's metadata, answered once ``release`` is set: a discovery held."""

    async def held(talk: Conversation) -> None:
        await release.wait()
        body = metadata(talk.server.base_url)
        await talk.send(response_bytes("200 OK", {"Content-Type": "application/json"}, body))

    return held


def seed_custom(creds: Path, issuer: str, **table: str) -> None:
    seed(
        creds,
        "corp",
        issuer=issuer,
        client_id=table.pop("client_id", "cid"),
        client_secret=table.pop("client_secret", "secret-value"),
        redirect_uri=f"http://127.0.0.1:{free_port()}/callback",
        **table,
    )


def panel_text(app: object) -> str:
    panels = app.screen.query(ErrorPanel)  # type: ignore[attr-defined]
    return panels.first().text if panels and panels.first().display else ""


async def wait_for(pilot: object, condition: object) -> None:
    for _ in range(200):
        if condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.02)
    await pilot.pause()  # type: ignore[attr-defined]
    assert condition(), "condition not met"  # type: ignore[operator]


def messages(app: SafeSurfaces) -> list[str]:
    return [n.message for n in app.toasts]


async def test_a_failed_discovery_stays_shown_closes_the_steps_and_can_be_retried(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    answers = iter([b"", b""])

    async def fails_once(talk: Conversation) -> None:
        body = next(answers, None)
        if body is None:
            await talk.send(
                response_bytes(
                    "200 OK", {"Content-Type": "application/json"}, metadata(talk.server.base_url)
                )
            )
        else:
            await talk.send(response_bytes("404 Not Found", {}, b"no such page"))

    async with BadServer(fails_once) as server:
        seed_custom(isolated_environment, server.base_url)
        app = make_app(isolated_environment, demo_server, "corp")
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, CredentialsScreen)
            panel = panel_text(app)
            assert "Discovery failed" in panel
            assert "HTTP 404" in panel, "the cause is shown"
            assert "ctrl+r" in panel
            assert app.screen.active_bindings["enter"].enabled is False
            for key in ("enter", "2"):
                await pilot.press(key)
                await settle(pilot)
                assert isinstance(app.screen, CredentialsScreen)
            assert any("press ctrl+r to try again" in m for m in messages(app))
            assert "Discovery failed" in panel_text(app), "not a toast: still there"

            await pilot.press("ctrl+r")
            await settle(pilot)
            assert panel_text(app) == ""
            assert app.screen.active_bindings["enter"].enabled is True
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, AuthorizeScreen)
            url = app.screen.exchange.request.url
            assert (url.host, url.path) == ("127.0.0.1", "/authorize")


async def test_discovery_toasts_say_its_outcome_and_go_with_credentials(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """The toast saying discovery runs goes when it ends (replaced by its outcome), and
    the toasts about Credentials go when the user leaves it for a step."""
    answers = iter([b"", b""])

    async def fails_once(talk: Conversation) -> None:
        if next(answers, None) is None:
            body = metadata(talk.server.base_url)
            await talk.send(response_bytes("200 OK", {"Content-Type": "application/json"}, body))
        else:
            await talk.send(response_bytes("404 Not Found", {}, b"no such page"))

    async with BadServer(fails_once) as server:
        seed_custom(isolated_environment, server.base_url)
        app = make_app(isolated_environment, demo_server, "corp")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert "Discovery failed" in panel_text(app)
            assert not any("Discovering" in m for m in messages(app)), "it ended"

            await pilot.press("ctrl+r")
            await settle(pilot)
            assert messages(app) == ["Endpoints found by discovery."], "one outcome, in its place"

            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, AuthorizeScreen)
            assert not any("iscover" in m for m in messages(app)), "gone with Credentials"


async def test_authorize_waits_for_a_discovery_still_running(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    release = asyncio.Event()
    async with BadServer(metadata_once(release)) as server:
        seed_custom(isolated_environment, server.base_url)
        app = make_app(isolated_environment, demo_server, "corp")
        async with app.run_test(size=(100, 40)) as pilot:
            await wait_for(pilot, lambda: server.seen)
            await pilot.pause()
            assert isinstance(app.screen, CredentialsScreen)
            assert app.screen.active_bindings["enter"].enabled is False
            await pilot.press("enter")
            await pilot.press("2")
            await pilot.pause()
            assert isinstance(app.screen, CredentialsScreen), "no race with discovery"
            assert any("still looking" in m for m in messages(app))
            release.set()
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, AuthorizeScreen)
            assert app.screen.exchange.request.url.host == "127.0.0.1"  # type: ignore[union-attr]


def without_iss(url: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items() if k != "iss"}
    return urlunsplit(parts._replace(query=urlencode(query)))


async def test_a_callback_without_the_promised_iss_is_refused_by_app_and_page_alike(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """The demo's metadata, found by discovery on loopback, promises iss (RFC 9207)."""
    seed_custom(
        isolated_environment,
        demo_server.issuer,
        client_id=demo_server.client_id,
        client_secret=demo_server.client_secret,
        scope="user-read-email",
    )
    app = make_app(isolated_environment, demo_server, "corp")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert app.session.provider.iss_parameter_supported
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: "Listening" in str(app.screen.query_one("#listener").render())
        )
        assert isinstance(app.screen, AuthorizeScreen)
        redirect = approve_in_browser(str(app.session.authorization_request().url))
        assert "iss=" in redirect
        async with httpx.AsyncClient(trust_env=False) as browser:
            page = await browser.get(without_iss(redirect))
        assert page.status_code == 400
        assert IssuerMismatchError.title in page.text
        await wait_for(pilot, lambda: "RFC 9207 §2.4" in panel_text(app))
        panel = panel_text(app)
        assert IssuerMismatchError.title in panel
        assert "authorization_response_iss_parameter_supported" in page.text
        assert app.session.state.code == ""


async def test_an_issuer_that_is_no_url_fails_discovery_at_once_and_says_so(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    seed_custom(isolated_environment, "ftp://id.corp.example")
    app = make_app(isolated_environment, demo_server, "corp")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        assert "ftp://id.corp.example" in panel_text(app)
        # Nothing is asked of that issuer: the wizard stands on the demo provider instead.
        assert app.session.provider.is_demo


async def test_a_discovery_left_running_by_a_switch_to_another_provider_changes_nothing(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """Read in the code by a helper: the discovery of the provider left was not stopped,
    and its answer, coming later, put that provider back into the new one's session."""
    release = asyncio.Event()
    async with BadServer(metadata_once(release)) as server:
        seed_custom(isolated_environment, server.base_url)
        app = make_app(isolated_environment, demo_server, "corp")
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: server.seen)
            await pilot.press("e")  # (settle would wait for the discovery held)
            await wait_for(pilot, lambda: getattr(app.focused, "id", None) == "client_id")
            await pilot.press("shift+tab", "enter", "home", "enter")  # the provider menu: demo
            await wait_for(pilot, lambda: app.session.provider.is_demo)
            release.set()  # corp's metadata comes now, too late
            await settle(pilot)
            assert app.session.provider.is_demo, app.session.provider.name
            assert not any(w.group == "discovery" and not w.is_finished for w in app.workers)
            assert "Endpoints found by discovery." not in messages(app)
