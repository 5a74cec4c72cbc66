"""The loopback redirect listener (RFC 8252 §7.3).

After the user approves in a browser, the provider sends the browser to the
redirect URI, e.g. ``http://127.0.0.1:8888/callback?code=...&state=...``.
When that URI names a loopback address, a tiny HTTP server bound to that
address (and only that address) catches the request by itself: it answers the
browser with a short page and hands the full callback URL to the caller. With
a ``check`` (the session's :meth:`~tui.core.session.Session.check_callback`),
the page gives the very verdict the app will give: the one core check decides
both (state, issuer, error, the code itself).

It takes ONE callback and then stops listening. It reads only the request
line and the headers, with a size limit and a read timeout, so a stuck or
hostile client cannot block it (`tui.core.listener_http`). Where it listens
comes from `tui.core.listener_address`. Nothing here logs: the query holds
the code.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from tui.core.errors import DanceError, NotThisAttemptError, OAuthError
from tui.core.listener_address import ListenAddress
from tui.core.listener_http import (
    LINGER_TIMEOUT,
    MAX_HEADER_BYTES,
    REASONS,
    BadRequest,
    answer_head,
    linger,
    read_request,
    respond,
    split_target,
)
from tui.core.listener_text import bind_message, page
from tui.core.redirect_uri import is_loopback_host


class ListenerError(DanceError):
    """The loopback listener cannot catch the redirect."""

    title = "Listener not started"


@dataclass(frozen=True)
class ListenerAnswer:
    """The answer the listener gave the browser's redirect, for the history."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class CallbackListener:
    """A one-shot HTTP listener for the OAuth redirect on a loopback address.

    Use::

        listener = CallbackListener(address)
        await listener.start()        # ListenerError if the port is taken
        try:
            url = await listener.wait()
        finally:
            await listener.close()
    """

    def __init__(
        self,
        address: ListenAddress,
        page_title: str = "OAuth Dance",
        check: Callable[[str], object] | None = None,
        on_refused: Callable[[NotThisAttemptError], None] | None = None,
    ) -> None:
        self.address = address
        self.page_title = page_title
        self.check = check
        """The app's check of a callback URL, raising what the app would show. A
        NotThisAttemptError (another state, none, or another issuer's or none where the
        provider promised one: a possible mix-up) is refused and waiting goes on: a stale
        tab or a forged request must not use up the one callback. Any other verdict is
        handed on."""
        self.on_refused = on_refused
        """Told of each redirect refused as not this attempt's, so the app can say so."""
        self._server: asyncio.Server | None = None
        self._port: int | None = None
        self._url: str | None = None
        self._done = asyncio.Event()
        self._closed = False
        self._handlers: dict[asyncio.Task[Any], asyncio.StreamWriter] = {}
        self._catcher: asyncio.Task[Any] | None = None
        """The handler of the redirect handed on."""
        self.answer: ListenerAnswer | None = None
        """What the redirect handed on was answered with, once it has been."""

    # -- public API ---------------------------------------------------------

    @property
    def bound_port(self) -> int:
        """The port actually bound (the OS's pick when the address says 0)."""
        if self._port is None:
            raise ListenerError("The redirect listener has not been started.")
        return self._port

    async def start(self) -> None:
        """Bind the loopback address and start listening.

        Raises:
            ListenerError: the port is taken, privileged, or the address is
                not available; the message says what to do instead.
        """
        if self._closed:
            raise ListenerError("The redirect listener was closed; start a new one.")
        if self._server is not None:
            return
        host, port = self.address.host, self.address.port
        if not is_loopback_host(host):
            raise ListenerError(
                f"{host} is not a loopback address, so the listener will not bind it. "
                "Paste the code or the redirect URL instead."
            )
        try:
            server = await asyncio.start_server(
                self._handle, host=host, port=port, limit=MAX_HEADER_BYTES
            )
        except OSError as err:
            raise ListenerError(bind_message(err, host, port)) from None
        self._server = server
        self._port = int(server.sockets[0].getsockname()[1])

    async def wait(self) -> str:
        """Wait for the callback and return its full URL as received.

        Returns e.g. ``http://127.0.0.1:8888/callback?code=...&state=...``;
        the caller checks it (state, issuer, error).

        Raises:
            ListenerError: not started, or closed before the redirect came.
        """
        if self._server is None and not self._closed:
            raise ListenerError("The redirect listener has not been started.")
        await self._done.wait()
        if self._url is None:
            raise ListenerError("The redirect listener was closed before the redirect arrived.")
        return self._url

    async def close(self) -> None:
        """Stop listening and drop any connection still open. Idempotent."""
        self._closed = True
        self._done.set()
        server, self._server = self._server, None
        if server is not None:
            server.close()
        me = asyncio.current_task()
        handlers = {task: writer for task, writer in self._handlers.items() if task is not me}
        for writer in handlers.values():
            writer.transport.abort()  # the handler's read or write fails, and it returns
        if handlers:
            _done, pending = await asyncio.wait(handlers, timeout=LINGER_TIMEOUT)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        if server is not None:
            await server.wait_closed()

    @property
    def sockets(self) -> tuple[tuple[str, int], ...]:
        """The (host, port) of each listening socket; empty once closed."""
        if self._server is None:
            return ()
        return tuple(
            (str(sock.getsockname()[0]), int(sock.getsockname()[1]))
            for sock in self._server.sockets
        )

    # -- connection handling ------------------------------------------------

    def _stop_listening(self) -> None:
        """Close the listening socket(s); connections in progress finish."""
        if self._server is not None:
            self._server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers[task] = writer
        try:
            status, body = await self._answer(reader)
            payload = body.encode("utf-8")
            headers = answer_head(status, len(payload))
            if task is not None and task is self._catcher:
                self.answer = ListenerAnswer(status, headers, payload)
            await respond(writer, status, headers, payload)
            await linger(reader, writer)
        except Exception:
            pass  # the client went away, or sent junk: nothing to tell, nothing to log
        finally:
            if self._url is not None:
                self._done.set()
            writer.close()
            with contextlib.suppress(OSError, TimeoutError):
                async with asyncio.timeout(LINGER_TIMEOUT):
                    await writer.wait_closed()
            if task is not None:
                self._handlers.pop(task, None)

    async def _answer(self, reader: asyncio.StreamReader) -> tuple[int, str]:
        """Read one request and decide the answer: (status, page body)."""
        try:
            method, target = await read_request(reader)
        except BadRequest as bad:
            return bad.status, page(self.page_title, REASONS[bad.status], "")
        if method != "GET":
            return 405, page(self.page_title, "Method not allowed", "Only GET is answered here.")
        path, query = split_target(target)
        if path is None:
            return 400, page(self.page_title, "Bad request", "")
        params = dict(parse_qsl(query))
        if path != self.address.path or not ("code" in params or "error" in params):
            return 404, page(
                self.page_title,
                "Not found",
                "This address only waits for the OAuth redirect.",
            )
        if self._url is not None or self._closed:
            return 410, page(
                self.page_title,
                "Already received",
                "The redirect was already caught. You can close this tab.",
            )
        url = f"http://{self.address.url_host}:{self.bound_port}{path}?{query}"
        refusal = self._refusal(url, params)
        if isinstance(refusal, NotThisAttemptError):
            if self.on_refused is not None:
                self.on_refused(refusal)
            return 400, page(
                self.page_title,
                "Not this attempt",
                f"{refusal.title}. {refusal.message} This redirect was ignored: the "
                "attempt goes on, and the terminal still waits for its redirect.",
            )
        self._url = url
        self._catcher = asyncio.current_task()
        self._stop_listening()
        if isinstance(refusal, OAuthError):
            return 200, page(
                self.page_title,
                "Authorization refused",
                f"The provider answered {refusal.message[:300]}. "
                "Go back to the terminal to see what it means.",
            )
        if refusal is not None:
            return 400, page(
                self.page_title,
                refusal.title,
                f"{refusal.message} The terminal shows the same.",
            )
        return 200, page(
            self.page_title,
            "Authorization received",
            "Authorization received. You can close this tab and go back to the terminal.",
        )

    def _refusal(self, url: str, params: dict[str, str]) -> DanceError | None:
        """What the check says against this callback (None: accepted)."""
        if self.check is None:
            if "error" in params:
                return OAuthError(params["error"], params.get("error_description"))
            return None
        try:
            self.check(url)
        except DanceError as err:
            return err
        return None
