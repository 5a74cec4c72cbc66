"""Token and profile answers (RFC 6749 §5.1, §5.2, §6; RFC 6750 §3)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tui.core.errors import ApiError, OAuthError, ResponseFormatError
from tui.core.explain import QUIRKS
from tui.core.state import DanceState
from tui.core.tokens import (
    MAX_FIELD_CHARS,
    MAX_TOKEN_CHARS,
    RefreshOutcome,
    TokenSet,
    apply_tokens,
    key_fields,
    parse_profile_response,
    parse_token_response,
    read_body,
    refresh_outcome,
)

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
TOKEN_URL = "https://as.example/api/token"


def answer(
    status: int, body: object = None, *, text: str | None = None, ctype: str = ""
) -> httpx.Response:
    headers = {"content-type": ctype} if ctype else {}
    request = httpx.Request("POST", TOKEN_URL)
    if text is not None:
        return httpx.Response(status, headers=headers, text=text, request=request)
    return httpx.Response(status, headers=headers, json=body, request=request)


def test_json_success_with_absolute_expiry() -> None:
    body = {
        "access_token": "at-1",
        "token_type": "Bearer",
        "scope": "user-read-private user-read-email",
        "expires_in": 3600,
        "refresh_token": "rt-1",
    }
    tokens = parse_token_response(answer(200, body), now=NOW)
    assert tokens == TokenSet(
        access_token="at-1",
        token_type="Bearer",
        refresh_token="rt-1",
        expires_at=datetime(2026, 3, 1, 13, 0, 0, tzinfo=UTC),
        scope="user-read-private user-read-email",
        id_token=None,
    )


def test_expiry_without_now_is_aware_utc() -> None:
    before = datetime.now(UTC)
    tokens = parse_token_response(answer(200, {"access_token": "a", "expires_in": "60"}))
    after = datetime.now(UTC)
    assert tokens.expires_at is not None
    assert tokens.expires_at.utcoffset() == timedelta(0)
    assert before + timedelta(seconds=60) <= tokens.expires_at <= after + timedelta(seconds=60)


def test_no_expires_in_means_no_expiry() -> None:
    assert parse_token_response(answer(200, {"access_token": "a"})).expires_at is None


def test_form_encoded_github_answer() -> None:
    text = (
        "access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=read%3Auser&token_type=bearer"
    )
    tokens = parse_token_response(
        answer(200, text=text, ctype="application/x-www-form-urlencoded; charset=utf-8")
    )
    assert tokens.access_token == "gho_16C7e42F292c6912E7710c838347Ae178B4a"
    assert tokens.scope == "read:user"
    assert tokens.token_type == "bearer"
    assert tokens.refresh_token is None


def test_http_200_carrying_error_form_encoded_is_an_error() -> None:
    text = (
        "error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired."
        "&error_uri=https%3A%2F%2Fdocs.github.com"
    )
    response = answer(200, text=text, ctype="application/x-www-form-urlencoded")
    with pytest.raises(OAuthError) as info:
        parse_token_response(response)
    assert info.value.code == "bad_verification_code"
    assert info.value.status == 200
    assert info.value.description == "The code passed is incorrect or expired."


def test_http_200_carrying_error_json_is_an_error() -> None:
    with pytest.raises(OAuthError) as info:
        parse_token_response(answer(200, {"error": "redirect_uri_mismatch", "access_token": "x"}))
    assert info.value.code == "redirect_uri_mismatch"


def test_spotify_invalid_code_is_explained() -> None:
    body = {"error": "invalid_grant", "error_description": "Invalid authorization code"}
    with pytest.raises(OAuthError) as info:
        parse_token_response(answer(400, body))
    assert info.value.status == 400
    assert info.value.explanation is QUIRKS["invalid authorization code"]


@pytest.mark.parametrize(
    ("response", "needle"),
    [
        (
            answer(
                502,
                text="<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
                ctype="text/html",
            ),
            "502 Bad Gateway",
        ),
        (answer(200, text="ok then", ctype="text/plain"), "ok then"),
        (answer(200, text="", ctype="application/json"), "(empty body)"),
        (answer(500, text="", ctype=""), "(empty body)"),
        (answer(200, text="  \n ", ctype="text/plain"), "(4 characters, only whitespace: \\n)"),
        (
            answer(502, text="\x00\x07\r\n", ctype=""),
            "(4 characters, only whitespace and control characters: \\x00\\x07\\r\\n)",
        ),
    ],
)
def test_non_json_bodies_are_format_errors_with_an_excerpt(
    response: httpx.Response, needle: str
) -> None:
    with pytest.raises(ResponseFormatError) as info:
        parse_token_response(response)
    assert needle in info.value.message
    assert "<" not in info.value.message
    assert str(response.status_code) in info.value.message


def test_excerpt_is_short_and_clean() -> None:
    body = "<html>\x1b[2J" + "x" * 5000 + "</html>"
    with pytest.raises(ResponseFormatError) as info:
        read_body(answer(503, text=body, ctype="text/html"))
    assert "\x1b" not in info.value.message
    assert len(info.value.message) < 400


def test_redirect_from_token_endpoint_is_a_format_error() -> None:
    response = httpx.Response(
        302,
        headers={"location": "https://as.example/login"},
        request=httpx.Request("POST", TOKEN_URL),
    )
    with pytest.raises(ResponseFormatError) as info:
        parse_token_response(response)
    assert "302" in info.value.message
    assert "redirect" in info.value.message


@pytest.mark.parametrize(
    "body",
    [
        ["access_token", "x"],
        "just a string",
        {"token_type": "Bearer"},
        {"access_token": ""},
        {"access_token": 123},
        {"access_token": "a", "expires_in": "soon"},
        {"access_token": "a", "expires_in": [1]},
    ],
)
def test_malformed_token_answers(body: object) -> None:
    with pytest.raises(ResponseFormatError):
        parse_token_response(answer(200, body))


@pytest.mark.parametrize("expires", ["1e400", "-1e400", str(10**30), "Infinity", "NaN"])
def test_absurd_expires_in_is_a_format_error_not_a_crash(expires: str) -> None:
    text = '{"access_token": "a", "expires_in": ' + expires + "}"
    with pytest.raises(ResponseFormatError):
        parse_token_response(answer(200, text=text, ctype="application/json"))


def test_error_status_without_error_code() -> None:
    with pytest.raises(ResponseFormatError) as info:
        parse_token_response(answer(500, {"message": "boom"}))
    assert "500" in info.value.message


# --- applying tokens -------------------------------------------------------------

OLD = DanceState(
    client_id="cid",
    token="old-at",
    refresh="old-rt",
    granted_scope="a b",
    id_token="old-idt",
    code="spent-code",
    expires=NOW,
    profile_fetched=True,
)


def test_refresh_without_refresh_token_keeps_the_old_one() -> None:
    tokens = parse_token_response(
        answer(200, {"access_token": "new-at", "token_type": "Bearer", "expires_in": 3600}),
        now=NOW,
    )
    state = apply_tokens(OLD, tokens, refreshed=True)
    assert state.token == "new-at"
    assert state.refresh == "old-rt"
    assert state.granted_scope == "a b"
    assert state.id_token == "old-idt", "OpenID Connect Core §12.2: a refresh may omit it"
    assert state.expires == NOW + timedelta(hours=1)
    assert state.profile_fetched, "the same grant: Profile keeps its ✓"


def test_refresh_with_a_new_refresh_token_replaces_it() -> None:
    tokens = parse_token_response(
        answer(200, {"access_token": "new-at", "refresh_token": "new-rt", "scope": "a"}), now=NOW
    )
    state = apply_tokens(OLD, tokens, refreshed=True)
    assert state.refresh == "new-rt"
    assert state.granted_scope == "a"


def test_a_code_exchange_replaces_the_whole_token_set() -> None:
    """A new grant (a narrowed re-authorization, say) keeps nothing of the old one."""
    tokens = parse_token_response(
        answer(200, {"access_token": "new-at", "token_type": "Bearer"}), now=NOW
    )
    state = apply_tokens(OLD, tokens, refreshed=False)
    assert state.token == "new-at"
    assert state.refresh == "", "the old grant's refresh token must not outlive it"
    assert state.id_token == ""
    assert state.granted_scope == "", "not stated: as requested this time, not the old scope"
    assert state.expires is None
    assert not state.profile_fetched, "Profile has not been called with the new grant"


def test_the_attempts_nonce_goes_with_the_id_token_its_code_brought() -> None:
    """The ID token is checked against the nonce of the attempt whose code brought it: a
    new attempt's nonce does not replace it, the file keeps it, and it goes with the token."""
    with_id = answer_tokens(id_token="idt")
    exchanged = apply_tokens(replace(OLD, nonce="n-of-attempt-1"), with_id, refreshed=False)
    assert exchanged.id_token_nonce == exchanged.expected_nonce == "n-of-attempt-1"
    renewed = replace(exchanged, scope="openid").new_attempt()
    assert renewed.nonce not in ("", "n-of-attempt-1")
    assert renewed.expected_nonce == "n-of-attempt-1", "the token's, not the new attempt's"
    filed = DanceState.from_table(renewed.to_table(), DanceState())
    assert filed.expected_nonce == "n-of-attempt-1"
    refreshed = apply_tokens(renewed, answer_tokens(id_token="idt-2"), refreshed=True)
    assert refreshed.expected_nonce == "n-of-attempt-1", "the same grant"
    without = apply_tokens(renewed, answer_tokens(), refreshed=False)
    assert (without.id_token, without.id_token_nonce, without.expected_nonce) == ("", "", "")


def test_a_file_from_before_the_nonce_was_kept_checks_the_attempts() -> None:
    old_file = DanceState(nonce="n-1", id_token="idt", code_exchanged=True)
    assert old_file.expected_nonce == "n-1"
    assert replace(old_file, code_exchanged=False).expected_nonce == ""


def answer_tokens(**extra: str) -> TokenSet:
    return parse_token_response(answer(200, {"access_token": "at-2", **extra}), now=NOW)


@pytest.mark.parametrize(
    ("new", "outcome"),
    [
        ("new-rt", RefreshOutcome.ROTATED),
        ("old-rt", RefreshOutcome.SAME),
        (None, RefreshOutcome.KEPT),
    ],
)
def test_refresh_outcome_tells_the_three_apart(new: str | None, outcome: RefreshOutcome) -> None:
    assert refresh_outcome("old-rt", new) is outcome


# --- profile -------------------------------------------------------------------------


def profile_answer(status: int, **kwargs: Any) -> httpx.Response:
    return httpx.Response(
        status, request=httpx.Request("GET", "https://api.example/v1/me"), **kwargs
    )


def test_profile_json() -> None:
    data = {"display_name": "Ada", "id": "ada", "country": "GB"}
    assert parse_profile_response(profile_answer(200, json=data)) == data


def test_profile_401_spotify_shape_offers_refresh() -> None:
    body = {"error": {"status": 401, "message": "The access token expired"}}
    with pytest.raises(ApiError) as info:
        parse_profile_response(profile_answer(401, json=body))
    assert info.value.token_expired is True
    assert info.value.status == 401
    assert info.value.detail == "The access token expired"


def test_profile_403_is_not_an_expiry() -> None:
    with pytest.raises(ApiError) as info:
        parse_profile_response(profile_answer(403, json={"message": "Forbidden scope"}))
    assert info.value.token_expired is False
    assert info.value.detail == "Forbidden scope"


def test_profile_error_detail_is_clean_text() -> None:
    body = {"error": {"status": 401, "message": "bad\x1b[2J\x07token\r"}}
    with pytest.raises(ApiError) as info:
        parse_profile_response(profile_answer(401, json=body))
    assert info.value.detail is not None
    assert not any(ord(c) < 32 for c in info.value.detail)
    assert not any(ord(c) < 32 for c in info.value.message)


def test_oauth_error_text_is_clean() -> None:
    body = {"error": "invalid_grant\x1b]0;pwned\x07", "error_description": "no\rgood\x1b[31m"}
    with pytest.raises(OAuthError) as info:
        parse_token_response(answer(400, body))
    assert not any(ord(c) < 32 for c in info.value.message)
    assert info.value.description is not None
    assert not any(ord(c) < 32 for c in info.value.description)


def test_profile_html_is_a_format_error() -> None:
    with pytest.raises(ResponseFormatError):
        parse_profile_response(profile_answer(200, text="<html>hi</html>"))
    with pytest.raises(ResponseFormatError):
        parse_profile_response(profile_answer(200, content=json.dumps([1, 2]).encode()))


def test_key_fields_prefers_the_providers_fields_and_shows_json_for_the_rest() -> None:
    profile = {"id": "ada", "followers": {"total": 3}, "email": "a@x", "country": "SE"}
    assert key_fields(profile, ("email", "followers", "missing")) == [
        ("email", "a@x"),
        ("followers", '{"total": 3}'),
    ]
    assert [k for k, _ in key_fields(profile, ("nothing",), limit=2)] == ["id", "followers"]


def test_server_text_kept_for_display_shows_its_escapes() -> None:
    answer = {
        "access_token": "at",
        "token_type": "Bearer\x1b[2J",
        "scope": "a\x1b]2;PWNED\x1b\\b\x07",
    }
    tokens = parse_token_response(httpx.Response(200, json=answer))
    assert tokens.scope == "a\\x1b]2;PWNED\\x1b\\b\\x07"
    assert tokens.token_type == "Bearer\\x1b[2J"


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("access_token", MAX_TOKEN_CHARS),
        ("refresh_token", MAX_TOKEN_CHARS),
        ("id_token", MAX_TOKEN_CHARS),
        ("scope", MAX_FIELD_CHARS),
        ("token_type", MAX_FIELD_CHARS),
    ],
)
def test_token_answer_fields_have_a_length_limit(field: str, limit: int) -> None:
    body = {"access_token": "at", "token_type": "Bearer", field: "x" * limit}
    assert getattr(parse_token_response(answer(200, body)), field) == "x" * limit
    with pytest.raises(ResponseFormatError) as info:
        parse_token_response(answer(200, {**body, field: "x" * (limit + 1)}))
    assert (
        f"{field} is {limit + 1:,} characters long, more than the {limit:,}" in info.value.message
    )


def test_a_deep_token_or_profile_answer_is_named_so() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(ResponseFormatError, match="nested more than 64 levels deep"):
        parse_token_response(answer(200, text=deep, ctype="application/json"))
    with pytest.raises(ResponseFormatError, match="nested more than 64 levels deep"):
        parse_profile_response(answer(200, text=deep, ctype="application/json"))
