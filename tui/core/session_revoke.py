"""The Revoke step of a session (RFC 7009): a token revoked, and the revoked
token tried to show what its revocation did."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tui.core.session_base import SessionBase, masks_errors
from tui.core.steps import Step

if TYPE_CHECKING:
    from tui.core.exchange import Exchange
    from tui.core.revocation import TokenKind


REVOKED_CHECK = "revoked token"
"""The purpose of the request that tries a revoked token (see ``prepare_revoked_check``)."""


class RevokeSteps(SessionBase):
    """A revocation's request and answer, and the try of the token it revoked."""

    @masks_errors
    def prepare_revocation(self, kind: TokenKind) -> Exchange:
        """The RFC 7009 request revoking the saved token of ``kind``.

        Raises:
            UnsupportedError: the provider has no revocation endpoint (says what instead).
        """
        from tui.core.revocation import revocation_request

        self.take_newer_tokens()
        return self._prepare(Step.REVOKE, revocation_request(self.provider, self.state, kind))

    @masks_errors
    def finish_revocation(self, exchange: Exchange) -> TokenKind:
        """Read a revocation's answer; drop the token it revoked from the state, and save.

        Returns:
            The kind of token revoked (its ``token_type_hint``).

        Raises:
            OAuthError, ResponseFormatError: the server did not revoke it.
        """
        from tui.core.revocation import read_revocation_answer, revoked_kind

        read_revocation_answer(self._response(exchange))
        token = exchange.form_value("token")
        kind = revoked_kind(exchange)
        if token and token == self.state.token:
            self.state = replace(self.state, token="", expires=None, token_type="")
        if token and token == self.state.refresh:
            self.state = replace(self.state, refresh="")
        exchange.generation = self.generation
        self.save()
        return kind

    @masks_errors
    def prepare_revoked_check(self, revocation: Exchange) -> Exchange:
        """The revoked token tried, to show what its revocation did: an access token on
        the profile endpoint (RFC 6750 §2.1), a refresh token in a refresh (RFC 6749 §6).

        The token is the very one revoked, kept in the revocation's request (a secret
        of the session since it was sent, masked wherever shown); the state keeps none.

        Raises:
            ConfigError: the provider has no profile endpoint.
        """
        from tui.core.flow import profile_request, refresh_request
        from tui.core.revocation import TokenKind, revoked_kind

        token = revocation.form_value("token") or ""
        if revoked_kind(revocation) is TokenKind.REFRESH:
            request = refresh_request(self.provider, replace(self.state, refresh=token))
            return self._prepare(Step.REFRESH, request, REVOKED_CHECK)
        request = profile_request(self.provider, replace(self.state, token=token))
        return self._prepare(Step.PROFILE, request, REVOKED_CHECK)

    @masks_errors
    def finish_revoked_check(self, exchange: Exchange) -> None:
        """Read the answer to a revoked token's try; nothing is kept, tokens that a
        server still gives included.

        Raises:
            ApiError: the access token is refused, as a revoked one is.
            OAuthError: the refresh is refused (``invalid_grant``), as it is with a
                revoked refresh token.
        """
        from tui.core.tokens import parse_profile_response, parse_token_response

        response = self._response(exchange)
        if exchange.step is Step.PROFILE:
            parse_profile_response(response)
        else:
            parse_token_response(response)
