"""Limits on what comes in: nesting, URLs, body sizes, token lengths.

Each test is a failure a tester saw (a RecursionError, an httpx.InvalidURL
traceback, hundreds of megabytes, a 10 MB token saved), replayed against a
hostile server on loopback or a bad credentials file, in the wizard driven by
keys. The app must say what is wrong, keep running, and save nothing bad.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import tomllib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.app.wizard import seed, settle
from tests.faults import badserver
from tests.faults.badserver import BadServer
from tests.faults.faultapp import CODE, TOKEN, bad_app, panel_text, subtitle, toasts
from tui.app import OAuthDanceApp
from tui.core.errors import MAX_SERVER_TEXT
from tui.core.store import CredsStore
from tui.core.tokens import MAX_TOKEN_CHARS
from tui.core.transport import DECODE_SLICE, MAX_ANSWER_BYTES
from tui.core.transport_errors import AnswerTooLargeError
from tui.screens.authorize import AuthorizeScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.http_step import CODE_MAYBE_SPENT, RETRY

DEEP = b"[" * 100_000 + b"]" * 100_000
"""Nested 100,000 levels: ``json.loads`` raises RecursionError on it."""

DEEP_OBJECT = b'{"a":' * 100_000 + b"1" + b"}" * 100_000


def saved(creds: Path, name: str = "bad") -> dict[str, object]:
    return dict(tomllib.loads(creds.read_text())[name])


@asynccontextmanager
async def exchanged(
    creds: Path, behaviour: badserver.Behaviour
) -> AsyncIterator[tuple[OAuthDanceApp, Pilot[None], BadServer]]:
    """The wizard on a provider served by ``behaviour``, its code exchange sent (keys 3, s)."""
    async with BadServer(behaviour) as server:
        app = bad_app(creds, server.base_url)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("3", "s")
            await settle(pilot)
            yield app, pilot, server


# --- nesting -----------------------------------------------------------------------


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["array", "object"])
async def test_deep_token_answer_on_exchange(body: bytes, isolated_environment: Path) -> None:
    behaviour = badserver.answer("200 OK", body, content_type="application/json")
    async with exchanged(isolated_environment, behaviour) as (app, pilot, _server):
        assert subtitle(app).startswith("200 OK")
        assert "nested more than 64 levels deep" in panel_text(app)
        assert app.session.state.token == TOKEN, "nothing of it is taken"
        await pilot.press("4")  # the app still answers keys
        await settle(pilot)
    assert saved(isolated_environment)["token"] == TOKEN


async def test_deep_userinfo_answer_on_profile(isolated_environment: Path) -> None:
    behaviour = badserver.answer("200 OK", DEEP, content_type="application/json")
    async with BadServer(behaviour) as server:
        app = bad_app(isolated_environment, server.base_url)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("4", "s")
            await settle(pilot)
            assert "The profile is JSON nested more than 64 levels deep" in panel_text(app)
            # Back again: the answer is read again, and explained again.
            await pilot.press("5")
            await settle(pilot)
            await pilot.press("4")
            await settle(pilot)
            assert "nested more than 64 levels deep" in panel_text(app)


def custom(creds: Path, **table: str) -> OAuthDanceApp:
    seed(
        creds,
        "bad",
        client_id="fault-client",
        client_secret="fault-client-secret-0123456789",
        redirect_uri="http://127.0.0.1:9/callback",
        **table,
    )
    return OAuthDanceApp(CredsStore(creds), "bad")


async def test_deep_discovery_document_at_start(isolated_environment: Path) -> None:
    behaviour = badserver.answer("200 OK", DEEP, content_type="application/json")
    async with BadServer(behaviour) as server:
        app = custom(isolated_environment, issuer=server.base_url)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert len(server.seen) == 2, "both metadata locations were asked"
            assert isinstance(app.screen, CredentialsScreen)
            said = panel_text(app)  # a failed discovery stays in the error panel
            assert "Discovery failed" in said
            assert "The metadata is JSON nested more than 64 levels deep" in said
            assert app.session.provider.token_endpoint == ""


# --- URLs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("authorize_endpoint", "http://[::1/authorize", "is not a valid URL (Invalid port"),
        ("token_endpoint", "https://as.example/to\x07ken", "holds '\\x07'"),
        ("authorize_endpoint", "https://as.example/a uth", "holds ' '"),
        ("profile_endpoint", "ftp://as.example/me", "is not an https URL"),
        ("token_endpoint", "https:///token", "has no host"),
        ("authorize_endpoint", "https://as.example/a#frag", "has a #fragment"),
        ("authorize_endpoint", "https://as.example/" + "a" * 10_000, "the limit is 8,192"),
        ("issuer", "https://[bad", "has no valid host"),
    ],
    ids=["bad-ipv6", "bell", "space", "ftp", "no-host", "fragment", "too-long", "issuer"],
)
async def test_malformed_url_in_the_file_is_a_message_on_credentials(
    key: str, value: str, said: str, isolated_environment: Path
) -> None:
    table = {
        "authorize_endpoint": "https://as.example/authorize",
        "token_endpoint": "https://as.example/token",
    }
    if key == "issuer":
        table = {}
    app = custom(isolated_environment, **{**table, key: value})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        panel = panel_text(app)
        assert f"The {key} of provider 'bad' in the credentials file" in panel
        assert said in panel
        assert "\x07" not in panel
        assert app.session.provider.name == "demo", "the wizard stays usable"
        # Every start says it again, and nothing was overwritten.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
    assert saved(isolated_environment)[key] == value


async def test_discovered_endpoint_with_a_control_character(isolated_environment: Path) -> None:
    async with BadServer(badserver.silent) as server:
        metadata = {
            "issuer": server.base_url,
            "authorization_endpoint": f"{server.base_url}/auth\x01orize",
            "token_endpoint": f"{server.base_url}/token",
        }
        server.behaviour = badserver.answer(
            "200 OK", json.dumps(metadata).encode(), content_type="application/json"
        )
        app = custom(isolated_environment, issuer=server.base_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            said = panel_text(app)
            assert "Discovery failed" in said
            assert "authorization_endpoint" in said and "holds '\\x01'" in said
            assert "\x01" not in said
            await pilot.press("enter")  # Authorize stays closed without its endpoint
            await settle(pilot)
            assert isinstance(app.screen, CredentialsScreen)
            assert "Discovery failed" in panel_text(app)


# --- sizes -------------------------------------------------------------------------


async def wait_for(event: asyncio.Event) -> None:
    await asyncio.wait_for(event.wait(), 10)


def too_large(app: OAuthDanceApp) -> AnswerTooLargeError:
    error = app.session.history[-1].error
    assert isinstance(error, AnswerTooLargeError)
    return error


async def test_an_endless_token_answer_is_cut_at_the_limit(isolated_environment: Path) -> None:
    start = b'{"access_token": "' + CODE.encode() + b"-and-more"
    chunk = b"A" * 65536

    async def behaviour(talk: badserver.Conversation) -> None:
        await talk.send(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
            + start
        )
        await badserver.endless(chunk)(talk)

    async with exchanged(isolated_environment, behaviour) as (app, _pilot, server):
        await wait_for(server.disconnected)
        assert subtitle(app).startswith("Answer too large")
        error = too_large(app)
        assert MAX_ANSWER_BYTES < error.received <= MAX_ANSWER_BYTES + len(chunk)
        assert app.session.history[-1].response is None, "no body is kept"
        panel = panel_text(app)
        assert "more than the 1 MiB an answer may have" in panel
        assert f"Reading stopped after {error.received:,} bytes" in panel
        assert 'It starts: {"access_token": "••••••••' in panel
        assert RETRY in panel and CODE_MAYBE_SPENT in panel
        assert CODE not in panel and CODE not in " ".join(toasts(app))
        assert app.session.state.token == TOKEN
    # Reading stopped: what the server got out is the limit plus what the sockets buffer.
    assert server.sent < MAX_ANSWER_BYTES + 16 * 1024 * 1024
    assert saved(isolated_environment)["token"] == TOKEN


@pytest.mark.parametrize(
    ("body", "start"),
    [
        (b"\x00" * (64 * 1024 * 1024), "only whitespace and control characters: \\x00\\x00"),
        (b'{"access_token": "' + b"A" * (8 * 1024 * 1024), '{"access_token": "••••••••'),
    ],
    ids=["zeros", "token"],
)
async def test_a_gzip_bomb_is_cut_by_its_decompressed_size(
    body: bytes, start: str, isolated_environment: Path
) -> None:
    bomb = gzip.compress(body, compresslevel=9)
    assert len(bomb) < MAX_ANSWER_BYTES // 4
    behaviour = badserver.answer(
        "200 OK", bomb, content_type="application/json", content_encoding="gzip"
    )
    async with exchanged(isolated_environment, behaviour) as (app, _pilot, _server):
        error = too_large(app)
        assert error.received <= MAX_ANSWER_BYTES + 1032 * DECODE_SLICE, "a slice past it"
        panel = panel_text(app)
        assert "bytes before decompression" in panel
        assert start in panel
        assert "(empty body)" not in panel
        assert app.session.state.token == TOKEN


async def test_a_large_answer_with_a_length_is_refused(isolated_environment: Path) -> None:
    body = b'{"filler": "' + b"x" * (50 * 1024 * 1024) + b'"}'
    behaviour = badserver.answer("200 OK", body, content_type="application/json")
    async with BadServer(behaviour) as server:
        app = bad_app(isolated_environment, server.base_url)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("4", "s")
            await settle(pilot)
            await wait_for(server.disconnected)
            assert too_large(app).received > MAX_ANSWER_BYTES
            assert 'It starts: {"filler": "xxx' in panel_text(app)
    assert server.sent < len(body) // 2


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b" \r\n\t " * 20, "(100 characters, only whitespace: \\r\\n\\t"),
        (b"\x00\x01\x07\x1b\r\n", "only whitespace and control characters: \\x00\\x01\\x07"),
        (b"\x00\x01\x02\x1b[2J", "not JSON (Content-Type: text/plain): \\x00\\x01\\x02\\x1b[2J"),
    ],
    ids=["whitespace", "control", "control-and-text"],
)
async def test_a_body_with_nothing_visible_is_not_called_empty(
    body: bytes, said: str, isolated_environment: Path
) -> None:
    behaviour = badserver.answer("200 OK", body, content_type="text/plain")
    async with exchanged(isolated_environment, behaviour) as (app, _pilot, _server):
        panel = panel_text(app)
        assert f"{len(body):,} bytes" in panel
        assert said in panel
        assert "(empty body)" not in panel


# --- token lengths -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "size"),
    [
        ("access_token", MAX_TOKEN_CHARS + 1),
        ("refresh_token", 10 * MAX_TOKEN_CHARS),
        ("id_token", MAX_TOKEN_CHARS + 1),
        ("scope", 64 * 1024),
    ],
)
async def test_an_absurdly_long_token_or_scope_is_refused_and_not_saved(
    field: str, size: int, isolated_environment: Path
) -> None:
    answer = {"access_token": "new-access-token", "token_type": "Bearer", field: "x" * size}
    behaviour = badserver.answer(
        "200 OK", json.dumps(answer).encode(), content_type="application/json"
    )
    async with exchanged(isolated_environment, behaviour) as (app, _pilot, _server):
        assert f"The answer's {field} is {size:,} characters long" in panel_text(app)
        assert app.session.state.token == TOKEN
    table = saved(isolated_environment)
    assert table["token"] == TOKEN
    assert all(len(str(v)) < 1000 for v in table.values())


async def test_a_token_at_the_limit_is_taken(isolated_environment: Path) -> None:
    token = "t" * MAX_TOKEN_CHARS
    behaviour = badserver.answer(
        "200 OK",
        json.dumps({"access_token": token, "token_type": "Bearer"}).encode(),
        content_type="application/json",
    )
    async with exchanged(isolated_environment, behaviour) as (app, _pilot, _server):
        assert panel_text(app) == ""
    assert saved(isolated_environment)["token"] == token


async def test_a_megabyte_error_description_is_cut(isolated_environment: Path) -> None:
    refusal = {"error": "invalid_grant", "error_description": "Bad code. " * 100_000}
    behaviour = badserver.answer(
        "400 Bad Request", json.dumps(refusal).encode(), content_type="application/json"
    )
    async with exchanged(isolated_environment, behaviour) as (app, _pilot, _server):
        panel = panel_text(app)
        assert "invalid_grant: Bad code. Bad code." in panel
        # The server's text is cut to MAX_SERVER_TEXT; the rest is the panel's own
        # explanation (meaning, cause, fix, the way on), a few hundred characters.
        assert panel.count("Bad code.") <= MAX_SERVER_TEXT // len("Bad code. ") + 1
        assert len(panel) < 3 * MAX_SERVER_TEXT
        assert all(len(toast) < 2 * MAX_SERVER_TEXT for toast in toasts(app))
