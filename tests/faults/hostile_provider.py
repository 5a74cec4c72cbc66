"""A provider that does every hostile thing at once, served from a thread for pty tests.

Each endpoint answers its calls in turn from a script, one hostile behaviour
per call, and the last one again when the script runs out. Its metadata,
token and profile answers carry OSC 52 (set the clipboard) and ``ESC [2J``
(clear the screen), echo the secrets they were sent, nest JSON too deep for
a parser that recurses, never end, bomb the decompressor, or hold a token no
real server issues.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from tests.faults import badserver
from tests.faults.badserver import Behaviour, Conversation, response_bytes

OSC52 = "\x1b]52;c;cHduZWQ=\x07"
"""Set the clipboard to "pwned"."""
CLEAR = "\x1b[2J"
"""Clear the screen."""
DEEP = b"[" * 100_000 + b"]" * 100_000
"""Nested 100,000 levels: ``json.loads`` raises RecursionError on it."""
ABSURD_TOKEN = "absurd-" + "z" * (512 * 1024)
"""Half a megabyte: an answer under the size limit, a token far over its own."""
PLAIN_TOKEN = "plain-text-access-token-0123456789"
"""The access token of a token answer sent as ``text/plain``."""


def hostile(marker: str) -> str:
    """OSC 52 and a screen clear, then ``marker``: what reaches the terminal raw is
    found by the marker right after the escape."""
    return f"{OSC52}{CLEAR}{marker}"


def json_answer(status: str, payload: object) -> bytes:
    body = json.dumps(payload).encode()
    return response_bytes(status, {"Content-Type": "application/json"}, body)


def deep_answer() -> bytes:
    return response_bytes("200 OK", {"Content-Type": "application/json"}, DEEP)


async def endless_answer(talk: Conversation) -> None:
    """A 200 with no length that never ends, starting like a token answer."""
    await talk.send(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
        b'{"round": "endless", "access_token": "'
    )
    await badserver.endless()(talk)


def gzip_bomb() -> bytes:
    """8 MiB of token answer in 8 KiB of gzip."""
    body = b'{"round": "bomb", "access_token": "' + b"A" * (8 * 1024 * 1024)
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    return response_bytes("200 OK", headers, gzip.compress(body, compresslevel=9))


def huge_answer() -> bytes:
    """50 MB of JSON, with its length said up front."""
    body = b'{"round": "huge", "filler": "' + b"x" * (50 * 1024 * 1024) + b'"}'
    return response_bytes("200 OK", {"Content-Type": "application/json"}, body)


@dataclass
class AllAtOnce:
    """The hostile provider at ``issuer`` (the server's own URL, known once it listens).

    Attributes:
        calls: how many requests each endpoint got so far.
        basic: every Basic credential it was sent (to look for in the output).
    """

    issuer: str = ""
    calls: dict[str, int] = field(default_factory=dict)
    basic: set[str] = field(default_factory=set)

    async def __call__(self, talk: Conversation) -> None:
        seen = talk.request
        auth = seen.headers.get("authorization", "")
        if auth.startswith("Basic "):
            self.basic.add(auth.split(" ", 1)[1])
        path = seen.path.split("?", 1)[0]
        turn = self.calls[path] = self.calls.get(path, 0) + 1
        if path == "/.well-known/oauth-authorization-server":
            await talk.send(deep_answer() if turn == 1 else self.metadata())
        elif path == "/.well-known/openid-configuration":
            await talk.send(json_answer("200 OK", {"issuer": hostile("WIPED-issuer")}))
        elif path == "/token":
            await self.token(talk, turn, auth)
        elif path == "/me":
            await self.profile(talk, turn, auth)
        else:
            await talk.send(json_answer("404 Not Found", {"error": hostile("WIPED-404")}))

    def metadata(self) -> bytes:
        """Usable metadata that promises ``iss`` (RFC 9207)."""
        return json_answer(
            "200 OK",
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/me",
                "authorization_response_iss_parameter_supported": True,
            },
        )

    async def token(self, talk: Conversation, turn: int, auth: str) -> None:
        """The code exchange: a refusal echoing its secrets, then each bad answer in turn."""
        if turn == 1:
            form = dict(parse_qsl(talk.request.body.decode(), keep_blank_values=True))
            said = (
                f"{hostile('WIPED-token')} client {auth}, code {form.get('code')}, "
                f"verifier {form.get('code_verifier')}"
            )
            refusal = {"error": f"invalid_grant{CLEAR}", "error_description": said}
            await talk.send(json_answer("400 Bad Request", refusal))
        elif turn == 2:
            await talk.send(deep_answer())
        elif turn == 3:
            await talk.send(gzip_bomb())
        elif turn == 4:
            await endless_answer(talk)
        elif turn == 5:
            answer = {"access_token": ABSURD_TOKEN, "token_type": hostile("WIPED-type")}
            await talk.send(json_answer("200 OK", answer))
        else:
            body = f"access_token={PLAIN_TOKEN}&token_type=bearer&round=plain"
            await talk.send(response_bytes("200 OK", {"Content-Type": "text/plain"}, body.encode()))

    async def profile(self, talk: Conversation, turn: int, auth: str) -> None:
        """A profile with escapes in its fields echoing the token, then too big, then too deep."""
        token = auth.removeprefix("Bearer ")
        if turn == 1:
            fields = {"name": hostile("WIPED-profile"), "echo": f"you sent {token}", "raw": token}
            await talk.send(json_answer("200 OK", fields))
        elif turn == 2:
            await talk.send(huge_answer())
        else:
            await talk.send(deep_answer())


@contextmanager
def serving(behaviour: Behaviour) -> Iterator[badserver.BadServer]:
    """A :class:`badserver.BadServer` on an event loop of its own, in a thread, for a test
    that is not async (the app it talks to runs in another process)."""
    server = badserver.BadServer(behaviour)
    loop = asyncio.new_event_loop()
    listening = threading.Event()
    stop = asyncio.Event()

    async def run() -> None:
        async with server:
            listening.set()
            await stop.wait()
        talks = asyncio.all_tasks() - {asyncio.current_task()}
        for task in talks:
            task.cancel()
        await asyncio.gather(*talks, return_exceptions=True)

    thread = threading.Thread(target=loop.run_until_complete, args=(run(),), daemon=True)
    thread.start()
    assert listening.wait(10), "the hostile server did not start"
    try:
        yield server
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()
