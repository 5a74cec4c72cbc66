"""``state`` and PKCE (RFC 7636): fresh random values for every attempt."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass

STATE_BYTES = 24
"""192 bits of randomness: above the 128 bits RFC 6749 §10.10 asks for."""

VERIFIER_BYTES = 48
"""48 random bytes make a 64-character verifier, inside RFC 7636's 43–128."""

CHALLENGE_FORMULA = "code_challenge = BASE64URL(SHA256(ASCII(code_verifier))), no padding"


def new_state() -> str:
    """A fresh, unguessable ``state`` value (URL-safe)."""
    return secrets.token_urlsafe(STATE_BYTES)


@dataclass(frozen=True)
class Pkce:
    """A PKCE verifier and its S256 challenge."""

    verifier: str
    challenge: str
    method: str = "S256"


def s256(verifier: str) -> str:
    """The S256 code challenge of ``verifier`` (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_pkce() -> Pkce:
    """A fresh verifier and challenge; call once per authorization attempt."""
    verifier = secrets.token_urlsafe(VERIFIER_BYTES)
    return Pkce(verifier=verifier, challenge=s256(verifier))
