"""The command line: ``oauth-dance [--provider NAME] [--creds PATH]`` and its subcommands."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

from tui.cli_options import add_global_options, creds_file, creds_path, split_command
from tui.cli_text import SafeArgumentParser, say

USAGE = """\
oauth-dance [--provider NAME] [--creds PATH]     run the wizard (default: the demo provider)
oauth-dance token [--provider NAME] [--min-valid SECONDS] [--json]
                                                 print a valid access token, for scripts
oauth-dance status                               list the stored tokens, without secrets
oauth-dance import-json PATH                     import the course notebook's creds.json
oauth-dance demo-server [--port N] ...           run the embedded demo provider alone
oauth-dance serve [--host H] [--port N] ...      run the wizard in a web browser"""


def wizard_parser() -> argparse.ArgumentParser:
    parser = SafeArgumentParser(
        prog="oauth-dance",
        usage=USAGE,
        description="Step through the OAuth 2.0 authorization code grant, "
        "seeing the raw HTTP of every step.",
        epilog="The credentials file defaults to the user config dir; "
        "OAUTH_DANCE_CREDS overrides it, and --creds overrides both. --provider and "
        "--creds go before or after a command's name. 'oauth-dance COMMAND --help' "
        "tells more of each command.",
    )
    add_global_options(
        parser,
        provider_help="demo (default), spotify, github, google, or the name of a custom "
        "table in the credentials file",
    )
    return parser


def import_json(argv: list[str]) -> int:
    """``oauth-dance import-json PATH``: the notebook's creds.json into the TOML file."""
    from tui.core.importer import import_creds_json
    from tui.core.store import CredsStore
    from tui.core.store_errors import StoreError

    parser = SafeArgumentParser(prog="oauth-dance import-json")
    parser.add_argument("path", type=Path, help="the course notebook's creds.json")
    parser.add_argument(
        "--creds", type=creds_path, metavar="PATH", help="the credentials file (TOML)"
    )
    parser.add_argument("--provider", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.provider is not None:
        parser.error("--provider does not apply: every provider in the file is imported")
    store = CredsStore(creds_file(parser, args.creds))
    try:
        names = import_creds_json(args.path, store)
    except StoreError as err:
        say(f"oauth-dance: {err}", file=sys.stderr)
        return 1
    for notice in store.take_notices():
        say(notice)
    say(f"Imported {', '.join(names) or 'nothing'} into {store.path}.")
    return 0


GC_THRESHOLD = 10_000
"""Allocations between two collections of Python's youngest generation (default 700)."""


def tune_gc() -> None:
    """Collect cyclic garbage less often: Textual allocates many short-lived objects.

    With the default, startup ran some 150 collections (about 50 ms) and the
    whole demo dance some 300 (about 15% of its time); now 10 and 40. Memory
    stays as it was: what reference counting frees is still freed at once.
    """
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


NO_TERMINAL = "oauth-dance: the wizard needs a terminal; for scripts use 'oauth-dance token'"


def has_terminal() -> bool:
    """Whether the wizard can run here: stdin and stderr are a terminal (Textual reads
    stdin and draws on stderr; stdout may go to a file), or ``TEXTUAL_DRIVER`` names a
    driver that needs none (textual-serve's, which talks to the browser through pipes)."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    streams = (sys.__stdin__, sys.__stderr__)
    try:
        return all(stream is not None and stream.isatty() for stream in streams)
    except ValueError:  # a stream closed
        return False


def run_wizard(argv: list[str]) -> int:
    """Start the wizard; the demo server is started by the app when needed.

    Without a terminal it stops at once (status 1): Textual would draw for no one,
    and read an end of file from a pipe or /dev/null over and over.
    """
    parser = wizard_parser()
    args = parser.parse_args(argv)
    path = creds_file(parser, args.creds)
    if not has_terminal():
        say(NO_TERMINAL, file=sys.stderr)
        return 1
    tune_gc()
    import asyncio

    from tui.app import OAuthDanceApp
    from tui.core.store import CredsStore

    store = CredsStore(path)
    app = OAuthDanceApp(store, args.provider)
    try:
        asyncio.run(run_until_signal(app))
    finally:
        store.flush()
        # Said on screen too; repeated where it stays once the screen is gone.
        with contextlib.suppress(OSError):  # a terminal hung up takes no more output
            for report in store.moved_aside:
                say(f"oauth-dance: {report}", file=sys.stderr)
    return app.return_code or 0


ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""Signals that end the wizard as ctrl+q does, with exit status 128 + the signal's number."""


async def run_until_signal(app: App[None]) -> None:
    """Run ``app``; SIGTERM and SIGHUP make it exit the normal way.

    Killed by their default action, the process would leave the terminal in raw
    mode, on the alternate screen, with mouse reporting on and the cursor
    hidden. Exiting the app restores all that, and the caller then flushes the
    saves under way.
    """
    import asyncio

    loop = asyncio.get_running_loop()
    for signum in ENDING_SIGNALS:
        loop.add_signal_handler(signum, app.exit, None, 128 + signum)
    # The loop removes its handlers when it closes: a signal after that ends the process.
    await app.run_async()


def main(argv: list[str] | None = None) -> int:
    """Run the command named on the command line; return the exit status."""
    command, args = split_command(sys.argv[1:] if argv is None else argv)
    if command == "token":
        from tui.cli_token import main as token_main

        return token_main(args)
    if command == "status":
        from tui.cli_status import main as status_main

        return status_main(args)
    if command == "demo-server":
        from tui.demo.cli import main as demo_main

        return demo_main(args)
    if command == "import-json":
        return import_json(args)
    if command == "serve":
        from tui.serve import serve

        return serve(args)
    return run_wizard(args)


if __name__ == "__main__":
    sys.exit(main())
