"""Every error the demo provider must answer as Spotify does (and where oauthlib differs)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from demo_dance import Dance, FakeClock, pkce_pair, query_of

# -- authorization endpoint: 400 page, never a redirect ------------------------


@pytest.mark.parametrize(
    "override",
    [
        {"client_id": "no-such-client"},
        {"redirect_uri": "http://localhost:8080/callback"},
        {"redirect_uri": "https://evil.example/callback"},
        {"redirect_uri": "http://127.0.0.1:8080/other"},
        {"redirect_uri": "http://127.0.0.1.evil.example/callback"},
        {"redirect_uri": "http://user@127.0.0.1/callback"},
        {"redirect_uri": "not a uri"},
    ],
)
def test_bad_client_or_redirect_gets_400_page(dance: Dance, override: dict[str, str]) -> None:
    params = dance.authorize_params()
    params.update(override)
    answer = dance.authorize(**params)
    assert answer.status_code == 400
    assert "location" not in answer.headers
    assert "text/html" in answer.headers["content-type"]


def test_missing_redirect_uri_gets_400_page(dance: Dance) -> None:
    params = dance.authorize_params()
    del params["redirect_uri"]
    answer = dance.authorize(**params)
    assert answer.status_code == 400
    assert "location" not in answer.headers


def _error_redirect(dance: Dance, **params: str) -> dict[str, str]:
    answer = dance.authorize(**dance.authorize_params(**params))
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(dance.server.callback_url + "?")
    query = query_of(location)
    assert query["state"] == params.get("state", "st-123")
    assert query["iss"] == dance.server.issuer
    assert "code" not in query
    return query


def test_unsupported_response_type_redirects(dance: Dance) -> None:
    for response_type in ("token", "codex"):
        query = _error_redirect(dance, response_type=response_type)
        assert query["error"] == "unsupported_response_type"


def test_pkce_plain_refused(dance: Dance) -> None:
    verifier, _ = pkce_pair()
    query = _error_redirect(dance, code_challenge=verifier, code_challenge_method="plain")
    assert query["error"] == "invalid_request"
    # No method means plain (RFC 7636 §4.3): refused too.
    query = _error_redirect(dance, code_challenge=verifier)
    assert query["error"] == "invalid_request"


def test_public_client_needs_pkce(dance: Dance) -> None:
    query = _error_redirect(dance, client_id=dance.server.public_client_id)
    assert query["error"] == "invalid_request"


def test_unknown_scope_redirects_invalid_scope(dance: Dance) -> None:
    query = _error_redirect(dance, scope="user-read-email no-such-scope")
    assert query["error"] == "invalid_scope"


# -- token endpoint ----------------------------------------------------------------


def _assert_token_error(
    answer: httpx.Response, status: int, error: str, description: str | None
) -> None:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["error"] == error
    if description is not None:
        assert body["error_description"] == description


def test_reused_code_fails_and_revokes_its_tokens(dance: Dance) -> None:
    code, _ = dance.code_for()
    first = dance.exchange(code)
    assert first.status_code == 200
    tokens = first.json()
    assert dance.me(tokens["access_token"]).status_code == 200

    again = dance.exchange(code)
    _assert_token_error(again, 400, "invalid_grant", "Invalid authorization code")

    me = dance.me(tokens["access_token"])
    assert me.status_code == 401
    assert me.json() == {"error": {"status": 401, "message": "Invalid access token"}}
    refresh = dance.refresh(tokens["refresh_token"])
    _assert_token_error(refresh, 400, "invalid_grant", "Refresh token revoked")


def test_unknown_code(dance: Dance) -> None:
    answer = dance.exchange("no-such-code")
    _assert_token_error(answer, 400, "invalid_grant", "Invalid authorization code")


def test_expired_code(make_dance: Callable[..., Dance], clock: FakeClock) -> None:
    dance = make_dance(code_ttl=1, clock=clock)
    code, _ = dance.code_for()
    clock.advance(1.5)
    answer = dance.exchange(code)
    _assert_token_error(answer, 400, "invalid_grant", "Invalid authorization code")


def test_redirect_uri_mismatch_is_invalid_grant(dance: Dance) -> None:
    code, _ = dance.code_for()
    answer = dance.exchange(code, redirect_uri="http://127.0.0.1:9999/callback")
    _assert_token_error(answer, 400, "invalid_grant", "Invalid redirect URI")
    # The failed attempt did not spend the code.
    assert dance.exchange(code).status_code == 200


@pytest.mark.parametrize("auth", ["basic", "body"])
def test_wrong_secret_is_401_invalid_client(dance: Dance, auth: str) -> None:
    code, _ = dance.code_for()
    answer = dance.exchange(code, auth=auth, secret="wrong-secret")
    _assert_token_error(answer, 401, "invalid_client", None)
    assert answer.headers["www-authenticate"].startswith("Basic")


def test_confidential_client_without_secret_is_401(dance: Dance) -> None:
    code, _ = dance.code_for()
    _assert_token_error(dance.exchange(code, auth="none"), 401, "invalid_client", None)


def test_unknown_client_is_401(dance: Dance) -> None:
    code, _ = dance.code_for()
    answer = dance.exchange(code, client_id="someone-else")
    _assert_token_error(answer, 401, "invalid_client", None)


def test_basic_and_body_secret_together_refused(dance: Dance) -> None:
    code, _ = dance.code_for()
    answer = dance.exchange(code, extra={"client_secret": dance.server.client_secret})
    _assert_token_error(answer, 400, "invalid_request", None)


def test_code_from_another_client_is_invalid_grant(dance: Dance) -> None:
    verifier, challenge = pkce_pair()
    code, _ = dance.code_for(
        client_id=dance.server.public_client_id,
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    answer = dance.exchange(code, extra={"code_verifier": verifier})
    _assert_token_error(answer, 400, "invalid_grant", "Invalid authorization code")


def _public_code(dance: Dance) -> tuple[str, str]:
    verifier, challenge = pkce_pair()
    code, _ = dance.code_for(
        client_id=dance.server.public_client_id,
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    return code, verifier


def _public_exchange(dance: Dance, code: str, **extra: str) -> httpx.Response:
    return dance.exchange(code, auth="none", client_id=dance.server.public_client_id, extra=extra)


def test_wrong_verifier_is_invalid_grant(dance: Dance) -> None:
    code, _verifier = _public_code(dance)
    other, _ = pkce_pair()
    answer = _public_exchange(dance, code, code_verifier=other)
    _assert_token_error(answer, 400, "invalid_grant", "code_verifier was incorrect")


def test_missing_verifier_is_invalid_grant(dance: Dance) -> None:
    code, _verifier = _public_code(dance)
    answer = _public_exchange(dance, code)
    _assert_token_error(answer, 400, "invalid_grant", None)


def test_missing_verifier_on_confidential_pkce_is_invalid_grant(dance: Dance) -> None:
    _, challenge = pkce_pair()
    code, _ = dance.code_for(code_challenge=challenge, code_challenge_method="S256")
    _assert_token_error(dance.exchange(code), 400, "invalid_grant", None)


def test_token_endpoint_wants_a_form_body(dance: Dance) -> None:
    answer = dance.http.post(f"{dance.base}/api/token", json={"grant_type": "authorization_code"})
    _assert_token_error(answer, 400, "invalid_request", None)


def test_unsupported_grant_type(dance: Dance) -> None:
    answer = dance.token({"grant_type": "password", "username": "u", "password": "p"})
    _assert_token_error(answer, 400, "unsupported_grant_type", None)


# -- profile endpoint ----------------------------------------------------------------


def test_expired_access_token(make_dance: Callable[..., Dance], clock: FakeClock) -> None:
    dance = make_dance(token_ttl=1, clock=clock)
    tokens = dance.tokens()
    assert tokens["expires_in"] == 1
    assert dance.me(tokens["access_token"]).status_code == 200
    clock.advance(1.5)
    me = dance.me(tokens["access_token"])
    assert me.status_code == 401
    assert me.json() == {"error": {"status": 401, "message": "The access token expired"}}
    # The refresh token still works and gives a fresh access token.
    refreshed = dance.refresh(tokens["refresh_token"])
    assert refreshed.status_code == 200
    assert dance.me(refreshed.json()["access_token"]).status_code == 200


def test_unknown_access_token(dance: Dance) -> None:
    me = dance.me("no-such-token")
    assert me.status_code == 401
    assert me.json() == {"error": {"status": 401, "message": "Invalid access token"}}
    assert "www-authenticate" in me.headers


def test_missing_access_token(dance: Dance) -> None:
    me = dance.http.get(f"{dance.base}/v1/me")
    assert me.status_code == 401
    assert me.json() == {"error": {"status": 401, "message": "No token provided"}}
