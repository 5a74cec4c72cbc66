"""Sending: the http-to-loopback rule, real network faults, Retry-After."""

from __future__ import annotations

import asyncio
import gzip
import socket
import ssl
import struct
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from tui.core.errors import InsecureTransportError
from tui.core.transport import (
    DECODE_SLICE,
    MAX_ANSWER_BYTES,
    check_transport,
    new_client,
    send,
    tls_context,
)
from tui.core.transport_errors import AnswerTooLargeError, NetworkError, describe_fault
from tui.core.transport_holds import retry_after

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


class Recorder:
    """A MockTransport handler that remembers every request that reached it."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.seen: list[httpx.Request] = []
        self.answer = answer or (lambda _r: httpx.Response(200, json={"ok": True}))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return self.answer(request)


# --- transport rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/api/token",
        "http://10.0.0.5:8080/token",
        "http://127.0.0.1.nip.io/token",
        "http://localhost:1234/x",
        "ftp://127.0.0.1/x",
        "file:///etc/passwd",
    ],
)
async def test_refused_before_anything_is_sent(url: str) -> None:
    with pytest.raises(InsecureTransportError):
        check_transport(httpx.URL(url))
    recorder = Recorder()
    async with new_client(httpx.MockTransport(recorder)) as client:
        with pytest.raises(InsecureTransportError):
            await send(client, httpx.Request("POST", url, data={"client_secret": "s"}))
    assert recorder.seen == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8888/api/token",
        "http://[::1]:9/x",
        "https://example.com/api/token",
    ],
)
async def test_allowed_urls_are_sent(url: str) -> None:
    check_transport(httpx.URL(url))
    recorder = Recorder()
    async with new_client(httpx.MockTransport(recorder)) as client:
        sent = await send(client, httpx.Request("GET", url))
    assert sent.response.status_code == 200
    assert sent.response.json() == {"ok": True}
    assert sent.elapsed >= 0
    assert len(recorder.seen) == 1


async def test_send_sends_the_very_request_and_never_follows_redirects() -> None:
    recorder = Recorder(
        lambda _r: httpx.Response(302, headers={"Location": "https://elsewhere.example/steal"})
    )
    request = httpx.Request("POST", "https://as.example/token", data={"code": "c"})
    async with new_client(httpx.MockTransport(recorder)) as client:
        sent = await send(client, request)
    assert sent.response.status_code == 302
    assert recorder.seen == [request]


def test_new_client_verifies_tls_and_has_timeouts() -> None:
    client = new_client()
    assert client.follow_redirects is False
    assert client.timeout.connect is not None and client.timeout.read is not None
    context = tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert tls_context() is context  # the CA bundle is loaded once, not for every request


# --- real faults on loopback sockets -------------------------------------------------


def closed_port() -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    sock.close()
    return port


@asynccontextmanager
async def server(
    handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], object],
) -> AsyncIterator[int]:
    srv = await asyncio.start_server(handler, "127.0.0.1", 0)  # type: ignore[arg-type]
    try:
        yield srv.sockets[0].getsockname()[1]
    finally:
        srv.close()


async def test_connection_refused() -> None:
    port = closed_port()
    async with new_client() as client:
        with pytest.raises(NetworkError) as info:
            await send(client, httpx.Request("GET", f"http://127.0.0.1:{port}/"))
    assert info.value.kind == "refused"
    assert info.value.maybe_sent is False
    said = info.value.message
    assert f"Connection refused by 127.0.0.1:{port}: nothing is listening" in said, said
    assert info.value.__cause__ is None


@pytest.mark.parametrize(
    ("url", "address"),
    [("https://as.example/token", "as.example:443"), ("http://[::1]:8080/", "[::1]:8080")],
)
def test_a_refused_connection_names_host_and_port(url: str, address: str) -> None:
    err = httpx.ConnectError("[Errno 111] Connection refused")
    assert f"refused by {address}:" in describe_fault(err, httpx.URL(url)).message


async def test_connection_reset() -> None:
    async def reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        await reader.read(1)
        writer.transport.abort()

    async with server(reset) as port, new_client() as client:
        with pytest.raises(NetworkError) as info:
            await send(
                client,
                httpx.Request("POST", f"http://127.0.0.1:{port}/t", data={"code": "c"}),
            )
    assert info.value.kind in ("reset", "protocol")
    assert info.value.maybe_sent is True


async def test_server_closes_without_answering() -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1)
        writer.close()

    async with server(hang_up) as port, new_client() as client:
        with pytest.raises(NetworkError) as info:
            await send(client, httpx.Request("GET", f"http://127.0.0.1:{port}/"))
    assert info.value.kind == "protocol"
    assert info.value.maybe_sent is True


async def test_read_timeout() -> None:
    done = asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1)
        await done.wait()
        writer.close()

    async with server(silent) as port:
        client = httpx.AsyncClient(timeout=httpx.Timeout(0.3), follow_redirects=False)
        async with client:
            with pytest.raises(NetworkError) as info:
                await send(client, httpx.Request("GET", f"http://127.0.0.1:{port}/"))
        done.set()
    assert info.value.kind == "read-timeout"
    assert info.value.maybe_sent is True
    assert "127.0.0.1" in info.value.message


async def test_html_error_page_is_an_answer_not_a_fault() -> None:
    async def bad_gateway(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        body = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
        writer.write(
            b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)
        )
        await writer.drain()
        writer.close()

    async with server(bad_gateway) as port, new_client() as client:
        sent = await send(client, httpx.Request("GET", f"http://127.0.0.1:{port}/"))
    assert sent.response.status_code == 502
    assert b"Bad Gateway" in sent.response.content


# --- size limit --------------------------------------------------------------------


def gzipped(body: bytes, **headers: str) -> httpx.MockTransport:
    """A server answering every request with ``body`` gzip-compressed, as sent on the wire."""
    wire = gzip.compress(body, compresslevel=9)
    head = {
        "content-encoding": "gzip",
        "content-type": "application/json",
        "content-length": str(len(wire)),
        **headers,
    }
    # A stream, not content=: a Response made with content= decompresses it at once.
    return httpx.MockTransport(
        lambda _r: httpx.Response(200, headers=head, stream=httpx.ByteStream(wire))
    )


async def test_a_compressed_answer_is_kept_decompressed_with_the_headers_that_came() -> None:
    body = b'{"access_token": "at", "filler": "' + b"x" * 100_000 + b'"}'
    async with new_client(gzipped(body, **{"x-trace": "t-1"})) as client:
        sent = await send(client, httpx.Request("POST", "https://as.example/token"))
    assert sent.response.content == body
    assert sent.response.json()["access_token"] == "at"
    assert sent.response.headers["content-encoding"] == "gzip"
    assert sent.response.headers["x-trace"] == "t-1"
    assert int(sent.response.headers["content-length"]) < len(body), "the wire's length"


async def test_an_answer_of_exactly_the_limit_is_read() -> None:
    body = b"x" * MAX_ANSWER_BYTES
    answer = httpx.MockTransport(lambda _r: httpx.Response(200, content=body))
    async with new_client(answer) as client:
        sent = await send(client, httpx.Request("GET", "https://as.example/me"))
    assert sent.response.content == body


async def test_a_decompression_bomb_is_stopped_a_slice_past_the_limit() -> None:
    # 256 MiB of zeros in about 250 KiB: decompressed whole it would take 256 MiB.
    async with new_client(gzipped(b"\0" * (256 * 1024 * 1024))) as client:
        with pytest.raises(AnswerTooLargeError) as info:
            await send(client, httpx.Request("GET", "https://as.example/me"))
    # gzip expands at most ~1032 times, so one slice adds at most that much.
    assert MAX_ANSWER_BYTES < info.value.received <= MAX_ANSWER_BYTES + 1032 * DECODE_SLICE
    assert "HTTP 200 OK · application/json" in info.value.message
    assert "bytes before decompression" in info.value.message
    assert "only whitespace and control characters: \\x00\\x00" in info.value.message


async def test_the_start_of_a_cut_answer_is_masked() -> None:
    secret = "client-secret-0123456789"
    body = b'{"id_token": "eyJ' + b"A" * MAX_ANSWER_BYTES
    answer = httpx.MockTransport(lambda _r: httpx.Response(200, content=body))
    request = httpx.Request("POST", "https://as.example/token", data={"client_secret": secret})
    async with new_client(answer) as client:
        with pytest.raises(AnswerTooLargeError) as info:
            await send(client, request)
    assert 'It starts: {"id_token": "••••••••' in info.value.message
    assert "eyJ" not in info.value.message


@pytest.mark.parametrize(
    ("err", "kind", "maybe_sent"),
    [
        (httpx.ConnectTimeout("timed out"), "connect-timeout", False),
        (httpx.ReadTimeout("timed out"), "read-timeout", True),
        (httpx.WriteTimeout("timed out"), "timeout", False),
        (httpx.ConnectError("[Errno 111] Connection refused"), "refused", False),
        (httpx.ConnectError("[Errno -2] Name or service not known"), "dns", False),
        (
            httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
            "tls",
            False,
        ),
        (httpx.RemoteProtocolError("Server disconnected"), "protocol", True),
        (httpx.ReadError("[Errno 104] Connection reset by peer"), "reset", True),
    ],
)
def test_describe_fault_wording(err: httpx.HTTPError, kind: str, maybe_sent: bool) -> None:
    fault = describe_fault(err, httpx.URL("https://as.example/token"))
    assert fault.kind == kind
    assert fault.maybe_sent is maybe_sent
    assert "as.example" in fault.message


# --- Retry-After -----------------------------------------------------------------------


def with_retry_after(value: str | None) -> httpx.Response:
    if value is None:
        return httpx.Response(429)
    # Raw latin-1 bytes, as a server may send them (e.g. "²", a digit to str.isdigit).
    return httpx.Response(429, headers=[(b"Retry-After", value.encode("latin-1"))])


def test_retry_after_seconds() -> None:
    assert retry_after(with_retry_after("120")) == 120.0
    assert retry_after(with_retry_after(" 0 ")) == 0.0


def test_retry_after_http_date() -> None:
    later = format_datetime(NOW + timedelta(seconds=90), usegmt=True)
    assert retry_after(with_retry_after(later), now=NOW) == 90.0
    earlier = format_datetime(NOW - timedelta(minutes=5), usegmt=True)
    assert retry_after(with_retry_after(earlier), now=NOW) == 0.0


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5", "²", "Mon, 99 Foo 2026"])
def test_retry_after_unusable(value: str | None) -> None:
    assert retry_after(with_retry_after(value)) is None
