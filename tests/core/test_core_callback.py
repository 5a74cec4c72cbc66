"""Reading the authorization response (RFC 6749 §4.1.2, §4.1.2.1, §10.12; RFC 9207)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.callback import parse_pasted, read_callback
from tui.core.errors import (
    CallbackError,
    ConfigError,
    DanceError,
    IssuerMismatchError,
    OAuthError,
    StateMismatchError,
)
from tui.core.explain import ERRORS
from tui.core.providers import ClientAuth, Provider
from tui.core.session import Session
from tui.core.state import DanceState
from tui.core.store import CredsStore

STATE = "st4te-Value_123"
ISS = "https://as.example"
BASE = "http://127.0.0.1:8888/callback"


def test_bare_code() -> None:
    cb = read_callback("AQDx-_.~9aZ", STATE)
    assert cb.code == "AQDx-_.~9aZ"
    assert cb.state is None
    assert cb.state_checked is False


@pytest.mark.parametrize(
    "pasted",
    [
        "  AQDcode123 \n",
        '"AQDcode123"',
        "'AQDcode123'\r\n",
        "\t`AQDcode123`  ",
        "<AQDcode123>",
    ],
)
def test_bare_code_with_stray_whitespace_and_quotes(pasted: str) -> None:
    assert read_callback(pasted, STATE).code == "AQDcode123"


@pytest.mark.parametrize(
    "pasted",
    [
        f"{BASE}?code=AQD%2Fcode&state={STATE}",
        f"  '{BASE}?code=AQD%2Fcode&state={STATE}'\n",
        f'"{BASE}?state={STATE}&code=AQD%2Fcode"',
        f"?code=AQD%2Fcode&state={STATE}",
        f"code=AQD%2Fcode&state={STATE}",
        f"\n\n{BASE}?code=AQD%2Fcode&state={STATE}&iss=https%3A%2F%2Fas.example\n",
    ],
)
def test_whole_redirect_url(pasted: str) -> None:
    cb = read_callback(pasted, STATE, ISS)
    assert cb.code == "AQD/code"
    assert cb.state == STATE
    assert cb.state_checked is True


def test_parse_pasted_kinds() -> None:
    assert parse_pasted("abc") == ("code", {"code": "abc"})
    kind, params = parse_pasted(f"{BASE}?code=a&state=b")
    assert kind == "url"
    assert params == {"code": "a", "state": "b"}


def test_access_denied_is_an_explained_oauth_error() -> None:
    url = f"{BASE}?error=access_denied&error_description=The+user+said+no&state={STATE}"
    with pytest.raises(OAuthError) as info:
        read_callback(url, STATE)
    err = info.value
    assert err.code == "access_denied"
    assert err.description == "The user said no"
    assert err.status is None
    assert err.explanation is ERRORS["access_denied"]
    assert "§4.1.2.1" in err.explanation.rfc


@pytest.mark.parametrize(
    "pasted",
    [f"{BASE}?code=abc", f"{BASE}?code=abc&state=", f"{BASE}?code=abc&state={STATE}x"],
)
def test_missing_or_wrong_state_is_refused(pasted: str) -> None:
    with pytest.raises(StateMismatchError):
        read_callback(pasted, STATE)


def test_state_mismatch_is_a_callback_error() -> None:
    assert issubclass(StateMismatchError, CallbackError)
    assert issubclass(IssuerMismatchError, CallbackError)


def test_issuer_checked_when_present() -> None:
    with pytest.raises(IssuerMismatchError):
        read_callback(f"{BASE}?code=abc&state={STATE}&iss=https%3A%2F%2Fevil.example", STATE, ISS)
    ok = read_callback(f"{BASE}?code=abc&state={STATE}&iss=https%3A%2F%2Fas.example%2F", STATE, ISS)
    assert ok.iss == "https://as.example/"
    absent = read_callback(f"{BASE}?code=abc&state={STATE}", STATE, ISS)
    assert absent.iss is None


@pytest.mark.parametrize(
    "pasted",
    [
        "",
        "  \n\t ",
        '""',
        "two words",
        "code\x00with-nul",
        "https://127.0.0.1:8888/callback",
        f"{BASE}?state={STATE}",
        "http://[abc/?code=1&state=x",
        "http://[::1/?code=1",
    ],
)
def test_unusable_values_raise_callback_error(pasted: str) -> None:
    with pytest.raises(CallbackError):
        read_callback(pasted, STATE)


# --- property: nothing but the core's errors, ever -----------------------------

URLISH = st.builds(
    lambda scheme, host, q: f"{scheme}://{host}/cb?{q}",
    st.sampled_from(["http", "https", "x", ""]),
    st.text(max_size=20),
    st.text(max_size=40),
)
PIECES = st.lists(
    st.sampled_from(
        [
            "code=",
            "state=",
            "error=",
            "iss=",
            "&",
            "?",
            "://",
            "http://[",
            "[",
            "]",
            "%",
            "%zz",
            "#",
            " ",
        ]
    )
    | st.text(max_size=8),
    max_size=12,
).map("".join)


@given(st.text() | URLISH | PIECES, st.text(max_size=20), st.none() | st.text(max_size=20))
def test_read_callback_raises_only_dance_errors(text: str, expected: str, iss: str | None) -> None:
    try:
        cb = read_callback(text, expected, iss)
    except DanceError:
        return
    assert cb.code
    if cb.state_checked:
        assert cb.state == expected


# --- the session keeps no code from a refused callback -------------------------

PROVIDER = Provider(
    name="testprov",
    title="Test",
    authorize_endpoint="https://as.example/authorize",
    token_endpoint="https://as.example/api/token",
    issuer=ISS,
)


def new_session(tmp_path: Path) -> Session:
    state = DanceState(
        client_id="cid",
        client_secret="sec-ret-123",
        redirect_uri=BASE,
        auth_method=ClientAuth.BASIC,
    )
    store = CredsStore(tmp_path / "creds.toml")
    session = Session(PROVIDER, store, state)
    session.begin_authorization()
    return session


@pytest.mark.parametrize(
    "query",
    ["code=stolen", "code=stolen&state=someone-elses", "code=stolen&state={state}&iss=https://x"],
)
def test_refused_callback_leaves_no_code_to_exchange(tmp_path: Path, query: str) -> None:
    session = new_session(tmp_path)
    with pytest.raises(CallbackError):
        session.accept_callback(f"{BASE}?{query.format(state=session.state.state)}")
    assert session.state.code == ""
    assert "code" not in session.store.load_provider(PROVIDER.name)
    with pytest.raises(ConfigError):
        session.prepare_token_exchange()


def test_accepted_callback_keeps_the_code(tmp_path: Path) -> None:
    session = new_session(tmp_path)
    cb = session.accept_callback(f"{BASE}?code=good-code&state={session.state.state}&iss={ISS}")
    assert cb.state_checked
    assert session.state.code == "good-code"
    assert session.store.load_provider(PROVIDER.name)["code"] == "good-code"
    exchange = session.prepare_token_exchange()
    assert b"code=good-code" in exchange.request.content


def test_error_callback_keeps_no_code(tmp_path: Path) -> None:
    session = new_session(tmp_path)
    with pytest.raises(OAuthError):
        session.accept_callback(f"{BASE}?error=access_denied&state={session.state.state}")
    assert session.state.code == ""
