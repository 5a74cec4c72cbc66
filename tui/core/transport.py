"""Sending a request: transport rules, and every network fault as a clear error.

Rules (RFC 9700, RFC 8252): TLS is always verified; plain ``http://`` only to
a loopback address; redirects are never followed, since a token endpoint
that redirects is misconfigured and following it could carry the code or the
client secret elsewhere.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from tui.core.errors import DanceError, InsecureTransportError
from tui.core.redirect_uri import is_loopback_host

TIMEOUT = httpx.Timeout(15.0, connect=5.0)


class NetworkError(DanceError):
    """The request did not get an HTTP answer.

    Attributes:
        kind: a short name of the fault ("refused", "read-timeout", ...).
        maybe_sent: the server may have received and acted on the request,
            which matters for a single-use code.
    """

    title = "Network problem"

    def __init__(self, kind: str, message: str, maybe_sent: bool = False) -> None:
        super().__init__(message)
        self.kind = kind
        self.maybe_sent = maybe_sent


@dataclass(frozen=True)
class Sent:
    """A response and how long the server and network took to give it."""

    response: httpx.Response
    elapsed: float


def new_client(transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """The client every step sends with: verified TLS, no redirects, timeouts set.

    Proxy settings from the environment apply, except to loopback.
    """
    return httpx.AsyncClient(
        transport=transport,
        timeout=TIMEOUT,
        follow_redirects=False,
        verify=True,
        mounts={"all://127.0.0.1": None, "all://[::1]": None, "all://localhost": None},
    )


def check_transport(url: httpx.URL) -> None:
    """Refuse plain http to anything but loopback, before anything is sent.

    Raises:
        InsecureTransportError: the URL is http:// to a non-loopback host.
    """
    if url.scheme == "http" and not (is_loopback_host(url.host) or url.host == "localhost"):
        raise InsecureTransportError(
            f"Refusing to send to http://{url.host}: plain http would expose the secret "
            "and the tokens on the network. Use https, or a loopback address."
        )
    if url.scheme not in ("http", "https"):
        raise InsecureTransportError(f"Cannot send to a {url.scheme or 'relative'} URL: {url}.")


async def send(client: httpx.AsyncClient, request: httpx.Request) -> Sent:
    """Send ``request`` as it is, and read the whole answer.

    Raises:
        InsecureTransportError: refused before sending.
        NetworkError: no HTTP answer; the message says which fault.
    """
    check_transport(request.url)
    started = time.perf_counter()
    try:
        response = await client.send(request, follow_redirects=False)
        await response.aread()
    except httpx.HTTPError as err:
        raise describe_fault(err, request.url.host) from None
    return Sent(response, time.perf_counter() - started)


def describe_fault(err: httpx.HTTPError, host: str) -> NetworkError:
    """A NetworkError with its own wording for each kind of fault."""
    text = str(err)
    if isinstance(err, httpx.ConnectTimeout):
        return NetworkError("connect-timeout", f"Timed out connecting to {host}: no answer.")
    if isinstance(err, httpx.ReadTimeout):
        return NetworkError(
            "read-timeout",
            f"{host} accepted the request but sent no answer in time. The server may "
            "still have acted on it: a code sent this way may already be spent.",
            maybe_sent=True,
        )
    if isinstance(err, httpx.TimeoutException):
        return NetworkError("timeout", f"Timed out talking to {host}.")
    if isinstance(err, httpx.ConnectError):
        lowered = text.lower()
        if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
            return NetworkError(
                "tls",
                f"The TLS certificate of {host} did not verify, so nothing was sent. "
                "This tool never skips the check.",
            )
        if "refused" in lowered or _caused_by(err, ConnectionRefusedError):
            return NetworkError(
                "refused", f"Connection refused by {host}: nothing is listening on that port."
            )
        if "name" in lowered or "resolution" in lowered or "getaddrinfo" in lowered:
            return NetworkError("dns", f"Cannot resolve the host name {host}.")
        return NetworkError("connect", f"Could not connect to {host}.")
    if isinstance(err, httpx.RemoteProtocolError):
        return NetworkError(
            "protocol",
            f"{host} broke the HTTP protocol (it closed the connection or sent "
            "something that is not HTTP). The request may have reached it.",
            maybe_sent=True,
        )
    if isinstance(err, httpx.ReadError | httpx.WriteError):
        return NetworkError(
            "reset",
            f"The connection to {host} was reset mid-exchange. The request may have reached it.",
            maybe_sent=True,
        )
    return NetworkError("other", f"The request to {host} failed: {type(err).__name__}.")


def _caused_by(err: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``kind`` is somewhere in ``err``'s chain of causes.

    httpx over anyio reports a refused connection as "All connection attempts
    failed"; the ConnectionRefusedError is only in the chain.
    """
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def retry_after(response: httpx.Response, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
