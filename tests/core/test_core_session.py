"""The session: the whole dance against a scripted token endpoint, and its saving."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import parse_qsl, unquote_plus

import httpx
import pytest

from tui.core.errors import InsecureTransportError, OAuthError
from tui.core.providers import ClientAuth, Provider
from tui.core.session import Session
from tui.core.state import DanceState
from tui.core.store import CredsStore
from tui.core.store_errors import StoreError
from tui.core.transport_errors import NetworkError

PROVIDER = Provider(
    name="scripted",
    title="Scripted",
    authorize_endpoint="https://as.example/authorize",
    token_endpoint="https://as.example/api/token",
    profile_endpoint="https://api.example/v1/me",
    issuer="https://as.example",
)
REDIRECT = "http://127.0.0.1:8888/callback"
SECRET = 'sec+ret/=&%:"\\é'


class TokenServer:
    """A scripted authorization server: checks what it gets, answers what it is told."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.refresh_answer: dict[str, object] = {"access_token": "at-2", "expires_in": 60}
        self.profile_status = 200

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/v1/me":
            if request.headers.get("authorization") != "Bearer at-2":
                return httpx.Response(401, json={"error": {"status": 401, "message": "expired"}})
            return httpx.Response(200, json={"id": "ada", "display_name": "Ada"})
        form = dict(parse_qsl(request.content.decode()))
        scheme, _, credential = request.headers["authorization"].partition(" ")
        client_id, _, secret = base64.b64decode(credential).decode().partition(":")
        assert scheme == "Basic"
        assert (unquote_plus(client_id), unquote_plus(secret)) == ("cid", SECRET)
        if form["grant_type"] == "authorization_code":
            if form["code"] != "good-code" or form["redirect_uri"] != REDIRECT:
                return httpx.Response(
                    400,
                    json={"error": "invalid_grant", "error_description": "Invalid redirect URI"},
                )
            return httpx.Response(
                200,
                json={
                    "access_token": "at-1",
                    "token_type": "Bearer",
                    "expires_in": 3600,
                    "refresh_token": "rt-1",
                    "scope": "user-read-email",
                },
            )
        assert form == {"grant_type": "refresh_token", "refresh_token": "rt-1"}
        return httpx.Response(200, json=self.refresh_answer)


def new_session(tmp_path: Path, server: TokenServer, **changes: object) -> Session:
    values: dict[str, object] = {
        "client_id": "cid",
        "client_secret": SECRET,
        "redirect_uri": REDIRECT,
        "scope": "user-read-email",
        "auth_method": ClientAuth.BASIC,
        **changes,
    }
    state = DanceState(**values)  # type: ignore[arg-type]
    store = CredsStore(tmp_path / "creds.toml")
    return Session(PROVIDER, store, state, transport=httpx.MockTransport(server))


async def test_refused_code_is_an_explained_oauth_error(tmp_path: Path) -> None:
    session = new_session(tmp_path, TokenServer())
    session.begin_authorization()
    session.accept_callback(f"{REDIRECT}?code=bad-code&state={session.state.state}")
    exchange = await session.send(session.prepare_token_exchange())
    with pytest.raises(OAuthError) as info:
        session.finish_token_exchange(exchange)
    assert info.value.code == "invalid_grant"
    assert "byte for byte" in info.value.explanation.meaning
    assert session.state.token == ""


async def test_plain_http_endpoint_is_refused_and_nothing_is_sent(tmp_path: Path) -> None:
    server = TokenServer()
    session = new_session(tmp_path, server)
    session.provider = Provider(
        name=PROVIDER.name,
        title="Insecure",
        authorize_endpoint="https://as.example/authorize",
        token_endpoint="http://as.example/api/token",
    )
    session.begin_authorization()
    session.accept_callback(f"{REDIRECT}?code=good-code&state={session.state.state}")
    exchange = await session.send(session.prepare_token_exchange())
    assert isinstance(exchange.error, InsecureTransportError)
    assert exchange.response is None
    assert server.requests == []
    with pytest.raises(InsecureTransportError):
        session.finish_token_exchange(exchange)


async def test_network_fault_is_recorded_not_raised(tmp_path: Path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    state = DanceState(client_id="cid", client_secret=SECRET, redirect_uri=REDIRECT)
    session = Session(
        PROVIDER, CredsStore(tmp_path / "c.toml"), state, transport=httpx.MockTransport(refuse)
    )
    session.begin_authorization()
    session.accept_callback(f"{REDIRECT}?code=good-code&state={session.state.state}")
    exchange = await session.send(session.prepare_token_exchange())
    assert isinstance(exchange.error, NetworkError)
    assert exchange.error.kind == "refused"
    assert exchange.status_line == NetworkError.title
    with pytest.raises(NetworkError):
        session.finish_token_exchange(exchange)


WRONG_TYPES = (
    "version = 1\n"
    '[scripted]\nclient_id = 5\nredirect_uri = ["a"]\npkce = "yes"\n'
    'scope = "user-read-email"\nnote = "kept"\n'
)


def test_values_of_the_wrong_type_are_named_and_the_file_kept_before_a_save(
    tmp_path: Path,
) -> None:
    """A QA find: `client_id = 5`, `redirect_uri = ["a"]`, `pkce = "yes"` opened on the
    defaults without a word, and the next save dropped them with no copy kept."""
    creds = tmp_path / "creds.toml"
    creds.write_text(WRONG_TYPES)
    creds.chmod(0o600)
    store = CredsStore(creds)
    defaults = DanceState(redirect_uri=REDIRECT)
    session, error = Session.open(PROVIDER, store, defaults)
    assert error is None
    assert session.state.client_id == "" and session.state.redirect_uri == REDIRECT
    assert session.state.pkce is True and session.state.scope == "user-read-email"
    [notice] = store.take_notices()
    assert "[scripted] has values of the wrong type, ignored" in notice
    for said in (
        "client_id (an integer, not text)",
        "redirect_uri (an array, not text)",
        "pkce (text, not true or false)",
    ):
        assert said in notice
    [kept] = tmp_path.glob("creds.toml.kept-*")
    assert f"kept in {kept}" in notice and notice in store.moved_aside
    assert kept.read_text() == WRONG_TYPES and kept.stat().st_mode & 0o077 == 0
    session.save()
    assert "client_id = 5" not in creds.read_text() and 'note = "kept"' in creds.read_text()
    assert kept.read_text() == WRONG_TYPES, "the copy outlives the save"
    Session.open(PROVIDER, store, defaults)
    assert store.take_notices() == [] and len(list(tmp_path.glob("creds.toml.kept-*"))) == 1
    assert "holds your secrets and tokens too: delete it once" in notice


def test_the_same_wrongly_typed_file_opened_again_is_kept_once(tmp_path: Path) -> None:
    """Each start without a save made another copy holding the secrets; the same bytes
    are kept once, and the next start names that copy."""
    creds = tmp_path / "creds.toml"
    creds.write_text(WRONG_TYPES)
    creds.chmod(0o600)
    defaults = DanceState(redirect_uri=REDIRECT)
    notices = []
    for _ in range(3):  # three runs of the wizard, none saving
        store = CredsStore(creds)
        Session.open(PROVIDER, store, defaults)
        notices += store.take_notices()
    [kept] = tmp_path.glob("creds.toml.kept-*")
    assert len(notices) == 3 and all(f"kept in {kept}" in said for said in notices)
    creds.write_text(WRONG_TYPES.replace("client_id = 5", "client_id = 6"))  # other bytes
    store = CredsStore(creds)
    Session.open(PROVIDER, store, defaults)
    assert len(list(tmp_path.glob("creds.toml.kept-*"))) == 2


def test_a_wrongly_typed_value_under_a_name_with_control_characters_is_named_safely(
    tmp_path: Path,
) -> None:
    creds = tmp_path / "creds.toml"
    creds.write_text('version = 1\n["bad\\u001b[31mname"]\npkce = 1\n')
    creds.chmod(0o600)
    store = CredsStore(creds)
    odd = Provider(name="bad\x1b[31mname", title="odd", authorize_endpoint="", token_endpoint="")
    Session.open(odd, store)
    [notice] = store.take_notices()
    assert "\x1b" not in notice and "[bad\\x1b[31mname] has values" in notice
    assert "pkce (an integer, not true or false)" in notice


def test_a_failed_save_says_tokens_are_in_memory_only_when_there_are(tmp_path: Path) -> None:
    folder = tmp_path / "file-not-folder"
    folder.write_text("")
    store = CredsStore(folder / "creds.toml")  # its folder is a file: every save fails
    session, _ = Session.open(PROVIDER, store, DanceState(client_id="cid"))
    with pytest.raises(StoreError) as bare:
        session.save()
    assert "in memory" not in str(bare.value)
    session.state = DanceState(client_id="cid", token="at-1")
    with pytest.raises(StoreError, match="Your tokens are still in memory"):
        session.save()
