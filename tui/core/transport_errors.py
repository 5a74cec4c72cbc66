"""The network faults of sending a request, each as a `NetworkError` with a clear message.

`NetworkError` (no usable HTTP answer) and `AnswerTooLargeError` (an answer
past the size limit) are what `tui.core.transport.send` raises;
`describe_fault` words each of httpx's faults for the user.
"""

from __future__ import annotations

import ssl

import httpx

from tui.core.errors import DanceError
from tui.core.textsafe import clean


class NetworkError(DanceError):
    """The request did not get a usable HTTP answer: none at all, or one too large to read.

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


class AnswerTooLargeError(NetworkError):
    """The server's answer was larger than the limit: reading stopped there.

    The server answered, so it acted on the request (a code is spent).

    Attributes:
        received: bytes read (decompressed) when reading stopped.
        limit: the limit it passed.
    """

    title = "Answer too large"

    def __init__(self, message: str, received: int, limit: int) -> None:
        super().__init__("too-large", message, maybe_sent=True)
        self.received = received
        self.limit = limit


def describe_fault(err: httpx.HTTPError, url: httpx.URL) -> NetworkError:
    """A NetworkError with its own wording for each kind of fault at ``url``'s host."""
    host = url.host
    text = str(err)
    if isinstance(err, httpx.ConnectTimeout):
        return NetworkError("connect-timeout", f"Timed out connecting to {host}: no answer.")
    if isinstance(err, httpx.ReadTimeout):
        return NetworkError(
            "read-timeout",
            f"Read timeout: {host} accepted the request but sent no answer in time. "
            "The server may still have acted on it.",
            maybe_sent=True,
        )
    if isinstance(err, httpx.TimeoutException):
        return NetworkError("timeout", f"Timed out talking to {host}.")
    if isinstance(err, httpx.ConnectError):
        lowered = text.lower()
        if "certificate" in lowered or _caused_by(err, ssl.SSLCertVerificationError):
            return NetworkError(
                "tls",
                f"The TLS certificate of {host} did not verify{_why_unverified(err)}, so "
                "nothing was sent. This tool never skips the check: fix the server's "
                "certificate, or trust its CA with SSL_CERT_FILE.",
            )
        if "ssl" in lowered or "tls" in lowered or _caused_by(err, ssl.SSLError):
            return NetworkError(
                "tls", f"The TLS handshake with {host} failed, so nothing was sent."
            )
        if "refused" in lowered or _caused_by(err, ConnectionRefusedError):
            return NetworkError(
                "refused",
                f"Connection refused by {_address(url)}: nothing is listening on that port.",
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


def _address(url: httpx.URL) -> str:
    """``host:port``, the port said even when it is the scheme's default."""
    host = f"[{url.host}]" if ":" in url.host else url.host
    port = url.port or {"https": 443, "http": 80}.get(url.scheme)
    return f"{host}:{port}" if port else host


def _why_unverified(err: BaseException) -> str:
    """OpenSSL's short reason ("self-signed certificate", ...), when the chain has it."""
    current: BaseException | None = err
    for _ in range(8):
        if current is None:
            break
        if isinstance(current, ssl.SSLCertVerificationError) and current.verify_message:
            return f" ({clean(current.verify_message, keep_newlines=False)[:80]})"
        current = current.__cause__ or current.__context__
    return ""


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
