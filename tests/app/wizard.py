"""Helpers for the wizard's Pilot tests: a seeded app, a browser's part, waiting."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import tomli_w
from textual.pilot import Pilot

from tui.app import OAuthDanceApp
from tui.core.store import CredsStore
from tui.demo import DemoServer


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


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every worker but the redirect listener is done, and the screen caught up.

    The listener waits for a browser that may never come, by design.
    """
    await pilot.pause()
    for _ in range(200):
        busy = [w for w in pilot.app.workers if w.group != "listener" and not w.is_finished]
        if not busy:
            break
        await asyncio.sleep(0.05)
    await pilot.pause()


async def wait_until(
    pilot: Pilot[None], condition: Callable[[], object], what: str, timeout: float = 10.0
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
