"""The demo validator's token requests: the code, refresh and device grants, and the tokens issued.

Where oauthlib's default answer differs from Spotify's, the answer here raises
the Spotify-shaped oauthlib error itself:

* a ``redirect_uri`` differing from the authorize request's is ``invalid_grant``
  "Invalid redirect URI" (oauthlib: ``invalid_request``), in confirm_redirect_uri;
* a missing PKCE ``code_verifier`` is ``invalid_grant`` (oauthlib:
  ``invalid_request``), in get_code_challenge;
* a reused code revokes the tokens issued from it (RFC 6749 §4.1.2), in validate_code;
* a reused rotated-out refresh token revokes the whole grant, in validate_refresh_token.
"""

from __future__ import annotations

from typing import Any

from oauthlib.common import Request
from oauthlib.oauth2.rfc6749 import errors
from oauthlib.oauth2.rfc8628.grant_types import DeviceCodeGrant

from tui.demo.config import DEMO_USER
from tui.demo.validator_clients import ClientValidator

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


class GrantValidator(ClientValidator):
    """Answers oauthlib's questions about the token endpoint's grants from the store."""

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
