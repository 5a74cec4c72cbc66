"""Refresh tokens: kept by default (Spotify omits them), rotated on request and for PKCE."""

from __future__ import annotations

from collections.abc import Callable

from demo_dance import Dance, pkce_pair


def test_default_keeps_the_refresh_token(dance: Dance) -> None:
    tokens = dance.tokens()
    first = dance.refresh(tokens["refresh_token"])
    assert first.status_code == 200, first.text
    assert "refresh_token" not in first.json()
    assert first.json()["expires_in"] == 3600
    second = dance.refresh(tokens["refresh_token"])
    assert second.status_code == 200, second.text
    assert "refresh_token" not in second.json()
    # Refreshing does not cut off earlier access tokens (they just expire).
    assert dance.me(tokens["access_token"]).status_code == 200
    assert dance.me(second.json()["access_token"]).status_code == 200


def test_refresh_needs_client_authentication(dance: Dance) -> None:
    tokens = dance.tokens()
    answer = dance.refresh(tokens["refresh_token"], auth="none")
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
    answer = dance.refresh(tokens["refresh_token"], secret="nope")
    assert answer.status_code == 401


def test_unknown_refresh_token(dance: Dance) -> None:
    answer = dance.refresh("no-such-refresh-token")
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "invalid_grant",
        "error_description": "Invalid refresh token",
    }


def test_refresh_keeps_or_narrows_scope(dance: Dance) -> None:
    tokens = dance.tokens(scope="user-read-email user-read-private")
    narrowed = dance.token(
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "scope": "user-read-email",
        }
    )
    assert narrowed.status_code == 200
    assert narrowed.json()["scope"] == "user-read-email"
    wider = dance.token(
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "scope": "user-top-read",
        }
    )
    assert wider.status_code == 400
    assert wider.json()["error"] == "invalid_scope"


def _assert_rotation_and_reuse_detection(dance: Dance, tokens: dict[str, str], **auth: str) -> None:
    old = tokens["refresh_token"]
    first = dance.refresh(old, **auth)
    assert first.status_code == 200, first.text
    new = first.json()["refresh_token"]
    assert new and new != old
    second = dance.refresh(new, **auth)
    assert second.status_code == 200, second.text
    newest = second.json()["refresh_token"]
    access = second.json()["access_token"]
    assert dance.me(access).status_code == 200

    # The rotated-out token comes back: reuse. The whole grant is revoked.
    reuse = dance.refresh(old, **auth)
    assert reuse.status_code == 400
    assert reuse.json() == {"error": "invalid_grant", "error_description": "Refresh token revoked"}
    after = dance.refresh(newest, **auth)
    assert after.status_code == 400
    assert after.json()["error_description"] == "Refresh token revoked"
    for token in (tokens["access_token"], access):
        me = dance.me(token)
        assert me.status_code == 401
        assert me.json()["error"]["message"] == "Invalid access token"


def test_rotate_refresh_option(make_dance: Callable[..., Dance]) -> None:
    dance = make_dance(rotate_refresh=True)
    _assert_rotation_and_reuse_detection(dance, dance.tokens())


def test_public_client_always_rotates(dance: Dance) -> None:
    server = dance.server
    verifier, challenge = pkce_pair()
    code, _ = dance.code_for(
        client_id=server.public_client_id,
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    answer = dance.exchange(
        code, auth="none", client_id=server.public_client_id, extra={"code_verifier": verifier}
    )
    assert answer.status_code == 200, answer.text
    _assert_rotation_and_reuse_detection(
        dance, answer.json(), auth="none", client_id=server.public_client_id
    )


def test_refresh_token_bound_to_its_client(dance: Dance) -> None:
    tokens = dance.tokens()
    answer = dance.refresh(tokens["refresh_token"], auth="none", client_id="oauth-dance-public")
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"
