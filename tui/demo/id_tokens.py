"""The demo provider as an OpenID provider: its signing key, its JWKS, its ID tokens.

The key is an ES256 (P-256) key made when the provider starts and never
saved: a restarted demo publishes a new JWKS, as a provider rotating its keys
does. Signing is joserfc's; nothing of JOSE is written by hand here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from joserfc import jwt
from joserfc.jwk import ECKey

ID_TOKEN_ALG = "ES256"


class IdTokenSigner:
    """One signing key, made at start, and the ID tokens signed with it."""

    def __init__(self) -> None:
        self.key = ECKey.generate_key(
            "P-256", parameters={"use": "sig", "alg": ID_TOKEN_ALG}, auto_kid=True
        )

    @property
    def kid(self) -> str:
        return str(self.key.kid)

    def jwks(self) -> dict[str, Any]:
        """The JWK Set published at ``jwks_uri``: the public half only."""
        return {"keys": [self.key.as_dict(private=False)]}

    def sign(self, claims: Mapping[str, Any]) -> str:
        """``claims`` as a compact JWS (RFC 7515), the ``kid`` naming the key."""
        header = {"alg": ID_TOKEN_ALG, "kid": self.kid, "typ": "JWT"}
        return jwt.encode(header, dict(claims), self.key)
