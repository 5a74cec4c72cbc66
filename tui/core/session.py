"""One provider's dance, step by step: the one core object a screen talks to.

A screen asks for a prepared :class:`Exchange`, shows it, sends it (in a
worker) with :meth:`Session.send`, then hands it back to be interpreted and
saved. The session keeps the history and the state in memory even when the
credentials file cannot be written, so nothing is lost to a failed save.

:class:`Session` is made of one class per part of the dance, each in its own
module, all standing on :class:`~tui.core.session_base.SessionBase` (the state,
its saving, the secrets masked in every error, the lesson under way).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import TYPE_CHECKING

from tui.core.errors import DanceError
from tui.core.providers import Provider
from tui.core.session_authorize import AuthorizeSteps
from tui.core.session_console import ConsoleSteps
from tui.core.session_device import DeviceSteps
from tui.core.session_id_token import IdTokenChecks
from tui.core.session_revoke import RevokeSteps
from tui.core.session_tokens import TokenSteps
from tui.core.state import DanceState
from tui.core.steps import Step
from tui.core.store import CredsStore
from tui.core.store_errors import StoreError
from tui.core.textsafe import clean

if TYPE_CHECKING:
    import httpx

    from tui.core.exchange import Exchange


STATE_KEYS = frozenset(f.name for f in fields(DanceState))


class Session(AuthorizeSteps, DeviceSteps, TokenSteps, ConsoleSteps, RevokeSteps, IdTokenChecks):
    """The dance for one provider: every step's requests and answers, on the state,
    history and saving of :class:`~tui.core.session_base.SessionBase`."""

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
        state, ignored = DanceState.read_table(table, base)
        if ignored:
            name = clean(provider.name, keep_newlines=False)
            store.keep_original(
                f"[{name}] has values of the wrong type, ignored (the defaults are used): "
                f"{'; '.join(ignored)}."
            )
        kept = {k: v for k, v in table.items() if k not in STATE_KEYS}
        return cls(provider, store, state, transport, kept), None

    def drop_dead_grants(self, *, server_forgot: bool) -> str:
        """At start, let go of the saved grants that can no longer work, and save:
        device codes past their lifetime; and, when the server forgot what it issued
        before (the embedded demo, started afresh with this run), the device codes, the
        attempt's code not yet exchanged, and its pushed ``request_uri``. A spent code
        and the tokens stay: sending them shows the provider's refusal.

        Returns:
            A note saying what was let go and why, and what the step shown does
            now; "" when nothing was.
        """
        from dataclasses import replace

        state = self.state
        unredeemed = bool(state.code) and not state.code_exchanged
        held = (
            ("device codes", bool(state.device_code)),
            ("authorization code", unredeemed),
            ("pushed request_uri", bool(state.request_uri)),
        )
        what = [name for name, kept in held if kept] if server_forgot else []
        if what:
            state = replace(state.without_device_grant(), request_uri="", request_uri_expires=None)
            self.state = state.attempt_ended() if unredeemed else state
            self.save()
            if state.device_flow:
                then = "Device code asks for new ones"
            else:
                then = "Authorize starts a new attempt" if unredeemed else "Authorize pushes again"
            return (
                "The demo server started afresh with this run and forgot what the last one "
                f"issued: the saved {' and '.join(what)} were dropped. {then}."
            )
        if self.forget_expired_codes():
            return "The saved device codes had expired: dropped. Device code asks for new ones."
        return ""

    def answer_problem(self, exchange: Exchange) -> DanceError | None:
        """The fault, or the problem its answer carries, explained as when it came; read
        again, nothing is saved."""
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
            self.fit_error(err)
            return err
        return None
