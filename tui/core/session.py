"""One provider's dance, step by step: what every screen asks of the core.

A screen asks for a prepared :class:`Exchange`, shows it, sends it (in a
worker) with :meth:`Session.send`, then hands it back to be interpreted and
saved. The session keeps the history and the state in memory even when the
credentials file cannot be written, so nothing is lost to a failed save.

The session knows every secret of the dance: those of its state, and every
one a request or an answer carried. Each error it raises or records, and each
profile field it gives, has them masked (:meth:`Session.mask`): a provider
may echo a credential in an error description, an API the access token in a
profile field.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from tui.core.errors import DanceError, OAuthError, ResponseFormatError
from tui.core.lessons import Tamper
from tui.core.providers import Provider
from tui.core.state import DanceState
from tui.core.steps import Step
from tui.core.store import CredsStore, StoreError

if TYPE_CHECKING:
    import httpx

    from tui.core.callback import Callback
    from tui.core.console import ApiCall
    from tui.core.device import DeviceGrant, PollAnswer
    from tui.core.exchange import Exchange
    from tui.core.id_token import DecodedToken, IdTokenReport
    from tui.core.jose import Verdict
    from tui.core.lessons import LessonRun
    from tui.core.listener import ListenerAnswer
    from tui.core.par import PushedRequest
    from tui.core.revocation import TokenKind
    from tui.core.tokens import RefreshOutcome, TokenSet
    from tui.core.transport import Holds


STATE_KEYS = frozenset(f.name for f in fields(DanceState))

TOKEN_KEYS = ("token", "refresh", "expires", "token_type", "granted_scope", "id_token")
"""The grant's tokens: what another process (``oauth-dance token``, a second wizard) may
save in the file while this session runs."""


def _tokens(state: DanceState) -> tuple[Any, ...]:
    return tuple(getattr(state, key) for key in TOKEN_KEYS)


REVOKED_CHECK = "revoked token"
"""The purpose of the request that tries a revoked token (see ``prepare_revoked_check``)."""


def utc_now() -> datetime:
    return datetime.now(UTC)


async def real_sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


P = ParamSpec("P")
R = TypeVar("R")


def _masks_errors(method: Callable[P, R]) -> Callable[P, R]:
    """The session's method, its DanceErrors masked with every secret the session knows."""

    @functools.wraps(method)
    def masked(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except DanceError as err:
            session = args[0]
            assert isinstance(session, Session)
            err.mask(session.known_secrets())
            session.lesson_saw(err)
            raise

    return masked


@dataclass(frozen=True)
class RefreshChange:
    """What a refresh changed, for the Refresh screen to show."""

    new_access_token: bool
    refresh: RefreshOutcome
    """Rotated, the same one returned, or none returned and the old one kept."""
    old_expires: datetime | None
    new_expires: datetime | None


class Session:
    """The dance for one provider: state, history, and saving."""

    def __init__(
        self,
        provider: Provider,
        store: CredsStore,
        state: DanceState,
        transport: httpx.AsyncBaseTransport | None = None,
        kept: Mapping[str, Any] | None = None,
    ) -> None:
        self.provider = provider
        self.store = store
        self.generation = 0
        """Counts the changes of the tokens (a code exchange, a refresh, a revocation, an
        edit): an exchange made before the latest one tells of tokens that are gone."""
        self._state = state
        self.history: list[Exchange] = []
        self.unsaved = False
        """The last save failed: the state in memory is newer than the file."""
        self.on_save: Callable[[Future[Any]], None] | None = None
        """Set by a UI: saves then run in the store's writer thread, and each one's
        future is handed to this; it gives the finished future to :meth:`saved`."""
        self.saving: Future[Any] | None = None
        """The newest save under way in the writer thread (not yet given to ``saved``)."""
        self._transport = transport
        self._kept = dict(kept or {})
        """Keys of the provider's table this tool does not know: saved back untouched."""
        self._seen: set[str] = set()
        """Every secret a request or an answer of this session carried."""
        self.on_tokens_taken: Callable[[], None] | None = None
        """Set by a UI: called when newer tokens from the file replaced the session's."""
        self._filed_tokens = _tokens(state)
        """The tokens as the file held them when this session last read or wrote it."""
        self._saving_tokens = self._filed_tokens
        """The tokens of the newest save (filed once it is written)."""
        self.clock: Callable[[], datetime] = utc_now
        """The time (aware UTC) tokens expire from and the countdown counts to; tests and
        the docs' screenshots set a clock of their own to let time pass at once."""
        self.lesson: LessonRun | None = None
        """The break-it lesson under way (its tamper applies while it is armed), or the
        one just ended, until the UI lets it go (:meth:`end_lesson`)."""
        self.on_lesson: Callable[[LessonRun], None] | None = None
        """Set by a UI: told when the lesson under way is caught or missed."""
        self.sleep: Callable[[float], Awaitable[None]] = real_sleep
        """How the device flow waits between polls; tests move their clocks instead."""

    @property
    def state(self) -> DanceState:
        return self._state

    @state.setter
    def state(self, state: DanceState) -> None:
        if (state.token, state.refresh) != (self._state.token, self._state.refresh):
            self.generation += 1
        self._state = state

    def is_current(self, exchange: Exchange) -> bool:
        """Whether the tokens are still those ``exchange`` was made with (or brought, or
        revoked): what it shows of them is still true."""
        return exchange.generation == self.generation

    @cached_property
    def holds(self) -> Holds:
        """Endpoints that answered 429/503 with Retry-After, until their wait is over."""
        from tui.core.transport import Holds

        return Holds()

    @classmethod
    def open(
        cls,
        provider: Provider,
        store: CredsStore,
        defaults: DanceState | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> tuple[Session, StoreError | None]:
        """The saved state of ``provider``, or fresh defaults if it cannot be read.

        Returns:
            The session, and the store's error when the file could not be read
            (the session then starts from the defaults; nothing is overwritten
            until the user saves).
        """
        base = defaults or DanceState.for_provider(provider)
        try:
            table = store.load_provider(provider.name)
        except StoreError as err:
            return cls(provider, store, base, transport), err
        state = DanceState.from_table(table, base)
        kept = {k: v for k, v in table.items() if k not in STATE_KEYS}
        return cls(provider, store, state, transport, kept), None

    def update(self, **changes: Any) -> None:
        """Change the state and save it at once.

        Raises:
            StoreError: the save failed; the change is kept in memory.
        """
        self.state = replace(self.state, **changes)
        self.save()

    def change_settings(self, **changes: Any) -> None:
        """Change the settings and save them. A change to what the authorization request
        is made of ends the attempt: without a code, Authorize begins a new one (its URL,
        nonce and pushed parameters were the old settings'); a code is kept but marked
        ``code_stale``, so Authorize offers a new attempt rather than Exchange (which can
        still send it, to show the provider's refusal).

        Raises:
            StoreError: the save failed; the change is kept in memory.
        """
        before = self.state.attempt_settings()
        changed = replace(self.state, **changes)
        if changed.attempt_settings() != before:
            changed = replace(changed, code_stale=True) if changed.code else changed.attempt_ended()
        self.state = changed
        self.save()

    def save(self) -> None:
        """Write the state to the credentials file; with ``on_save`` set, in the background.

        Raises:
            StoreError: the save failed (only without ``on_save``); ``unsaved`` stays
                set so the UI can retry.
        """
        self.take_newer_tokens()
        table = {**self._kept, **self.state.to_table()}
        self._saving_tokens = _tokens(self.state)
        if self.on_save is None:
            self.unsaved = True
            self.store.save_provider(self.provider.name, table)
            self.unsaved = False
            self._filed_tokens = self._saving_tokens
            return
        self.saving = self.store.save_provider_soon(self.provider.name, table)
        self.on_save(self.saving)

    def saved(self, future: Future[Any]) -> StoreError | None:
        """Take the outcome of the newest background save (``saving``), once it is done.

        Only the newest counts: it holds all the state, so an older one's outcome
        is moot.

        Returns:
            Its error (``unsaved`` is then set), or None when it worked.
        """
        self.saving = None
        error = future.exception()
        self.unsaved = error is not None
        if error is None:
            self._filed_tokens = self._saving_tokens
        if error is None or isinstance(error, StoreError):
            return error
        raise error

    def take_newer_tokens(self) -> bool:
        """Take the tokens another process saved in the file since this session last
        read or wrote it (``oauth-dance token`` refreshed them, say): they are the newer
        ones, and with rotation the session's refresh token is spent. Tokens of this
        session not saved yet (a failed save) are newer still, and stay.

        Returns:
            Whether the file's tokens replaced the session's.
        """
        if self.unsaved or self.saving is not None:
            return False  # the file has not got this session's own yet: it is not newer
        if _tokens(self.state) != self._filed_tokens:
            return False
        try:
            table = self.store.load_provider(self.provider.name)
        except StoreError:
            return False  # said when the file is read or written for the step itself
        on_file = _tokens(DanceState.from_table(table, DanceState()))
        if on_file == self._filed_tokens:
            return False
        self.state = replace(self.state, **dict(zip(TOKEN_KEYS, on_file, strict=True)))
        self._filed_tokens = on_file
        if self.on_tokens_taken is not None:
            self.on_tokens_taken()
        return True

    def known_secrets(self) -> frozenset[str]:
        """The secrets of the state, and every one an exchange of the session carried."""
        return self.state.secrets() | self._seen

    def mask(self, text: str) -> str:
        """``text`` with every known secret masked, in every encoding."""
        from tui.core.masking import mask_text  # not needed before the first frame

        return mask_text(text, self.known_secrets())

    def start_lesson(self, run: LessonRun) -> None:
        """Arm a lesson set up by :func:`tui.core.lessons.set_up`: its tamper applies to
        the next requests and answers until its error comes back."""
        self.lesson = run

    def end_lesson(self) -> None:
        """Let the lesson go, under way or ended: nothing is altered any more."""
        self.lesson = None

    def lesson_saw(self, error: DanceError) -> None:
        """An error reached the user: if it is the one the lesson under way expects,
        the lesson is caught (and ``on_lesson`` told)."""
        run = self.lesson
        if run is not None and run.armed and run.lesson.expected.matches(error):
            self._lesson_ended(replace(run, caught=error))

    def _lesson_passed(self, step: Step) -> None:
        """The lesson's step worked instead of failing: the lesson is missed."""
        run = self.lesson
        if run is not None and run.armed and run.lesson.step is step:
            self._lesson_ended(replace(run, missed=True))

    def _lesson_ended(self, run: LessonRun) -> None:
        self.lesson = run
        if self.on_lesson is not None:
            self.on_lesson(run)

    def _tamper(self) -> Tamper | None:
        run = self.lesson
        return run.lesson.tamper if run is not None and run.armed else None

    @_masks_errors
    def begin_authorization(self) -> Exchange:
        """A new attempt (fresh state and PKCE verifier) and its authorization request.

        The new state is saved before the URL is shown, so a callback that
        arrives after a restart can still be checked.
        """
        self.state = self.state.new_attempt()
        exchange = self._prepare(Step.AUTHORIZE, self.authorization_request())
        self.save()
        return exchange

    @_masks_errors
    def authorization_request(self) -> httpx.Request:
        """The current attempt's authorization request (no new state); in the missing
        PKCE lesson, the public client's without its code_challenge."""
        from tui.core.flow import authorize_request

        if self._tamper() is Tamper.NO_PKCE:
            from tui.core.lessons import public_client_state, without_pkce

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

    @_masks_errors
    def prepare_push(self) -> Exchange:
        """The pushed authorization request (RFC 9126 §2.1) of the current attempt."""
        from tui.core.flow import par_request

        return self._prepare(Step.AUTHORIZE, par_request(self.provider, self.state), "push")

    @_masks_errors
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

    def use_device_flow(self, on: bool) -> None:
        """Choose the device flow (RFC 8628) or the authorization code for this provider,
        and save; the other flow's attempt is forgotten.

        Raises:
            StoreError: the choice is kept in memory but not saved.
        """
        from tui.core.state import DEVICE_FLOW

        state = self.state.without_device_grant() if not on else self.state
        self.state = replace(state, flow=DEVICE_FLOW if on else "")
        self.save()

    @property
    def device_offered(self) -> bool:
        """The provider has a device authorization endpoint (RFC 8628 §4: its metadata)."""
        return bool(self.provider.device_authorization_endpoint)

    @_masks_errors
    def prepare_device_authorization(self) -> Exchange:
        """The POST asking for a device code and a user code (RFC 8628 §3.1).

        Raises:
            ConfigError: no device authorization endpoint, or no client id.
        """
        from tui.core.device import device_authorization_request

        request = device_authorization_request(self.provider, self.state)
        return self._prepare(Step.AUTHORIZE, request, purpose="device code")

    @_masks_errors
    def finish_device_authorization(self, exchange: Exchange) -> DeviceGrant:
        """Read the device authorization answer; keep the codes (the earlier grant and
        tokens' attempt forgotten) and save.

        Raises:
            OAuthError, ResponseFormatError: refused, or not usable (nothing kept).
            StoreError: kept in memory but not saved.
        """
        from tui.core.device import parse_device_response

        grant = parse_device_response(self._response(exchange), now=self.clock())
        self.update(
            device_code=grant.device_code,
            user_code=grant.user_code,
            verification_uri=grant.verification_uri,
            verification_uri_complete=grant.verification_uri_complete,
            device_expires=grant.expires_at,
            poll_interval=grant.interval,
            code_exchanged=False,
        )
        exchange.known = exchange.known | self.known_secrets()
        return grant

    @_masks_errors
    def prepare_poll(self) -> Exchange:
        """One poll of the token endpoint with the device code (RFC 8628 §3.4).

        Raises:
            ConfigError: no device code yet.
        """
        from tui.core.device import poll_request

        return self._prepare(Step.EXCHANGE, poll_request(self.provider, self.state), "poll")

    @_masks_errors
    def finish_poll(self, exchange: Exchange) -> PollAnswer:
        """Read one poll's answer: the tokens (kept and saved), or how long to wait
        (a ``slow_down``'s longer interval saved).

        Raises:
            OAuthError: polling ends (expired_token, access_denied, invalid_grant...).
            ResponseFormatError: not a token answer.
            StoreError: kept in memory but not saved.
        """
        from tui.core.device import read_poll
        from tui.core.tokens import apply_tokens

        answer = read_poll(self._response(exchange), self.clock(), self.state.poll_interval)
        if answer.tokens is not None:
            state = apply_tokens(self.state, answer.tokens, refreshed=False)
            self.state = replace(state, code_exchanged=True)
            exchange.known = exchange.known | self.known_secrets()
            self.save()
        else:
            if answer.interval != self.state.poll_interval:
                self.update(poll_interval=answer.interval)
            self.lesson_saw(OAuthError(answer.waiting))  # taught, not raised: a lesson's too
        return answer

    def poll_wait(self, interval: int) -> int:
        """Seconds to wait before the next poll: ``interval``, or none while a lesson
        makes the device poll too fast."""
        return 0 if self._tamper() is Tamper.POLL_EARLY else interval

    @_masks_errors
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
        expires = self.state.device_expires
        return (expires - self.clock()).total_seconds() if expires is not None else 0.0

    @_masks_errors
    def check_callback(self, text: str) -> Callback:
        """Check a pasted or caught callback against this attempt, keeping nothing:
        the one check the app and the loopback listener's page both use.

        Raises:
            OAuthError, CallbackError: see :func:`read_callback`.
        """
        from tui.core.callback import read_callback

        provider = self.provider
        return read_callback(
            text,
            self.state.state,
            provider.issuer,
            iss_required=provider.iss_parameter_supported,
        )

    @_masks_errors
    def take_callback(self, text: str, answer: ListenerAnswer | None = None) -> Callback:
        """Check a pasted or caught callback and keep its code in memory (not saved).

        The browser's part comes first into the history (:meth:`record_browser_leg`),
        whatever the verdict.

        Raises:
            OAuthError, CallbackError: see :func:`read_callback`.
        """
        tamper = self._tamper()
        if tamper in (Tamper.STATE, Tamper.ISS):
            from tui.core.lessons import tampered_callback

            assert tamper is not None
            text = tampered_callback(text, tamper)
        self.record_browser_leg(text, answer)
        callback = self.check_callback(text)
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

    def _record(self, exchange: Exchange) -> None:
        self._seen |= exchange.secrets()
        exchange.known = self.known_secrets()
        self.history.append(exchange)

    def accept_callback(self, text: str, answer: ListenerAnswer | None = None) -> Callback:
        """:meth:`take_callback`, then save.

        Raises:
            OAuthError, CallbackError: see :func:`read_callback`.
            StoreError: the code is kept in memory but could not be saved.
        """
        callback = self.take_callback(text, answer)
        self.save()
        return callback

    @_masks_errors
    def prepare_token_exchange(self) -> Exchange:
        from tui.core.flow import token_request

        state, tamper = self.state, self._tamper()
        if tamper in (Tamper.REDIRECT_URI, Tamper.VERIFIER):
            from tui.core.lessons import tampered_token_state

            assert tamper is not None
            state = tampered_token_state(state, tamper)
        return self._prepare(Step.EXCHANGE, token_request(self.provider, state, state.code))

    @_masks_errors
    def prepare_profile(self) -> Exchange:
        from tui.core.flow import profile_request

        self.take_newer_tokens()
        return self._prepare(Step.PROFILE, profile_request(self.provider, self.state))

    @_masks_errors
    def prepare_refresh(self) -> Exchange:
        from tui.core.flow import refresh_request

        self.take_newer_tokens()
        state = self.state
        if self._tamper() is Tamper.OLD_REFRESH and self.lesson is not None:
            state = replace(state, refresh=self.lesson.kept_refresh)
        return self._prepare(Step.REFRESH, refresh_request(self.provider, state))

    def default_api_call(self) -> ApiCall:
        """What the API console starts with: a GET of the profile endpoint."""
        from tui.core.console import default_call

        return default_call(self.provider)

    @_masks_errors
    def prepare_api_call(self, call: ApiCall) -> Exchange:
        """The console's call, with the access token as Bearer.

        Raises:
            CallInputError: the input cannot make a request (the message says why).
            InsecureTransportError: plain http to a host that is not loopback.
        """
        from tui.core.console import api_request

        self.take_newer_tokens()
        return self._prepare(Step.CONSOLE, api_request(self.state, call))

    @_masks_errors
    def finish_api_call(self, exchange: Exchange) -> str:
        """One line about the console call's answer (status, type, size), masked.

        Raises:
            ApiError: refused; ``token_expired`` tells the screen to offer a refresh.
        """
        from tui.core.console import read_api_answer

        return self.mask(read_api_answer(self._response(exchange)))

    @_masks_errors
    def prepare_revocation(self, kind: TokenKind) -> Exchange:
        """The RFC 7009 request revoking the saved token of ``kind``.

        Raises:
            UnsupportedError: the provider has no revocation endpoint (says what instead).
        """
        from tui.core.revocation import revocation_request

        self.take_newer_tokens()
        return self._prepare(Step.REVOKE, revocation_request(self.provider, self.state, kind))

    @_masks_errors
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
            self.state = replace(
                self.state, token="", expires=None, token_type="", profile_fetched=False
            )
        if token and token == self.state.refresh:
            self.state = replace(self.state, refresh="")
        exchange.generation = self.generation
        self.save()
        return kind

    @_masks_errors
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

    @_masks_errors
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

    def prepare(self, step: Step, request: httpx.Request, purpose: str = "") -> Exchange:
        """An exchange for a request built elsewhere in the core (e.g. consent)."""
        return self._prepare(step, request, purpose)

    @_masks_errors
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
        expected = Expected(self.provider.issuer, s.client_id, s.nonce, s.client_secret)
        return report(s.id_token, expected, signature, self.mask, self.clock())

    def has_jwt(self) -> bool:
        """An ID token, or an access token shaped as a JWT: something to decode."""
        return bool(self.state.id_token) or self.state.token.count(".") == 2

    def access_token_view(self) -> DecodedToken | None:
        """The access token decoded, masked, when it is a JWT (RFC 9068); None when opaque."""
        from tui.core.id_token import access_token_view

        token = self.state.token
        return access_token_view(token, self.mask, self.clock()) if token else None

    async def send(self, exchange: Exchange) -> Exchange:
        """Send the exchange's request as it is; record the answer or the fault."""
        from tui.core.transport import new_client, send

        if exchange not in self.history:
            self.history.append(exchange)
        try:
            async with new_client(self._transport, url=exchange.request.url) as client:
                sent = await send(client, exchange.request)
        except DanceError as err:
            exchange.error = err
        else:
            exchange.response = sent.response
            exchange.elapsed = sent.elapsed
            self.holds.note(sent.response)
        self._seen |= exchange.secrets()
        exchange.known = self.known_secrets() | exchange.known
        if exchange.error is not None:
            exchange.error.mask(exchange.known)
        return exchange

    @_masks_errors
    def finish_token_exchange(self, exchange: Exchange) -> TokenSet:
        """Interpret the code exchange's answer; keep and save the tokens.

        The tokens are applied in memory before saving, so a failed save
        (StoreError) loses nothing.

        Raises:
            DanceError: the fault or the provider's refusal (OAuthError).
            StoreError: the tokens are in memory but not saved.
        """
        tokens = self._take_tokens(exchange, code_exchanged=True, refreshed=False)
        self._lesson_passed(Step.EXCHANGE)
        return tokens

    @_masks_errors
    def finish_refresh(self, exchange: Exchange) -> RefreshChange:
        """Interpret a refresh answer; keep the old refresh token unless a new one came."""
        from tui.core.tokens import refresh_outcome

        before = self.state
        tokens = self._take_tokens(exchange, code_exchanged=before.code_exchanged, refreshed=True)
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
        from tui.core.tokens import apply_tokens, parse_token_response

        tokens = parse_token_response(self._response(exchange), now=self.clock())
        state = apply_tokens(self.state, tokens, refreshed=refreshed)
        self.state = replace(state, code_exchanged=code_exchanged)
        exchange.generation = self.generation
        exchange.known = exchange.known | self.known_secrets()
        self.save()
        return tokens

    def answer_problem(self, exchange: Exchange) -> DanceError | None:
        """The fault, or the problem its answer carries; read again, nothing is saved."""
        from tui.core.console import read_api_answer
        from tui.core.revocation import read_revocation_answer
        from tui.core.tokens import parse_profile_response, parse_token_response

        if exchange.error is not None or exchange.response is None:
            return exchange.error
        readers: dict[Step, Callable[[httpx.Response], object]] = {
            Step.PROFILE: parse_profile_response,
            Step.CONSOLE: read_api_answer,
            Step.REVOKE: read_revocation_answer,
        }
        try:
            readers.get(exchange.step, parse_token_response)(exchange.response)
        except DanceError as err:
            err.mask(self.known_secrets())
            return err
        return None

    @_masks_errors
    def finish_profile(self, exchange: Exchange) -> dict[str, Any]:
        """The profile from the answer; the first one of a grant is saved as fetched.

        Raises:
            ApiError: refused; ``token_expired`` tells the screen to offer Refresh.
        """
        from tui.core.tokens import parse_profile_response

        profile = parse_profile_response(self._response(exchange))
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

    def _prepare(self, step: Step, request: httpx.Request, purpose: str = "") -> Exchange:
        from tui.core.exchange import Exchange

        return Exchange(
            step=step,
            request=request,
            known=self.known_secrets(),
            purpose=purpose,
            generation=self.generation,
        )

    @staticmethod
    def _response(exchange: Exchange) -> httpx.Response:
        if exchange.error is not None:
            raise exchange.error
        if exchange.response is None:
            raise ResponseFormatError("This request has not been sent yet.")
        return exchange.response
