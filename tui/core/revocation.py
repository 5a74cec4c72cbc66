"""Token revocation (RFC 7009): the request, and what its answer means."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import httpx

from tui.core.errors import ConfigError, OAuthError, ResponseFormatError, UnsupportedError
from tui.core.flow import client_post
from tui.core.provider_advice import no_revocation_endpoint
from tui.core.providers import Provider
from tui.core.rawhttp import body_excerpt
from tui.core.state import DanceState
from tui.core.tokens import read_body

if TYPE_CHECKING:
    from tui.core.exchange import Exchange


class NothingToRevoke(ConfigError):
    """No token of the kind chosen is saved."""

    title = "Nothing to revoke"


class TokenKind(StrEnum):
    """Which token to revoke: the values of ``token_type_hint`` (RFC 7009 §2.1)."""

    ACCESS = "access_token"
    REFRESH = "refresh_token"

    @property
    def label(self) -> str:
        return "access token" if self is TokenKind.ACCESS else "refresh token"


def revocation_request(provider: Provider, state: DanceState, kind: TokenKind) -> httpx.Request:
    """POST ``token`` and ``token_type_hint`` to the revocation endpoint, with the client's
    authentication as at the token endpoint (RFC 7009 §2.1).

    Raises:
        UnsupportedError: the provider has no revocation endpoint; the message says what
            it offers instead.
        NothingToRevoke: no such token saved.
    """
    if not provider.revocation_endpoint:
        raise UnsupportedError(no_revocation_endpoint(provider))
    token = state.token if kind is TokenKind.ACCESS else state.refresh
    if not token:
        raise NothingToRevoke(f"There is no {kind.label} to revoke: none is saved.")
    form = [("token", token), ("token_type_hint", kind.value)]
    return client_post(provider.revocation_endpoint, provider, state, form)


def revoked_kind(exchange: Exchange) -> TokenKind:
    """The kind of token a revocation exchange revokes (its ``token_type_hint``)."""
    return TokenKind(exchange.form_value("token_type_hint") or TokenKind.ACCESS)


def read_revocation_answer(response: httpx.Response) -> None:
    """HTTP 200 means revoked, or invalid already; its body means nothing (RFC 7009 §2.2).

    Raises:
        OAuthError: an error answer (RFC 6749 §5.2 codes, or ``unsupported_token_type``).
        ResponseFormatError: neither 200 nor an OAuth error.
    """
    if response.status_code == 200:
        return
    try:
        data = read_body(response)
    except ResponseFormatError:
        data = {}
    if "error" in data:
        description = data.get("error_description")
        raise OAuthError(
            str(data["error"]), str(description) if description else None, response.status_code
        )
    raise ResponseFormatError(
        f"HTTP {response.status_code} without an OAuth error code; a revocation "
        f"answers 200 (RFC 7009 §2.2): {body_excerpt(response.text)}"
    )
