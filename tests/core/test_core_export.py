"""The transcript export after a real dance with the demo server: the browser's part in
the history, the HAR valid against a HAR 1.2 schema, the Markdown's sections, the files'
mode, and no secret in either file."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import jsonschema
import pytest

from tests.app.wizard import approve_in_browser, free_port
from tests.test_leaks import CLIENT_SECRET, assert_no_leak, secrets_of
from tui.core import browser_leg
from tui.core.errors import CallbackError, StateMismatchError, UncheckableCodeError
from tui.core.export import ExportError, export_session, targets
from tui.core.har import har_text
from tui.core.listener import CallbackListener
from tui.core.listener_address import listen_address
from tui.core.providers import ClientAuth, demo_provider
from tui.core.session import Session
from tui.core.state import DanceState
from tui.core.steps import Step
from tui.core.store import CredsStore
from tui.core.transcript import markdown_text
from tui.demo import DemoServer

SCHEMA = json.loads((Path(__file__).parents[1] / "har-1.2.schema.json").read_text())
NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


def valid_har(text: str) -> dict[str, Any]:
    """The HAR document, checked against the HAR 1.2 schema."""
    document: dict[str, Any] = json.loads(text)
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    return document


def session_for(tmp_path: Path, server: DemoServer, auth: ClientAuth) -> Session:
    state = DanceState(
        client_id=server.client_id,
        client_secret=server.client_secret,
        redirect_uri=f"http://127.0.0.1:{free_port()}/callback",
        scope="user-read-email",
        auth_method=auth,
    )
    provider = demo_provider(server.base_url)
    return Session(provider, CredsStore(tmp_path / "creds.toml"), state)


async def caught_by_listener(session: Session, redirect: str) -> None:
    """The browser follows the provider's redirect to the app's loopback listener."""
    address = listen_address(session.state.redirect_uri)
    assert address is not None
    listener = CallbackListener(address, check=session.check_callback)
    await listener.start()
    try:
        async with httpx.AsyncClient(trust_env=False) as browser:
            page = await browser.get(redirect)
        assert page.status_code == 200
        url = await listener.wait()
    finally:
        await listener.close()
    session.accept_callback(url, listener.answer)


async def whole_dance(session: Session) -> None:
    """Authorize in a browser, caught by the listener; then Exchange, Profile, Refresh."""
    authorize = session.begin_authorization()
    await caught_by_listener(session, approve_in_browser(str(authorize.request.url)))
    session.finish_token_exchange(await session.send(session.prepare_token_exchange()))
    session.finish_profile(await session.send(session.prepare_profile()))
    session.finish_refresh(await session.send(session.prepare_refresh()))


@pytest.fixture
def secret_demo() -> Any:
    with DemoServer(port=0, client_secret=CLIENT_SECRET) as server:
        yield server


@pytest.mark.parametrize("auth", [ClientAuth.BASIC, ClientAuth.POST])
async def test_a_real_dance_exports_a_valid_har_and_markdown_without_a_secret(
    tmp_path: Path, secret_demo: DemoServer, auth: ClientAuth
) -> None:
    session = session_for(tmp_path, secret_demo, auth)
    await whole_dance(session)
    history = session.history
    assert [(e.step, bool(e.browser)) for e in history] == [
        (Step.AUTHORIZE, True),
        (Step.AUTHORIZE, True),
        (Step.EXCHANGE, False),
        (Step.PROFILE, False),
        (Step.REFRESH, False),
    ]

    files = export_session(session, str(tmp_path / "dance"), NOW)
    assert files.paths == (tmp_path / "dance.har", tmp_path / "dance.md")
    for path in files.paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    har_file, markdown = (path.read_text(encoding="utf-8") for path in files.paths)

    log = valid_har(har_file)["log"]
    assert log["version"] == "1.2" and log["creator"]["name"] == "OAuth Dance"
    entries = log["entries"]
    assert [e["request"]["method"] for e in entries] == ["GET", "GET", "POST", "GET", "POST"]
    authorize, redirect, exchange, profile, refresh = entries
    assert authorize["request"]["url"].startswith(f"{secret_demo.base_url}/authorize?")
    assert authorize["response"]["status"] == 0, "the browser got the consent page, not us"
    assert "browser" in authorize["comment"] and "§4.1.1" in authorize["comment"]
    assert redirect["request"]["url"].startswith(session.state.redirect_uri + "?code=")
    assert redirect["response"]["status"] == 200, "the listener's own page"
    assert "Authorization received" in redirect["response"]["content"]["text"]
    assert "§4.1.2" in redirect["comment"]
    post = exchange["request"]["postData"]
    assert post["mimeType"] == "application/x-www-form-urlencoded"
    assert "grant_type=authorization_code" in post["text"]
    assert exchange["response"]["status"] == 200
    assert "access_token" in exchange["response"]["content"]["text"]
    assert profile["response"]["content"]["mimeType"].startswith("application/json")
    assert "grant_type=refresh_token" in refresh["request"]["postData"]["text"]
    for entry in entries:
        timings = entry["timings"]
        spent = sum(timings[k] for k in ("send", "wait", "receive"))
        assert entry["time"] == pytest.approx(spent)
        assert entry["startedDateTime"].endswith("+00:00")
        assert entry["request"]["headersSize"] > 0
        assert entry["request"]["bodySize"] == len(history[entries.index(entry)].request.content)

    sections = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert sections == ["## Authorize", "## Exchange", "## Profile", "## Refresh"]
    assert "Dance step 2–6, RFC 6749 §4.1.1–4.1.2" in markdown
    assert "Dance step 7–8, RFC 6749 §4.1.3–4.1.4" in markdown
    assert "```http\nPOST /api/token HTTP/1.1\n" in markdown
    assert "```http\nHTTP/1.1 200 OK\n" in markdown
    assert markdown.count("\n### ") == 5

    secrets = secrets_of(history)
    assert len(secrets) >= 6, secrets
    assert_no_leak({"har": [har_file], "markdown": [markdown]}, secrets)


def offline_session(tmp_path: Path, transport: httpx.AsyncBaseTransport | None = None) -> Session:
    state = DanceState(
        client_id="app",
        client_secret="s3cret-value",
        redirect_uri="http://127.0.0.1:8888/callback",
        scope="user-read-email",
        auth_method=ClientAuth.POST,
    )
    provider = demo_provider("http://127.0.0.1:9")
    session = Session(provider, CredsStore(tmp_path / "c.toml"), state, transport=transport)
    session.begin_authorization()
    return session


def redirect_of(session: Session, code: str = "c0de-1234", state: str | None = None) -> str:
    """The redirect back the browser is sent to, with the demo's iss (RFC 9207)."""
    query = {"code": code, "state": state or session.state.state}
    query["iss"] = session.provider.issuer or ""
    return f"{session.state.redirect_uri}?{urlencode(query)}"


def test_a_pasted_redirect_url_is_the_browsers_request_a_bare_code_is_none(
    tmp_path: Path,
) -> None:
    session = offline_session(tmp_path)
    redirect = redirect_of(session)
    session.accept_callback(f"  '{redirect}'\n")
    authorize, pasted = session.history
    assert authorize.browser == browser_leg.AUTHORIZATION and authorize.response is None
    assert pasted.browser == browser_leg.PASTED and str(pasted.request.url) == redirect
    assert pasted.status_line == "made by the browser"
    assert "c0de-1234" not in pasted.summary

    assert browser_leg.redirect_by_browser("another-c0de", None, NOW) is None
    with pytest.raises(UncheckableCodeError):
        session.take_callback("another-c0de")
    assert len(session.history) == 2, "a bare code is no request; the URL is not new"


def test_a_refused_redirect_is_in_the_history_too(tmp_path: Path) -> None:
    session = offline_session(tmp_path)
    with pytest.raises(StateMismatchError):
        session.take_callback(redirect_of(session, "forged1", "other"))
    assert [e.browser for e in session.history] == [
        browser_leg.AUTHORIZATION,
        browser_leg.PASTED,
    ]
    assert "forged1" not in markdown_text(session, NOW)


def test_a_refused_code_with_control_characters_is_masked_on_every_surface(
    tmp_path: Path,
) -> None:
    """The code's percent escapes as the URL spells them (lower case here, where a
    masking by value looks for httpx's upper case) are masked in the history's line,
    the viewer, the HAR (its url and queryString) and the Markdown."""
    session = offline_session(tmp_path)
    raw = "ab%1b%5b31mc%0a%07"
    redirect = f"{session.state.redirect_uri}?code={raw}&state={session.state.state}"
    with pytest.raises(CallbackError):
        session.take_callback(redirect)
    pasted = session.history[-1]
    assert pasted.browser == browser_leg.PASTED
    decoded = "ab\x1b[31mc\n\x07"
    surfaces = {
        "summary": [pasted.summary],
        "request": [pasted.request_view()],
        "har": [har_text(session)],
        "md": [markdown_text(session, NOW)],
    }
    assert_no_leak(surfaces, {raw, raw.upper(), decoded})
    assert "code=••••••••" in pasted.request_view()


async def test_a_fault_is_an_entry_with_status_0_and_its_message(tmp_path: Path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    session = offline_session(tmp_path, httpx.MockTransport(refuse))
    session.accept_callback(redirect_of(session))
    exchange = await session.send(session.prepare_token_exchange())
    assert exchange.error is not None
    entry = valid_har(har_text(session))["log"]["entries"][-1]
    assert entry["response"]["status"] == 0
    assert exchange.error.title in entry["comment"]
    markdown = markdown_text(session, NOW)
    assert f"No response:\n\n```text\n{exchange.error.title}" in markdown
    assert_no_leak({"har": [har_text(session)], "md": [markdown]}, {"s3cret-value", "c0de-1234"})


def test_a_body_with_backticks_cannot_close_its_fence(tmp_path: Path) -> None:
    session = offline_session(tmp_path)
    request = httpx.Request("GET", "http://127.0.0.1:9/v1/me")
    exchange = session.prepare(Step.PROFILE, request)
    exchange.response = httpx.Response(200, text="````\n# not a heading", request=request)
    session.history.append(exchange)
    markdown = markdown_text(session, NOW)
    assert "`````http\nHTTP/1.1 200 OK" in markdown
    assert "\n# not a heading\n`````" in markdown


def test_an_export_never_overwrites_and_leaves_nothing_half_written(tmp_path: Path) -> None:
    session = offline_session(tmp_path)
    (tmp_path / "t.md").write_text("mine")
    with pytest.raises(ExportError, match=r"t\.md exists already"):
        export_session(session, str(tmp_path / "t"), NOW)
    assert not (tmp_path / "t.har").exists(), "the HAR written first is removed"
    assert (tmp_path / "t.md").read_text() == "mine"
    with pytest.raises(ExportError, match="There is no folder"):
        export_session(session, str(tmp_path / "missing" / "t"), NOW)


@pytest.mark.skipif(not Path("/proc/1").is_dir(), reason="needs Linux's /proc")
def test_a_folder_that_exists_but_takes_no_new_file_is_not_called_missing(
    tmp_path: Path,
) -> None:
    """/proc/1 exists, yet creating a file there fails with ENOENT, as if it did not:
    the message says what is true (the folder is there, no file can be made in it)."""
    session = offline_session(tmp_path)
    with pytest.raises(ExportError) as info:
        export_session(session, "/proc/1/x", NOW)
    message = info.value.message
    assert "There is no folder" not in message
    assert "/proc/1 exists" in message and "cannot create a file in it" in message
    (tmp_path / "file").write_text("")
    with pytest.raises(ExportError, match=r"file is a file, not a folder"):
        export_session(session, str(tmp_path / "file" / "x"), NOW)


def test_the_paths_the_user_gives(tmp_path: Path) -> None:
    default = tmp_path / "oauth-dance-demo-20261129-030000"
    assert targets(str(tmp_path / "x.har"), default).paths == (
        tmp_path / "x.har",
        tmp_path / "x.md",
    )
    assert targets(f" {tmp_path / 'x.MD'} ", default).har == tmp_path / "x.har"
    assert targets(str(tmp_path), default).har == tmp_path / f"{default.name}.har"
    with pytest.raises(ExportError, match="Give a path"):
        targets("  ", default)


def test_a_path_that_cannot_even_be_looked_at_is_refused_with_its_reason(
    tmp_path: Path,
) -> None:
    """A name longer than the system allows made ``is_dir`` raise out of the export (the
    wizard ended with a traceback, its history lost); ``~name`` of no user did too."""
    session = offline_session(tmp_path)
    with pytest.raises(ExportError, match="File name too long"):
        export_session(session, str(tmp_path / ("n" * 300)), NOW)
    with pytest.raises(ExportError, match="~no-such-user-here names no user here"):
        export_session(session, "~no-such-user-here/x", NOW)
    assert list(tmp_path.glob("*.har")) == []


def test_the_default_is_next_to_the_credentials_file(tmp_path: Path) -> None:
    session = offline_session(tmp_path)
    files = export_session(session, str(tmp_path), NOW)
    assert files.har == tmp_path / "oauth-dance-demo-20261129-030000.har"


@pytest.mark.parametrize(
    "spoil",
    [
        lambda log: log["entries"][0]["response"].pop("redirectURL"),
        lambda log: log["entries"][0].pop("cache"),
        lambda log: log["entries"][0]["timings"].pop("wait"),
        lambda log: log["entries"][0].update(startedDateTime="yesterday"),
        lambda log: log["entries"][0]["request"].update(query_string=[]),
    ],
    ids=["no redirectURL", "no cache", "no wait", "no ISO time", "misspelt field"],
)
def test_the_schema_refuses_what_the_specification_does(tmp_path: Path, spoil: Any) -> None:
    session = offline_session(tmp_path)
    session.accept_callback(redirect_of(session))
    document = valid_har(har_text(session))
    spoil(document["log"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(document)
