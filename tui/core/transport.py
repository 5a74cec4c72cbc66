"""Sending a request under the transport rules, and reading its answer within limits.

Rules (RFC 9700, RFC 8252): TLS is always verified; plain ``http://`` only to
a loopback address; redirects are never followed, since a token endpoint
that redirects is misconfigured and following it could carry the code or the
client secret elsewhere. The answer is read as a stream, within a deadline
and a size limit. Every network fault becomes a `NetworkError`
(`tui.core.transport_errors`); a server that asks us to wait is put on hold
(`tui.core.transport_holds`).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import ssl
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx

from tui.core.errors import InsecureTransportError
from tui.core.masking import RedactingFilter, mask_by_name, mask_text, secrets_in_request
from tui.core.rawhttp import body_excerpt
from tui.core.redirect_uri import is_loopback_host
from tui.core.sizes import size_text
from tui.core.textsafe import clean
from tui.core.transport_errors import AnswerTooLargeError, NetworkError, describe_fault

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
"""Per operation: connecting, and each read or write. Tests make it shorter."""

DEADLINE = 30.0
"""Seconds for a whole exchange. A server that sends one byte now and then never
trips the per-read timeout; this bounds it."""

MAX_ANSWER_BYTES = 1024 * 1024
"""The largest answer body read, counted after decompression. Token, metadata
and profile answers are a few kilobytes; an endless or decompression-bomb
answer is stopped here instead of filling memory."""

DECODE_SLICE = 1024
"""Compressed bytes handed to the decompressor at a time. gzip and deflate
expand at most about 1000 times, so one slice adds about 1 MiB past the limit
before the count sees it, where one network read (64 KiB) would add 64 MiB."""

_REDACTED_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


@dataclass(frozen=True)
class Sent:
    """A response and how long the server and network took to give it."""

    response: httpx.Response
    elapsed: float


def new_client(
    transport: httpx.AsyncBaseTransport | None = None, *, url: httpx.URL | str | None = None
) -> httpx.AsyncClient:
    """The client every step sends with: verified TLS, no redirects, timeouts set.

    Proxy settings from the environment apply, except to loopback. Given the
    ``url`` it is for (a client sends one request, or discovery's to one
    issuer), a client for plain http skips loading the CA bundle: see
    `tls_context_for`.
    """
    redact_library_logs()
    return httpx.AsyncClient(
        transport=transport,
        timeout=TIMEOUT,
        follow_redirects=False,
        verify=tls_context() if url is None else tls_context_for(url),
        mounts={"all://127.0.0.1": None, "all://[::1]": None},
    )


@functools.cache
def tls_context() -> ssl.SSLContext:
    """httpx's verifying TLS context (certifi, or ``SSL_CERT_FILE``/``SSL_CERT_DIR``), made once.

    Loading the CA bundle takes ~25 ms; every step's request gets a new client,
    so that cost was paid on each.
    """
    return httpx.create_ssl_context()


@functools.cache
def _trusting_nothing() -> ssl.SSLContext:
    """A TLS context that verifies, with no CA to verify against: every certificate fails."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def tls_context_for(url: httpx.URL | str) -> ssl.SSLContext:
    """The TLS context for a client that sends to ``url``.

    https gets `tls_context`. Plain http (only ever to loopback, see
    `check_transport`) does no TLS, so it gets a context that trusts no
    certificate: the demo dance then never loads the CA bundle, and should
    such a client ever meet TLS, it refuses rather than trust.
    """
    return _trusting_nothing() if httpx.URL(url).scheme == "http" else tls_context()


def check_transport(url: httpx.URL) -> None:
    """Refuse plain http to anything but loopback, before anything is sent.

    Raises:
        InsecureTransportError: the URL is http:// to a non-loopback host.
    """
    # "localhost" is a name, resolved like any other (RFC 8252 §8.3): only IP literals count.
    if url.scheme == "http" and not is_loopback_host(url.host):
        raise InsecureTransportError(
            f"Refusing to send to http://{url.host}: plain http would expose the secret "
            "and the tokens on the network. Use https, or a loopback address."
        )
    if url.scheme not in ("http", "https"):
        raise InsecureTransportError(f"Cannot send to a {url.scheme or 'relative'} URL: {url}.")


async def send(
    client: httpx.AsyncClient, request: httpx.Request, limit: int = MAX_ANSWER_BYTES
) -> Sent:
    """Send ``request`` as it is, and read the answer, at most ``limit`` bytes of it.

    Raises:
        InsecureTransportError: refused before sending.
        NetworkError: no HTTP answer; the message says which fault.
        AnswerTooLargeError: the body (decompressed) passed ``limit``.
    """
    check_transport(request.url)
    started = time.perf_counter()
    try:
        async with asyncio.timeout(DEADLINE):
            # Streamed, so the body is read (and decompressed) piece by piece, inside
            # the deadline, and reading stops at the limit.
            response = await client.send(request, follow_redirects=False, stream=True)
            try:
                body = await read_body(response, limit)
            finally:
                await response.aclose()
    except httpx.HTTPError as err:
        raise describe_fault(err, request.url) from None
    except TimeoutError:
        raise NetworkError(
            "too-slow",
            f"{request.url.host} did not finish its answer within {DEADLINE:g} s: it sends "
            "too slowly. The request may have reached it.",
            maybe_sent=True,
        ) from None
    return Sent(kept_response(response, body), time.perf_counter() - started)


async def read_body(response: httpx.Response, limit: int) -> bytes:
    """The streamed ``response``'s body, decompressed, refused once it passes ``limit``.

    The network stream is handed to httpx's decompressor in ``DECODE_SLICE`` pieces,
    so at most one slice's worth of decompressed data exists beyond the limit
    before it is dropped.

    Raises:
        AnswerTooLargeError: says how much arrived and how it starts.
    """
    response.stream = SlicedStream(response.stream)
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > limit:
            raise AnswerTooLargeError(too_large(response, bytes(body), limit), len(body), limit)
    return bytes(body)


class SlicedStream(httpx.AsyncByteStream):
    """A response's network stream in slices of ``DECODE_SLICE`` bytes, so the body is
    decompressed (and counted) a little at a time."""

    def __init__(self, stream: httpx.SyncByteStream | httpx.AsyncByteStream) -> None:
        assert isinstance(stream, httpx.AsyncByteStream)
        self.stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for data in self.stream:
            for at in range(0, len(data), DECODE_SLICE):
                yield data[at : at + DECODE_SLICE]

    async def aclose(self) -> None:
        await self.stream.aclose()


def too_large(response: httpx.Response, body: bytes, limit: int) -> str:
    """The message for an answer cut at ``limit``: status, sizes, and its start, masked."""
    wire = response.num_bytes_downloaded
    compressed = f", {wire:,} bytes before decompression" if wire < len(body) else ""
    start = body[:4096].decode("utf-8", errors="replace")
    start = mask_by_name(mask_text(start, secrets_in_request(response.request)))
    return (
        f"{describe_answer(response, size=len(body))}: more than the {size_text(limit)} "
        f"an answer may have. Reading stopped after {len(body):,} bytes{compressed}; "
        f"nothing of it was used. It starts: {body_excerpt(start)}"
    )


def kept_response(response: httpx.Response, body: bytes) -> httpx.Response:
    """A response holding the decompressed ``body``, with the headers that came.

    Made with the body but without the headers, so httpx does not decompress it a
    second time; the headers are the received ones, as in a response read whole.
    """
    kept = httpx.Response(
        response.status_code,
        content=body,
        request=response.request,
        extensions=response.extensions,
    )
    kept.headers = response.headers
    return kept


def describe_answer(response: httpx.Response, size: int | None = None) -> str:
    """One line about an answer: status, content type and size, e.g. for an error panel.

    ``size`` is the body's size when the response has not read it (a stream).
    """
    ctype = clean(response.headers.get("content-type", ""), keep_newlines=False)[:60]
    status = clean(f"{response.status_code} {response.reason_phrase}", keep_newlines=False)
    size = len(response.content) if size is None else size
    body = f"{size:,} bytes" if size else "empty body"
    return f"HTTP {status.strip()} · {ctype or 'no Content-Type'} · {body}"


def redact_library_logs() -> None:
    """Mask secrets in httpx's and httpcore's log records, however logging is set up.

    httpcore's DEBUG trace prints response headers, so a redirect's Location
    would show the code; httpx's INFO line prints each URL. A filter on the
    very loggers that emit them rewrites the records before any handler sees
    them. Idempotent.
    """
    for name in _REDACTED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
