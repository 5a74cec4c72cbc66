"""The session drives the whole dance against the real embedded server on loopback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs

import tomli_w

from tests.app.wizard import approve_in_browser
from tui.core.providers import ClientAuth, demo_provider
from tui.core.session import Session
from tui.core.state import DanceState
from tui.core.steps import Step
from tui.core.store import CredsStore
from tui.core.tokens import RefreshOutcome
from tui.core.transport import tls_context
from tui.demo import DemoServer

REDIRECT = "http://127.0.0.1:8888/callback"


def demo_session(tmp_path: Path, server: DemoServer) -> Session:
    state = DanceState(
        client_id=server.client_id,
        client_secret=server.client_secret,
        redirect_uri=REDIRECT,
        scope="user-read-email",
        auth_method=ClientAuth.BASIC,
    )
    return Session(demo_provider(server.base_url), CredsStore(tmp_path / "creds.toml"), state)


async def test_the_whole_dance(tmp_path: Path, demo_server: DemoServer) -> None:
    tls_context.cache_clear()
    session = demo_session(tmp_path, demo_server)
    authorize = session.begin_authorization()
    params = parse_qs(authorize.request.url.query.decode())
    saved = session.store.load_provider("demo")
    assert saved["state"] == params["state"][0] == session.state.state
    assert saved["code_verifier"] == session.state.code_verifier

    callback = session.accept_callback(approve_in_browser(str(authorize.request.url)))
    assert callback.state_checked
    assert callback.iss == demo_server.issuer
    exchange = await session.send(session.prepare_token_exchange())
    assert exchange.response is not None and exchange.response.status_code == 200
    before = datetime.now(UTC)
    tokens = session.finish_token_exchange(exchange)
    after = datetime.now(UTC)
    assert session.state.code_exchanged
    assert session.state.refresh == tokens.refresh_token
    assert session.state.expires is not None
    hour = timedelta(seconds=3600)
    assert before + hour <= session.state.expires <= after + hour, "expires_in made absolute"
    saved = session.store.load_provider("demo")
    assert saved["token"] == tokens.access_token
    assert isinstance(saved["expires"], datetime)
    assert tokens.access_token not in exchange.response_view()
    assert demo_server.client_secret not in exchange.request_view()
    assert callback.code not in exchange.curl()

    assert not session.state.profile_fetched
    profile = session.finish_profile(await session.send(session.prepare_profile()))
    assert profile["email"]
    assert session.state.profile_fetched, "Profile done: its ✓ in the sidebar"
    assert session.store.load_provider("demo")["profile_fetched"] is True

    old_refresh = session.state.refresh
    change = session.finish_refresh(await session.send(session.prepare_refresh()))
    assert change.new_access_token
    assert change.refresh is RefreshOutcome.KEPT
    assert session.state.refresh == old_refresh, "RFC 6749 §6: keep the old refresh token"
    assert session.store.load_provider("demo")["refresh"] == old_refresh
    steps = [Step.AUTHORIZE, Step.AUTHORIZE, Step.EXCHANGE, Step.PROFILE, Step.REFRESH]
    assert [e.step for e in session.history] == steps, "the browser's part first"
    assert tls_context.cache_info().currsize == 0, "plain http to loopback: no CA bundle loaded"


def test_saving_keeps_keys_this_tool_does_not_know(tmp_path: Path) -> None:
    creds = tmp_path / "creds.toml"
    creds.write_text(
        tomli_w.dumps(
            {"version": 1, "demo": {"client_id": "a", "note": "mine", "auth_method": "x"}}
        )
    )
    store = CredsStore(creds)
    session, error = Session.open(demo_provider("http://127.0.0.1:9"), store)
    assert error is None
    assert session.state.auth_method is ClientAuth.BASIC, "an unknown method falls back"
    session.update(client_id="b")
    table = store.load_provider("demo")
    assert table["note"] == "mine"
    assert table["client_id"] == "b"


async def test_an_unknown_client_or_redirect_is_explained_for_the_demo(
    tmp_path: Path, demo_server: DemoServer
) -> None:
    """The demo's error pages for an unknown client_id and an unregistered redirect_uri,
    read by the session: the explanation's fix names what the demo registers."""
    from tui.core.errors import OAuthError

    for change, said, fix in (
        ({"client_id": "wrong-client"}, "Invalid client_id parameter value", "oauth-dance-demo"),
        ({"redirect_uri": "https://example.com/cb"}, "Mismatching redirect URI", "[::1]"),
    ):
        session = demo_session(tmp_path, demo_server)
        session.update(**change)
        exchange = await session.send(session.begin_authorization())
        assert exchange.response is not None and exchange.response.status_code == 400
        try:
            session.read_consent_page(exchange.response)
        except OAuthError as err:
            assert err.code == "invalid_request" and said in (err.description or "")
            assert "absent" not in err.explanation.cause
            assert fix in err.explanation.fix and "The demo server" in err.explanation.fix
        else:
            raise AssertionError("an error page, not a consent page")
