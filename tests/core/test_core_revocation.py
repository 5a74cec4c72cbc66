"""RFC 7009 revocation and the API console, by the session, against the real demo server."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.app.wizard import MovedClock, approve_in_browser
from tests.core.test_core_session_demo import demo_session
from tui.core.console import ApiCall
from tui.core.errors import ApiError, OAuthError, ResponseFormatError, UnsupportedError
from tui.core.explain import API_ERRORS, QUIRKS
from tui.core.providers import GITHUB, GOOGLE, SPOTIFY, ClientAuth, custom_provider
from tui.core.revocation import TokenKind, read_revocation_answer, revocation_request
from tui.core.session import Session
from tui.core.state import DanceState
from tui.core.steps import Step
from tui.demo import DemoServer

TOKENS = DanceState(client_id="id", client_secret="secret", token="access-1", refresh="refresh-1")


def test_google_revokes_at_its_endpoint_with_the_token_and_its_hint() -> None:
    state = DanceState(**{**TOKENS.__dict__, "auth_method": ClientAuth.POST})
    request = revocation_request(GOOGLE, state, TokenKind.REFRESH)
    assert str(request.url) == "https://oauth2.googleapis.com/revoke"
    form = dict(httpx.QueryParams(request.content.decode()))
    assert form == {
        "token": "refresh-1",
        "token_type_hint": "refresh_token",
        "client_id": "id",
        "client_secret": "secret",
    }


@pytest.mark.parametrize(
    ("provider", "said"),
    [
        (SPOTIFY, "account page (Manage apps)"),
        (GITHUB, "DELETE /applications/{client_id}/token"),
        (
            custom_provider(
                "acme", {"authorize_endpoint": "https://a/x", "token_endpoint": "https://a/t"}
            ),
            "add revocation_endpoint to that table",
        ),
    ],
)
def test_a_provider_without_an_endpoint_says_so(provider: object, said: str) -> None:
    with pytest.raises(UnsupportedError) as refused:
        revocation_request(provider, TOKENS, TokenKind.ACCESS)  # type: ignore[arg-type]
    assert "has no token revocation endpoint (RFC 7009)" in refused.value.message
    assert said in refused.value.message


def test_nothing_to_revoke_is_said() -> None:
    with pytest.raises(Exception, match="no refresh token to revoke"):
        revocation_request(GOOGLE, DanceState(token="a"), TokenKind.REFRESH)


def answer(status: int, **kw: object) -> httpx.Response:
    return httpx.Response(status, request=httpx.Request("POST", "https://x/revoke"), **kw)  # type: ignore[arg-type]


def test_the_answer_200_is_revoked_and_an_error_is_explained() -> None:
    read_revocation_answer(answer(200, text="anything"))
    with pytest.raises(OAuthError) as refused:
        read_revocation_answer(answer(400, json={"error": "unsupported_token_type"}))
    assert "access tokens then live until they expire" in refused.value.explanation.cause
    with pytest.raises(ResponseFormatError, match="a revocation answers 200"):
        read_revocation_answer(answer(500, text="<html>oops</html>"))


async def dance(session: Session) -> None:
    """Authorize (the browser's part played), then exchange: tokens in the state."""
    authorize = session.begin_authorization()
    session.accept_callback(approve_in_browser(str(authorize.request.url)))
    session.finish_token_exchange(await session.send(session.prepare_token_exchange()))


async def test_revoking_the_access_token_drops_it_and_a_call_with_it_gets_401(
    tmp_path: Path, demo_server: DemoServer
) -> None:
    session = demo_session(tmp_path, demo_server)
    await dance(session)
    access, refresh = session.state.token, session.state.refresh
    revocation = await session.send(session.prepare_revocation(TokenKind.ACCESS))
    assert session.finish_revocation(revocation) is TokenKind.ACCESS
    assert access not in revocation.request_view() and "200 OK" in revocation.response_view()
    saved = session.store.load_provider("demo")
    assert "token" not in saved and saved["refresh"] == refresh
    assert session.state.token == "" and session.state.expires is None

    check = await session.send(session.prepare_revoked_check(revocation))
    assert check.bearer_token() == access
    with pytest.raises(ApiError) as refused:
        session.finish_revoked_check(check)
    assert refused.value.status == 401 and refused.value.explanation is API_ERRORS[401]
    assert access not in check.request_view(), "the revoked token is still masked"
    assert check in session.history and revocation in session.history


async def test_revoking_the_refresh_token_drops_it_and_kills_the_grant(
    tmp_path: Path, demo_server: DemoServer
) -> None:
    session = demo_session(tmp_path, demo_server)
    await dance(session)
    access = session.state.token
    revocation = await session.send(session.prepare_revocation(TokenKind.REFRESH))
    assert session.finish_revocation(revocation) is TokenKind.REFRESH
    saved = session.store.load_provider("demo")
    assert "refresh" not in saved and saved["token"] == access
    revoked = revocation.form_value("token")
    assert revoked and session.state.refresh == ""

    check = await session.send(session.prepare_revoked_check(revocation))
    assert check.step is Step.REFRESH and check.purpose == "revoked token"
    assert check.form_value("grant_type") == "refresh_token"
    assert check.form_value("refresh_token") == revoked, "the very token revoked is tried"
    assert revoked not in check.request_view(), "the revoked token is still masked"
    with pytest.raises(OAuthError) as refused:
        session.finish_revoked_check(check)
    assert refused.value.code == "invalid_grant"
    assert refused.value.explanation is QUIRKS["refresh token revoked"]
    assert session.state.refresh == "" and session.state.token == access, "nothing kept"

    profile = await session.send(session.prepare_profile())
    with pytest.raises(ApiError, match="HTTP 401"):  # the grant's access token went too
        session.finish_profile(profile)


async def test_an_exchange_is_current_until_the_tokens_change(
    tmp_path: Path, demo_server: DemoServer
) -> None:
    session = demo_session(tmp_path, demo_server)
    await dance(session)
    exchange = session.history[-1]
    assert exchange.step is Step.EXCHANGE and session.is_current(exchange)
    profile = await session.send(session.prepare_profile())
    session.finish_profile(profile)
    assert session.is_current(profile) and session.is_current(exchange), "no token changed"
    refresh = await session.send(session.prepare_refresh())
    session.finish_refresh(refresh)
    assert session.is_current(refresh), "it brought the tokens there are now"
    assert not session.is_current(profile) and not session.is_current(exchange)
    revocation = await session.send(session.prepare_revocation(TokenKind.ACCESS))
    session.finish_revocation(revocation)
    assert session.is_current(revocation) and not session.is_current(refresh)
    await dance(session)
    assert session.is_current(session.history[-1]) and not session.is_current(revocation)


async def test_the_console_gets_the_profile_and_takes_the_users_call_to_the_server(
    tmp_path: Path, demo_server: DemoServer
) -> None:
    session = demo_session(tmp_path, demo_server)
    await dance(session)
    me = await session.send(session.prepare_api_call(session.default_api_call()))
    assert session.finish_api_call(me).startswith("HTTP 200 OK · application/json")
    call = ApiCall("PATCH", f"{demo_server.base_url}/v1/echo", "X-Lesson: seven", "a=b&c")
    echo = await session.send(session.prepare_api_call(call))
    session.finish_api_call(echo)
    assert echo.response is not None
    received = json.loads(echo.response.text)
    assert received["method"] == "PATCH"
    assert received["headers"]["x-lesson"] == "seven"
    assert received["body"] == "a=b&c"
    assert [e.summary.split(":")[0] for e in session.history[-2:]] == ["Call API"] * 2


async def test_the_console_gets_401_for_an_expired_token_and_a_refresh_mends_it(
    tmp_path: Path, short_lived_demo: DemoServer, moved_clock: MovedClock
) -> None:
    session = demo_session(tmp_path, short_lived_demo)
    await dance(session)
    moved_clock.advance(61)
    expired = await session.send(session.prepare_api_call(session.default_api_call()))
    with pytest.raises(ApiError) as refused:
        session.finish_api_call(expired)
    assert refused.value.token_expired
    session.finish_refresh(await session.send(session.prepare_refresh()))
    again = await session.send(session.prepare_api_call(session.default_api_call()))
    assert session.finish_api_call(again).startswith("HTTP 200 OK")
