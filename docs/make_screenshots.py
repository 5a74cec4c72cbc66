"""Make the documentation's screenshots with the app itself.

Drives the wizard with Textual's Pilot, pressing the keys a person would,
against the embedded demo provider (``tui.demo.DemoServer`` on a free
loopback port), and exports each screen as SVG. Nothing is drawn by hand,
so the pictures in the docs are what the app shows today.

    python docs/make_screenshots.py [OUTPUT_DIR]     (default: docs/images)

Ports, dates, tokens and timings differ from run to run; everything else is
the same. ``RUNS`` lists what each session of the wizard makes:
``tests/test_docs.py`` checks the docs against that list, and runs each
session once, into a temporary folder, to check that it makes exactly that,
that each image still reads as the committed one (as text, with the ports,
dates, tokens and timings evened out), and that the raw HTTP quoted in
docs/tutorial.md still has the shape the app sends.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
from textual.pilot import Pilot
from textual.widgets import Input

from tui.app import OAuthDanceApp
from tui.core.store import CredsStore
from tui.demo import DemoServer
from tui.widgets.exchange_viewer import ExchangeViewer

WIDE = (120, 40)
"""Wide enough for the "what is happening" panel, which opens from 110 columns."""
SMALL = (80, 24)
"""The smallest terminal the wizard is made for."""

DEFAULT_OUT = Path(__file__).resolve().parent / "images"
PREFERRED_PORT = 8888
"""The port of the default redirect URI; another free one when it is taken."""

# Documentation addresses (RFC 5737) for the SSH screenshots.
SSH_CONNECTION = "192.0.2.10 51234 198.51.100.20 22"
SSH_USER = "you"
_UNSTABLE_ENV = ("SSH_CONNECTION", "SSH_TTY", "DISPLAY", "WAYLAND_DISPLAY")


@dataclass
class Result:
    """What a run made: the screenshots, and the raw HTTP of each step (masked)."""

    out: Path
    images: list[str] = field(default_factory=list)
    transcripts: dict[str, tuple[str, str]] = field(default_factory=dict)
    """name -> (request, response), as the exchange viewer shows them."""


def free_port(preferred: int | None = None) -> int:
    """``preferred`` when nobody listens on it, else a port the OS picks."""
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError("no free port on 127.0.0.1")


def browser_decides(authorize_url: str, decision: str = "Approve") -> str:
    """Do what a browser does on the demo consent page; return where it is redirected."""
    with httpx.Client(trust_env=False) as browser:
        page = browser.get(authorize_url)
        page.raise_for_status()
        found = re.search(r'name="request_id" value="([^"]+)"', page.text)
        if found is None:
            raise RuntimeError("the demo consent page has no request_id")
        answer = browser.post(
            str(httpx.URL(authorize_url).join("/authorize/decision")),
            data={"request_id": found.group(1), "decision": decision},
        )
        return answer.headers["location"]


def with_state(url: str, state: str) -> str:
    """``url`` with its ``state`` query parameter replaced: a forged callback."""
    parts = urlsplit(url)
    query = [(k, state if k == "state" else v) for k, v in parse_qsl(parts.query)]
    return urlunsplit(parts._replace(query=urlencode(query)))


@contextmanager
def environment(**values: str | None) -> Iterator[None]:
    """Set (or, for None, remove) environment variables for the block."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class Driver:
    """One run of the wizard: keys in, screenshots and transcripts out."""

    def __init__(self, pilot: Pilot[None], result: Result) -> None:
        self.pilot = pilot
        self.result = result

    @property
    def app(self) -> OAuthDanceApp:
        app = self.pilot.app
        assert isinstance(app, OAuthDanceApp)
        return app

    async def settle(self) -> None:
        """Wait for every worker but the redirect listener, which waits for a browser."""
        await self.pilot.pause()
        for _ in range(400):
            busy = [w for w in self.app.workers if w.group != "listener" and not w.is_finished]
            if not busy:
                break
            await asyncio.sleep(0.025)
        await self.pilot.pause()

    async def press(self, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)
            await self.settle()

    async def type_into(self, selector: str, text: str) -> None:
        """Put ``text`` in an input, as pasting it would."""
        self.app.screen.query_one(selector, Input).value = text
        await self.settle()

    async def shoot(self, name: str) -> None:
        """Export the screen as ``name``.svg, without the passing toasts."""
        self.app.clear_notifications()
        await self.settle()
        svg = self.app.export_screenshot(title=f"OAuth Dance · {name}", simplify=True)
        (self.result.out / f"{name}.svg").write_text(svg, encoding="utf-8")
        self.result.images.append(f"{name}.svg")

    def record(self, name: str) -> None:
        """Keep the raw request and response the viewer shows, masked."""
        exchange = self.app.screen.query_one(ExchangeViewer).exchange
        assert exchange is not None, f"{name}: no exchange on screen"
        self.result.transcripts[name] = (
            exchange.request_view(),
            exchange.response_view(pretty=True),
        )

    def authorize_url(self) -> str:
        return str(self.app.session.authorization_request().url)


def new_app(folder: Path, demo: DemoServer) -> OAuthDanceApp:
    return OAuthDanceApp(CredsStore(folder / "creds.toml"), "demo", demo=demo)


class Later:
    """The time now, moved forward at will: the demo server's (monotonic) and the app's."""

    def __init__(self) -> None:
        self.skipped = 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.skipped

    def utc(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.skipped)

    def skip(self, seconds: float) -> None:
        self.skipped += seconds


async def the_dance(folder: Path, result: Result) -> None:
    """Every step on the demo provider, then a reused code."""
    redirect = f"http://127.0.0.1:{free_port(PREFERRED_PORT)}/callback"
    with DemoServer(port=0) as demo:
        app = new_app(folder, demo)
        async with app.run_test(size=WIDE) as pilot:
            run = Driver(pilot, result)
            await run.settle()
            await run.shoot("credentials")
            await run.press("e")
            await run.type_into("#redirect_uri", redirect)
            await run.shoot("credentials-form")

            await run.press("ctrl+s")
            await run.shoot("authorize-url")
            await run.press("f")
            await run.shoot("qr")
            await run.press("escape")

            await run.press("g")
            run.record("consent")
            await run.shoot("authorize")
            await run.press("a")
            run.record("decision")
            await run.shoot("authorize-code")

            await run.press("3")
            await run.shoot("exchange-prepared")
            await run.press("s")
            run.record("exchange")
            await run.shoot("exchange")

            await run.press("4", "s")
            run.record("profile")
            await run.shoot("profile")

            await run.press("5", "s")
            run.record("refresh")
            await run.shoot("refresh")

            await run.press("h")
            await run.shoot("history")
            await run.press("escape")

            # Break it: the same code a second time.
            await run.press("3", "s", "s")
            run.record("code-reuse")
            await run.shoot("code-reuse")


async def break_it(folder: Path, result: Result) -> None:
    """A forged state, then a redirect_uri changed between the two requests."""
    with DemoServer(port=0) as demo:
        app = new_app(folder, demo)
        async with app.run_test(size=WIDE) as pilot:
            run = Driver(pilot, result)
            await run.settle()
            await run.press("e")
            await run.type_into("#redirect_uri", f"http://127.0.0.1:{free_port()}/callback")
            await run.press("ctrl+s")

            callback = await asyncio.to_thread(browser_decides, run.authorize_url())
            state = app.session.state.state
            forged = with_state(callback, state[:-4] + ("AAAA" if state[-4:] != "AAAA" else "BBBB"))
            await run.press("p")
            await run.type_into("#paste", forged)
            await run.press("enter")
            assert not app.session.state.code, "a forged state must not give a code"
            await run.shoot("state-mismatch")

            await run.press("p")
            await run.type_into("#paste", callback)
            await run.press("enter")
            assert app.session.state.code

            await run.press("1", "e")
            await run.type_into("#redirect_uri", f"http://127.0.0.1:{free_port()}/callback")
            await run.press("ctrl+s", "3", "s")
            run.record("redirect-mismatch")
            await run.shoot("redirect-mismatch")


async def expiry_and_rotation(folder: Path, result: Result) -> None:
    """A provider whose tokens live two seconds and whose refresh tokens rotate."""
    later = Later()
    with DemoServer(port=0, token_ttl=2, rotate_refresh=True, clock=later.monotonic) as demo:
        app = new_app(folder, demo)
        async with app.run_test(size=WIDE) as pilot:
            run = Driver(pilot, result)
            await run.settle()
            app.session.clock = later.utc
            await run.press("e")
            await run.type_into("#redirect_uri", f"http://127.0.0.1:{free_port()}/callback")
            await run.press("ctrl+s", "g", "a", "3", "s")
            assert app.session.state.token
            later.skip(2.5)  # for the server and the app alike, without waiting
            await run.press("4", "s")
            run.record("expired")
            await run.shoot("token-expired")

            old_refresh = app.session.state.refresh
            await run.press("5", "s")
            run.record("rotated")
            await run.shoot("refresh-rotated")
            assert app.session.state.refresh != old_refresh, "the refresh token did not rotate"

            answer = await asyncio.to_thread(refresh_with, demo, old_refresh)
            assert answer.status_code == 400, answer.text
            assert answer.json()["error_description"] == "Refresh token revoked", answer.text
            await run.press("s", "s")
            run.record("rotation-reuse")


async def pushed(folder: Path, result: Result) -> None:
    """PAR on: the parameters pushed in a POST, the short URL, then its reuse refused."""
    with DemoServer(port=0) as demo:
        app = new_app(folder, demo)
        async with app.run_test(size=WIDE) as pilot:
            run = Driver(pilot, result)
            await run.settle()
            await run.press("e")
            await run.type_into("#redirect_uri", f"http://127.0.0.1:{free_port()}/callback")
            await run.press("ctrl+s", "u", "enter")
            assert app.session.state.request_uri, "the push gave no request_uri"
            run.record("par")
            await run.shoot("authorize-par")
            await run.press("g", "g")
            run.record("par-reuse")
            await run.shoot("par-reuse")


def refresh_with(demo: DemoServer, refresh_token: str) -> httpx.Response:
    """What an attacker holding an old refresh token would send."""
    with httpx.Client(trust_env=False) as client:
        return client.post(
            f"{demo.base_url}/api/token",
            auth=(demo.client_id, demo.client_secret),
            data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        )


async def over_ssh(folder: Path, result: Result) -> None:
    """80x24, as over SSH: the tunnel line, and the explanation panel toggled on."""
    redirect = f"http://127.0.0.1:{free_port(PREFERRED_PORT)}/callback"
    with environment(SSH_CONNECTION=SSH_CONNECTION, USER=SSH_USER), DemoServer(port=0) as demo:
        app = new_app(folder, demo)
        async with app.run_test(size=SMALL) as pilot:
            run = Driver(pilot, result)
            await run.settle()
            await run.press("e")
            await run.type_into("#redirect_uri", redirect)
            await run.press("ctrl+s")
            await run.shoot("ssh-authorize")
            await run.press("question_mark")
            await run.shoot("ssh-explain")


@dataclass(frozen=True)
class Run:
    """One session of the wizard, and what it makes: declared, so that the docs can be
    checked against it without running the app (tests/test_docs.py runs each run once
    to check that it makes exactly this)."""

    play: Callable[[Path, Result], Awaitable[None]]
    shots: tuple[str, ...]
    """The screenshots, ``<name>.svg``."""
    records: tuple[str, ...] = ()
    """The raw exchanges kept, by name, for docs/tutorial.md to quote."""


RUNS = {
    "the dance": Run(
        the_dance,
        (
            "credentials",
            "credentials-form",
            "authorize-url",
            "qr",
            "authorize",
            "authorize-code",
            "exchange-prepared",
            "exchange",
            "profile",
            "refresh",
            "history",
            "code-reuse",
        ),
        ("consent", "decision", "exchange", "profile", "refresh", "code-reuse"),
    ),
    "break it": Run(break_it, ("state-mismatch", "redirect-mismatch"), ("redirect-mismatch",)),
    "expiry and rotation": Run(
        expiry_and_rotation,
        ("token-expired", "refresh-rotated"),
        ("expired", "rotated", "rotation-reuse"),
    ),
    "pushed": Run(pushed, ("authorize-par", "par-reuse"), ("par", "par-reuse")),
    "over SSH": Run(over_ssh, ("ssh-authorize", "ssh-explain")),
}


async def make_run(name: str, out: Path) -> Result:
    """Make the screenshots of one run into ``out``; return what was made."""
    out.mkdir(parents=True, exist_ok=True)
    result = Result(out)
    # The developer's own session must not leak into the pictures.
    with (
        environment(**dict.fromkeys(_UNSTABLE_ENV)),
        tempfile.TemporaryDirectory(prefix="oauth-dance-shots-") as folder,
    ):
        await RUNS[name].play(Path(folder), result)
    return result


async def make_screenshots(out: Path) -> Result:
    """Make every screenshot into ``out``; return what was made."""
    result = Result(out)
    for name in RUNS:
        made = await make_run(name, out)
        result.images += made.images
        result.transcripts.update(made.transcripts)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "out", nargs="?", type=Path, default=DEFAULT_OUT, help=f"default: {DEFAULT_OUT}"
    )
    args = parser.parse_args(argv)
    result = asyncio.run(make_screenshots(args.out))
    for name in result.images:
        print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
