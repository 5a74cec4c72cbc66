"""What each JWT header parameter and claim means, in one line, and its value as text."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tui.core.durations import span
from tui.core.textsafe import shorten

HEADER_MEANINGS = {
    "alg": "The signature algorithm; the key it needs follows from it (RFC 7515 §4.1.1).",
    "kid": "Which of the provider's published keys signed it (RFC 7515 §4.1.4).",
    "typ": "The kind of token: JWT, or at+jwt for an RFC 9068 access token.",
    "cty": "The content type of the payload (RFC 7515 §4.1.10).",
    "jku": "A URL of keys named by the token itself: never trusted, the JWKS is the provider's.",
    "x5t": "Thumbprint of the X.509 certificate of the signing key.",
}

CLAIM_MEANINGS = {
    "iss": "Who issued it: must be exactly the provider's issuer URL.",
    "sub": "Who the user is at this provider: stable, unique within the issuer.",
    "aud": "Who it is for: must contain this client's client_id.",
    "azp": "The party it was issued to: this client, when present.",
    "exp": "When it expires: not to be accepted after.",
    "iat": "When it was issued.",
    "nbf": "Not to be accepted before this time.",
    "auth_time": "When the user last actually authenticated.",
    "nonce": "The value the client sent to tie this token to its request: stops replay.",
    "at_hash": "Half of a hash of the access token issued with it: binds the two.",
    "c_hash": "Half of a hash of the authorization code: binds the two.",
    "acr": "How strongly the user was authenticated (a class reference).",
    "amr": "How the user authenticated: password, otp, mfa...",
    "sid": "The user's session at the provider, for logout.",
    "jti": "A unique id of this token, to detect its reuse.",
    "name": "The user's full name.",
    "given_name": "The user's given name.",
    "family_name": "The user's family name.",
    "email": "The user's email address.",
    "email_verified": "Whether the provider checked that the user controls the email.",
    "picture": "A URL of the user's picture.",
    "locale": "The user's language and region.",
    "client_id": "The client the access token was issued to (RFC 9068 §2.2).",
    "scope": "What the access token allows (RFC 9068 §2.2.3).",
}

TIME_CLAIMS = frozenset({"exp", "iat", "nbf", "auth_time"})

VALUE_CHARS = 120
"""The most of one value shown on its row."""


@dataclass(frozen=True)
class Row:
    """One header parameter or claim: its name, its value as text, and what it means."""

    name: str
    value: str
    meaning: str


def rows(
    members: dict[str, Any],
    meanings: dict[str, str],
    mask: Callable[[str], str],
    now: datetime,
) -> list[Row]:
    """Each member as a row: names and values on one line, control characters visible,
    every known secret masked, times also as UTC dates."""
    return [
        Row(
            shorten(mask(str(name)), 40),
            shorten(mask(value_text(str(name), value, now)), VALUE_CHARS),
            meanings.get(str(name), "A claim of this provider's own."),
        )
        for name, value in members.items()
    ]


def value_text(name: str, value: Any, now: datetime) -> str:
    """``value`` as text: a string as it is, a time claim with its date, the rest as JSON."""
    if isinstance(value, str):
        return value
    if name in TIME_CLAIMS and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value} ({when(value, now)})"
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return str(type(value).__name__)


def when(seconds: float, now: datetime) -> str:
    """A NumericDate as a UTC date and how far from now it is."""
    try:
        moment = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return "not a usable date"
    delta = (moment - now).total_seconds()
    far = span(abs(delta))
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC, {'in ' + far if delta >= 0 else far + ' ago'}"
