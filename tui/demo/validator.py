"""The oauthlib RequestValidator of the demo provider.

oauthlib runs the protocol's checks and asks this class the questions only the
provider can answer (is this client known, is this code valid, ...). Where
oauthlib's default answer differs from Spotify's, the answer here raises the
Spotify-shaped oauthlib error itself:

* a ``redirect_uri`` differing from the authorize request's is ``invalid_grant``
  "Invalid redirect URI" (oauthlib: ``invalid_request``), in confirm_redirect_uri;
* a missing PKCE ``code_verifier`` is ``invalid_grant`` (oauthlib:
  ``invalid_request``), in get_code_challenge;
* a reused code revokes the tokens issued from it (RFC 6749 §4.1.2), in validate_code;
* a reused rotated-out refresh token revokes the whole grant, in validate_refresh_token.

It is oauthlib's OpenID Connect validator too: a code keeps the ``nonce`` of
its authorization request, and ``finalize_id_token`` completes the ID token
oauthlib starts (``aud``, ``iat``, ``nonce``, ``at_hash``) and signs it.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Any
from urllib.parse import unquote_plus

from oauthlib.common import Request
from oauthlib.oauth2.rfc6749 import errors
from oauthlib.oauth2.rfc8628.grant_types import DeviceCodeGrant
from oauthlib.openid import RequestValidator

from tui.demo.config import DEMO_USER, DemoClient, DemoConfig
from tui.demo.id_tokens import IdTokenSigner
from tui.demo.store import AccessState, CodeRecord, Store

INVALID_CODE = "Invalid authorization code"
INVALID_DEVICE_CODE = "Invalid device code"
DEVICE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code"
# Where a device authorization stands, as oauthlib's DeviceCodeGrant names it (RFC 8628 §3.5).
_DEVICE_AUTHORIZED: str = DeviceCodeGrant.DEVICE_CODE_AUTHORIZED
_DEVICE_PENDING: str = DeviceCodeGrant.DEVICE_CODE_PENDING
_DEVICE_SLOW_DOWN: str = DeviceCodeGrant.DEVICE_CODE_SLOW_DOWN
_DEVICE_EXPIRED: str = DeviceCodeGrant.DEVICE_CODE_EXPIRED
_DEVICE_DENIED: str = DeviceCodeGrant.DEVICE_CODE_DENIED
INVALID_REDIRECT = "Invalid redirect URI"
INVALID_REFRESH = "Invalid refresh token"
REVOKED_REFRESH = "Refresh token revoked"
MISSING_VERIFIER = "code_verifier required"
BAD_VERIFIER = "code_verifier was incorrect"
NO_TOKEN = "No token provided"
BAD_AUTH_SCHEME = "Only valid bearer authentication supported"


def is_basic(header: str | None) -> bool:
    return header is not None and header[:6].lower() == "basic "


def decode_basic(header: str) -> tuple[str, str]:
    """Client id and secret from an HTTP Basic header, as RFC 6749 §2.3.1 says.

    base64-decode, split at the first ``:``, then form-decode each half (so a
    ``+``, ``%``, ``&``, ``:`` or ``"`` in a secret means the same as in a form
    body). Raises ValueError when the header is malformed.
    """
    try:
        raw = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError("not base64 of UTF-8 text") from exc
    client_id, sep, secret = raw.partition(":")
    if not sep:
        raise ValueError("no ':' between client id and secret")
    return unquote_plus(client_id), unquote_plus(secret)


def _same_secret(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class DemoValidator(RequestValidator):  # type: ignore[misc]  # oauthlib ships no type hints
    """Answers oauthlib's questions from the demo config and the in-memory store."""

    def __init__(self, config: DemoConfig, store: Store, signer: IdTokenSigner) -> None:
        super().__init__()
        self.config = config
        self.clients = config.clients()
        self.store = store
        self.signer = signer

    def _client(self, client_id: str | None) -> DemoClient | None:
        return self.clients.get(client_id) if client_id else None

    # -- client authentication (token endpoint) -----------------------------

    def client_authentication_required(self, request: Request, *args: Any, **kwargs: Any) -> bool:
        if is_basic(request.headers.get("Authorization")) or request.client_secret is not None:
            return True
        client = self._client(request.client_id)
        return client is None or client.confidential

    def authenticate_client(self, request: Request, *args: Any, **kwargs: Any) -> bool:
        header = request.headers.get("Authorization")
        if is_basic(header):
            if request.client_secret is not None:
                raise errors.InvalidRequestError(
                    description="Use one client authentication method: HTTP Basic "
                    "or client_secret in the body, not both.",
                    request=request,
                )
            try:
                client_id, secret = decode_basic(header)
            except ValueError:
                raise errors.InvalidClientError(
                    description="Malformed HTTP Basic credentials", request=request
                ) from None
            if request.client_id is not None and request.client_id != client_id:
                raise errors.InvalidClientError(
                    description="client_id in the body differs from the one in HTTP Basic",
                    request=request,
                )
        else:
            client_id, secret = request.client_id, request.client_secret
        client = self._client(client_id)
        if client is None:
            raise errors.InvalidClientError(description="Invalid client", request=request)
        if client.secret is None or secret is None or not _same_secret(secret, client.secret):
            raise errors.InvalidClientError(description="Invalid client secret", request=request)
        request.client = client
        request.client_id = client.client_id
        return True

    def authenticate_client_id(
        self, client_id: str, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        client = self._client(client_id)
        if client is None or client.confidential:
            raise errors.InvalidClientError(description="Invalid client", request=request)
        request.client = client
        return True

    # -- authorization request ----------------------------------------------

    def validate_client_id(
        self, client_id: str, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        return self._client(client_id) is not None

    def validate_redirect_uri(
        self, client_id: str, redirect_uri: str, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        client = self._client(client_id)
        return client is not None and client.allows_redirect(redirect_uri)

    def get_default_redirect_uri(
        self, client_id: str, request: Request, *args: Any, **kwargs: Any
    ) -> str | None:
        return None  # Spotify requires redirect_uri in every request

    def validate_response_type(
        self,
        client_id: str,
        response_type: str,
        client: Any,
        request: Request,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        if response_type != "code":
            # oauthlib lets anything containing "code" through to here
            raise errors.UnsupportedResponseTypeError(request=request)
        return True

    def validate_scopes(
        self,
        client_id: str,
        scopes: list[str],
        client: Any,
        request: Request,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        return all(scope in self.config.scope_names for scope in scopes)

    def get_default_scopes(
        self, client_id: str, request: Request, *args: Any, **kwargs: Any
    ) -> list[str]:
        return []  # no scope: only the public part of the profile

    def is_pkce_required(self, client_id: str, request: Request) -> bool:
        client = self._client(client_id)
        return client is not None and not client.confidential

    def save_authorization_code(
        self, client_id: str, code: dict[str, str], request: Request, *args: Any, **kwargs: Any
    ) -> None:
        self.store.add_code(
            CodeRecord(
                code=code["code"],
                client_id=client_id,
                redirect_uri=request.redirect_uri,
                scopes=tuple(request.scopes or ()),
                user_id=DEMO_USER.id,
                challenge=request.code_challenge,
                challenge_method=request.code_challenge_method if request.code_challenge else None,
                expires_at=self.store.now() + self.config.code_ttl,
                nonce=request.nonce,
            )
        )

    # -- token request: authorization_code ----------------------------------

    def validate_grant_type(
        self,
        client_id: str,
        grant_type: str,
        client: Any,
        request: Request,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        return grant_type in ("authorization_code", "refresh_token", DEVICE_GRANT_TYPE)

    def validate_code(
        self, client_id: str, code: str, client: Any, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        with self.store.lock:
            record = self.store.code(code)
            if record is None or record.client_id != client_id:
                raise errors.InvalidGrantError(description=INVALID_CODE, request=request)
            if record.used:
                # RFC 6749 §4.1.2: deny, and revoke the tokens issued from this code.
                if record.grant_id is not None:
                    self.store.revoke_grant(record.grant_id)
                raise errors.InvalidGrantError(description=INVALID_CODE, request=request)
            if self.store.now() >= record.expires_at:
                raise errors.InvalidGrantError(description=INVALID_CODE, request=request)
            request.user = DEMO_USER
            request.scopes = list(record.scopes)
            return True

    def get_code_challenge(self, code: str, request: Request) -> str | None:
        record = self.store.code(code)
        challenge = record.challenge if record else None
        if challenge is not None and request.code_verifier is None:
            # oauthlib would answer invalid_request; Spotify answers invalid_grant.
            raise errors.InvalidGrantError(description=MISSING_VERIFIER, request=request)
        return challenge

    def get_code_challenge_method(self, code: str, request: Request) -> str | None:
        record = self.store.code(code)
        return record.challenge_method if record else None

    def confirm_redirect_uri(
        self,
        client_id: str,
        code: str,
        redirect_uri: str,
        client: Any,
        request: Request,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        record = self.store.code(code)
        if record is None or record.redirect_uri != redirect_uri:
            # oauthlib would answer invalid_request; Spotify answers invalid_grant.
            raise errors.InvalidGrantError(description=INVALID_REDIRECT, request=request)
        return True

    def invalidate_authorization_code(
        self, client_id: str, code: str, request: Request, *args: Any, **kwargs: Any
    ) -> None:
        with self.store.lock:
            record = self.store.code(code)
            if record is not None:
                record.used = True

    # -- token request: refresh_token ---------------------------------------

    def validate_refresh_token(
        self, refresh_token: str, client: Any, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        with self.store.lock:
            found = self.store.refresh_record(refresh_token)
            if found is None or found[1].client_id != client.client_id:
                raise errors.InvalidGrantError(description=INVALID_REFRESH, request=request)
            record, grant = found
            if record.rotated:
                # A rotated-out token came back: someone holds a copy. Revoke everything.
                self.store.revoke_grant(grant.grant_id)
            if record.rotated or grant.revoked:
                raise errors.InvalidGrantError(description=REVOKED_REFRESH, request=request)
            request.user = DEMO_USER
            request.demo_grant_id = grant.grant_id
            return True

    def get_original_scopes(
        self, refresh_token: str, request: Request, *args: Any, **kwargs: Any
    ) -> list[str]:
        found = self.store.refresh_record(refresh_token)
        return list(found[1].scopes) if found else []

    def rotate_refresh_token(self, request: Request) -> bool:
        client = request.client
        public = client is not None and not client.confidential
        return self.config.rotate_refresh or public

    # -- token request: the device code (RFC 8628 §3.4-3.5) ------------------

    def validate_device_code(
        self, client_id: str, code: str, request: Request, *args: Any, **kwargs: Any
    ) -> str | None:
        """Where the device authorization stands, as one of DeviceCodeGrant's statuses:
        slow_down for a poll sooner than the interval (which then grows by 5 s), or,
        with ``slow_down_once``, for the first poll."""
        with self.store.lock:
            record = self.store.device(code)
            if record is None or record.client_id != client_id or record.status == "used":
                raise errors.InvalidGrantError(description=INVALID_DEVICE_CODE, request=request)
            now = self.store.now()
            if now >= record.expires_at:
                return _DEVICE_EXPIRED
            if record.status == "denied":
                return _DEVICE_DENIED
            if record.status == "approved":
                record.status = "used"
                request.user = DEMO_USER
                request.scopes = list(record.scopes)
                return _DEVICE_AUTHORIZED
            too_soon = record.last_poll is not None and now - record.last_poll < record.interval
            record.last_poll = now
            if too_soon or (self.config.slow_down_once and not record.slowed):
                record.slowed = True
                record.interval += 5
                return _DEVICE_SLOW_DOWN
            return _DEVICE_PENDING

    # -- issuing tokens -------------------------------------------------------

    def save_bearer_token(
        self, token: dict[str, Any], request: Request, *args: Any, **kwargs: Any
    ) -> None:
        with self.store.lock:
            if request.grant_type == "refresh_token":
                grant_id: str = request.demo_grant_id
                new_refresh = token.get("refresh_token")
                if new_refresh and new_refresh != request.refresh_token:
                    self.store.rotate_refresh(request.refresh_token, new_refresh)
            else:
                grant = self.store.new_grant(
                    request.client_id, DEMO_USER.id, tuple(request.scopes or ())
                )
                grant_id = grant.grant_id
                record = self.store.code(request.code)
                if record is not None:
                    record.grant_id = grant_id
                if token.get("refresh_token"):
                    self.store.add_refresh(token["refresh_token"], grant_id)
            self.store.add_access(
                token["access_token"],
                grant_id,
                tuple(request.scopes or ()),
                float(token["expires_in"]),
            )

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
            request.demo_token_error = (
                "No token provided"
                if header is None
                else "Only valid bearer authentication supported"
            )
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
