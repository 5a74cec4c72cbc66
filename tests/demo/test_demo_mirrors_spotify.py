"""The spotify preset's own requests, with Spotify's hosts swapped for the demo server's
address, complete the dance: proof that the demo mirrors Spotify's paths, parameters,
client authentication and answers."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest
from demo_dance import Dance, query_of

from tui.core.callback import read_callback
from tui.core.flow import authorize_request, profile_request, refresh_request, token_request
from tui.core.providers import SPOTIFY, ClientAuth, Provider
from tui.core.state import DanceState
from tui.core.tokens import apply_tokens, parse_profile_response, parse_token_response


def spotify_at(base: str) -> Provider:
    """The Spotify preset, unchanged but for scheme and host."""

    def swap(url: str | None) -> str:
        assert url is not None
        return str(
            httpx.URL(url).copy_with(scheme="http", host="127.0.0.1", port=httpx.URL(base).port)
        )

    return replace(
        SPOTIFY,
        authorize_endpoint=swap(SPOTIFY.authorize_endpoint),
        token_endpoint=swap(SPOTIFY.token_endpoint),
        profile_endpoint=swap(SPOTIFY.profile_endpoint),
    )


@pytest.mark.parametrize("method", [ClientAuth.BASIC, ClientAuth.POST, ClientAuth.NONE])
def test_spotify_preset_requests_complete_the_dance(dance: Dance, method: ClientAuth) -> None:
    provider = spotify_at(dance.base)
    assert httpx.URL(provider.token_endpoint).path == "/api/token"
    public = method is ClientAuth.NONE
    state = DanceState.for_provider(SPOTIFY)
    state = replace(
        state,
        client_id=dance.server.public_client_id if public else dance.server.client_id,
        client_secret="" if public else dance.server.client_secret,
        redirect_uri="http://127.0.0.1:8888/callback",
        auth_method=method,
        pkce=public,
    ).new_attempt()

    page = dance.http.send(authorize_request(provider, state))
    assert page.status_code == 200, page.text
    answer = dance.submit(page, "Approve")
    assert answer.status_code == 302
    callback = read_callback(answer.headers["location"], state.state, dance.server.issuer)
    assert callback.state_checked

    tokens = parse_token_response(dance.http.send(token_request(provider, state, callback.code)))
    assert tokens.token_type == "Bearer"
    assert tokens.refresh_token
    assert set((tokens.scope or "").split()) == set(SPOTIFY.default_scope.split())
    state = apply_tokens(state, tokens, refreshed=False)

    profile = parse_profile_response(dance.http.send(profile_request(provider, state)))
    assert {"display_name", "id", "email", "country", "product"} <= set(profile)

    refreshed = parse_token_response(dance.http.send(refresh_request(provider, state)))
    after = apply_tokens(state, refreshed, refreshed=True)
    assert after.token != state.token
    assert after.refresh, "a refresh answer without refresh_token keeps the old one"
    query = query_of(answer.headers["location"])
    assert query["iss"] == dance.server.issuer
