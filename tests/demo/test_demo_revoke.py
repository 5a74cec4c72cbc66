"""RFC 7009 on the demo provider: oauthlib's RevocationEndpoint behind /api/revoke."""

from __future__ import annotations

from demo_dance import Dance


def test_metadata_names_the_revocation_endpoint(dance: Dance) -> None:
    metadata = dance.http.get(dance.server.metadata_url).json()
    assert metadata["revocation_endpoint"] == f"{dance.base}/api/revoke"


def test_a_revoked_access_token_is_refused_and_the_refresh_token_lives_on(dance: Dance) -> None:
    tokens = dance.tokens()
    answer = dance.revoke(tokens["access_token"], "access_token")
    assert answer.status_code == 200
    me = dance.me(tokens["access_token"])
    assert me.status_code == 401
    assert me.json()["error"]["message"] == "Invalid access token"
    assert dance.refresh(tokens["refresh_token"]).status_code == 200


def test_a_revoked_refresh_token_takes_its_grants_access_tokens_with_it(dance: Dance) -> None:
    tokens = dance.tokens()
    # The hint is only a hint (§2.1): a wrong one still finds the token.
    assert dance.revoke(tokens["refresh_token"], "access_token").status_code == 200
    refused = dance.refresh(tokens["refresh_token"])
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"
    assert dance.me(tokens["access_token"]).status_code == 401


def test_an_unknown_token_is_revoked_already(dance: Dance) -> None:
    assert dance.revoke("no-such-token").status_code == 200


def test_the_client_must_authenticate(dance: Dance) -> None:
    tokens = dance.tokens()
    answer = dance.revoke(tokens["access_token"], secret="wrong")
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
    assert dance.me(tokens["access_token"]).status_code == 200


def test_another_clients_token_is_not_revoked(dance: Dance) -> None:
    tokens = dance.tokens()
    server = dance.server
    public = dance.revoke(tokens["access_token"], auth="none", client_id=server.public_client_id)
    assert public.status_code == 400
    assert public.json()["error"] == "unauthorized_client"
    assert dance.me(tokens["access_token"]).status_code == 200


def test_a_hint_it_does_not_know_is_ignored_as_rfc_7009_says(dance: Dance) -> None:
    tokens = dance.tokens()
    assert dance.revoke(tokens["access_token"], "id_token").status_code == 200
    assert dance.me(tokens["access_token"]).status_code == 401
