"""``oauth-dance token``: a valid access token on stdout, for scripts.

    curl -H "Authorization: Bearer $(oauth-dance token --provider NAME)" URL

Stdout gets the token and a newline (or, with ``--json``, one JSON object), and
nothing else; every message goes to stderr. A token that expires within
``--min-valid`` seconds is refreshed first and saved (see ``tui/core/fresh.py``).
A token with time left costs a read of the credentials file: neither Textual nor
httpx is imported.
"""

from __future__ import annotations

import argparse
import sys
from enum import IntEnum

from tui.cli_options import add_global_options, creds_file, describe_first, wizard_command
from tui.cli_text import USAGE_ERROR, SafeArgumentParser, say
from tui.core.errors import ConfigError, DanceError, OAuthError, ResponseFormatError
from tui.core.fresh import (
    DEFAULT_MIN_VALID,
    Fresh,
    NoUsableToken,
    check_sendable,
    lasts,
    refresh_stored,
    stored_state,
    utc_now,
)
from tui.core.providers import DEMO_TOKENS_END, EMBEDDED_DEMO
from tui.core.state import DanceState
from tui.core.store import APP_TABLE, CredsStore
from tui.core.store_errors import CorruptCredsError, StoreError, StoreWriteError

PROG = "oauth-dance token"


class NothingStored(NoUsableToken):
    """No token at all for the provider; ``to_do`` is what to do before the wizard can get
    one (describe an unknown provider), or None when the wizard is the next step."""

    def __init__(self, message: str, to_do: str | None) -> None:
        super().__init__(f"{message} {to_do}" if to_do else message)
        self.to_do = to_do


class Exit(IntEnum):
    """The exit statuses of ``oauth-dance token``."""

    PRINTED = 0
    NO_TOKEN = 2
    """Nothing stored gives a token: no tokens, an expired one without a refresh token or
    settings to refresh it with, or a credentials file that cannot be used."""
    USAGE = USAGE_ERROR
    """Bad usage, as in every command."""
    REFUSED = 3
    """The provider refused the refresh (an OAuth error)."""
    NETWORK = 4
    """No usable answer: a network fault, or an answer that is not a token answer."""


def min_valid(text: str) -> int:
    try:
        seconds = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of seconds: {text!r}") from None
    if seconds < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds: {text!r}")
    return seconds


def parser() -> argparse.ArgumentParser:
    made = SafeArgumentParser(
        prog=PROG,
        description="Print a valid access token and a newline (nothing else) on stdout, "
        "refreshing it first when it expires soon. Messages go to stderr.",
        epilog="Exit status: 0 a token was printed; 1 bad usage; 2 no usable token and no "
        "way to refresh it (the message says what to do); 3 the provider refused the "
        "refresh; 4 a network fault.",
    )
    add_global_options(made, provider_help="the provider's table in the credentials file")
    made.add_argument(
        "--min-valid",
        type=min_valid,
        default=DEFAULT_MIN_VALID,
        metavar="SECONDS",
        help="refresh first when the token expires within this many seconds "
        f"(default {DEFAULT_MIN_VALID})",
    )
    made.add_argument(
        "--json",
        action="store_true",
        help="print {access_token, token_type, expires_at, scope} as one JSON object",
    )
    return made


def main(argv: list[str]) -> int:
    """Print the token; return the exit status."""
    made = parser()
    args = made.parse_args(argv)
    if args.provider == APP_TABLE:
        made.error(f"{APP_TABLE!r} is the wizard's own table in the credentials file, no provider")
    store = CredsStore(creds_file(made, args.creds), moves_corrupt=False)
    wizard = wizard_command(args.provider, args.creds)
    try:
        fresh = _fresh(store, args.provider, args.creds, args.min_valid)
        check_sendable(fresh.state)
    except OAuthError as err:
        _say_notices(store)
        _fail(f"{args.provider} refused the refresh: {err.message}")
        why = err.explanation
        for label, text in (("Meaning", why.meaning), ("Cause", why.cause), ("Fix", why.fix)):
            say(f"  {label:<8} {text}", file=sys.stderr)
        say(f"  {why.rfc}", file=sys.stderr)
        say(f"To authorize again: {wizard}", file=sys.stderr)
        return Exit.REFUSED
    except (DanceError, StoreError) as err:
        _say_notices(store)
        status = _status_of(err)
        _fail(str(err))
        if status is Exit.NO_TOKEN and _wizard_helps(err):
            say(f"To get a token, run the wizard: {wizard}", file=sys.stderr)
        return status
    _say_notices(store)
    if fresh.save_error is not None:
        _fail(_unsaved(fresh, wizard))
    if args.provider == EMBEDDED_DEMO:
        _fail(f"note: {DEMO_TOKENS_END}: this token works only while that wizard runs.")
    say(_json(fresh.state) if args.json else fresh.state.token)
    return Exit.PRINTED


def _fresh(store: CredsStore, name: str, creds: str | None, min_valid: int) -> Fresh:
    """The stored token while it lasts ``min_valid`` seconds more, else a refreshed one."""
    state = stored_state(store, name)
    if lasts(state, utc_now(), min_valid):
        return Fresh(state, refreshed=False)
    if not state.token and not state.refresh:
        raise _nothing_stored(store, name, creds)
    import asyncio

    return asyncio.run(refresh_stored(store, name, state, min_valid=min_valid))


def _nothing_stored(store: CredsStore, name: str, creds: str | None) -> NothingStored:
    """No tokens for ``name``: why (no file, no table for it, or a table without tokens)
    and, for a provider the wizard does not know yet, what to do first."""
    said = f"There are no tokens for {name} in {store.path}"
    if not store.path.exists():
        return NothingStored(f"{said}: the file does not exist.", describe_first(name, creds))
    if name not in store.load():
        return NothingStored(
            f"{said}: the file has no table for {name}.", describe_first(name, creds)
        )
    return NothingStored(f"{said}.", None)


def _unsaved(fresh: Fresh, wizard: str) -> str:
    """What a refresh that could not be saved means here, where there is no save key and
    nothing is left of the new tokens once the command ends: the token is still printed."""
    err = fresh.save_error
    problem = err.problem if isinstance(err, StoreWriteError) else str(err)
    said = (
        f"the refreshed tokens could not be saved: {problem} The token printed works "
        "until it expires, but the new tokens are lost when this command ends. "
    )
    if fresh.rotated:
        return said + (
            "The provider replaced the refresh token, so the one in the file is spent: "
            f"fix the problem, then authorize again with the wizard: {wizard}"
        )
    return said + "The file keeps its refresh token: fix the problem, then run the command again."


def _wizard_helps(err: DanceError | StoreError) -> bool:
    """Whether running the wizard on the same file gets a token: not when the file
    cannot be used (a folder, a newer format, unreadable), nor for a provider it does not
    know yet, which the message tells."""
    if isinstance(err, NothingStored):
        return err.to_do is None
    return not isinstance(err, StoreError) or isinstance(err, CorruptCredsError)


def _status_of(err: DanceError | StoreError) -> Exit:
    if isinstance(err, StoreError | NoUsableToken | ConfigError):
        return Exit.NO_TOKEN
    if isinstance(err, ResponseFormatError):
        return Exit.NETWORK
    from tui.core.discovery import DiscoveryError
    from tui.core.transport_errors import NetworkError

    return Exit.NETWORK if isinstance(err, NetworkError | DiscoveryError) else Exit.NO_TOKEN


def _json(state: DanceState) -> str:
    import json

    return json.dumps(
        {
            "access_token": state.token,
            "token_type": state.token_type or "Bearer",
            "expires_at": state.expires.isoformat(timespec="seconds") if state.expires else None,
            "scope": state.granted_scope or None,
        }
    )


def _fail(message: str) -> None:
    say(f"{PROG}: {message}", file=sys.stderr)


def _say_notices(store: CredsStore) -> None:
    for notice in store.take_notices():
        _fail(notice)
