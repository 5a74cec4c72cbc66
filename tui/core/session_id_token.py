"""A session's ID token and access token, decoded and checked: the provider's
keys fetched, the signature verified, the claims checked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.core.errors import DanceError
from tui.core.session_base import SessionBase, masks_errors
from tui.core.steps import Step

if TYPE_CHECKING:
    from tui.core.exchange import Exchange
    from tui.core.id_token import DecodedToken, IdTokenReport
    from tui.core.jose import Verdict


class IdTokenChecks(SessionBase):
    """The JWKS request, the signature's verdict, and the tokens decoded, masked."""

    @masks_errors
    def prepare_jwks(self) -> Exchange:
        """The GET of the provider's JWKS, the keys the ID token is checked with.

        Raises:
            ConfigError: the provider publishes no ``jwks_uri`` that is known here.
        """
        from tui.core.flow import jwks_request

        return self._prepare(Step.EXCHANGE, jwks_request(self.provider), purpose="ID token keys")

    def signature_verdict(self, keys: Exchange | DanceError) -> Verdict:
        """Whether the ID token's signature verifies with the keys the ``keys`` exchange
        fetched, or, when they could not be had (the error), why not."""
        from tui.core.id_token import signature_verdict
        from tui.core.jose import read_jwks

        found: list[dict[str, Any]] | str
        try:
            if isinstance(keys, DanceError):
                raise keys
            found = read_jwks(self._response(keys))
        except DanceError as err:
            err.mask(self.known_secrets())
            found = err.message
        return signature_verdict(self.state.id_token, found, self.state.client_secret)

    def id_token_report(self, signature: Verdict | None) -> IdTokenReport | None:
        """The ID token decoded and checked (OpenID Connect Core §3.1.3.7), masked;
        None without one. ``signature`` is None while the keys are being fetched."""
        from tui.core.id_token import Expected, report

        s = self.state
        if not s.id_token:
            return None
        expected = Expected(self.provider.issuer, s.client_id, s.expected_nonce, s.client_secret)
        last_run = s.id_token == self.last_run_id_token
        return report(s.id_token, expected, signature, self.mask, self.clock(), last_run=last_run)

    def has_jwt(self) -> bool:
        """An ID token, or an access token shaped as a JWT: something to decode."""
        return bool(self.state.id_token) or self.state.token.count(".") == 2

    def access_token_view(self) -> DecodedToken | None:
        """The access token decoded, masked, when it is a JWT (RFC 9068); None when opaque."""
        from tui.core.id_token import access_token_view

        token = self.state.token
        return access_token_view(token, self.mask, self.clock()) if token else None
