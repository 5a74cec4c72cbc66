"""oauthlib's code-grant server as the demo sets it up: the code grant turns OpenID
Connect with ``openid``, the device grant (RFC 8628) is added (with an ID token once
``openid`` is granted, as the code grant's), PKCE ``plain`` is
refused (a post-auth hook), and an unchanged refresh token is left out of a refresh
answer (a token modifier), as Spotify does.
"""

from __future__ import annotations

from typing import Any

from oauthlib.common import Request
from oauthlib.oauth2 import WebApplicationServer
from oauthlib.oauth2.rfc6749 import errors
from oauthlib.oauth2.rfc6749.endpoints import AuthorizationEndpoint, TokenEndpoint
from oauthlib.oauth2.rfc8628.grant_types import DeviceCodeGrant
from oauthlib.openid.connect.core.grant_types import (
    AuthorizationCodeGrant as OpenIDAuthorizationCodeGrant,
)
from oauthlib.openid.connect.core.grant_types.base import GrantTypeBase as OpenIDGrantTypeBase
from oauthlib.openid.connect.core.grant_types.dispatchers import (
    AuthorizationCodeGrantDispatcher,
    AuthorizationTokenGrantDispatcher,
)

from tui.demo.validator import DemoValidator
from tui.demo.validator_grants import DEVICE_GRANT_TYPE


def _require_s256(request: Request) -> dict[str, Any]:
    """Post-auth hook: only S256 (oauthlib also accepts ``plain``, and defaults to it)."""
    if request.code_challenge is not None and request.code_challenge_method != "S256":
        raise errors.UnsupportedCodeChallengeMethodError(
            description="code_challenge_method must be S256", request=request
        )
    return {}


def _omit_unchanged_refresh_token(token: Any, token_handler: Any, request: Request) -> Any:
    """Token modifier: Spotify omits refresh_token from a refresh answer when it did not change."""
    if token.get("refresh_token") == request.refresh_token:
        del token["refresh_token"]
    return token


class _WithIdToken:
    """A token handler whose tokens carry the grant's ID token, when ``openid`` was
    granted: oauthlib's device grant calls no token modifier at the token endpoint."""

    def __init__(self, grant: OpenIDDeviceCodeGrant, handler: Any) -> None:
        self.grant, self.handler = grant, handler

    def create_token(self, request: Request, refresh_token: bool = False) -> Any:
        token = self.handler.create_token(request, refresh_token)
        return self.grant.add_id_token(token, self.handler, request)


class OpenIDDeviceCodeGrant(OpenIDGrantTypeBase):  # type: ignore[misc]  # no hints
    """oauthlib's device grant (RFC 8628), whose token answer carries an ID token once
    ``openid`` is granted, made as the code grant's is: oauthlib's ``add_id_token``,
    signed by the validator's ``finalize_id_token``. oauthlib's own OpenID server
    leaves the device grant plain OAuth. No ``nonce``: no authentication request
    carried one."""

    def __init__(self, validator: DemoValidator) -> None:
        self.proxy_target = DeviceCodeGrant(validator)

    def create_token_response(self, request: Request, token_handler: Any) -> Any:
        return self.proxy_target.create_token_response(request, _WithIdToken(self, token_handler))


class OpenIDWebApplicationServer(WebApplicationServer):  # type: ignore[misc]  # no hints
    """oauthlib's code-grant server whose code grant turns OpenID Connect with ``openid``.

    The two endpoints are set up again, as oauthlib's OpenID ``Server`` sets
    them up, with its dispatchers in place of the plain code grant: by the
    scopes of the request (authorize) or of the code (token). A refresh stays
    plain OAuth: it brings no new ID token (OpenID Connect Core §12.2 allows that).
    """

    def __init__(self, validator: DemoValidator, token_expires_in: int) -> None:
        super().__init__(validator, token_expires_in=token_expires_in)
        self.openid_auth_grant = OpenIDAuthorizationCodeGrant(validator)
        AuthorizationEndpoint.__init__(
            self,
            default_response_type="code",
            response_types={
                "code": AuthorizationCodeGrantDispatcher(self.auth_grant, self.openid_auth_grant)
            },
            default_token_type=self.bearer,
        )
        TokenEndpoint.__init__(
            self,
            default_grant_type="authorization_code",
            grant_types={
                "authorization_code": AuthorizationTokenGrantDispatcher(
                    validator, self.auth_grant, self.openid_auth_grant
                ),
                "refresh_token": self.refresh_grant,
                DEVICE_GRANT_TYPE: OpenIDDeviceCodeGrant(validator),
            },
            default_token_type=self.bearer,
        )
        for grant in (self.auth_grant, self.openid_auth_grant):
            grant.custom_validators.post_auth.append(_require_s256)
        self.refresh_grant.register_token_modifier(_omit_unchanged_refresh_token)
