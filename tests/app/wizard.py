"""Helpers for the wizard's Pilot tests: a seeded app, started; the dance advanced by its
keys; a browser's part; waiting on conditions (never on the clock)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlencode

import httpx
import tomli_w
from textual import events
from textual.pilot import Pilot
from textual.worker import Worker, WorkerState

from tui.app import OAuthDanceApp
from tui.core.steps import Step
from tui.core.store import CredsStore
from tui.demo import DemoServer


class MovedClock:
    """A monotonic clock for a DemoServer (its tokens' lifetimes) that moves only when a
    test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


FAR_FUTURE = datetime(2286, 11, 20, tzinfo=UTC)
"""An access token's expiry that no test outlives (a date-time, as the file holds)."""


def free_port() -> int:
    """A port nobody listens on right now (bound to 127.0.0.1, port 0, then freed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(creds: Path, provider: str, **table: Any) -> None:
    """Write a credentials file with one provider table, as a user would have."""
    creds.parent.mkdir(parents=True, exist_ok=True)
    creds.write_text(tomli_w.dumps({"version": 1, provider: table}))
    creds.chmod(0o600)


def make_app(creds: Path, demo: DemoServer, provider: str = "demo") -> OAuthDanceApp:
    return OAuthDanceApp(CredsStore(creds), provider, demo=demo)


def dance_app(pilot: Pilot[Any]) -> OAuthDanceApp:
    """The wizard a Pilot drives, typed as such."""
    app = pilot.app
    assert isinstance(app, OAuthDanceApp)
    return app


class Wizard(NamedTuple):
    app: OAuthDanceApp
    pilot: Pilot[None]


WizardFactory = Callable[..., AbstractAsyncContextManager[Wizard]]
"""The ``wizard`` fixture's type: :func:`demo_wizard` with the test's creds and demo server."""


@asynccontextmanager
async def demo_wizard(
    creds: Path,
    demo: DemoServer,
    size: tuple[int, int] = (80, 24),
    notifications: bool = False,
    **table: Any,
) -> AsyncIterator[Wizard]:
    """The wizard on the demo provider, its settings complete (a redirect URI on a free
    port, and ``table``), started at ``size`` and settled: it shows Authorize.

    Also the ``wizard`` fixture (tests/conftest.py), with the test's creds and demo server.
    ``notifications``: toasts are shown (Pilot hides them unless asked).
    """
    seed(creds, "demo", **{"redirect_uri": f"http://127.0.0.1:{free_port()}/callback", **table})
    app = make_app(creds, demo)
    async with app.run_test(size=size, notifications=notifications) as pilot:
        await settle(pilot)
        yield Wizard(app, pilot)


DANCE_KEYS: dict[Step, tuple[str, ...]] = {
    Step.CREDENTIALS: ("1",),
    Step.AUTHORIZE: ("2",),
    Step.EXCHANGE: ("2", "g", "a", "3"),
    Step.PROFILE: ("2", "g", "a", "3", "s", "4"),
    Step.REFRESH: ("2", "g", "a", "3", "s", "5"),
    Step.CONSOLE: ("2", "g", "a", "3", "s", "6"),
    Step.REVOKE: ("2", "g", "a", "3", "s", "7"),
}
"""From a wizard with complete settings on the demo provider: the keys a person presses to
reach each step (``g`` plays the browser's part, ``a`` approves, ``s`` sends)."""


async def advance_to(pilot: Pilot[Any], step: Step) -> None:
    """Press the keys of the dance up to ``step`` (its request prepared, not sent)."""
    await press(pilot, *DANCE_KEYS[step])
    shown = getattr(pilot.app.screen, "STEP", None)
    assert shown is step, f"on {shown} instead of {step}"


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press each key as a person would, the app settled after each (see :func:`settle`)."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def settle(pilot: Pilot[Any], timeout: float = 10.0) -> None:
    """Wait until every worker but the redirect listener is done, and the screen caught up.

    The listener waits for a browser that may never come, by design. Woken by each
    worker's end, not by a clock; fails, naming the workers, after ``timeout`` seconds.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    await pilot.pause()
    while busy := [w for w in pilot.app.workers if w.group != "listener" and not w.is_finished]:
        left = deadline - loop.time()
        if left <= 0:
            raise AssertionError(f"timed out waiting for workers: {[w.name for w in busy]}")
        ends = [asyncio.ensure_future(worker_end(w)) for w in busy]
        await asyncio.wait(ends, timeout=left, return_when=asyncio.FIRST_COMPLETED)
        for end in ends:
            end.cancel()
        await pilot.pause()
    await pilot.pause()


async def worker_end(worker: Worker[Any]) -> None:
    """Return when ``worker`` is finished, however it ended."""
    if worker.state == WorkerState.PENDING:  # not started yet: look again soon
        await asyncio.sleep(0.001)
        return
    with contextlib.suppress(Exception):
        await worker.wait()


async def paste(pilot: Pilot[Any], text: str) -> None:
    """Paste ``text`` as a terminal does (a bracketed paste, to the focused widget)."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], object], what: str, timeout: float = 10.0
) -> None:
    """Let the app run until ``condition()`` holds; fail, naming ``what``, after ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause()
        await asyncio.sleep(0.01)


def made_up_redirect(app: OAuthDanceApp, code: str) -> str:
    """The redirect a browser would bring back for this attempt, with a ``code`` the
    provider never issued (``state`` and ``iss`` right, so the app takes it)."""
    state, provider = app.session.state, app.session.provider
    query = {"code": code, "state": state.state}
    if provider.issuer:
        query["iss"] = provider.issuer
    return f"{state.redirect_uri}?{urlencode(query)}"


def approve_in_browser(authorize_url: str, decision: str = "Approve") -> str:
    """Do what a person's browser does on the demo consent page; return the redirect URL."""
    with httpx.Client(trust_env=False) as browser:
        page = browser.get(authorize_url)
        assert page.status_code == 200, page.text
        request_id = re.search(r'name="request_id" value="([^"]+)"', page.text)
        assert request_id is not None
        answer = browser.post(
            str(httpx.URL(authorize_url).join("/authorize/decision")),
            data={"request_id": request_id.group(1), "decision": decision},
        )
        assert answer.status_code == 302, answer.text
        return answer.headers["location"]
