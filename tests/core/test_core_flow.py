"""The requests of every step, as httpx builds them (RFC 6749 §4.1.1, §4.1.3, §6; RFC 6750)."""

from __future__ import annotations

import base64
from dataclasses import replace
from urllib.parse import parse_qsl, unquote_plus

import httpx
import pytest

from tui.core.errors import ConfigError
from tui.core.flow import (
    authorization_params,
    authorize_request,
    jwks_request,
    profile_request,
    refresh_request,
    token_request,
)
from tui.core.pkce import s256
from tui.core.providers import GITHUB, GOOGLE, SPOTIFY, ClientAuth, Provider
from tui.core.state import DanceState

PROVIDER = Provider(
    name="test",
    title="Test",
    authorize_endpoint="https://as.example/authorize",
    token_endpoint="https://as.example/api/token",
    profile_endpoint="https://api.example/v1/me",
)
REDIRECT = "http://127.0.0.1:8888/callback"
NASTY_SECRET = 'p+a/s=s&w%o:r"d\\ é日🔑'
NASTY_ID = "my id:ü+&"


def attempt(**changes: object) -> DanceState:
    base = DanceState(
        client_id="cid",
        client_secret="s3cr3t-value",
        redirect_uri=REDIRECT,
        scope="user-read-private  user-read-email",
    )
    return replace(base, **changes).new_attempt()  # type: ignore[arg-type]


def query(request: httpx.Request) -> list[tuple[str, str]]:
    return parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True, strict_parsing=True)


def form(request: httpx.Request) -> list[tuple[str, str]]:
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    return parse_qsl(request.content.decode("ascii"), keep_blank_values=True, strict_parsing=True)


def decode_basic(header: str) -> tuple[str, str]:
    """Decode as RFC 6749 §2.3.1 says: base64, split at the first ':', form-decode each."""
    scheme, _, credential = header.partition(" ")
    assert scheme == "Basic"
    pair = base64.b64decode(credential, validate=True).decode("ascii")
    client_id, sep, secret = pair.partition(":")
    assert sep == ":"
    return unquote_plus(client_id), unquote_plus(secret)


# --- authorization request ---------------------------------------------------


@pytest.mark.parametrize("endpoint", ["", "/authorize", "authorize"])
def test_no_authorization_url_without_a_host(endpoint: str) -> None:
    """An issuer's endpoints not yet discovered must not make a `GET /`."""
    waiting = replace(PROVIDER, authorize_endpoint=endpoint, issuer="https://as.example")
    with pytest.raises(ConfigError, match="discovery has not found it"):
        authorize_request(waiting, attempt())


def test_authorization_url_carries_every_parameter() -> None:
    state = attempt(show_dialog=True)
    request = authorize_request(replace(PROVIDER, show_dialog=True), state)
    assert request.method == "GET"
    assert (request.url.scheme, request.url.host, request.url.path) == (
        "https",
        "as.example",
        "/authorize",
    )
    params = query(request)
    names = [name for name, _ in params]
    assert len(names) == len(set(names)), "no parameter may be sent twice"
    assert dict(params) == {
        "client_id": "cid",
        "response_type": "code",
        "redirect_uri": REDIRECT,
        "scope": "user-read-private user-read-email",
        "state": state.state,
        "code_challenge": s256(state.code_verifier),
        "code_challenge_method": "S256",
        "show_dialog": "true",
    }


def test_challenge_in_url_is_s256_of_the_stored_verifier() -> None:
    state = replace(attempt(), code_verifier="dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    params = dict(query(authorize_request(PROVIDER, state)))
    assert params["code_challenge"] == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_show_dialog_absent_by_default_and_no_pkce_when_off() -> None:
    params = dict(query(authorize_request(PROVIDER, attempt(pkce=False))))
    assert "show_dialog" not in params
    assert "code_challenge" not in params
    assert "code_challenge_method" not in params


@pytest.mark.parametrize("provider", [PROVIDER, GITHUB, GOOGLE])
def test_show_dialog_is_sent_only_to_a_provider_that_has_it(provider: Provider) -> None:
    """A QA find: Spotify's show_dialog was offered and sent on GitHub."""
    state = replace(attempt(show_dialog=True), redirect_uri=REDIRECT)
    assert "show_dialog" not in dict(query(authorize_request(provider, state)))
    assert dict(query(authorize_request(SPOTIFY, state)))["show_dialog"] == "true"


def test_no_scope_parameter_for_an_empty_scope() -> None:
    params = dict(query(authorize_request(PROVIDER, attempt(scope="   "))))
    assert "scope" not in params


def test_provider_extra_params_google() -> None:
    state = replace(attempt(), redirect_uri=REDIRECT)
    params = dict(query(authorize_request(GOOGLE, state)))
    assert params["access_type"] == "offline"
    assert params["prompt"] == "consent"


def test_user_extra_params_are_sent_and_override_the_provider_ones_once() -> None:
    state = attempt(extra_params={"login_hint": "a@b.example", "prompt": "select_account"})
    params = query(authorize_request(GOOGLE, state))
    assert ("login_hint", "a@b.example") in params
    prompts = [v for k, v in params if k == "prompt"]
    assert prompts == ["select_account"]
    assert [v for k, v in params if k == "access_type"] == ["offline"]


def test_user_extra_params_cannot_replace_core_parameters() -> None:
    state = attempt(extra_params={"state": "forged", "response_type": "token"})
    params = query(authorize_request(PROVIDER, state))
    assert [v for k, v in params if k == "state"] == [state.state]
    assert [v for k, v in params if k == "response_type"] == ["code"]


@pytest.mark.parametrize(
    "changes", [{"client_id": ""}, {"redirect_uri": ""}, {"state": ""}, {"code_verifier": ""}]
)
def test_authorization_needs_its_parameters(changes: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        authorization_params(PROVIDER, replace(attempt(), **changes))  # type: ignore[arg-type]


# --- code exchange -----------------------------------------------------------


def test_token_request_redirect_uri_identical_to_the_authorize_one() -> None:
    state = attempt(redirect_uri="http://[::1]:9000/cb?x=1&y=a b")
    sent_there = dict(query(authorize_request(PROVIDER, state)))["redirect_uri"]
    sent_here = dict(form(token_request(PROVIDER, state, "the-code")))["redirect_uri"]
    assert sent_here == sent_there == state.redirect_uri


def test_code_exchange_with_secret_in_body() -> None:
    state = attempt(auth_method=ClientAuth.POST)
    request = token_request(PROVIDER, state, "the-code")
    assert request.method == "POST"
    assert str(request.url) == PROVIDER.token_endpoint
    assert "authorization" not in request.headers
    assert request.headers["accept"] == "application/json"
    assert form(request) == [
        ("grant_type", "authorization_code"),
        ("code", "the-code"),
        ("redirect_uri", REDIRECT),
        ("code_verifier", state.code_verifier),
        ("client_id", "cid"),
        ("client_secret", "s3cr3t-value"),
    ]


def test_code_exchange_with_basic_encodes_id_and_secret_before_base64() -> None:
    state = attempt(auth_method=ClientAuth.BASIC, client_id=NASTY_ID, client_secret=NASTY_SECRET)
    request = token_request(PROVIDER, state, "the-code")
    assert decode_basic(request.headers["authorization"]) == (NASTY_ID, NASTY_SECRET)
    body = dict(form(request))
    assert "client_secret" not in body
    assert "client_id" not in body
    assert body["grant_type"] == "authorization_code"
    assert body["code"] == "the-code"
    assert body["code_verifier"] == state.code_verifier
    # The whole request must be ASCII on the wire.
    request.headers["authorization"].encode("ascii")


def test_basic_header_differs_from_naive_encoding_for_special_characters() -> None:
    state = attempt(auth_method=ClientAuth.BASIC, client_secret="a+b:c")
    header = token_request(PROVIDER, state, "c0de").headers["authorization"]
    naive = base64.b64encode(b"cid:a+b:c").decode()
    assert header != f"Basic {naive}"
    assert decode_basic(header) == ("cid", "a+b:c")


def test_code_exchange_public_client_sends_verifier_and_no_secret() -> None:
    state = attempt(auth_method=ClientAuth.NONE, pkce=False)
    request = token_request(PROVIDER, state, "the-code")
    assert "authorization" not in request.headers
    body = form(request)
    assert dict(body) == {
        "grant_type": "authorization_code",
        "code": "the-code",
        "redirect_uri": REDIRECT,
        "code_verifier": state.code_verifier,
        "client_id": "cid",
    }
    assert 43 <= len(state.code_verifier) <= 128


def test_code_exchange_without_pkce_has_no_verifier() -> None:
    body = dict(form(token_request(PROVIDER, attempt(pkce=False), "the-code")))
    assert "code_verifier" not in body


def test_form_body_is_plus_encoded_as_httpx_builds_it() -> None:
    state = attempt(auth_method=ClientAuth.POST, client_secret="a b+c")
    body = token_request(PROVIDER, state, "x/y").content.decode()
    assert "client_secret=a+b%2Bc" in body
    assert "code=x%2Fy" in body


@pytest.mark.parametrize("method", [ClientAuth.POST, ClientAuth.BASIC])
def test_confidential_methods_need_a_secret(method: ClientAuth) -> None:
    with pytest.raises(ConfigError):
        token_request(PROVIDER, attempt(auth_method=method, client_secret=""), "c")


def test_code_exchange_needs_a_code() -> None:
    with pytest.raises(ConfigError):
        token_request(PROVIDER, attempt(), "")


def test_github_style_provider_without_accept_json() -> None:
    provider = replace(PROVIDER, token_accept_json=False)
    request = token_request(provider, attempt(), "c")
    assert "accept" not in request.headers


# --- profile and refresh -----------------------------------------------------


def test_profile_request_uses_bearer() -> None:
    state = replace(attempt(), token="at-123")
    request = profile_request(PROVIDER, state)
    assert request.method == "GET"
    assert str(request.url) == "https://api.example/v1/me"
    assert request.headers["authorization"] == "Bearer at-123"
    assert request.content == b""


def test_profile_needs_an_endpoint_and_a_token() -> None:
    with pytest.raises(ConfigError):
        profile_request(replace(PROVIDER, profile_endpoint=None), replace(attempt(), token="t"))
    with pytest.raises(ConfigError):
        profile_request(PROVIDER, attempt())


@pytest.mark.parametrize("token", ["tök", "a\r\nX-Injected: 1"])
def test_profile_refuses_a_token_a_header_cannot_carry(token: str) -> None:
    with pytest.raises(ConfigError):
        profile_request(PROVIDER, replace(attempt(), token=token))


def test_refresh_request() -> None:
    state = replace(attempt(auth_method=ClientAuth.BASIC), refresh="rt-1")
    request = refresh_request(PROVIDER, state)
    assert request.method == "POST"
    assert form(request) == [("grant_type", "refresh_token"), ("refresh_token", "rt-1")]
    assert decode_basic(request.headers["authorization"]) == ("cid", "s3cr3t-value")


def test_refresh_public_client_identifies_itself() -> None:
    state = replace(attempt(auth_method=ClientAuth.NONE), refresh="rt-1")
    assert form(refresh_request(PROVIDER, state)) == [
        ("grant_type", "refresh_token"),
        ("refresh_token", "rt-1"),
        ("client_id", "cid"),
    ]


def test_refresh_needs_a_refresh_token() -> None:
    with pytest.raises(ConfigError):
        refresh_request(PROVIDER, attempt())


def test_openid_sends_a_fresh_nonce_kept_with_the_state() -> None:
    first = attempt(scope="openid email")
    params = dict(query(authorize_request(PROVIDER, first)))
    assert params["nonce"] == first.nonce and len(first.nonce) >= 32
    second = first.new_attempt()
    assert second.nonce and second.nonce != first.nonce
    assert DanceState.from_table(first.to_table(), DanceState()).nonce == first.nonce
    without = attempt()
    assert without.nonce == "" and "nonce" not in dict(query(authorize_request(PROVIDER, without)))


def test_jwks_request_needs_the_providers_jwks_uri() -> None:
    with pytest.raises(ConfigError, match="jwks_uri"):
        jwks_request(PROVIDER)
    request = jwks_request(replace(PROVIDER, jwks_uri="https://as.example/keys"))
    assert (request.method, str(request.url)) == ("GET", "https://as.example/keys")
