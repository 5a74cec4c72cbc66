"""The demo provider's PAR endpoint (RFC 9126): a stored, validated request behind a
``request_uri`` that lasts 60 s and works once; errors in the §2.3 JSON shape."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from demo_dance import Dance, FakeClock, basic_header, pkce_pair

from tui.core.consent import read_consent_page
from tui.core.errors import OAuthError
from tui.core.providers import ClientAuth, demo_provider
from tui.core.session import Session
from tui.core.state import DanceState
from tui.core.steps import Step
from tui.core.store import CredsStore


def push(dance: Dance, auth: str = "basic", **params: str) -> httpx.Response:
    """POST the authorization parameters to /api/par, the client authenticated."""
    form = dance.authorize_params(**params)
    headers = {}
    if auth == "basic":
        headers["Authorization"] = basic_header(dance.server.client_id, dance.server.client_secret)
    elif auth == "body":
        form["client_secret"] = dance.server.client_secret
    return dance.http.post(f"{dance.base}/api/par", data=form, headers=headers)


def by_reference(dance: Dance, request_uri: str, client_id: str = "") -> httpx.Response:
    client = client_id or dance.server.client_id
    return dance.authorize(client_id=client, request_uri=request_uri)


def test_metadata_advertises_par_without_requiring_it(dance: Dance) -> None:
    meta = dance.http.get(f"{dance.base}/.well-known/oauth-authorization-server").json()
    assert meta["pushed_authorization_request_endpoint"] == f"{dance.base}/api/par"
    assert meta["require_pushed_authorization_requests"] is False


@pytest.mark.parametrize("auth", ["basic", "body"])
def test_pushed_parameters_come_back_by_reference(dance: Dance, auth: str) -> None:
    answer = push(dance, auth, state="pushed-state")
    assert answer.status_code == 201, answer.text
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert body["expires_in"] == 60
    assert body["request_uri"].startswith("urn:ietf:params:oauth:request_uri:")
    page = by_reference(dance, body["request_uri"])
    assert page.status_code == 200, page.text
    redirect = dance.submit(page, "Approve")
    location = httpx.URL(redirect.headers["location"])
    assert location.params["state"] == "pushed-state", "the pushed state, not the URL's"
    assert dance.exchange(location.params["code"]).status_code == 200


def test_a_request_uri_works_once(dance: Dance) -> None:
    uri = push(dance).json()["request_uri"]
    assert by_reference(dance, uri).status_code == 200
    again = by_reference(dance, uri)
    assert again.status_code == 400
    assert "request_uri already used" in again.text and "invalid_request_uri" in again.text


def test_a_request_uri_expires_after_60_seconds(
    make_dance: Callable[..., Dance], clock: FakeClock
) -> None:
    dance = make_dance(clock=clock)
    early, late = push(dance).json()["request_uri"], push(dance).json()["request_uri"]
    clock.advance(59)
    assert by_reference(dance, early).status_code == 200
    clock.advance(1)
    expired = by_reference(dance, late)
    assert expired.status_code == 400 and "request_uri expired" in expired.text


def test_a_request_uri_belongs_to_its_client(dance: Dance) -> None:
    uri = push(dance).json()["request_uri"]
    other = by_reference(dance, uri, client_id=dance.server.public_client_id)
    assert other.status_code == 400 and "Unknown request_uri" in other.text
    made_up = by_reference(dance, "urn:ietf:params:oauth:request_uri:made-up")
    assert made_up.status_code == 400


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"secret": "wrong"}, 401, "invalid_client"),
        ({"scope": "no-such-scope"}, 400, "invalid_scope"),
        ({"redirect_uri": "https://evil.example/cb"}, 400, "invalid_request"),
        ({"response_type": "token"}, 400, "unsupported_response_type"),
        ({"request_uri": "urn:x"}, 400, "invalid_request"),
        ({"code_challenge_method": "plain", "code_challenge": "x" * 43}, 400, "invalid_request"),
    ],
    ids=["secret", "scope", "redirect_uri", "response_type", "request_uri", "plain"],
)
def test_the_par_endpoint_validates_as_authorize_does(
    dance: Dance, change: dict[str, str], status: int, error: str
) -> None:
    """RFC 9126 §2.1/§2.3: the pushed request is checked as an authorization request
    would be (oauthlib's validation, the demo's S256 rule), answered in JSON."""
    secret = change.pop("secret", dance.server.client_secret)
    form = {**dance.authorize_params(), **change}
    answer = dance.http.post(
        f"{dance.base}/api/par",
        data=form,
        headers={"Authorization": basic_header(dance.server.client_id, secret)},
    )
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["error"] == error
    if status == 401:
        assert answer.headers["www-authenticate"].startswith("Basic")


def test_a_public_client_pushes_with_pkce(dance: Dance) -> None:
    public = dance.server.public_client_id
    form = dance.authorize_params(client_id=public)
    without = dance.http.post(f"{dance.base}/api/par", data=form)
    assert without.status_code == 400, "PKCE is required of a public client"
    _verifier, challenge = pkce_pair()
    form.update(code_challenge=challenge, code_challenge_method="S256")
    assert dance.http.post(f"{dance.base}/api/par", data=form).status_code == 201


async def test_the_wizard_is_taught_why_an_expired_request_uri_fails(
    tmp_path: Path, make_dance: Callable[..., Dance], clock: FakeClock
) -> None:
    server = make_dance(clock=clock).server
    state = DanceState(
        client_id=server.client_id,
        client_secret=server.client_secret,
        redirect_uri=f"{server.base_url}/callback",
        auth_method=ClientAuth.BASIC,
        par=True,
    )
    provider = demo_provider(server.base_url)
    session = Session(provider, CredsStore(tmp_path / "creds.toml"), state)
    session.begin_authorization()
    session.finish_push(await session.send(session.prepare_push()))
    clock.advance(60)
    page = await session.send(session.prepare(Step.AUTHORIZE, session.authorization_request()))
    assert page.response is not None
    with pytest.raises(OAuthError) as caught:
        read_consent_page(page.response)
    assert caught.value.code == "invalid_request_uri"
    assert "outlived the expires_in" in caught.value.explanation.meaning
    assert "RFC 9126 §2.2" in caught.value.explanation.rfc
