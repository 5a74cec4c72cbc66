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
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from tui.core.errors import DanceError, ResponseFormatError
from tui.core.masking import mask_text
from tui.core.providers import Provider
from tui.core.state import DanceState
from tui.core.steps import Step
from tui.core.store import CredsStore, StoreError

if TYPE_CHECKING:
    import httpx

    from tui.core.callback import Callback
    from tui.core.console import ApiCall
    from tui.core.exchange import Exchange
    from tui.core.id_token import DecodedToken, IdTokenReport
    from tui.core.jose import Verdict
    from tui.core.listener import ListenerAnswer
    from tui.core.par import PushedRequest
    from tui.core.revocation import TokenKind
    from tui.core.tokens import RefreshOutcome, TokenSet
    from tui.core.transport import Holds


STATE_KEYS = frozenset(f.name for f in fields(DanceState))


def utc_now() -> datetime:
    return datetime.now(UTC)


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
        self.state = state
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
        self.clock: Callable[[], datetime] = utc_now
        """The time (aware UTC) tokens expire from and the countdown counts to; tests and
        the docs' screenshots set a clock of their own to let time pass at once."""

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
        table = {**self._kept, **self.state.to_table()}
        if self.on_save is None:
            self.unsaved = True
            self.store.save_provider(self.provider.name, table)
            self.unsaved = False
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
        if error is None or isinstance(error, StoreError):
            return error
        raise error

    def known_secrets(self) -> frozenset[str]:
        """The secrets of the state, and every one an exchange of the session carried."""
        return self.state.secrets() | self._seen

    def mask(self, text: str) -> str:
        """``text`` with every known secret masked, in every encoding."""
        return mask_text(text, self.known_secrets())

    @_masks_errors
    def begin_authorization(self) -> Exchange:
        """A new attempt (fresh state and PKCE verifier) and its authorization request.

        The new state is saved before the URL is shown, so a callback that
        arrives after a restart can still be checked.
        """
        from tui.core.flow import authorize_request

        self.state = self.state.new_attempt()
        exchange = self._prepare(Step.AUTHORIZE, authorize_request(self.provider, self.state))
        self.save()
        return exchange

    @_masks_errors
    def authorization_request(self) -> httpx.Request:
        """The current attempt's authorization request (no new state)."""
        from tui.core.flow import authorize_request

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
        self.record_browser_leg(text, answer)
        callback = self.check_callback(text)
        self.state = replace(self.state, code=callback.code, code_exchanged=False, code_stale=False)
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
        redirect = redirect_by_browser(text, answer, now)
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

        return self._prepare(
            Step.EXCHANGE, token_request(self.provider, self.state, self.state.code)
        )

    @_masks_errors
    def prepare_profile(self) -> Exchange:
        from tui.core.flow import profile_request

        return self._prepare(Step.PROFILE, profile_request(self.provider, self.state))

    @_masks_errors
    def prepare_refresh(self) -> Exchange:
        from tui.core.flow import refresh_request

        return self._prepare(Step.REFRESH, refresh_request(self.provider, self.state))

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
        self.save()
        return kind

    @_masks_errors
    def prepare_revoked_check(self, revocation: Exchange) -> Exchange:
        """A profile call that shows what a revocation did: with the revoked access token,
        or, after a refresh token's revocation, with the access token of its grant.

        Raises:
            ConfigError: there is no access token to try.
        """
        from tui.core.flow import profile_request
        from tui.core.revocation import TokenKind

        token = self.state.token
        if revocation.form_value("token_type_hint") == TokenKind.ACCESS:
            token = revocation.form_value("token") or ""
        state = replace(self.state, token=token)
        return self._prepare(Step.PROFILE, profile_request(self.provider, state))

    @_masks_errors
    def finish_revoked_check(self, exchange: Exchange) -> None:
        """Read the profile call after a revocation; nothing is saved.

        Raises:
            ApiError: the token is refused, as a revoked one is.
        """
        from tui.core.tokens import parse_profile_response

        parse_profile_response(self._response(exchange))

    def prepare(self, step: Step, request: httpx.Request) -> Exchange:
        """An exchange for a request built elsewhere in the core (e.g. consent)."""
        return self._prepare(step, request)

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
        return self._take_tokens(exchange, code_exchanged=True, refreshed=False)

    @_masks_errors
    def finish_refresh(self, exchange: Exchange) -> RefreshChange:
        """Interpret a refresh answer; keep the old refresh token unless a new one came."""
        from tui.core.tokens import refresh_outcome

        before = self.state
        tokens = self._take_tokens(exchange, code_exchanged=before.code_exchanged, refreshed=True)
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

        return Exchange(step=step, request=request, known=self.known_secrets(), purpose=purpose)

    @staticmethod
    def _response(exchange: Exchange) -> httpx.Response:
        if exchange.error is not None:
            raise exchange.error
        if exchange.response is None:
            raise ResponseFormatError("This request has not been sent yet.")
        return exchange.response
