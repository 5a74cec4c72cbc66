"""The demo provider's device flow (RFC 8628, by oauthlib), driven by the session over real
HTTP: metadata, codes, each poll answer, and the device code masked everywhere."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.app.wizard import MovedClock
from tui.core.discovery import parse_metadata
from tui.core.errors import OAuthError
from tui.core.providers import ClientAuth, demo_provider
from tui.core.session import Session
from tui.core.state import DEVICE_FLOW, DanceState
from tui.core.store import CredsStore
from tui.demo import DemoServer


@pytest.fixture
def clocked_demo(moved_clock: MovedClock) -> Iterator[DemoServer]:
    with DemoServer(port=0, clock=moved_clock) as server:
        yield server


def device_session(tmp_path: Path, server: DemoServer, **changes: object) -> Session:
    state = DanceState(
        client_id=server.client_id,
        client_secret=server.client_secret,
        scope="user-read-email",
        auth_method=ClientAuth.BASIC,
        flow=DEVICE_FLOW,
    )
    provider = demo_provider(server.base_url)
    session = Session(provider, CredsStore(tmp_path / "creds.toml"), state)
    session.update(**changes)
    return session


async def codes(session: Session) -> None:
    exchange = await session.send(session.prepare_device_authorization())
    session.finish_device_authorization(exchange)


async def poll(session: Session) -> str:
    """One poll: its "not yet" answer, or "tokens"; a final refusal raises."""
    answer = session.finish_poll(await session.send(session.prepare_poll()))
    return answer.waiting or "tokens"


def decide(session: Session, decision: str) -> None:
    with httpx.Client(trust_env=False) as browser:
        page = browser.get(session.state.verification_uri_complete)
        assert session.state.user_code in page.text
        url = httpx.URL(session.state.verification_uri).join("/device/decision")
        sent = browser.post(url, data={"user_code": session.state.user_code, "decision": decision})
        assert sent.status_code == 200


def test_metadata_advertises_the_device_endpoint(demo_server: DemoServer) -> None:
    with httpx.Client(trust_env=False) as client:
        metadata = client.get(demo_server.metadata_url)
    endpoints = parse_metadata(metadata, demo_server.issuer)
    assert endpoints["device_authorization_endpoint"] == f"{demo_server.base_url}/api/device"
    grants = metadata.json()["grant_types_supported"]
    assert "urn:ietf:params:oauth:grant-type:device_code" in grants


async def test_pending_then_approved_gives_tokens_and_a_refresh_token(
    tmp_path: Path, clocked_demo: DemoServer, moved_clock: MovedClock
) -> None:
    session = device_session(tmp_path, clocked_demo)
    await codes(session)
    device_code = session.state.device_code
    assert await poll(session) == "authorization_pending"
    decide(session, "Approve")
    moved_clock.advance(5)
    assert await poll(session) == "tokens"
    assert session.state.token and session.state.refresh
    saved = session.store.load_provider("demo")
    assert saved["flow"] == "device" and saved["token"] == session.state.token
    # Spent, the codes are forgotten, in memory and in the file: the next poll asks anew.
    assert session.state.device_code == "" and "device_code" not in saved
    for exchange in session.history:
        assert device_code not in exchange.request_view()
        assert device_code not in exchange.response_view()
        assert device_code not in exchange.summary


async def test_polling_sooner_than_the_interval_gets_slow_down_and_five_more_seconds(
    tmp_path: Path, clocked_demo: DemoServer, moved_clock: MovedClock
) -> None:
    session = device_session(tmp_path, clocked_demo)
    await codes(session)
    assert await poll(session) == "authorization_pending"
    moved_clock.advance(1)
    assert await poll(session) == "slow_down"
    assert session.state.poll_interval == 10
    moved_clock.advance(10)
    assert await poll(session) == "authorization_pending"


async def test_slow_down_once_is_a_switch_for_lessons(
    tmp_path: Path, moved_clock: MovedClock
) -> None:
    with DemoServer(port=0, clock=moved_clock, slow_down_once=True) as server:
        session = device_session(tmp_path, server)
        await codes(session)
        assert await poll(session) == "slow_down"
        moved_clock.advance(10)
        assert await poll(session) == "authorization_pending"


@pytest.mark.parametrize(
    ("decision", "advance", "error"),
    [
        ("Deny", 5, "access_denied"),
        ("", 601, "expired_token"),
    ],
)
async def test_denied_or_expired_ends_polling(
    tmp_path: Path,
    clocked_demo: DemoServer,
    moved_clock: MovedClock,
    decision: str,
    advance: int,
    error: str,
) -> None:
    session = device_session(tmp_path, clocked_demo)
    await codes(session)
    if decision:
        decide(session, decision)
    moved_clock.advance(advance)
    with pytest.raises(OAuthError) as caught:
        await poll(session)
    assert caught.value.code == error


async def test_a_spent_device_code_is_invalid_grant(
    tmp_path: Path, clocked_demo: DemoServer, moved_clock: MovedClock
) -> None:
    """The provider's side: a device code that brought tokens is refused after. (The
    session forgets it once spent; here it is given back, as a stale client would keep it.)"""
    session = device_session(tmp_path, clocked_demo)
    await codes(session)
    grant = {
        name: getattr(session.state, name)
        for name in ("device_code", "user_code", "verification_uri", "device_expires")
    }
    decide(session, "Approve")
    assert await poll(session) == "tokens"
    moved_clock.advance(5)
    session.update(**grant, poll_interval=5)
    with pytest.raises(OAuthError) as caught:
        await poll(session)
    assert caught.value.code == "invalid_grant"


async def test_the_public_client_gets_codes_with_its_client_id_alone(
    tmp_path: Path, clocked_demo: DemoServer
) -> None:
    session = device_session(
        tmp_path,
        clocked_demo,
        client_id=clocked_demo.public_client_id,
        client_secret="",
        auth_method=ClientAuth.NONE,
    )
    await codes(session)
    assert session.state.user_code


async def test_with_openid_the_device_flow_brings_a_signed_id_token(
    tmp_path: Path, clocked_demo: DemoServer, moved_clock: MovedClock
) -> None:
    """As the code grant's: the demo's key signs it, at_hash binds the access token; no
    nonce, as no authentication request carried one."""
    session = device_session(tmp_path, clocked_demo, scope="openid user-read-email")
    await codes(session)
    decide(session, "Approve")
    assert await poll(session) == "tokens"
    id_token = session.state.id_token
    assert id_token
    with httpx.Client(trust_env=False) as client:
        jwks = client.get(f"{clocked_demo.base_url}/.well-known/jwks.json").json()
    token = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=["ES256"])
    claims = token.claims
    assert claims["iss"] == clocked_demo.issuer
    assert claims["aud"] == claims["azp"] == clocked_demo.client_id
    assert claims["sub"] == "oauth-dance-listener"
    assert "nonce" not in claims
    digest = hashlib.sha256(session.state.token.encode()).digest()
    assert claims["at_hash"] == base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


async def test_without_openid_the_device_flow_brings_no_id_token(
    tmp_path: Path, clocked_demo: DemoServer
) -> None:
    session = device_session(tmp_path, clocked_demo)
    await codes(session)
    decide(session, "Approve")
    assert await poll(session) == "tokens"
    assert session.state.token and not session.state.id_token
