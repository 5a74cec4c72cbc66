"""The Authorize step of a session: the attempt's request, pushed or not (PAR,
RFC 9126), and the callback that comes back with the code."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tui.core.errors import AttemptRefusedError, DanceError, OAuthError
from tui.core.lessons import Tamper
from tui.core.session_base import SessionBase, masks_errors, utc_now
from tui.core.steps import Step

if TYPE_CHECKING:
    import httpx

    from tui.core.callback import Callback
    from tui.core.consent import ConsentForm
    from tui.core.exchange import Exchange
    from tui.core.listener import ListenerAnswer
    from tui.core.par import PushedRequest


class AuthorizeSteps(SessionBase):
    """A new attempt, its authorization request (pushed first with PAR), and its callback."""

    @masks_errors
    def begin_authorization(self) -> Exchange:
        """A new attempt (fresh state and PKCE verifier) and its authorization request.

        The new state is saved before the URL is shown, so a callback that
        arrives after a restart can still be checked.
        """
        self.state = self.state.new_attempt()
        exchange = self._prepare(Step.AUTHORIZE, self.authorization_request())
        self.save()
        return exchange

    @masks_errors
    def authorization_request(self) -> httpx.Request:
        """The current attempt's authorization request (no new state); in the missing
        PKCE lesson, the public client's without its code_challenge."""
        from tui.core.flow import authorize_request

        if self._tamper() is Tamper.NO_PKCE:
            from tui.core.lesson_tampering import public_client_state, without_pkce

            return without_pkce(authorize_request(self.provider, public_client_state(self.state)))
        return authorize_request(self.provider, self.state)

    @property
    def par_offered(self) -> bool:
        """The provider takes pushed authorization requests (RFC 9126)."""
        return bool(self.provider.par_endpoint)

    @property
    def push_due(self) -> bool:
        """PAR is on for this provider and the attempt's parameters are not pushed yet:
        there is no URL until they are."""
        return self.par_offered and self.state.par and not self.state.request_uri

    def use_par(self, on: bool) -> None:
        """Turn pushing on or off for this provider (saved); either way the attempt's
        request_uri, if any, is let go: the URL is built again.

        Raises:
            StoreError: the change is kept in memory but not saved.
        """
        self.update(par=on, request_uri="", request_uri_expires=None)

    def forget_stale_push(self) -> None:
        """Let an expired request_uri go (one saved before a restart, say): the
        parameters must be pushed again."""
        expires = self.state.request_uri_expires
        if self.state.request_uri and (expires is None or expires <= self.clock()):
            self.update(request_uri="", request_uri_expires=None)

    def pushed_params(self) -> list[tuple[str, str]]:
        """The authorization parameters as they are (or will be) pushed in the POST."""
        from tui.core.flow import authorization_params

        return authorization_params(self.provider, self.state)

    @masks_errors
    def prepare_push(self) -> Exchange:
        """The pushed authorization request (RFC 9126 §2.1) of the current attempt."""
        from tui.core.flow import par_request

        return self._prepare(Step.AUTHORIZE, par_request(self.provider, self.state), "push")

    @masks_errors
    def finish_push(self, exchange: Exchange) -> PushedRequest:
        """Read the PAR answer; keep and save its request_uri, which the URL now carries.

        Raises:
            DanceError: the fault, the provider's refusal (OAuthError), or an answer
                that is not usable (ResponseFormatError); nothing is kept then.
            StoreError: the request_uri is kept in memory but not saved.
        """
        from tui.core.par import parse_par_response

        pushed = parse_par_response(self._response(exchange), now=self.clock())
        self.update(request_uri=pushed.request_uri, request_uri_expires=pushed.expires_at)
        return pushed

    @masks_errors
    def read_consent_page(self, response: httpx.Response) -> ConsentForm:
        """The consent page a browser leg got, read as :func:`consent.read_consent_page`
        reads it; its error explained for this provider.

        Raises:
            OAuthError, ResponseFormatError: see :func:`consent.read_consent_page`.
        """
        from tui.core.consent import read_consent_page

        return read_consent_page(response)

    @masks_errors
    def check_callback(self, text: str) -> Callback:
        """Check a pasted or caught callback against this attempt, keeping nothing:
        the one check the app and the loopback listener's page both use.

        Raises:
            AttemptRefusedError: the provider refused this attempt already: whatever
                comes back for it now is not its answer (a code after a refusal).
            OAuthError, CallbackError: see :func:`read_callback`.
        """
        from tui.core.callback import read_callback

        if self.attempt_refused():
            raise AttemptRefusedError(
                "The provider already refused this attempt, so it is over: nothing that "
                "comes back for it now is taken, not even a code with its state. Press "
                "enter for a new attempt."
            )
        provider = self.provider
        return read_callback(
            text,
            self.state.state,
            provider.issuer,
            iss_required=provider.iss_parameter_supported,
        )

    @masks_errors
    def take_callback(self, text: str, answer: ListenerAnswer | None = None) -> Callback:
        """Check a pasted or caught callback and keep its code in memory (not saved).

        The browser's part comes first into the history (:meth:`record_browser_leg`),
        whatever the verdict.

        Raises:
            OAuthError, CallbackError: see :func:`check_callback`. After an
                OAuthError the attempt is over (``refused_state``).
        """
        tamper = self._tamper()
        if tamper in (Tamper.STATE, Tamper.ISS):
            from tui.core.lesson_tampering import tampered_callback

            assert tamper is not None
            text = tampered_callback(text, tamper)
        self.record_browser_leg(text, answer)
        try:
            callback = self.check_callback(text)
        except OAuthError:
            self.refused_state = self.state.state  # the provider's own refusal ends it
            raise
        self.state = replace(self.state, code=callback.code, code_exchanged=False, code_stale=False)
        self._lesson_passed(Step.AUTHORIZE)
        return callback

    def record_browser_leg(self, text: str, answer: ListenerAnswer | None = None) -> None:
        """Add the browser's requests to the history: this attempt's authorization
        request, unless the app sent it itself (the demo's consent page), and the
        redirect back when ``text`` is its URL, with the listener's ``answer``."""
        from tui.core.browser_leg import authorization_by_browser, redirect_by_browser

        now = utc_now()
        try:
            request: httpx.Request | None = self.authorization_request()
        except DanceError:
            request = None  # the settings changed since: the URL cannot be built again
        if request is not None and not any(
            e.step is Step.AUTHORIZE and e.request.method == "GET" and e.request.url == request.url
            for e in self.history
        ):
            self._record(authorization_by_browser(request.url, now))
        redirect = redirect_by_browser(text, answer, now, self.history)
        if redirect is not None:
            self._record(redirect)

    def accept_callback(self, text: str, answer: ListenerAnswer | None = None) -> Callback:
        """:meth:`take_callback`, then save.

        Raises:
            OAuthError, CallbackError: see :func:`read_callback`.
            StoreError: the code is kept in memory but could not be saved.
        """
        callback = self.take_callback(text, answer)
        self.save()
        return callback
