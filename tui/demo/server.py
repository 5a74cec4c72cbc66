"""Run the demo provider with uvicorn in a background thread, on 127.0.0.1 only.

uvicorn, Starlette and oauthlib are imported in that thread, when the server
starts: the wizard binds the port first (so the base URL is known at once)
and starts serving after its first frame.
"""

from __future__ import annotations

import errno
import logging
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from tui.demo.config import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    LOOPBACK_HOST,
    PUBLIC_CLIENT_ID,
    DemoConfig,
    check_settings,
)

if TYPE_CHECKING:
    import uvicorn

    from tui.demo.store import Store

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "PUBLIC_CLIENT_ID",
    "DemoServer",
    "DemoServerError",
]

_START_TIMEOUT = 10.0
_STOP_TIMEOUT = 5.0


class DemoServerError(Exception):
    """The demo server could not start (e.g. its port is taken)."""


def _quiet_logging() -> None:
    """Keep tokens and secrets out of logs, and stray log lines out of the terminal UI.

    oauthlib's DEBUG records include codes and tokens: never let them through.
    A NullHandler on "uvicorn" stops Python's last-resort handler from writing
    uvicorn's warnings over a running Textual screen; an application that
    configures logging still receives them through propagation.
    """
    logging.getLogger("oauthlib").setLevel(logging.WARNING)
    uvicorn_logger = logging.getLogger("uvicorn")
    if not any(isinstance(h, logging.NullHandler) for h in uvicorn_logger.handlers):
        uvicorn_logger.addHandler(logging.NullHandler())


def _listen(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (bound here so that a busy port is a clear error)."""
    try:
        return socket.create_server((LOOPBACK_HOST, port), family=socket.AF_INET)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise DemoServerError(f"Port {port} on {LOOPBACK_HOST} is already in use.") from None
        if exc.errno == errno.EACCES:
            raise DemoServerError(
                f"Not allowed to listen on port {port} on {LOOPBACK_HOST}."
            ) from None
        raise DemoServerError(
            f"Cannot listen on {LOOPBACK_HOST}:{port}: {exc.strerror or exc}"
        ) from None


class DemoServer:
    """The embedded demo provider, served by uvicorn on 127.0.0.1 in a daemon thread.

    ``with DemoServer() as server: ...`` starts and stops it.
    """

    def __init__(
        self,
        *,
        port: int = 0,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        token_ttl: int = 3600,
        code_ttl: int = 60,
        rotate_refresh: bool = False,
        clock: Callable[[], float] = time.monotonic,
        slow_down_once: bool = False,
    ) -> None:
        """``clock`` tells the store's time (code and token lifetimes): tests pass a fake one.
        ``slow_down_once``: the device flow's first poll gets slow_down (RFC 8628 §3.5)."""
        check_settings(client_id, client_secret, token_ttl, code_ttl)
        if not 0 <= port <= 65535:
            raise ValueError(f"Port {port} is not between 0 and 65535.")
        self.port = port
        self.client_id = client_id
        self.client_secret = client_secret
        self.public_client_id = PUBLIC_CLIENT_ID
        self.token_ttl = token_ttl
        self.code_ttl = code_ttl
        self.rotate_refresh = rotate_refresh
        self.slow_down_once = slow_down_once
        self.clock = clock
        self.base_url = ""
        self.issuer = ""
        self.config: DemoConfig | None = None
        self.store: Store | None = None
        """The provider's memory (codes, grants, tokens) once it serves; tests read it."""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._stopping = False

    def __repr__(self) -> str:  # no secret in reprs (they end up in tracebacks and logs)
        return f"DemoServer(base_url={self.base_url!r}, client_id={self.client_id!r})"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def serving(self) -> bool:
        """Accepting connections: its web stack is loaded and listening."""
        return self.running and self._started()

    @property
    def metadata_url(self) -> str:
        return f"{self.base_url}/.well-known/oauth-authorization-server"

    @property
    def callback_url(self) -> str:
        return f"{self.base_url}/callback"

    @property
    def redirect_uris(self) -> tuple[str, ...]:
        return self.config.redirect_uris if self.config else ()

    @property
    def failure(self) -> BaseException | None:
        """Why the server thread ended, if it failed (after ``start(wait=False)``)."""
        return self._failure

    def listen(self) -> None:
        """Bind 127.0.0.1 now, so that ``base_url`` is known; ``start()`` serves later.

        Cheap (no import of the web stack). Connections made before the server
        runs wait in the socket's backlog.

        Raises:
            DemoServerError: the port is taken or not allowed.
        """
        if self._sock is not None or self._thread is not None:
            return
        self._sock = _listen(self.port)
        port = self._sock.getsockname()[1]
        self.base_url = self.issuer = f"http://{LOOPBACK_HOST}:{port}"
        self.config = DemoConfig(
            issuer=self.issuer,
            client_id=self.client_id,
            client_secret=self.client_secret,
            token_ttl=self.token_ttl,
            code_ttl=self.code_ttl,
            rotate_refresh=self.rotate_refresh,
            slow_down_once=self.slow_down_once,
        )

    def start(self, *, wait: bool = True) -> None:
        """Serve in a daemon thread, listening first unless ``listen()`` did.

        Args:
            wait: return once it accepts connections (else raise DemoServerError).
                Without waiting, return at once; a failure is kept in ``failure``.
        """
        if self._thread is not None:
            raise DemoServerError("The demo server is already running.")
        _quiet_logging()
        self.listen()
        assert self._sock is not None
        self._failure = None
        self._stopping = False
        thread = threading.Thread(
            target=self._serve, args=(self._sock,), name="oauth-dance-demo-server", daemon=True
        )
        self._thread = thread
        thread.start()
        if not wait:
            return
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._started() and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        if not self._started():
            self.stop()
            reason = f": {self._failure}" if self._failure else ""
            raise DemoServerError(f"The demo server did not start{reason}")

    def _started(self) -> bool:
        server = self._server
        return server is not None and bool(server.started)

    def _serve(self, sock: socket.socket) -> None:
        try:
            import uvicorn

            from tui.demo.app import create_app
            from tui.demo.provider import DemoProvider
            from tui.demo.store import Store

            assert self.config is not None
            self.store = Store(clock=self.clock)
            uv_config = uvicorn.Config(
                create_app(self.config, DemoProvider(self.config, self.store)),
                log_config=None,
                log_level="warning",
                access_log=False,
                lifespan="off",
                server_header=False,
                proxy_headers=False,
            )
            server = uvicorn.Server(uv_config)
            with self._lock:
                if self._stopping:
                    return
                self._server = server
            server.run(sockets=[sock])
        except BaseException as exc:  # kept for start() to report; no thread traceback
            self._failure = exc
        finally:
            sock.close()

    def stop(self) -> None:
        """Shut down gracefully and join the thread. Safe to call twice."""
        with self._lock:
            self._stopping = True
            server, thread, sock = self._server, self._thread, self._sock
        if thread is None:
            if sock is not None:  # listened, never served
                sock.close()
            self._sock = None
            return
        if server is not None:
            server.should_exit = True
        thread.join(_STOP_TIMEOUT)
        if thread.is_alive() and self._server is not None:
            self._server.should_exit = True
            self._server.force_exit = True
            thread.join(_STOP_TIMEOUT)
        self._server = None
        self._thread = None
        self._sock = None

    def __enter__(self) -> DemoServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
