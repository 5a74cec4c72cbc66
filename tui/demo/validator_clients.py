"""The demo validator's first part: its clients, their authentication, the authorization request.

`ClientValidator` answers oauthlib's questions about who the client is (the
token endpoint's client authentication, HTTP Basic or in the body, never
both), and what an authorization request may ask (redirect URI, response
type, scopes, PKCE), and keeps the code it is given.
"""

from __future__ import annotations

from typing import Any

from oauthlib.common import Request
from oauthlib.oauth2.rfc6749 import errors
from oauthlib.openid import RequestValidator

from tui.demo.basic_auth import decode_basic, is_basic, same_secret
from tui.demo.config import DEMO_USER, DemoClient, DemoConfig
from tui.demo.id_tokens import IdTokenSigner
from tui.demo.store import CodeRecord, Store


class ClientValidator(RequestValidator):  # type: ignore[misc]  # oauthlib ships no type hints
    """Answers oauthlib's questions about clients from the demo config and the in-memory store."""

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
        if client.secret is None or secret is None or not same_secret(secret, client.secret):
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
