"""A usable access token for scripts (``oauth-dance token``): the stored one while it has
time left, else a refreshed one, saved at once.

The refresh runs under the credentials file's lock (:meth:`CredsStore.locked`), after
the file is read again: a process that waited there while another refreshed finds the
new token and uses it. So two calls at once make one refresh at the server, which
matters when refresh tokens rotate: the second would present a spent one, and a
provider that detects reuse revokes the whole grant.

Reading the stored token imports neither httpx nor the dance's modules: only a
refresh does. The refresh itself is the Refresh step's: :class:`Session`'s
``prepare_refresh``, ``send`` and ``finish_refresh``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tui.core.errors import DanceError
from tui.core.state import DanceState
from tui.core.store import CredsStore
from tui.core.store_errors import StoreError
from tui.core.textsafe import fits_a_header

if TYPE_CHECKING:
    import httpx

    from tui.core.providers import Provider

DEFAULT_MIN_VALID = 60
"""Seconds a printed token must still be valid for; one expiring sooner is refreshed first."""


class NoUsableToken(DanceError):
    """Nothing stored can give a token: no access token with time left, and no way to
    refresh it. The message says what to do (the wizard)."""

    title = "No usable token"


@dataclass(frozen=True)
class Fresh:
    """The state holding the token to use, and how it came."""

    state: DanceState
    refreshed: bool
    """This call refreshed it (not another process, not the stored one)."""
    save_error: StoreError | None = None
    """The refreshed tokens could not be saved: they exist only in this process."""
    rotated: bool = False
    """With ``save_error``: the provider sent a new refresh token, so the one still in
    the file is spent (sending it again may revoke the whole grant)."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def stored_state(store: CredsStore, name: str) -> DanceState:
    """What the credentials file holds for provider ``name`` (empty when nothing).

    Raises:
        StoreError: the file cannot be read (a corrupt one is moved aside and reported).
    """
    return DanceState.from_table(store.load_provider(name), DanceState())


def lasts(state: DanceState, now: datetime, min_valid: float) -> bool:
    """The access token is still valid ``min_valid`` seconds after ``now``.

    A token without a known expiry (the provider sent no ``expires_in``, as
    GitHub's OAuth apps do not) is taken as valid: there is nothing to refresh
    it by time.
    """
    if not state.token:
        return False
    left = state.seconds_left(now)
    return left is None or left > min_valid


def check_sendable(state: DanceState) -> None:
    """Refuse an access token that no ``Authorization`` header could carry.

    Raises:
        NoUsableToken: it has spaces, control or non-ASCII characters.
    """
    if not fits_a_header(state.token):
        raise NoUsableToken(
            "The stored access token has characters an HTTP header cannot carry "
            "(RFC 6750 §2.1); authorize again in the wizard."
        )


async def refresh_stored(
    store: CredsStore,
    name: str,
    seen: DanceState,
    *,
    min_valid: float = DEFAULT_MIN_VALID,
    clock: Callable[[], datetime] = utc_now,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Fresh:
    """Under the file's lock, read ``name``'s tokens again and refresh them if still needed.

    Args:
        seen: the state read before the lock was taken; when the file holds
            another access token now, another process refreshed it meanwhile,
            and that one is used while it is valid at all.

    Raises:
        NoUsableToken: no refresh token, or the demo provider (its server lived
            inside the wizard).
        OAuthError: the provider refused the refresh.
        DanceError: a network fault, an answer that is not a token answer, or
            settings that cannot make the request (ConfigError).
        StoreError: the file cannot be read or locked.
    """
    with store.locked():
        table = store.load_provider(name)
        state = DanceState.from_table(table, DanceState())
        now = clock()
        if lasts(state, now, min_valid):
            return Fresh(state, refreshed=False)
        if state.token != seen.token and lasts(state, now, 0):
            return Fresh(state, refreshed=False)
        if not state.refresh:
            raise NoUsableToken(
                f"The access token of {name} has expired or expires within {min_valid:g} s, "
                "and there is no refresh token to get a new one."
                if state.token
                else f"There is no access token for {name}, and no refresh token."
            )
        provider = await _provider(name, table, transport)
        return await _refresh(provider, store, clock, transport)


async def _provider(
    name: str, table: dict[str, object], transport: httpx.AsyncBaseTransport | None
) -> Provider:
    """The provider to refresh with: a preset or the file's table, discovered if need be."""
    from tui.core.providers import (
        DEMO_TOKENS_END,
        EMBEDDED_DEMO,
        needs_discovery,
        resolve_provider,
        with_endpoints,
    )

    if name == EMBEDDED_DEMO:
        raise NoUsableToken(
            f"{DEMO_TOKENS_END.capitalize()}: they cannot be refreshed here. For a demo server "
            "that stays up, run 'oauth-dance demo-server' and describe it as a custom provider "
            "(docs/providers/custom.md)."
        )
    provider = resolve_provider(name, table, None)
    if needs_discovery(provider):
        from tui.core.discovery import discover
        from tui.core.transport import new_client

        assert provider.issuer is not None
        async with new_client(transport, url=provider.issuer) as client:
            provider = with_endpoints(provider, await discover(client, provider.issuer))
    return provider


async def _refresh(
    provider: Provider,
    store: CredsStore,
    clock: Callable[[], datetime],
    transport: httpx.AsyncBaseTransport | None,
) -> Fresh:
    from tui.core.session import Session

    session, error = Session.open(provider, store, transport=transport)
    if error is not None:
        raise error
    session.clock = clock
    exchange = await session.send(session.prepare_refresh())
    try:
        session.finish_refresh(exchange)
    except StoreError as err:
        rotated = session.state.refresh != exchange.form_value("refresh_token")
        return Fresh(session.state, refreshed=True, save_error=err, rotated=rotated)
    return Fresh(session.state, refreshed=True)
