"""``oauth-dance status``: a table of the tokens in the credentials file, one row per
provider and its scope on a line below, without a secret: which tokens exist, the access
token's expiry, the scopes. It fits 80 columns for provider names up to 20 characters."""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import UTC, datetime

from tui.cli_options import add_global_options, creds_file, describe_first, wizard_command
from tui.cli_text import SafeArgumentParser, say
from tui.core.durations import span
from tui.core.inventory import Holding, inventory
from tui.core.masking import mask_text
from tui.core.providers import DEMO_TOKENS_END
from tui.core.store import CredsStore
from tui.core.store_errors import StoreError
from tui.core.textsafe import clean

PROG = "oauth-dance status"
HEADINGS = ("PROVIDER", "ACCESS", "EXPIRES (UTC)", "REFRESH", "ID TOKEN")
DEMO_NOTE = tuple(textwrap.wrap(f"Note: {DEMO_TOKENS_END}, however long they had left.", 80))


def parser() -> argparse.ArgumentParser:
    made = SafeArgumentParser(
        prog=PROG,
        description="List the tokens stored for each provider: which exist, when the "
        "access token expires, and the scopes. No secret is printed.",
    )
    add_global_options(
        made, provider_help="only this provider's row (default: every one)", provider_default=None
    )
    return made


def main(argv: list[str]) -> int:
    """Print the table; return the exit status (0, 2 for a file that cannot be used, as
    ``token``'s, 1 for bad usage). A file that does not parse is left where it is."""
    made = parser()
    args = made.parse_args(argv)
    store = CredsStore(creds_file(made, args.creds), moves_corrupt=False)
    try:
        tables = store.load()
    except StoreError as err:
        say(f"{PROG}: {err}", file=sys.stderr)
        return 2
    finally:
        for notice in store.take_notices():
            say(f"{PROG}: {notice}", file=sys.stderr)
    if args.provider is not None:
        tables = {k: v for k, v in tables.items() if k == args.provider}
    missing = "" if store.path.exists() else " (it does not exist)"
    say(f"Credentials file: {store.path}{missing}")
    if not tables:
        which = f"for {args.provider} " if args.provider else ""
        to_do = describe_first(args.provider, args.creds)
        wizard = wizard_command(args.provider, args.creds)
        say(f"No credentials {which}stored yet. {to_do or f'Run the wizard: {wizard}'}")
        return 0
    holdings = inventory(tables)
    secrets = frozenset().union(*(h.secrets for h in holdings))
    say(*mask_text("\n".join(listing(holdings, datetime.now(UTC))), secrets).splitlines())
    return 0


def listing(holdings: list[Holding], now: datetime) -> list[str]:
    """The table's lines: the headings, then each provider's row and its scope line, then
    the demo's note if a row refers to it."""
    rows = [cells(h, now) for h in holdings]
    header, *lines = table([HEADINGS, *rows]).splitlines()
    shown = [header]
    for holding, line in zip(holdings, lines, strict=True):
        shown.append(line)
        if holding.scope:
            asked = "" if holding.scope_granted else " (asked for)"
            shown.append(f"  scope: {clean(holding.scope, keep_newlines=False)}{asked}")
    if any(demo_token_alive(h, now) for h in holdings):
        shown.extend(DEMO_NOTE)
    return shown


def demo_token_alive(holding: Holding, now: datetime) -> bool:
    """The demo's access token, by its expiry still good: its row refers to the note."""
    expires = holding.expires
    return (
        holding.embedded_demo
        and bool(holding.access_token)
        and expires is not None
        and expires > now
    )


def cells(holding: Holding, now: datetime) -> tuple[str, ...]:
    """One provider's row; text from the file on one line, its controls made visible."""
    if not holding.access_token:
        access, expires = "none", "-"
    elif holding.expires is None:
        access, expires = "yes", "not given"
    else:
        left = (holding.expires - now).total_seconds()
        access = "yes" if left > 0 else "expired"
        when = holding.expires.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        expires = f"{when} (in {span(left)})" if left > 0 else f"{when} ({span(-left)} ago)"
        if demo_token_alive(holding, now):
            expires = f"{when} (see note)"
    return (
        clean(holding.provider, keep_newlines=False),
        access,
        expires,
        "yes" if holding.refresh_token else "none",
        "yes" if holding.id_token else "none",
    )


def table(rows: list[tuple[str, ...]]) -> str:
    """Columns padded to their widest cell, two spaces apart; the last one not padded."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    )
