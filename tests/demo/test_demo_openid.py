"""The demo provider as an OpenID provider: discovery, JWKS, the signed ID token, the nonce."""

from __future__ import annotations

import base64
import hashlib

from demo_dance import Dance
from joserfc import jwt
from joserfc.jwk import KeySet

from tui.demo import DEFAULT_CLIENT_ID

OPENID = "openid user-read-email"


def test_openid_configuration(dance: Dance) -> None:
    base = dance.server.base_url
    meta = dance.http.get(f"{base}/.well-known/openid-configuration").json()
    assert meta["issuer"] == base
    assert meta["jwks_uri"] == f"{base}/.well-known/jwks.json"
    assert meta["subject_types_supported"] == ["public"]
    assert meta["id_token_signing_alg_values_supported"] == ["ES256"]
    assert "openid" in meta["scopes_supported"]


def test_jwks_holds_only_the_public_key(dance: Dance) -> None:
    keys = dance.http.get(f"{dance.server.base_url}/.well-known/jwks.json").json()["keys"]
    (key,) = keys
    assert key["kty"] == "EC" and key["crv"] == "P-256" and key["use"] == "sig"
    assert key["kid"] and "d" not in key


def test_openid_scope_brings_a_signed_id_token_with_the_nonce(dance: Dance) -> None:
    tokens = dance.tokens(scope=OPENID, nonce="n-0S6_WzA2Mj")
    jwks = dance.http.get(f"{dance.server.base_url}/.well-known/jwks.json").json()
    token = jwt.decode(tokens["id_token"], KeySet.import_key_set(jwks), algorithms=["ES256"])
    claims = token.claims
    assert token.header["kid"] == jwks["keys"][0]["kid"]
    assert claims["iss"] == dance.server.issuer
    assert claims["aud"] == claims["azp"] == DEFAULT_CLIENT_ID
    assert claims["sub"] == "oauth-dance-listener"
    assert claims["nonce"] == "n-0S6_WzA2Mj"
    assert claims["exp"] == claims["iat"] + 3600
    digest = hashlib.sha256(tokens["access_token"].encode()).digest()
    assert claims["at_hash"] == base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def test_no_openid_no_id_token(dance: Dance) -> None:
    assert "id_token" not in dance.tokens(nonce="ignored")


def test_refresh_brings_no_new_id_token(dance: Dance) -> None:
    tokens = dance.tokens(scope=OPENID, nonce="n-1")
    answer = dance.refresh(tokens["refresh_token"])
    assert answer.status_code == 200 and "id_token" not in answer.json()


def test_prompt_none_is_consent_required(dance: Dance) -> None:
    answer = dance.authorize(**dance.authorize_params(scope=OPENID, prompt="none"))
    assert answer.status_code == 302
    assert "error=consent_required" in answer.headers["location"]
