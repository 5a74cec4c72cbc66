"""The API console's request: what the user typed, checked, with the Bearer token."""

from __future__ import annotations

import json

import pytest

from tui.core.console import MAX_BODY_BYTES, ApiCall, api_request, default_call, parse_headers
from tui.core.errors import ConfigError, InsecureTransportError
from tui.core.exchange import Exchange
from tui.core.masking import MASK
from tui.core.providers import GITHUB, demo_provider
from tui.core.state import DanceState
from tui.core.steps import Step

STATE = DanceState(token="console-access-token")
API = "https://api.example.com/v1/things"


def test_it_starts_with_a_get_of_the_profile_endpoint() -> None:
    assert default_call(demo_provider("http://127.0.0.1:9")) == ApiCall(
        "GET", "http://127.0.0.1:9/v1/me"
    )
    assert default_call(GITHUB).url == "https://api.github.com/user"


def test_a_call_carries_the_bearer_token_and_the_users_method_headers_and_body() -> None:
    call = ApiCall("put", API, "X-Trace: 42\n\nAccept: text/plain", '{"name": "x"}')
    request = api_request(STATE, call)
    assert request.method == "PUT"
    assert request.headers["authorization"] == "Bearer console-access-token"
    assert request.headers["x-trace"] == "42"
    assert request.headers["accept"] == "text/plain", "a header of the user's replaces ours"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {"name": "x"}


def test_a_body_that_is_not_json_is_sent_as_text_unless_told() -> None:
    assert api_request(STATE, ApiCall("POST", API, body="hi")).headers["content-type"] == (
        "text/plain; charset=utf-8"
    )
    told = api_request(STATE, ApiCall("POST", API, "Content-Type: text/csv", "a,b"))
    assert told.headers["content-type"] == "text/csv"
    assert "content-type" not in api_request(STATE, ApiCall("GET", API)).headers


@pytest.mark.parametrize(
    ("call", "said"),
    [
        (ApiCall("GET", "api.example.com/x"), "The URL 'api.example.com/x' is not an https URL"),
        (ApiCall("GET", ""), "The URL is empty"),
        (ApiCall("GET", "https://exa mple.com"), "which a URL cannot carry"),
        (ApiCall("FETCH", API), "Unknown method 'FETCH'"),
        (ApiCall("GET", API, "X-Trace 42"), "Header line 1, 'X-Trace 42', has no colon"),
        (ApiCall("GET", API, "\nBad Name: 1"), "Header line 2, 'Bad Name: 1', has no valid name"),
        (ApiCall("GET", API, "X-A: caf\u00e9"), "printable ASCII only"),
        (ApiCall("POST", API, body="x" * (MAX_BODY_BYTES + 1)), "bytes; the console sends at"),
        (ApiCall("GET", API, "X-A: 1\n" * 51), "51 extra headers"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(call: ApiCall, said: str) -> None:
    with pytest.raises(ConfigError) as refused:
        api_request(STATE, call)
    assert said in refused.value.message


def test_plain_http_is_refused_but_to_loopback() -> None:
    with pytest.raises(InsecureTransportError, match=r"Refusing to send to http://example\.com"):
        api_request(STATE, ApiCall("GET", "http://example.com/v1/me"))
    assert api_request(STATE, ApiCall("GET", "http://127.0.0.1:9/v1/me")).url.host == "127.0.0.1"


def test_no_access_token_no_call() -> None:
    with pytest.raises(ConfigError, match="needs an access token"):
        api_request(DanceState(), ApiCall("GET", API))


def test_header_parsing_keeps_order_and_trims() -> None:
    assert parse_headers(" X-A :  1 \n\nX-B: a:b") == [("X-A", "1"), ("X-B", "a:b")]


def test_secrets_typed_in_headers_or_a_json_body_are_masked() -> None:
    call = ApiCall(
        "POST",
        API,
        "X-Api-Key: typed-api-key-123\nCookie: session=typed-cookie-456",
        '{"password": "typed-password-789"}',
    )
    exchange = Exchange(Step.CONSOLE, api_request(STATE, call))
    shown = exchange.request_view() + exchange.curl()
    for secret in ("typed-api-key-123", "typed-cookie-456", "typed-password-789"):
        assert secret not in shown
    assert f"X-Api-Key: {MASK}" in exchange.request_view()
