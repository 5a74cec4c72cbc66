"""A provider that echoes secrets back: every one stays masked on every surface.

A hostile server on loopback puts the Basic credential, the code and the PKCE
verifier in its ``error_description``, the access token in a profile field
and in an API error, and answers a refresh with tokens as ``text/plain`` and
then form-encoded with an error status. Nothing is revealed with ``r``, so no
secret may show in any encoding: on any screen, in any toast (the app's
public ``Notify`` messages), in the curl copies, or in History.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pytest
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot

from tests.app.wizard import dance_app, settle
from tests.faults.badserver import BadServer, Conversation, response_bytes
from tests.faults.faultapp import (
    CLIENT_SECRET,
    CODE,
    REFRESH,
    TOKEN,
    VERIFIER,
    bad_app,
    panel_text,
    widget_texts,
)
from tests.screenshot import screen_text
from tests.test_leaks import assert_no_leak
from tui.core.masking import MASK
from tui.widgets.exchange_viewer import ExchangeViewer

PLAIN_TOKEN = "plain-access-token-0123456789"
PLAIN_REFRESH = "plain-refresh-token-0123456789"
FORM_TOKEN = "form-access-token-0123456789"


class Echoer:
    """The hostile provider: each endpoint answers with what it was sent."""

    def __init__(self) -> None:
        self.basic: set[str] = set()
        self.profile_calls = 0
        self.refresh_calls = 0

    async def __call__(self, talk: Conversation) -> None:
        seen = talk.request
        auth = seen.headers.get("authorization", "")
        if auth.startswith("Basic "):
            self.basic.add(auth.split(" ", 1)[1])
        form = dict(parse_qsl(seen.body.decode(), keep_blank_values=True))
        if seen.path.startswith("/me"):
            await talk.send(self.profile(auth))
        elif form.get("grant_type") == "authorization_code":
            said = f"client {auth}, code {form.get('code')}, verifier {form.get('code_verifier')}"
            body = {"error": "invalid_grant", "error_description": said}
            await talk.send(_json("400 Bad Request", body))
        else:
            await talk.send(self.refresh())

    def profile(self, auth: str) -> bytes:
        self.profile_calls += 1
        token = auth.removeprefix("Bearer ")
        if self.profile_calls == 1:
            return _json("200 OK", {"id": "someone", "echo": f"you sent {token}", "bearer": token})
        return _json("401 Unauthorized", {"error": {"message": f"token {token} expired"}})

    def refresh(self) -> bytes:
        self.refresh_calls += 1
        if self.refresh_calls == 1:
            pairs = {"access_token": PLAIN_TOKEN, "refresh_token": PLAIN_REFRESH}
            body = urlencode({**pairs, "token_type": "bearer"}).encode()
            return response_bytes("200 OK", {"Content-Type": "text/plain"}, body)
        body = urlencode({"access_token": FORM_TOKEN, "note": "oops"}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return response_bytes("500 Internal Server Error", headers, body)


def _json(status: str, payload: object) -> bytes:
    body = json.dumps(payload).encode()
    return response_bytes(status, {"Content-Type": "application/json"}, body)


class Surfaces:
    """Every text the user could see, gathered by place."""

    def __init__(self) -> None:
        self.pilot: Pilot[None]
        self.texts: dict[str, list[str]] = {}

    def add(self, where: str, *texts: str) -> None:
        self.texts.setdefault(where, []).extend(texts)

    def hook(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.add("toasts", message.notification.title, message.notification.message)

    async def keys(self, where: str, *keys: str) -> None:
        app = dance_app(self.pilot)
        for key in keys:
            await self.pilot.press(key)
            await settle(self.pilot)
        self.add(where, screen_text(app), *widget_texts(app))
        if isinstance(app.focused, ExchangeViewer):
            await self.pilot.press("c")
            self.add(f"{where} curl", app.clipboard)

    async def history(self) -> None:
        app = dance_app(self.pilot)
        await self.keys("history", "h")
        viewer = app.screen.query_one(ExchangeViewer)
        for i in range(len(app.session.history)):
            await self.keys(f"history {i}", "down" if i else "home")
            viewer.pretty = False
            await settle(self.pilot)
            self.add(f"history {i} raw", screen_text(app), *widget_texts(app))
            viewer.pretty = True
        await self.keys("back", "escape")


@pytest.mark.slow
async def test_echoed_secrets_stay_masked_everywhere(isolated_environment: Path) -> None:
    echoer = Echoer()
    async with BadServer(echoer) as server:
        app = bad_app(isolated_environment, server.base_url)
        surfaces = Surfaces()
        async with app.run_test(
            size=(100, 30), notifications=True, message_hook=surfaces.hook
        ) as pilot:
            surfaces.pilot = pilot
            await surfaces.keys("exchange", "3", "s")
            assert "invalid_grant" in panel_text(app) and f"client Basic {MASK}" in panel_text(app)
            await surfaces.keys("profile", "4", "s")
            assert f"you sent {MASK}" in screen_text(app)
            await surfaces.keys("profile 401", "s", "s")
            assert f"token {MASK} expired" in panel_text(app)
            await surfaces.keys("refresh text/plain", "5", "s")
            assert f"access_token={MASK}" in panel_text(app)
            await surfaces.keys("refresh form 500", "s", "s")
            assert f"access_token={MASK}" in panel_text(app)
            await surfaces.history()
    assert echoer.basic and echoer.refresh_calls == 2 and echoer.profile_calls == 2
    assert surfaces.texts["toasts"], "the toasts were seen"
    secrets = {CLIENT_SECRET, CODE, VERIFIER, TOKEN, REFRESH, PLAIN_TOKEN, PLAIN_REFRESH}
    assert_no_leak(surfaces.texts, secrets | {FORM_TOKEN} | echoer.basic)
