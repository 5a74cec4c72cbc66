"""The redirect listener's HTTP/1.1: one request's head read within limits, the answer written.

Only the request line and the headers are read, with a size limit and a read
timeout, so a stuck or hostile client cannot block the listener; the answer is
written with a write timeout, then the connection is half-closed and the
client's unread input discarded, up to a limit, so it closes first.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit

MAX_HEADER_BYTES = 8 * 1024
"""The most the request line plus headers may take; more gets a 431."""
READ_TIMEOUT = 10.0
"""Seconds a client has to send its request line and headers."""
WRITE_TIMEOUT = 10.0
"""Seconds to hand the answer to a client that does not read it."""
LINGER_TIMEOUT = 1.0
"""Seconds to wait for the client to close after the answer (graceful close)."""
LINGER_BYTES = 64 * 1024
"""The most unread input (e.g. a POST body) discarded before closing."""


REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    410: "Gone",
    431: "Request Header Fields Too Large",
}


class BadRequest(Exception):
    """The request cannot be read; answer with ``status``."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


async def read_request(reader: asyncio.StreamReader) -> tuple[str, str]:
    """Read the request line and skip the headers, within size and time limits."""
    total = 0
    lines: list[bytes] = []
    try:
        async with asyncio.timeout(READ_TIMEOUT):
            while True:
                line = await reader.readline()
                total += len(line)
                if total > MAX_HEADER_BYTES:
                    raise BadRequest(431)
                if not line.endswith(b"\n"):
                    raise BadRequest(400)  # EOF before the blank line
                if line in (b"\r\n", b"\n"):
                    if lines:
                        break
                    continue  # RFC 9112 §2.2: ignore a blank line before the request
                lines.append(line)
    except ValueError:  # a line longer than the stream's limit
        raise BadRequest(431) from None
    except TimeoutError:
        raise BadRequest(408) from None
    request_line = lines[0].decode("ascii", "replace").strip()
    parts = request_line.split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise BadRequest(400)
    method, target, _version = parts
    if not target.isprintable() or not target.isascii():
        raise BadRequest(400)
    return method, target


async def respond(
    writer: asyncio.StreamWriter,
    status: int,
    headers: tuple[tuple[str, str], ...],
    payload: bytes,
) -> None:
    head = [f"HTTP/1.1 {status} {REASONS[status]}", *(f"{k}: {v}" for k, v in headers)]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode("ascii") + payload)
    async with asyncio.timeout(WRITE_TIMEOUT):
        await writer.drain()


async def linger(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Half-close, then let the client close first (so unread input causes no reset)."""
    if writer.can_write_eof():
        writer.write_eof()
    discarded = 0
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(LINGER_TIMEOUT):
            while discarded < LINGER_BYTES:
                chunk = await reader.read(4096)
                if not chunk:
                    break
                discarded += len(chunk)


def answer_head(status: int, length: int) -> tuple[tuple[str, str], ...]:
    """The headers of an answer whose page is ``length`` bytes."""
    headers = (
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(length)),
        ("Connection", "close"),
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
        ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"),
    )
    return (*headers, ("Allow", "GET")) if status == 405 else headers


def split_target(target: str) -> tuple[str | None, str]:
    """(path, query) from an origin-form or absolute-form request target."""
    if target.startswith("/"):
        rest = target.partition("#")[0]
        path, _, query = rest.partition("?")
        return path, query
    if target.lower().startswith("http://"):
        parts = urlsplit(target)
        return parts.path or "/", parts.query
    return None, ""
