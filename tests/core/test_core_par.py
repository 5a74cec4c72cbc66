"""Pushed authorization requests (RFC 9126): the session against the real demo server on
loopback, and against hostile PAR endpoints (tests/faults/badserver.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
import pytest

from tests.app.wizard import approve_in_browser
from tests.faults import badserver
from tui.core.consent import read_consent_page
from tui.core.discovery import parse_metadata
from tui.core.errors import ConfigError, DanceError, OAuthError, ResponseFormatError
from tui.core.flow import authorization_params
from tui.core.providers import SPOTIFY, ClientAuth, Provider, custom_provider, demo_provider
from tui.core.session import Session
from tui.core.state import DanceState
from tui.core.steps import Step
from tui.core.store import CredsStore
from tui.demo import DemoServer
from tui.widgets.qr import code_modules

REDIRECT = "http://127.0.0.1:8888/callback"
NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


def par_session(tmp_path: Path, server: DemoServer, auth: ClientAuth = ClientAuth.BASIC) -> Session:
    public = auth is ClientAuth.NONE
    state = DanceState(
        client_id=server.public_client_id if public else server.client_id,
        client_secret="" if public else server.client_secret,
        redirect_uri=REDIRECT,
        scope="user-read-email",
        auth_method=auth,
        par=True,
    )
    return Session(demo_provider(server.base_url), CredsStore(tmp_path / "creds.toml"), state)


async def pushed(session: Session) -> httpx.URL:
    """A new attempt, pushed; the short URL that stands for it."""
    session.begin_authorization()
    assert session.push_due
    push = await session.send(session.prepare_push())
    session.finish_push(push)
    return session.authorization_request().url


async def consent_error(session: Session, url: httpx.URL) -> OAuthError:
    """What the app reads when it plays the browser on ``url`` and gets no consent page."""
    page = await session.send(session.prepare(Step.AUTHORIZE, httpx.Request("GET", url)))
    assert page.response is not None
    with pytest.raises(OAuthError) as caught:
        read_consent_page(page.response)
    return caught.value


@pytest.mark.parametrize("auth", list(ClientAuth), ids=lambda a: a.name.lower())
async def test_par_dance_end_to_end(
    tmp_path: Path, demo_server: DemoServer, auth: ClientAuth
) -> None:
    session = par_session(tmp_path, demo_server, auth)
    session.begin_authorization()
    push = await session.send(session.prepare_push())
    assert push.request.method == "POST"
    assert str(push.request.url) == f"{demo_server.base_url}/api/par"
    form = dict(parse_qsl(push.request.content.decode()))
    for name, value in authorization_params(session.provider, session.state):
        assert form[name] == value, f"{name} pushed in the POST"
    assert ("authorization" in push.request.headers) is (auth is ClientAuth.BASIC)
    assert ("client_secret" in form) is (auth is ClientAuth.POST)
    assert push.response is not None and push.response.status_code == 201
    answer = session.finish_push(push)
    assert answer.expires_in == 60
    assert answer.request_uri.startswith("urn:ietf:params:oauth:request_uri:")
    saved = session.store.load_provider("demo")
    assert saved["request_uri"] == answer.request_uri and saved["par"] is True

    url = session.authorization_request().url
    assert list(url.params.multi_items()) == [
        ("client_id", session.state.client_id),
        ("request_uri", answer.request_uri),
    ]
    callback = session.accept_callback(approve_in_browser(str(url)))
    assert callback.state_checked, "the pushed state came back"
    tokens = session.finish_token_exchange(await session.send(session.prepare_token_exchange()))
    assert tokens.access_token
    profile = session.finish_profile(await session.send(session.prepare_profile()))
    assert profile["email"], "the pushed scope was granted"
    assert demo_server.client_secret not in push.request_view()


def test_the_short_url_makes_a_qr_code_that_fits_80x24(
    tmp_path: Path, demo_server: DemoServer
) -> None:
    """At the widest port, the demo's short URL needs no more than QR version 6 (41 modules):
    with a 2-module quiet zone, 23 rows, all a full-screen code has at 80x24."""
    state = DanceState(
        client_id=demo_server.client_id,
        redirect_uri=REDIRECT,
        state="s",
        request_uri="urn:ietf:params:oauth:request_uri:" + "x" * 16,
    )
    provider = demo_provider("http://127.0.0.1:65535")
    url = Session(provider, CredsStore(tmp_path / "c.toml"), state).authorization_request().url
    modules = code_modules(str(url))
    assert modules is not None and modules <= 41


async def test_a_request_uri_is_good_for_one_use(tmp_path: Path, demo_server: DemoServer) -> None:
    session = par_session(tmp_path, demo_server)
    url = await pushed(session)
    approve_in_browser(str(url))
    error = await consent_error(session, url)
    assert error.code == "invalid_request_uri"
    assert error.status == 400
    assert "used already" in error.explanation.meaning
    assert "RFC 9126 §4" in error.explanation.rfc


async def test_the_par_endpoint_refuses_as_rfc_9126_says(
    tmp_path: Path, demo_server: DemoServer
) -> None:
    """§2.3: a bad secret is 401 invalid_client; a bad parameter 400 with its code; nothing
    is stored."""
    session = par_session(tmp_path, demo_server)
    session.begin_authorization()
    session.state = replace(session.state, client_secret="no")
    refused = await session.send(session.prepare_push())
    assert refused.response is not None and refused.response.status_code == 401
    assert refused.response.headers["www-authenticate"].startswith("Basic")
    with pytest.raises(OAuthError) as caught:
        session.finish_push(refused)
    assert caught.value.code == "invalid_client"
    assert not session.state.request_uri

    session = par_session(tmp_path, demo_server)
    session.state = replace(session.state, scope="no-such")
    session.begin_authorization()
    refused = await session.send(session.prepare_push())
    assert refused.response is not None and refused.response.status_code == 400
    assert json.loads(refused.response.text)["error"] == "invalid_scope"


def test_a_provider_without_par_is_not_offered_it(tmp_path: Path) -> None:
    state = DanceState(client_id="id", client_secret="s", redirect_uri=REDIRECT, par=True)
    session = Session(SPOTIFY, CredsStore(tmp_path / "creds.toml"), state)
    assert not session.par_offered
    assert not session.push_due
    url = session.begin_authorization().request.url
    assert url.params["redirect_uri"] == REDIRECT, "the whole request in the URL"


def test_an_expired_request_uri_is_let_go_before_it_is_shown(tmp_path: Path) -> None:
    provider = demo_provider("http://127.0.0.1:1")
    state = DanceState(
        client_id="id",
        redirect_uri=REDIRECT,
        state="s",
        par=True,
        request_uri="urn:x",
        request_uri_expires=NOW,
    )
    session = Session(provider, CredsStore(tmp_path / "creds.toml"), state)
    session.clock = lambda: NOW - timedelta(seconds=1)
    session.forget_stale_push()
    assert session.state.request_uri == "urn:x"
    session.clock = lambda: NOW
    session.forget_stale_push()
    assert not session.state.request_uri and session.push_due


def hostile_answers() -> Iterator[tuple[str, bytes, str]]:
    yield "missing request_uri", json.dumps({"expires_in": 60}).encode(), "no request_uri"
    yield (
        "huge expires_in",
        json.dumps({"request_uri": "urn:x", "expires_in": 10**30}).encode(),
        "seconds to minutes",
    )
    yield (
        "control characters",
        json.dumps({"request_uri": "urn:\x1b[2Jx\n", "expires_in": 60}).encode(),
        "control characters",
    )
    yield "not json", b"<html>oops</html>", "not JSON"


@pytest.mark.parametrize(("body", "says"), [a[1:] for a in hostile_answers()],
                         ids=[a[0] for a in hostile_answers()])  # fmt: skip
async def test_hostile_par_answers_give_a_clear_message(
    tmp_path: Path, body: bytes, says: str
) -> None:
    behaviour = badserver.answer("201 Created", body, content_type="application/json")
    async with badserver.BadServer(behaviour) as server:
        provider = Provider(
            "hostile", "Hostile", f"{server.base_url}/authorize", f"{server.base_url}/token",
            par_endpoint=f"{server.base_url}/par",
        )  # fmt: skip
        state = DanceState(client_id="id", client_secret="s", redirect_uri=REDIRECT, par=True)
        session = Session(provider, CredsStore(tmp_path / "creds.toml"), state)
        session.begin_authorization()
        push = await session.send(session.prepare_push())
    with pytest.raises(ResponseFormatError) as caught:
        session.finish_push(push)
    message = caught.value.message
    assert says in message
    assert "\x1b" not in message and "\n" not in message
    assert not session.state.request_uri, "nothing kept"
    assert isinstance(caught.value, DanceError)


def test_discovery_and_the_creds_file_name_the_par_endpoint() -> None:
    document = {
        "issuer": "https://as.example.com",
        "authorization_endpoint": "https://as.example.com/authorize",
        "token_endpoint": "https://as.example.com/token",
        "pushed_authorization_request_endpoint": "https://as.example.com/par",
    }
    endpoints = parse_metadata(httpx.Response(200, json=document), "https://as.example.com")
    assert endpoints["par_endpoint"] == "https://as.example.com/par"
    table = {"authorize_endpoint": "https://a.example/a", "token_endpoint": "https://a.example/t"}
    assert custom_provider("x", table).par_endpoint is None
    par = custom_provider("x", {**table, "par_endpoint": "https://a.example/par"})
    assert par.par_endpoint == "https://a.example/par"
    with pytest.raises(ConfigError, match="par_endpoint"):
        custom_provider("x", {**table, "par_endpoint": "ftp://a.example/par"})
