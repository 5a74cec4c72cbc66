"""A misbehaving HTTP server on loopback, for fault tests: every answer is scripted.

It runs in the test's own event loop (the one ``App.run_test`` drives), on
127.0.0.1 with port 0, and only for the length of an ``async with``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType


@dataclass
class Seen:
    """One request that reached the server."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Behaviour = Callable[["Conversation"], Awaitable[None]]


@dataclass
class Conversation:
    """One connection: the request read, and the means to answer (or not)."""

    request: Seen
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    server: BadServer

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()
        self.server.sent += len(data)


@dataclass
class BadServer:
    """Answers every request with ``behaviour``; records what reached it."""

    behaviour: Behaviour
    tls: ssl.SSLContext | None = None
    seen: list[Seen] = field(default_factory=list)
    sent: int = 0
    """Bytes written to clients and drained into their sockets, all answers together."""
    received: asyncio.Event = field(default_factory=asyncio.Event)
    disconnected: asyncio.Event = field(default_factory=asyncio.Event)
    closing: asyncio.Event = field(default_factory=asyncio.Event)
    base_url: str = ""
    _server: asyncio.Server | None = None

    async def __aenter__(self) -> BadServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls)
        port = self._server.sockets[0].getsockname()[1]
        self.base_url = f"{'https' if self.tls else 'http'}://127.0.0.1:{port}"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.closing.set()
        assert self._server is not None
        self._server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await _read_request(reader)
            self.seen.append(request)
            self.received.set()
            await self.behaviour(Conversation(request, reader, writer, self))
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            self.disconnected.set()
        finally:
            with contextlib.suppress(Exception):
                writer.close()


async def _read_request(reader: asyncio.StreamReader) -> Seen:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return Seen(method, path, headers, body)


def response_bytes(status: str, headers: dict[str, str], body: bytes) -> bytes:
    head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Connection: close"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def answer(status: str, body: bytes = b"", **headers: str) -> Behaviour:
    """A whole, well-formed answer (``content_type="..."`` becomes Content-Type)."""
    named = {name.replace("_", "-").title(): value for name, value in headers.items()}

    async def behave(talk: Conversation) -> None:
        await talk.send(response_bytes(status, named, body))

    return behave


async def reset(talk: Conversation) -> None:
    """Close with a TCP RST once the request is in: "connection reset by peer"."""
    sock = talk.writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    talk.writer.transport.abort()


async def not_http(talk: Conversation) -> None:
    """Answer with something that is not HTTP at all."""
    await talk.send(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")


async def silent(talk: Conversation) -> None:
    """Take the request and never answer, until the test ends."""
    await talk.server.closing.wait()


def drip(total: int = 1000, every: float = 1.0) -> Behaviour:
    """A 200 whose body comes one byte per ``every`` seconds; notices the client leaving."""

    async def behave(talk: Conversation) -> None:
        await talk.send(
            f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            f"Content-Length: {total}\r\n\r\n".encode()
        )
        for _ in range(total):
            await talk.send(b" ")
            try:
                # Reading doubles as the pause, and sees the client hang up.
                if await asyncio.wait_for(talk.reader.read(1), every) == b"":
                    talk.server.disconnected.set()
                    return
            except TimeoutError:
                continue

    return behave


def endless(chunk: bytes = b"A" * 65536, content_type: str = "application/json") -> Behaviour:
    """A 200 with no length whose body never ends; stops when the client hangs up."""

    async def behave(talk: Conversation) -> None:
        await talk.send(
            f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nConnection: close\r\n\r\n".encode()
        )
        while not talk.server.closing.is_set():
            await talk.send(chunk)

    return behave
