"""Reading token and profile answers (RFC 6749 §5.1, §5.2, §6; RFC 6750 §3)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qsl

import httpx

from tui.core import jsonsafe
from tui.core.errors import ApiError, OAuthError, ResponseFormatError
from tui.core.rawhttp import body_excerpt
from tui.core.state import DanceState
from tui.core.textsafe import clean, excerpt

MAX_TOKEN_CHARS = 16 * 1024
"""The longest access, refresh or ID token accepted. Real ones are a few
hundred characters, JWTs with many claims a few kilobytes; a longer one is
refused, not saved to the credentials file and sent in every API call."""

MAX_FIELD_CHARS = 4 * 1024
"""The longest ``scope`` or ``token_type`` accepted from a token answer."""


@dataclass(frozen=True)
class TokenSet:
    """A token endpoint's successful answer, with the expiry made absolute."""

    access_token: str
    token_type: str
    refresh_token: str | None
    expires_at: datetime | None
    scope: str | None
    id_token: str | None


def read_body(response: httpx.Response) -> dict[str, Any]:
    """The token endpoint's body as a dict: JSON, or form-encoded as GitHub answers.

    Raises:
        ResponseFormatError: the body is neither (an HTML error page, say).
    """
    ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
    text = response.text
    if ctype == "application/x-www-form-urlencoded":
        return dict(parse_qsl(text, keep_blank_values=True))
    try:
        data = jsonsafe.loads(text)
    except jsonsafe.JsonTooDeepError as err:
        raise ResponseFormatError(
            f"HTTP {response.status_code} with a body of {err}: no real token answer is, "
            "so it was not read."
        ) from None
    except ValueError:
        raise ResponseFormatError(
            f"HTTP {response.status_code} with a body that is not JSON "
            f"(Content-Type: {ctype or 'none'}): {body_excerpt(text)}"
        ) from None
    if not isinstance(data, dict):
        raise ResponseFormatError(f"Expected a JSON object, got: {excerpt(text)}")
    return data


def read_oauth_answer(response: httpx.Response, endpoint: str, rule: str) -> dict[str, Any]:
    """The JSON object of a successful answer of one of the provider's endpoints (token,
    PAR, device authorization). An answer carrying ``error`` is the provider's refusal,
    even with HTTP 200 (GitHub does that).

    Raises:
        OAuthError: the provider refused, with its code.
        ResponseFormatError: a redirect (``rule`` says the endpoint answers directly),
            no JSON object, or a failure status without an error code.
    """
    if response.is_redirect:
        raise ResponseFormatError(
            f"The {endpoint} redirected (HTTP {response.status_code} to "
            f"{excerpt(response.headers.get('location', '?'))}); a {endpoint} must "
            f"answer directly ({rule}). Check the endpoint URL."
        )
    data = read_body(response)
    if "error" in data:
        description = data.get("error_description")
        raise OAuthError(
            str(data["error"]),
            str(description) if description else None,
            response.status_code,
        )
    if not response.is_success:
        raise ResponseFormatError(
            f"HTTP {response.status_code} without an OAuth error code: "
            f"{body_excerpt(response.text)}"
        )
    return data


def parse_token_response(response: httpx.Response, now: datetime | None = None) -> TokenSet:
    """Interpret a token endpoint answer.

    An answer carrying ``error`` is an error even with HTTP 200 (GitHub does that).

    Raises:
        OAuthError: the provider refused, with the §5.2 code.
        ResponseFormatError: the answer is not a token answer at all.
    """
    data = read_oauth_answer(response, "token endpoint", "RFC 6749 §5")
    token = data.get("access_token")
    if not isinstance(token, str) or not token:
        raise ResponseFormatError("The answer has no access_token.")
    check_lengths(data)
    expires_at = None
    expires_in = data.get("expires_in")
    if expires_in is not None:
        try:
            seconds = int(expires_in)
            expires_at = (now or datetime.now(UTC)) + timedelta(seconds=seconds)
        except (TypeError, ValueError, OverflowError):
            raise ResponseFormatError(
                f"expires_in is not a usable number of seconds: {excerpt(str(expires_in))}"
            ) from None
    return TokenSet(
        access_token=token,
        token_type=clean(str(data.get("token_type", "Bearer")), keep_newlines=False),
        refresh_token=_str_or_none(data.get("refresh_token")),
        expires_at=expires_at,
        scope=_clean_or_none(data.get("scope")),
        id_token=_str_or_none(data.get("id_token")),
    )


def check_lengths(data: dict[str, Any]) -> None:
    """Refuse a token answer whose tokens or fields are absurdly long.

    Raises:
        ResponseFormatError: names the field, its length and the limit.
    """
    limits = {
        "access_token": MAX_TOKEN_CHARS,
        "refresh_token": MAX_TOKEN_CHARS,
        "id_token": MAX_TOKEN_CHARS,
        "scope": MAX_FIELD_CHARS,
        "token_type": MAX_FIELD_CHARS,
    }
    for name, limit in limits.items():
        value = data.get(name)
        if value is None:
            continue
        size = len(value if isinstance(value, str) else str(value))
        if size > limit:
            raise ResponseFormatError(
                f"The answer's {name} is {size:,} characters long, more than the {limit:,} "
                "a real one may have. Nothing of this answer was saved."
            )


class RefreshOutcome(StrEnum):
    """What became of the refresh token after a refresh (RFC 6749 §6)."""

    ROTATED = "rotated"
    """A new one came: the old one is now dead, if the server rotates."""
    SAME = "same"
    """The answer carried the same refresh token again."""
    KEPT = "kept"
    """None came back, so the old one stays."""


def refresh_outcome(old: str, new: str | None) -> RefreshOutcome:
    """Which of the three a refresh answer's ``refresh_token`` means."""
    if not new:
        return RefreshOutcome.KEPT
    return RefreshOutcome.SAME if new == old else RefreshOutcome.ROTATED


def apply_tokens(state: DanceState, tokens: TokenSet, *, refreshed: bool) -> DanceState:
    """The state with new tokens saved in it.

    A code exchange is a new grant: its answer replaces the whole token set,
    so a refresh token, an id_token or a scope of an earlier grant does not
    outlive it (a narrowed re-authorization stays narrowed). Only a refresh
    (``refreshed``) keeps the old refresh token when none comes back (RFC 6749
    §6), the granted scope when none is stated (it is then the original one),
    and the id_token, which OpenID Connect Core §12.2 lets a refresh omit. The nonce
    of the attempt whose code brought an id_token is kept with it, to check it against.
    The code stays, spent: sending it again shows how a provider treats reuse.
    """
    if not refreshed:
        return replace(
            state,
            token=tokens.access_token,
            token_type=tokens.token_type,
            refresh=tokens.refresh_token or "",
            expires=tokens.expires_at,
            granted_scope=tokens.scope or "",
            id_token=tokens.id_token or "",
            id_token_nonce=state.nonce if tokens.id_token else "",
            profile_fetched=False,
        )
    return replace(
        state,
        token=tokens.access_token,
        token_type=tokens.token_type,
        refresh=tokens.refresh_token or state.refresh,
        expires=tokens.expires_at,
        granted_scope=tokens.scope if tokens.scope is not None else state.granted_scope,
        id_token=tokens.id_token or state.id_token,
    )


def parse_profile_response(response: httpx.Response) -> dict[str, Any]:
    """The profile endpoint's JSON, or an ApiError.

    Raises:
        ApiError: a non-2xx answer; ``token_expired`` is set for a 401 so the
            caller can offer a refresh.
        ResponseFormatError: a 2xx answer that is not a JSON object.
    """
    if not response.is_success:
        raise ApiError(response.status_code, api_message(response), response.status_code == 401)
    try:
        data = jsonsafe.loads(response.text)
    except jsonsafe.JsonTooDeepError as err:
        raise ResponseFormatError(
            f"The profile is {err}: no real profile is, so it was not read."
        ) from None
    except ValueError:
        raise ResponseFormatError(
            f"The profile is not JSON: {body_excerpt(response.text)}"
        ) from None
    if not isinstance(data, dict):
        raise ResponseFormatError(f"Expected a JSON object, got: {excerpt(response.text)}")
    return data


def api_message(response: httpx.Response) -> str | None:
    """The message of an error answer: Spotify's ``{"error": {"message"}}`` or others."""
    try:
        data = jsonsafe.loads(response.text)
    except ValueError:
        return excerpt(response.text) or None
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict) and "message" in error:
            return str(error["message"])
        for key in ("error_description", "message", "error"):
            if isinstance(data.get(key), str):
                return str(data[key])
    return excerpt(response.text) or None


def _clean_or_none(value: object) -> str | None:
    """Server text kept for display: no escape or control characters."""
    text = _str_or_none(value)
    return clean(text, keep_newlines=False) if text is not None else None


def _str_or_none(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def key_fields(
    profile: dict[str, Any], fields: tuple[str, ...], limit: int = 8
) -> list[tuple[str, str]]:
    """The profile fields worth showing first, each as text (non-strings as JSON).

    ``fields`` are the provider's preferred ones; without any of them, the first ``limit``.
    """
    keys = [f for f in fields if f in profile] or list(profile)[:limit]
    return [
        (key, v if isinstance(v := profile[key], str) else json.dumps(v, ensure_ascii=False))
        for key in keys
    ]
