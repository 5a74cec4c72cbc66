"""``oauth-dance serve``: the wizard in a web browser, through textual-serve.

Each browser tab that opens the page gets a wizard process of its own, started
with the options ``serve`` was given. The server (tui/wizard_server.py) and
textual-serve are imported only when ``serve`` runs.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import signal
import sys

from tui.cli_options import add_global_options, creds_file, wizard_command
from tui.cli_text import SafeArgumentParser, say

DEFAULT_PORT = 8000
TITLE = "OAuth Dance"


def serve_parser() -> argparse.ArgumentParser:
    parser = SafeArgumentParser(
        prog="oauth-dance serve",
        description="Run the wizard in a web browser: every tab that opens the page "
        "gets a wizard of its own, on this machine.",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1: this machine only)",
    )
    parser.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        help=f"the port to listen on (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--public-url",
        type=public_url,
        metavar="URL",
        help="the address browsers reach the server by, when it is not "
        "http://HOST:PORT (a proxy, or another host name)",
    )
    add_global_options(
        parser, provider_help="the provider each wizard starts on (as for oauth-dance)"
    )
    return parser


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535: the page names the port, so it must be known before binding."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 1 to 65535, not {port}")
    return port


def public_url(text: str) -> str:
    """An http(s) URL without the trailing slash (textual-serve appends its paths to it)."""
    if not text.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"not an http:// or https:// URL: {text!r}")
    return text.rstrip("/")


WIZARD = (sys.executable, "-m", "tui")
"""The command textual-serve runs for each browser tab: this Python, this package (with
the same options: ``cli_options.wizard_command``; nothing secret on it)."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only: decided before binding."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: whatever it resolves to may be public


def exposure_warning(host: str, port: int) -> str | None:
    """What to say before listening on ``host``, if it is not a loopback address."""
    if is_loopback(host):
        return None
    return (
        f"oauth-dance serve: warning: {host} is not a loopback address. Anyone who reaches "
        f"port {port} there gets a wizard running as you, with your credentials file and "
        "its secrets. Prefer 127.0.0.1 and an SSH tunnel (docs/classroom.md)."
    )


def serve(argv: list[str]) -> int:
    """``oauth-dance serve``: listen until ctrl+c, SIGTERM or SIGHUP; return the exit status."""
    parser = serve_parser()
    args = parser.parse_args(argv)
    creds_file(parser, args.creds)  # refused here, not by the wizard of every tab
    if warning := exposure_warning(args.host, args.port):
        say(warning, file=sys.stderr)
    from tui.wizard_server import WizardServer

    server = WizardServer(
        wizard_command(args.provider, args.creds, program=WIZARD),
        host=args.host,
        port=args.port,
        title=TITLE,
        public_url=args.public_url,
    )
    # The server runs on the loop set here; SIGINT and SIGTERM it handles itself.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.add_signal_handler(signal.SIGHUP, server.request_exit)
    try:
        server.serve()
    except OSError as err:
        say(
            f"oauth-dance serve: cannot listen on {args.host} port {args.port}: {err}",
            file=sys.stderr,
        )
        return 1
    return 0
