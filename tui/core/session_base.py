"""What every step of a session stands on: the state and its saving, the secrets,
the lesson under way, and sending an exchange.

The session knows every secret of the dance: those of its state, and every
one a request or an answer carried. Each error it raises or records, and each
profile field it gives, has them masked (:meth:`SessionBase.mask`): a provider
may echo a credential in an error description, an API the access token in a
profile field. :func:`masks_errors` does it for a step's methods.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Future
from dataclasses import replace
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from tui.core.errors import (
    CancelledError,
    DanceError,
    OAuthError,
    ResponseFormatError,
)
from tui.core.providers import Provider
from tui.core.session_lessons import LessonKeeping
from tui.core.session_refusals import RefusalKeeping
from tui.core.state import DanceState
from tui.core.steps import Step
from tui.core.store import CredsStore
from tui.core.store_errors import TOKENS_KEPT, StoreError, StoreWriteError

if TYPE_CHECKING:
    import httpx

    from tui.core.exchange import Exchange
    from tui.core.transport_holds import Holds


TOKEN_KEYS = (
    "token",
    "refresh",
    "expires",
    "token_type",
    "granted_scope",
    "id_token",
    "id_token_nonce",
)
"""The grant's tokens: what another process (``oauth-dance token``, a second wizard) may
save in the file while this session runs."""


def _tokens(state: DanceState) -> tuple[Any, ...]:
    return tuple(getattr(state, key) for key in TOKEN_KEYS)


def utc_now() -> datetime:
    return datetime.now(UTC)


async def real_sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


P = ParamSpec("P")
R = TypeVar("R")


def masks_errors(method: Callable[P, R]) -> Callable[P, R]:
    """The session's method, its DanceErrors masked with every secret the session knows."""

    @functools.wraps(method)
    def masked(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except DanceError as err:
            session = args[0]
            assert isinstance(session, SessionBase)
            session.fit_error(err)
            session.lesson_saw(err)
            raise

    return masked


class SessionBase(LessonKeeping, RefusalKeeping):
    """The dance for one provider: state, history, saving, secrets and lessons."""

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
        self.lesson = None
        self.on_lesson = None
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
        from tui.core.transport_holds import Holds

        return Holds()

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
            try:
                self.store.save_provider(self.provider.name, table)
            except StoreError as err:
                raise self._not_saved(err) from None
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
        if error is None:
            return None
        if not isinstance(error, StoreError):
            raise error
        return self._not_saved(error)

    def _not_saved(self, error: StoreError) -> StoreError:
        """A failed save's error, saying the tokens are still in memory when there are."""
        if not (self.state.token or self.state.refresh):
            return error
        if isinstance(error, StoreWriteError):
            return StoreWriteError(error.problem, f"{error.hint} {TOKENS_KEPT}")
        return StoreWriteError(str(error), TOKENS_KEPT)

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

    def fit_error(self, err: DanceError) -> None:
        """``err`` as this session shows it: every known secret masked, and an OAuth error's
        explanation in the words of the flow in use and of the provider."""
        err.mask(self.known_secrets())
        if isinstance(err, OAuthError):
            from tui.core.explain import for_flow, for_provider

            why = for_flow(err.explanation, device_flow=self.state.device_flow)
            err.explanation = for_provider(why, err.description, self.provider)

    def mask(self, text: str) -> str:
        """``text`` with every known secret masked, in every encoding."""
        from tui.core.masking import mask_text  # not needed before the first frame

        return mask_text(text, self.known_secrets())

    def _record(self, exchange: Exchange) -> None:
        self._seen |= exchange.secrets()
        exchange.known = self.known_secrets()
        self.history.append(exchange)

    def prepare(self, step: Step, request: httpx.Request, purpose: str = "") -> Exchange:
        """An exchange for a request built elsewhere in the core (e.g. consent)."""
        return self._prepare(step, request, purpose)

    async def send(self, exchange: Exchange) -> Exchange:
        """Send the exchange's request as it is; record the answer or the fault (a request
        let go before its answer, its task cancelled, is recorded as cancelled)."""
        from asyncio import CancelledError as TaskCancelled

        from tui.core.transport import new_client, send

        if exchange not in self.history:
            self.history.append(exchange)
        try:
            async with new_client(self._transport, url=exchange.request.url) as client:
                sent = await send(client, exchange.request)
        except TaskCancelled:
            if exchange.error is None:
                exchange.error = CancelledError()
            raise
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

    def _prepare(self, step: Step, request: httpx.Request, purpose: str = "") -> Exchange:
        from tui.core.exchange import Exchange

        return Exchange(
            step=step,
            request=request,
            known=self.known_secrets(),
            purpose=purpose,
            generation=self.generation,
            device_flow=self.state.device_flow,
        )

    @staticmethod
    def _response(exchange: Exchange) -> httpx.Response:
        if exchange.error is not None:
            raise exchange.error
        if exchange.response is None:
            raise ResponseFormatError("This request has not been sent yet.")
        return exchange.response
