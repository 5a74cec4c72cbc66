"""Client secrets with awkward characters: Basic (RFC 6749 §2.3.1) and body agree."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from demo_dance import Dance

from tui.demo.basic_auth import decode_basic

AWKWARD = 'p+a%2Bs s&w:o"rd=é✓'
AWKWARD_ID = "demo:client+1"


@pytest.mark.parametrize("auth", ["basic", "body"])
def test_awkward_secret_works_in_basic_and_body(
    make_dance: Callable[..., Dance], auth: str
) -> None:
    dance = make_dance(client_id=AWKWARD_ID, client_secret=AWKWARD)
    code, _ = dance.code_for()
    answer = dance.exchange(code, auth=auth)
    assert answer.status_code == 200, answer.text
    refreshed = dance.refresh(answer.json()["refresh_token"], auth=auth)
    assert refreshed.status_code == 200, refreshed.text


def test_basic_without_form_encoding_is_refused(make_dance: Callable[..., Dance]) -> None:
    """A client that skips the form-encoding step sends a different secret ('+' means space)."""
    dance = make_dance(client_secret="a+b")
    code, _ = dance.code_for()
    raw = base64.b64encode(f"{dance.server.client_id}:a+b".encode()).decode()
    answer = dance.http.post(
        f"{dance.base}/api/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": dance.server.callback_url,
        },
        headers={"Authorization": f"Basic {raw}"},
    )
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"


def test_malformed_basic_is_invalid_client(dance: Dance) -> None:
    code, _ = dance.code_for()
    for header in ("Basic !!!", "Basic " + base64.b64encode(b"no-colon").decode()):
        answer = dance.http.post(
            f"{dance.base}/api/token",
            data={"grant_type": "authorization_code", "code": code},
            headers={"Authorization": header},
        )
        assert answer.status_code == 401
        assert answer.json()["error"] == "invalid_client"


def test_decode_basic_splits_at_first_colon_then_form_decodes() -> None:
    header = "Basic " + base64.b64encode(b"id%3Aone:sec:ret+%25%26").decode()
    assert decode_basic(header) == ("id:one", "sec:ret %&")
    with pytest.raises(ValueError):
        decode_basic("Basic " + base64.b64encode(b"\xff\xfe:x").decode())
