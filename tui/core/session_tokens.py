"""The token steps of a session: the code exchanged, the profile fetched, the
tokens refreshed, and what a refresh changed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tui.core.errors import ApiError, OAuthError
from tui.core.lessons import INVALID_GRANT, Tamper
from tui.core.session_base import SessionBase, masks_errors
from tui.core.steps import Step

if TYPE_CHECKING:
    from tui.core.exchange import Exchange
    from tui.core.tokens import RefreshOutcome, TokenSet


@dataclass(frozen=True)
class RefreshChange:
    """What a refresh changed, for the Refresh screen to show."""

    new_access_token: bool
    refresh: RefreshOutcome
    """Rotated, the same one returned, or none returned and the old one kept."""
    old_expires: datetime | None
    new_expires: datetime | None


ALTERS_AROUND_THE_CODE = (Tamper.REDIRECT_URI, Tamper.VERIFIER)
"""Lessons whose exchange is refused for what they alter, not for the code it carries."""


class TokenSteps(SessionBase):
    """Exchange, Profile and Refresh: each one's request and the reading of its answer."""

    @masks_errors
    def prepare_token_exchange(self) -> Exchange:
        from tui.core.flow import token_request

        state, tamper = self.state, self._tamper()
        if tamper in ALTERS_AROUND_THE_CODE:
            from tui.core.lesson_tampering import tampered_token_state

            assert tamper is not None
            state = tampered_token_state(state, tamper)
        return self._prepare(Step.EXCHANGE, token_request(self.provider, state, state.code))

    @masks_errors
    def prepare_profile(self) -> Exchange:
        from tui.core.flow import profile_request

        self.take_newer_tokens()
        return self._prepare(Step.PROFILE, profile_request(self.provider, self.state))

    @masks_errors
    def prepare_refresh(self) -> Exchange:
        from tui.core.flow import refresh_request

        self.take_newer_tokens()
        state = self.state
        if self._tamper() is Tamper.OLD_REFRESH and self.lesson is not None:
            state = replace(state, refresh=self.lesson.kept_refresh)
        return self._prepare(Step.REFRESH, refresh_request(self.provider, state))

    @masks_errors
    def finish_token_exchange(self, exchange: Exchange) -> TokenSet:
        """Interpret the code exchange's answer; keep and save the tokens.

        The tokens are applied in memory before saving, so a failed save
        (StoreError) loses nothing.

        Raises:
            DanceError: the fault or the provider's refusal (OAuthError); with
                ``invalid_grant`` the code sent is remembered as ``refused_code``.
            StoreError: the tokens are in memory but not saved.
        """
        try:
            tokens = self._take_tokens(exchange, code_exchanged=True, refreshed=False)
        except OAuthError as err:
            # Sending the code again would get the same; unless a lesson altered the
            # request around it (its redirect_uri or verifier): the code itself is unspent.
            if err.code == INVALID_GRANT and self._tamper() not in ALTERS_AROUND_THE_CODE:
                self.refused_code = exchange.form_value("code") or ""
            raise
        self._lesson_passed(Step.EXCHANGE)
        return tokens

    @masks_errors
    def finish_refresh(self, exchange: Exchange) -> RefreshChange:
        """Interpret a refresh answer; keep the old refresh token unless a new one came.

        Raises:
            OAuthError: refused; with ``invalid_grant`` the refresh token sent is
                remembered as ``refused_refresh``.
        """
        from tui.core.tokens import refresh_outcome

        before = self.state
        try:
            tokens = self._take_tokens(
                exchange, code_exchanged=before.code_exchanged, refreshed=True
            )
        except OAuthError as err:
            if err.code == INVALID_GRANT:  # refreshing with it again would get the same
                self.refused_refresh = exchange.form_value("refresh_token") or ""
            raise
        self._lesson_passed(Step.REFRESH)
        return RefreshChange(
            new_access_token=tokens.access_token != before.token,
            refresh=refresh_outcome(before.refresh, tokens.refresh_token),
            old_expires=before.expires,
            new_expires=self.state.expires,
        )

    def _take_tokens(
        self, exchange: Exchange, *, code_exchanged: bool, refreshed: bool
    ) -> TokenSet:
        from tui.core.tokens import apply_tokens

        tokens = self.brought(exchange)
        state = apply_tokens(self.state, tokens, refreshed=refreshed)
        self.state = replace(state, code_exchanged=code_exchanged)
        exchange.generation = self.generation
        exchange.known = exchange.known | self.known_secrets()
        self.save()
        return tokens

    def brought(self, exchange: Exchange) -> TokenSet:
        """The tokens an answered token request brought, read again (nothing is kept):
        what a summary compares with the tokens held now.

        Raises:
            DanceError: the answer is not a token answer.
        """
        from tui.core.tokens import parse_token_response

        return parse_token_response(self._response(exchange), now=self.clock())

    @masks_errors
    def finish_profile(self, exchange: Exchange) -> dict[str, Any]:
        """The profile from the answer; the first one of a grant is saved as fetched.

        Raises:
            ApiError: refused; ``token_expired`` tells the screen to offer Refresh, and
                the token sent is remembered as ``refused_access``.
        """
        from tui.core.tokens import parse_profile_response

        try:
            profile = parse_profile_response(self._response(exchange))
        except ApiError as err:
            self.note_refused_access(exchange, err)
            raise
        if not self.state.profile_fetched:
            self.state = replace(self.state, profile_fetched=True)
            self.save()
        return profile

    def profile_fields(self, exchange: Exchange) -> list[tuple[str, str]]:
        """The profile's key fields as text to show: one line each, cut, control
        characters visible, known secrets masked (an API may echo the token).

        Raises:
            ApiError: see :meth:`finish_profile`.
        """
        from tui.core.textsafe import shorten
        from tui.core.tokens import key_fields

        rows = key_fields(self.finish_profile(exchange), self.provider.profile_fields)
        return [(shorten(self.mask(key), 40), shorten(self.mask(text))) for key, text in rows]
