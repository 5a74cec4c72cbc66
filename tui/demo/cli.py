"""``oauth-dance demo-server``: run the demo provider in the foreground until Ctrl+C."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from tui.cli_text import SafeArgumentParser, say
from tui.core.scopes import DEMO_SCOPES
from tui.demo.config import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_STANDALONE_PORT,
    SECRET_ENV_VAR,
)
from tui.demo.server import DemoServer, DemoServerError

PROG = "oauth-dance demo-server"


def _parser() -> argparse.ArgumentParser:
    parser = SafeArgumentParser(
        prog=PROG,
        description="Run OAuth Dance's demo provider: a Spotify-compatible OAuth 2.0 "
        "authorization server on 127.0.0.1, until Ctrl+C.",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_STANDALONE_PORT,
        help=f"port on 127.0.0.1 (default {DEFAULT_STANDALONE_PORT}; 0 = any free port)",
    )
    parser.add_argument(
        "--client-id",
        default=DEFAULT_CLIENT_ID,
        help=f"the confidential client's id (default {DEFAULT_CLIENT_ID})",
    )
    parser.add_argument(
        "--client-secret",
        default=None,
        help=f"the confidential client's secret (default: ${SECRET_ENV_VAR}, "
        f"else {DEFAULT_CLIENT_SECRET}; prefer the variable: argv is visible to other users)",
    )
    parser.add_argument(
        "--token-ttl",
        type=int,
        default=3600,
        metavar="SECONDS",
        help="access token lifetime (default 3600)",
    )
    parser.add_argument(
        "--code-ttl",
        type=int,
        default=60,
        metavar="SECONDS",
        help="authorization code lifetime (default 60)",
    )
    parser.add_argument(
        "--rotate-refresh",
        action="store_true",
        help="issue a new refresh token on every refresh (the public client always rotates)",
    )
    return parser


def _banner(server: DemoServer) -> list[str]:
    """The lines said at start: each one line, whatever the options held."""
    base = server.base_url
    scopes = " ".join(scope.name for scope in DEMO_SCOPES)
    rotation = "rotate" if server.rotate_refresh else "are kept (the public client's rotate)"
    return [
        f"OAuth Dance demo server listening on {base}",
        f"  Metadata:   {server.metadata_url}",
        f"  Authorize:  {base}/authorize",
        f"  Token:      {base}/api/token",
        f"  Profile:    {base}/v1/me",
        f"  JWKS:       {base}/.well-known/jwks.json (ID tokens, with the openid scope)",
        "Confidential client (HTTP Basic or client_secret in the body):",
        f"  client_id:     {server.client_id}",
        f"  client_secret: {server.client_secret}",
        "Public client (PKCE S256, no secret):",
        f"  client_id:     {server.public_client_id}",
        "Registered redirect URIs (the loopback ones match any port):",
        *(f"    {uri}" for uri in server.redirect_uris),
        f"Scopes: {scopes}",
        f"Access tokens live {server.token_ttl} s, codes {server.code_ttl} s; refresh tokens "
        f"{rotation}.",
        "Press Ctrl+C to stop.",
    ]


class _StopFlag:
    """Set by SIGINT/SIGTERM; the main loop polls it (no KeyboardInterrupt, no traceback)."""

    def __init__(self) -> None:
        self.stop = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.stop = True


def _install(handler: _StopFlag) -> dict[int, Callable[[int, FrameType | None], Any] | int | None]:
    previous: dict[int, Callable[[int, FrameType | None], Any] | int | None] = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError):  # not the main thread: the caller handles signals
            previous[sig] = signal.signal(sig, handler)
    return previous


def main(argv: list[str]) -> int:
    """Run the demo server in the foreground; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    secret = args.client_secret or os.environ.get(SECRET_ENV_VAR) or DEFAULT_CLIENT_SECRET
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    logging.basicConfig(level=logging.WARNING, format=f"{PROG}: %(levelname)s: %(message)s")
    try:
        server = DemoServer(
            port=args.port,
            client_id=args.client_id,
            client_secret=secret,
            token_ttl=args.token_ttl,
            code_ttl=args.code_ttl,
            rotate_refresh=args.rotate_refresh,
        )
    except ValueError as exc:  # a value the server refuses: bad usage, as argparse's own
        parser.error(str(exc))
    flag = _StopFlag()
    previous = _install(flag)
    try:
        try:
            server.start()
        except DemoServerError as exc:
            say(f"{PROG}: {exc}", file=sys.stderr)
            return 1
        say(*_banner(server))
        while not flag.stop and server.running:
            time.sleep(0.2)
        server.stop()
        say("Stopped.")
        return 0
    finally:
        server.stop()
        for sig, old in previous.items():
            signal.signal(sig, old)
