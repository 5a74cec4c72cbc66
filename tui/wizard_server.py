"""textual-serve's server as ``oauth-dance serve`` runs it (imported only by that command).

textual-serve starts the wizard command once per browser tab, with Textual's web
driver named in ``TEXTUAL_DRIVER`` (which the app's driver choice leaves as it is).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import TYPE_CHECKING

from textual_serve.server import Server

from tui.cli_text import say
from tui.core.textsafe import clean

if TYPE_CHECKING:
    from aiohttp import web


class CleanFormatter(logging.Formatter):
    """Log lines (request lines, user agents...) with their control characters visible."""

    def format(self, record: logging.LogRecord) -> str:
        return clean(super().format(record))


class WizardServer(Server):
    """textual-serve's server, saying what it does in this program's words, and ending
    its wizards when it stops."""

    def __init__(self, command: str, host: str, port: int, title: str, public_url: str | None):
        super().__init__(command, host=host, port=port, title=title, public_url=public_url)
        self.sessions: set[asyncio.Task[object]] = set()
        """The tasks serving a browser tab each (its connection and its wizard)."""

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """A browser tab's wizard, run until the tab goes or the server stops."""
        session = asyncio.current_task()
        assert session is not None
        self.sessions.add(session)
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions.discard(session)

    async def on_shutdown(self, app: web.Application) -> None:
        """Cancelled, a session tells its wizard to quit, waits for it to end, and closes
        the tab's connection. Left alone, aiohttp would wait on each open tab (up to a
        minute) before stopping."""
        for session in self.sessions:
            session.cancel()

    async def on_startup(self, app: web.Application) -> None:
        """Said before the server binds its port (a failure to bind follows it)."""
        say(f"Starting the wizard's web server at {self.public_url} (ctrl+c stops it)")

    def initialize_logging(self) -> None:
        """Requests and errors on stderr, plain (textual-serve's own renders them with Rich)."""
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(CleanFormatter("%(message)s"))
        logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
