"""The device flow's core (RFC 8628): the requests it builds, and every answer it reads,
hostile ones included; and the whole flow against the demo provider."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tui.core.device import (
    MAX_INTERVAL,
    device_authorization_request,
    parse_device_response,
    poll_request,
    read_poll,
)
from tui.core.errors import ConfigError, OAuthError, ResponseFormatError
from tui.core.providers import GITHUB, GOOGLE, SPOTIFY, ClientAuth
from tui.core.state import DanceState

NOW = datetime(2026, 1, 1, tzinfo=UTC)
GOOD = {
    "device_code": "dev-secret-123",
    "user_code": "WDJB-MJHT",
    "verification_uri": "https://example.com/device",
    "verification_uri_complete": "https://example.com/device?user_code=WDJB-MJHT",
    "expires_in": 1800,
    "interval": 5,
}


def answer(
    body: dict[str, Any] | str,
    status: int = 200,
    url: str = "https://example.com/device/code",
    ctype: str = "application/json",
) -> httpx.Response:
    text = body if isinstance(body, str) else json.dumps(body)
    return httpx.Response(
        status,
        headers={"content-type": ctype},
        text=text,
        request=httpx.Request("POST", url),
    )


def test_a_good_answer_is_read_with_its_expiry_made_absolute() -> None:
    grant = parse_device_response(answer(GOOD), NOW)
    assert grant.user_code == "WDJB-MJHT"
    assert grant.expires_at == NOW + timedelta(seconds=1800)
    assert grant.interval == 5


def test_google_says_verification_url_and_it_is_taken() -> None:
    body = {k: v for k, v in GOOD.items() if not k.startswith("verification")}
    body["verification_url"] = "https://www.google.com/device"
    grant = parse_device_response(answer(body), NOW)
    assert grant.verification_uri == "https://www.google.com/device"
    assert grant.verification_uri_complete == ""


def test_github_form_encoded_answer_is_read() -> None:
    text = (
        "device_code=abc123&expires_in=899&interval=5&user_code=ABCD-1234"
        "&verification_uri=https%3A%2F%2Fgithub.com%2Flogin%2Fdevice"
    )
    grant = parse_device_response(answer(text, ctype="application/x-www-form-urlencoded"), NOW)
    assert (grant.user_code, grant.expires_in) == ("ABCD-1234", 899)


def test_no_interval_means_five_seconds() -> None:
    body = {k: v for k, v in GOOD.items() if k != "interval"}
    assert parse_device_response(answer(body), NOW).interval == 5


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"device_code": None}, "device_code is missing"),
        ({"user_code": None}, "user_code is missing"),
        ({"verification_uri": None}, "verification_uri is missing"),
        ({"expires_in": None}, "expires_in is missing"),
        ({"expires_in": 10**9}, "outside the 1 to 3600"),
        ({"interval": 10**6}, f"outside the 1 to {MAX_INTERVAL}"),
        ({"interval": "soon"}, "not a whole number"),
        ({"user_code": "WDJB\x1b[2J"}, "control characters: WDJB\\x1b[2J"),
        ({"user_code": "X" * 500}, "more than the 32 allowed"),
        ({"verification_uri": "https://ex\x07ample.com/"}, "control characters"),
        ({"verification_uri": "http://example.com/device"}, "plain http"),
        ({"verification_uri": "javascript:alert(1)"}, "not an http(s) URL"),
        ({"verification_uri_complete": "http://example.com/d?c=1"}, "plain http"),
    ],
)
def test_hostile_answers_are_refused_with_a_clear_message(
    change: dict[str, Any], words: str
) -> None:
    body = {**GOOD, **change}
    body = {k: v for k, v in body.items() if v is not None}
    with pytest.raises(ResponseFormatError) as caught:
        parse_device_response(answer(body), NOW)
    assert words in caught.value.message
    assert "Nothing was kept" in caught.value.message


def test_plain_http_verification_uri_is_taken_from_a_loopback_provider() -> None:
    body = {**GOOD, "verification_uri": "http://127.0.0.1:8765/device"}
    del body["verification_uri_complete"]
    grant = parse_device_response(answer(body, url="http://127.0.0.1:8765/api/device"), NOW)
    assert grant.verification_uri.startswith("http://127.0.0.1")


def test_a_refusal_is_an_oauth_error() -> None:
    with pytest.raises(OAuthError) as caught:
        parse_device_response(answer({"error": "device_flow_disabled"}, 400), NOW)
    assert caught.value.code == "device_flow_disabled"


@pytest.mark.parametrize(("error", "interval"), [("authorization_pending", 5), ("slow_down", 10)])
def test_not_yet_answers_say_how_long_to_wait(error: str, interval: int) -> None:
    polled = read_poll(answer({"error": error}, 400), NOW, 5)
    assert (polled.tokens, polled.waiting, polled.interval) == (None, error, interval)


@pytest.mark.parametrize("error", ["expired_token", "access_denied", "incorrect_device_code"])
def test_final_answers_end_polling(error: str) -> None:
    with pytest.raises(OAuthError) as caught:
        read_poll(answer({"error": error}, 400), NOW, 5)
    assert caught.value.code == error


def test_github_sends_no_secret_in_the_device_flow() -> None:
    state = DanceState(
        client_id="gh-id",
        client_secret="gh-secret",
        auth_method=ClientAuth.POST,
        scope="read:user",
        device_code="dc",
    )
    for request in (device_authorization_request(GITHUB, state), poll_request(GITHUB, state)):
        assert b"gh-secret" not in request.content
        assert b"client_id=gh-id" in request.content
        assert request.headers["accept"] == "application/json"


def test_google_device_endpoint_and_poll_at_its_token_endpoint() -> None:
    state = DanceState(
        client_id="g", client_secret="s", auth_method=ClientAuth.POST, device_code="dc"
    )
    assert str(device_authorization_request(GOOGLE, state).url) == (
        "https://oauth2.googleapis.com/device/code"
    )
    poll = poll_request(GOOGLE, state)
    assert str(poll.url) == "https://oauth2.googleapis.com/token"
    assert b"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code" in poll.content


def test_a_provider_without_the_endpoint_says_so() -> None:
    with pytest.raises(ConfigError, match="no device authorization endpoint"):
        device_authorization_request(SPOTIFY, DanceState(client_id="x", client_secret="y"))
