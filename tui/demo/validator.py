"""The oauthlib RequestValidator of the demo provider.

oauthlib runs the protocol's checks and asks this class the questions only the
provider can answer (is this client known, is this code valid, ...). It is
made of three parts, each standing on the one before: `ClientValidator`
(`validator_clients.py`: the clients, their authentication, the authorization
request), `GrantValidator` (`validator_grants.py`: the token requests, where
oauthlib's answers differ from Spotify's), and `DemoValidator` here: OpenID
Connect, revocation and the protected resources.

It is oauthlib's OpenID Connect validator too: a code keeps the ``nonce`` of
its authorization request, and ``finalize_id_token`` completes the ID token
oauthlib starts (``aud``, ``iat``, ``nonce``, ``at_hash``) and signs it.
"""

from __future__ import annotations

from typing import Any

from oauthlib.common import Request
from oauthlib.oauth2.rfc6749 import errors

from tui.demo.config import DEMO_USER
from tui.demo.store import AccessState
from tui.demo.validator_grants import GrantValidator

NO_TOKEN = "No token provided"
BAD_AUTH_SCHEME = "Only valid bearer authentication supported"


class DemoValidator(GrantValidator):
    """Answers oauthlib's questions from the demo config and the in-memory store."""

    # -- OpenID Connect ---------------------------------------------------------

    def get_authorization_code_scopes(
        self, client_id: str | None, code: str, redirect_uri: str | None, request: Request
    ) -> list[str]:
        """The code's scopes: with ``openid``, the token answer carries an ID token."""
        record = self.store.code(code)
        return list(record.scopes) if record else []

    def get_authorization_code_nonce(
        self, client_id: str | None, code: str, redirect_uri: str | None, request: Request
    ) -> str | None:
        """The ``nonce`` the authorization request carried, echoed in the ID token."""
        record = self.store.code(code)
        return record.nonce if record else None

    def finalize_id_token(
        self, id_token: dict[str, Any], token: dict[str, Any], token_handler: Any, request: Request
    ) -> str:
        """oauthlib's ``aud``, ``iat``, ``nonce`` and ``at_hash``, with who and until when;
        signed."""
        claims = {
            "iss": self.config.issuer,
            "sub": DEMO_USER.id,
            **id_token,
            "azp": request.client_id,
            "exp": id_token["iat"] + self.config.token_ttl,
        }
        return self.signer.sign(claims)

    def validate_silent_login(self, request: Request) -> bool:
        return True  # the demo user is always signed in

    def validate_silent_authorization(self, request: Request) -> bool:
        return False  # consent is always asked: prompt=none gets consent_required

    def validate_user_match(
        self, id_token_hint: str | None, scopes: Any, claims: Any, request: Request
    ) -> bool:
        return True  # one user

    def refresh_id_token(self, request: Request) -> bool:
        return False  # a refresh brings no new ID token (OpenID Connect Core §12.2)

    # -- revocation (RFC 7009) --------------------------------------------------

    def revoke_token(
        self, token: str, token_type_hint: str | None, request: Request, *args: Any, **kwargs: Any
    ) -> None:
        """Revoke whichever kind ``token`` is (the hint is only a hint, §2.1)."""
        if not self.store.revoke_token(token, request.client_id):
            raise errors.UnauthorizedClientError(
                description="This token was issued to another client", request=request
            )

    # -- protected resources --------------------------------------------------

    def validate_bearer_token(self, token: str | None, scopes: Any, request: Request) -> bool:
        """Check a bearer token; leave the reason on ``request.demo_token_error``."""
        header = request.headers.get("Authorization")
        if not token:
            request.demo_token_error = NO_TOKEN if header is None else BAD_AUTH_SCHEME
            return False
        state, record, _grant = self.store.access_state(token)
        if record is None or state is AccessState.INVALID:
            request.demo_token_error = "Invalid access token"
            return False
        if state is AccessState.EXPIRED:
            request.demo_token_error = "The access token expired"
            return False
        request.scopes = list(record.scopes)
        request.user = DEMO_USER
        return True
