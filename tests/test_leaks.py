"""No secret leaks: the whole dance with secrets full of special characters, then every
place a secret could end up is searched for it, in every encoding it could take.

Searched: every screen's text (Textual's screenshot and every widget's whole text,
toasts included), the History views (pretty and raw), the curl copies, the exported
HAR and Markdown files, Python logging
at DEBUG with httpx's and httpcore's records, Textual's own log, the messages the app
processed, the output on stdout/stderr, and the tracebacks of every fault. Nothing is
revealed with ``r`` here, so nothing may show anywhere.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import traceback
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

import httpx
import pytest
import textual.constants
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input

from tests.app.wizard import dance_app, free_port, make_app, seed, settle, wait_until
from tests.faults.faultapp import bad_app, mock, toasts, widget_texts
from tests.screenshot import screen_text
from tui.__main__ import wizard_parser
from tui.app import OAuthDanceApp
from tui.core.exchange import Exchange
from tui.core.session import Session
from tui.demo import DemoServer
from tui.widgets.exchange_viewer import ExchangeViewer

SPECIAL = '+/=&%:"\\ ünï€-'
CLIENT_SECRET = f"cs{SPECIAL}client-secret-0123"
SECRET_NAMES = {"client_secret", "code", "code_verifier", "access_token", "refresh_token"}
SECRET_NAMES |= {"id_token", "refresh_token"}


class Everything(logging.Handler):
    """Where texts are collected, by place; also a handler for every log record."""

    def __init__(self, textual_log: Path) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.texts: dict[str, list[str]] = {"python logging": []}
        self.textual_log = textual_log

    def emit(self, record: logging.LogRecord) -> None:
        self.texts["python logging"].append(self.format(record))

    def add(self, where: str, *texts: str) -> None:
        self.texts.setdefault(where, []).extend(texts)

    def gathered(self, *, network: bool = True) -> dict[str, list[str]]:
        """Everything, Textual's log file included; the logs are checked to be live.

        Args:
            network: real sockets were used, so httpcore logged too (not so with
                httpx.MockTransport).
        """
        logs = self.texts["python logging"]
        assert any(line.startswith("httpx INFO HTTP Request") for line in logs)
        assert any(line.startswith("httpcore.") for line in logs) or not network
        self.add("textual log", self.textual_log.read_text(encoding="utf-8"))
        assert "Worker" in self.texts["textual log"][0]
        return self.texts


@pytest.fixture
def everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Everything]:
    """Python logging at DEBUG from the root down, and Textual's log to a file."""
    textual_log = tmp_path / "textual.log"
    monkeypatch.setattr(textual.constants, "LOG_FILE", str(textual_log))
    collector = Everything(textual_log)
    root = logging.getLogger()
    level = root.level
    root.addHandler(collector)
    root.setLevel(logging.DEBUG)
    try:
        yield collector
    finally:
        root.removeHandler(collector)
        root.setLevel(level)


def encodings(secret: str) -> set[str]:
    """Every form a secret could be written in."""
    forms = {
        secret,
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        json.dumps(secret)[1:-1].replace("/", "\\/"),
        html.escape(secret),
        base64.b64encode(secret.encode()).decode(),
        repr(secret)[1:-1],
        repr(secret.encode())[2:-1],
    }
    return {form for form in forms if len(form) >= 8}


def secrets_of(history: list[Exchange]) -> set[str]:
    """The secrets that went over the wire, read from the raw exchanges (not the masker)."""
    found = {CLIENT_SECRET}
    for exchange in history:
        request = exchange.request
        pairs = list(request.url.params.multi_items())
        if request.headers.get("content-type", "").startswith("application/x-www-form"):
            pairs += parse_qsl(request.content.decode(), keep_blank_values=True)
        auth = request.headers.get("authorization")
        if auth:
            found.add(auth.split(" ", 1)[1])
        response = exchange.response
        if response is not None:
            pairs += parse_qsl(urlsplit(response.headers.get("location", "")).query)
            if "json" in response.headers.get("content-type", ""):
                pairs += [(k, v) for k, v in response.json().items() if isinstance(v, str)]
        found |= {value for name, value in pairs if name in SECRET_NAMES and value}
    return found


class Dance:
    """Drives the wizard and collects what each screen shows."""

    def __init__(self, pilot: Pilot[None], everything: Everything) -> None:
        self.pilot = pilot
        self.app = dance_app(pilot)
        self.everything = everything

    def collect(self, where: str) -> None:
        app = self.app
        self.everything.add(where, screen_text(app), *widget_texts(app), *toasts(app))

    async def keys(self, where: str, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)
            await settle(self.pilot)
        self.collect(where)
        if isinstance(self.app.focused, ExchangeViewer):
            await self.pilot.press("c")
            self.everything.add(f"{where} curl", self.app.clipboard)

    async def history(self) -> None:
        await self.keys("history", "h")
        viewer = self.app.screen.query_one(ExchangeViewer)
        for i in range(len(self.app.session.history)):
            await self.keys(f"history {i}", "down" if i else "home")
            viewer.pretty = False
            await settle(self.pilot)
            self.collect(f"history {i} raw")
            viewer.pretty = True
        await self.keys("back", "escape")

    async def export(self) -> None:
        """x in History, enter on the default path: the HAR and the Markdown written."""
        await self.keys("export", "h", "x")
        default = self.app.screen.query_one(Input).value
        await self.keys("exported", "enter")
        files = [Path(default + suffix) for suffix in (".har", ".md")]
        await wait_until(self.pilot, lambda: all(f.exists() for f in files), "the export")
        for file in files:
            self.everything.add(f"export {file.suffix}", file.read_text(encoding="utf-8"))
        await self.keys("closed", "enter", "escape")


def assert_no_leak(texts: dict[str, list[str]], secrets: set[str]) -> None:
    forms = set().union(*(encodings(secret) for secret in secrets))
    leaks = {
        f"{where}: {form!r} in {text[max(0, text.find(form) - 60) :][:140]!r}"
        for where, bucket in texts.items()
        for text in bucket
        for form in forms
        if form in text
    }
    assert not leaks, "\n".join(sorted(leaks))


def fault_tracebacks(app: OAuthDanceApp) -> list[str]:
    return [
        "".join(traceback.format_exception(exchange.error))
        for exchange in app.session.history
        if exchange.error is not None
    ]


@pytest.mark.slow
@pytest.mark.parametrize("auth_method", ["client_secret_basic", "client_secret_post"])
async def test_whole_dance_leaks_no_secret(
    auth_method: str,
    isolated_environment: Path,
    everything: Everything,
    capfd: pytest.CaptureFixture[str],
) -> None:
    seed(
        isolated_environment,
        "demo",
        redirect_uri=f"http://127.0.0.1:{free_port()}/callback",
        auth_method=auth_method,
    )
    with DemoServer(port=0, client_secret=CLIENT_SECRET) as demo:
        app = make_app(isolated_environment, demo)
        async with app.run_test(
            size=(80, 24), notifications=True, message_hook=lambda m: log_message(everything, m)
        ) as pilot:
            dance = Dance(pilot, everything)
            await dance.keys("start")
            # Textual's log records keys and pastes by value: the user is told it is on.
            assert any("debug log is on" in text for text in toasts(app))
            await dance.keys("credentials", "1", "ctrl+s")
            await dance.keys("consent", "g")
            await dance.keys("approve", "a")
            assert app.session.state.code
            await dance.keys("exchange", "3", "s")
            await dance.keys("profile", "4", "s")
            await dance.keys("refresh", "5", "s")
            await dance.keys("exchange again: the spent code", "3", "s", "s")
            await dance.keys("profile again", "4", "s", "s")
            await dance.keys("explain panel", "question_mark")
            await dance.history()
            await dance.export()
            assert app.session.state.token and app.session.state.refresh
            everything.add("tracebacks", *fault_tracebacks(app))
            history = list(app.session.history)
    assert app.return_code in (None, 0)
    statuses = [e.status_line for e in history]
    assert statuses.count("200 OK") >= 4 and "302 Found" in statuses, statuses
    everything.add("stdout/stderr", *capfd.readouterr())
    secrets = secrets_of(history)
    assert len(secrets) >= 6, secrets
    assert_no_leak(everything.gathered(), secrets)


def log_message(everything: Everything, message: Message) -> None:
    everything.add("messages", repr(message))


TOKENS = {
    "access_token": f"at{SPECIAL.replace(' ', '').encode('ascii', 'ignore').decode()}access-0123",
    "refresh_token": f"rt{SPECIAL}refresh-0123",
    "id_token": f"it{SPECIAL}id-token-0123",
}


def provider_with_special_tokens(request: httpx.Request) -> httpx.Response:
    """A token endpoint whose tokens hold every character that needs escaping somewhere."""
    if request.url.path == "/me":
        return httpx.Response(200, json={"id": "someone", "display_name": "Some One"})
    fresh = {
        k: v + ("-2" if b"refresh_token" in request.content else "") for k, v in TOKENS.items()
    }
    return httpx.Response(200, json={**fresh, "token_type": "Bearer", "expires_in": 3600})


@pytest.mark.slow
async def test_special_character_tokens_leak_nowhere(
    isolated_environment: Path,
    everything: Everything,
    capfd: pytest.CaptureFixture[str],
) -> None:
    app = bad_app(
        isolated_environment,
        transport=mock(provider_with_special_tokens),
        client_secret=CLIENT_SECRET,
        auth_method="client_secret_post",
    )
    async with app.run_test(
        size=(80, 24), notifications=True, message_hook=lambda m: log_message(everything, m)
    ) as pilot:
        dance = Dance(pilot, everything)
        await dance.keys("start")
        await dance.keys("exchange", "3", "s")
        assert app.session.state.refresh == TOKENS["refresh_token"]
        await dance.keys("profile", "4", "s", "s")
        await dance.keys("refresh", "5", "s")
        assert app.session.state.refresh == TOKENS["refresh_token"] + "-2"
        await dance.keys("profile again", "4", "s", "s")
        await dance.history()
        await dance.export()
        everything.add("tracebacks", *fault_tracebacks(app))
        history = list(app.session.history)
    everything.add("stdout/stderr", *capfd.readouterr())
    secrets = secrets_of(history)
    assert {TOKENS["refresh_token"], TOKENS["id_token"] + "-2"} <= secrets
    assert_no_leak(everything.gathered(network=False), secrets)


@pytest.mark.parametrize("size", [(80, 24), (220, 50)])
async def test_a_crash_report_prints_no_secret(
    size: tuple[int, int],
    isolated_environment: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A bug nobody foresaw ends the app with a traceback, but without the local
    variables of each frame, which Textual prints by default and which hold secrets.
    Rich puts them under each frame's code, or beside it on a wide terminal."""

    def broken_reader(session: Session, exchange: Exchange) -> object:
        token = session.state.token  # a local holding a secret, as real code has
        raise RuntimeError(f"a bug, with a token of {len(token)} characters at hand")

    monkeypatch.setattr(Session, "finish_profile", broken_reader)
    app = bad_app(
        isolated_environment,
        transport=mock(lambda request: httpx.Response(200, json={})),
        client_secret=CLIENT_SECRET,
    )
    with pytest.raises(Exception, match="a bug, with a token"):
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
    report = capsys.readouterr().err
    assert "RuntimeError" in report and "broken_reader" in report, report[-500:]
    assert "session.state.token" in report  # the code is shown, its variables are not
    secrets = {CLIENT_SECRET, app.session.state.token, app.session.state.refresh}
    assert_no_leak({"crash report": [report]}, secrets)


def test_the_wizard_takes_no_secret_on_its_command_line() -> None:
    """Secrets come from the credentials file or the masked field, never from argv,
    where other users can read them in the process list."""
    options = {
        option
        for action in wizard_parser()._actions
        for option in action.option_strings
        if option not in ("-h", "--help")
    }
    assert options == {"--provider", "--creds"}
