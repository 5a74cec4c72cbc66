"""The device flow of a session (RFC 8628): the device authorization, the
verification page, and polling for the tokens."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

from tui.core.errors import CodesExpiredError, OAuthError
from tui.core.lessons import Tamper
from tui.core.session_base import SessionBase, masks_errors
from tui.core.steps import Step

if TYPE_CHECKING:
    from tui.core.device import DeviceGrant, PollAnswer
    from tui.core.exchange import Exchange


class DeviceSteps(SessionBase):
    """The device flow chosen, its codes asked for, and the token endpoint polled."""

    def use_device_flow(self, on: bool) -> None:
        """Choose the device flow (RFC 8628) or the authorization code for this provider,
        and save; the other flow's attempt is forgotten.

        Raises:
            StoreError: the choice is kept in memory but not saved.
        """
        from tui.core.state import DEVICE_FLOW

        state = self.state
        if on != state.device_flow:  # neither flow's code nor its ✓ carries over
            state = state.attempt_ended().without_device_grant()
        self.state = replace(state, flow=DEVICE_FLOW if on else "")
        self.save()

    @property
    def device_offered(self) -> bool:
        """The provider has a device authorization endpoint (RFC 8628 §4: its metadata)."""
        return bool(self.provider.device_authorization_endpoint)

    @masks_errors
    def prepare_device_authorization(self) -> Exchange:
        """The POST asking for a device code and a user code (RFC 8628 §3.1).

        Raises:
            ConfigError: no device authorization endpoint, or no client id.
        """
        from tui.core.device import device_authorization_request

        request = device_authorization_request(self.provider, self.state)
        return self._prepare(Step.AUTHORIZE, request, purpose="device code")

    @masks_errors
    def finish_device_authorization(self, exchange: Exchange) -> DeviceGrant:
        """Read the device authorization answer; keep the codes and save. The redirect
        flow's attempt is ended (its code, spent or not, forgotten): switching back
        starts a new one rather than offering an old code.

        Raises:
            OAuthError, ResponseFormatError: refused, or not usable (nothing kept).
            StoreError: kept in memory but not saved.
        """
        from tui.core.device import parse_device_response

        grant = parse_device_response(self._response(exchange), now=self.clock())
        self.state = replace(
            self.state.attempt_ended(),
            device_code=grant.device_code,
            user_code=grant.user_code,
            verification_uri=grant.verification_uri,
            verification_uri_complete=grant.verification_uri_complete,
            device_expires=grant.expires_at,
            poll_interval=grant.interval,
        )
        self.save()
        exchange.known = exchange.known | self.known_secrets()
        return grant

    @masks_errors
    def prepare_poll(self) -> Exchange:
        """One poll of the token endpoint with the device code (RFC 8628 §3.4).

        Raises:
            ConfigError: no device code yet.
            CodesExpiredError: the codes expired (forgotten now).
        """
        from tui.core.device import poll_request

        self.check_codes_alive()
        return self._prepare(Step.EXCHANGE, poll_request(self.provider, self.state), "poll")

    @masks_errors
    def finish_poll(self, exchange: Exchange) -> PollAnswer:
        """Read one poll's answer: the tokens (kept and saved), or how long to wait
        (a ``slow_down``'s longer interval saved).

        Raises:
            OAuthError: polling ends (expired_token, access_denied, invalid_grant...),
                explained for the device flow; a refusal that ends the device code
                has the codes forgotten too, so the next request asks for new ones.
            ResponseFormatError: not a token answer.
            StoreError: kept in memory but not saved.
        """
        from tui.core.device import ENDS_CODES, read_poll
        from tui.core.explain import explain_poll_error
        from tui.core.tokens import apply_tokens

        try:
            answer = read_poll(self._response(exchange), self.clock(), self.state.poll_interval)
        except OAuthError as err:
            err.explanation = explain_poll_error(err.code, err.description)
            if err.code in ENDS_CODES:
                self.forget_device_codes()
            raise
        if answer.tokens is not None:
            # The device code is spent: forgotten, so Device code asks for new ones.
            state = apply_tokens(self.state, answer.tokens, refreshed=False)
            self.state = replace(state, code_exchanged=True).without_device_grant()
            exchange.known = exchange.known | self.known_secrets()
            self.save()
        else:
            if answer.interval != self.state.poll_interval:
                self.update(poll_interval=answer.interval)
            self.lesson_saw(OAuthError(answer.waiting))  # taught, not raised: a lesson's too
        return answer

    def forget_device_codes(self) -> None:
        """Forget the codes (``n`` on Device code), and save: the next request asks for new ones.

        Raises:
            StoreError: forgotten in memory but not saved.
        """
        self.state = self.state.without_device_grant()
        self.save()

    def poll_wait(self, interval: int) -> int:
        """Seconds to wait before the next poll: ``interval``, or none while a lesson
        makes the device poll too fast; never past the codes' expiry, when polling ends."""
        wait = 0 if self._tamper() is Tamper.POLL_EARLY else interval
        return max(0, min(wait, math.ceil(self.device_seconds_left())))

    def check_codes_alive(self) -> None:
        """Raises CodesExpiredError once the device code's lifetime is over; the codes
        are forgotten then, as after a refusal that ends them.

        Raises:
            CodesExpiredError: the codes expired (now forgotten, and saved).
        """
        from tui.core.device import check_codes_alive

        try:
            check_codes_alive(self.state, self.clock())
        except CodesExpiredError:
            self.forget_device_codes()
            raise

    def forget_expired_codes(self) -> bool:
        """Forget the codes, and save, if their lifetime is over: no poll can work with
        them, so the next request asks for new ones. Returns whether they were."""
        if not self.state.device_code:  # none: the device module (and httpx) stays unloaded
            return False
        try:
            self.check_codes_alive()
        except CodesExpiredError:
            return True
        return False

    @masks_errors
    def prepare_verification_page(self) -> Exchange:
        """The browser's GET of the verification page (the demo's: the app plays the browser).

        Raises:
            ConfigError: no verification URI yet.
        """
        from tui.core.device import verification_page_request

        request = verification_page_request(self.state)
        return self._prepare(Step.AUTHORIZE, request, purpose="verification page")

    def device_seconds_left(self) -> float:
        """Seconds the device code has left (negative once expired; 0 without one)."""
        from tui.core.device import seconds_left

        return seconds_left(self.state, self.clock())
