"""Reading the authorization response (RFC 6749 §4.1.2, §4.1.2.1, §10.12; RFC 9207)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.callback import parse_pasted, read_callback
from tui.core.errors import (
    AttemptRefusedError,
    CallbackError,
    ConfigError,
    DanceError,
    ForeignRefusalError,
    IssuerMismatchError,
    NotThisAttemptError,
    OAuthError,
    StateMismatchError,
    UncheckableCodeError,
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


# --- off the happy path: several lines, spaces in a code, RFC 9207 ---------------


@pytest.mark.parametrize(
    "pasted",
    [
        f"{BASE}?code=AQD%2Fco\nde&state={STATE}",
        f"{BASE}?code=AQD\r\n%2Fcode&state={STATE}",
        "AQDcode\nsecond-line",
        f"Here is the URL:\n{BASE}?code=abc&state={STATE}\nthanks",
    ],
)
def test_a_paste_of_several_lines_is_refused_with_its_lines_shown(pasted: str) -> None:
    with pytest.raises(CallbackError) as info:
        read_callback(pasted, STATE)
    message = info.value.message
    lines = pasted.strip().splitlines()
    assert f"holds {len(lines)} lines" in message
    for n, line in enumerate(lines, 1):
        assert f"{n}: {line}" in message
    assert "\r" not in message, "a carriage return would rewrite the line it is shown on"


def test_a_refused_paste_shows_few_lines_and_no_control_character() -> None:
    pasted = "\n".join(f"line-{n}\x1b[2J" for n in range(1, 10))
    with pytest.raises(CallbackError) as info:
        read_callback(pasted, STATE)
    message = info.value.message
    assert "holds 9 lines" in message
    assert "line-4" in message and "line-5" not in message
    assert "and 5 more" in message
    assert "\x1b" not in message


@pytest.mark.parametrize("code", ["a+b+c", "a%20b"])
def test_a_code_that_decodes_to_whitespace_is_refused(code: str) -> None:
    with pytest.raises(CallbackError) as info:
        read_callback(f"{BASE}?code={code}&state={STATE}", STATE)
    assert "holds spaces once decoded" in info.value.message
    assert "%2B" in info.value.message


@pytest.mark.parametrize(
    ("code", "named"),
    [
        ("a%00b", "%00"),
        ("a%09b", "%09"),
        ("ab%0Acd", "%0A"),
        ("ab%1b%5b31mc%0a%07", "%07, %0A, %1B"),
    ],
)
def test_a_code_with_control_characters_is_refused_for_that_reason(code: str, named: str) -> None:
    """A newline or a tab is whitespace too, but no '+' made it: the reason is the
    control characters, named as the URL spells them, not a '+' sent unencoded."""
    with pytest.raises(CallbackError) as info:
        read_callback(f"{BASE}?code={code}&state={STATE}", STATE)
    message = info.value.message
    assert f"control characters ({named})" in message
    assert "+" not in message and "space" not in message


def test_a_code_with_non_ascii_characters_is_refused() -> None:
    with pytest.raises(CallbackError, match="non-ASCII"):
        read_callback(f"{BASE}?code=caf%C3%A9&state={STATE}", STATE)


def test_a_plus_sent_as_percent_2b_stays_in_the_code() -> None:
    assert read_callback(f"{BASE}?code=a%2Bb&state={STATE}", STATE).code == "a+b"


def test_missing_iss_refused_when_the_metadata_promises_it() -> None:
    url = f"{BASE}?code=abc&state={STATE}"
    with pytest.raises(IssuerMismatchError) as info:
        read_callback(url, STATE, ISS, iss_required=True)
    message = info.value.message
    assert "authorization_response_iss_parameter_supported" in message
    assert "RFC 9207 §2.4" in message
    assert "mix-up" in message
    assert read_callback(url, STATE, ISS).iss is None, "without the promise, iss is optional"
    with_iss = read_callback(f"{url}&iss={ISS}", STATE, ISS, iss_required=True)
    assert with_iss.iss == ISS


def test_a_bare_code_is_refused_when_the_metadata_promises_iss() -> None:
    """RFC 9207 §2.4: a response without iss from a server that promised it is
    rejected; a code pasted alone is one, with neither iss nor state to check."""
    with pytest.raises(UncheckableCodeError) as info:
        read_callback("AQDcode123", STATE, ISS, iss_required=True)
    assert not isinstance(info.value, IssuerMismatchError), "no issuer was compared"
    assert "mismatch" not in info.value.title.lower()
    assert "paste the whole redirect URL" in info.value.title
    message = info.value.message
    assert "A code alone carries no iss" in message and "nor does it carry the state" in message
    assert "RFC 9207 §2.4" in message and "Paste the whole redirect URL" in message
    taken = read_callback("AQDcode123", STATE, ISS)
    assert taken.code == "AQDcode123" and not taken.state_checked, "no promise: taken, unchecked"


def test_an_error_for_another_attempt_is_a_state_mismatch() -> None:
    with pytest.raises(StateMismatchError):
        read_callback(f"{BASE}?error=access_denied&state=another", STATE)


@pytest.mark.parametrize("query", ["error=access_denied", "error=access_denied&state="])
def test_an_error_without_state_is_not_this_attempts(query: str) -> None:
    """RFC 6749 §4.1.2.1: a refusal returns the state the request sent. One without it
    could come from anyone (any local process), so it must not end the attempt."""
    with pytest.raises(StateMismatchError) as info:
        read_callback(f"{BASE}?{query}", STATE, ISS, iss_required=True)
    assert isinstance(info.value, NotThisAttemptError)
    assert "RFC 6749 §4.1.2.1" in info.value.message
    assert "goes on" not in info.value.message  # the page or the app says so, once


@pytest.mark.parametrize(
    "iss", ["", "&iss=https%3A%2F%2Fevil.example"], ids=["no iss", "another server's"]
)
def test_an_error_without_the_promised_iss_is_not_this_attempts(iss: str) -> None:
    """RFC 9207 §2.4: iss comes in error responses too; a refusal without the one
    promised is not this provider's, checked as a code's redirect is."""
    url = f"{BASE}?error=access_denied&state={STATE}{iss}"
    with pytest.raises(ForeignRefusalError) as info:
        read_callback(url, STATE, ISS, iss_required=True)
    assert isinstance(info.value, NotThisAttemptError)
    assert "RFC 9207" in info.value.message
    assert "goes on" not in info.value.message  # the page or the app says so, once


def test_an_error_with_our_state_and_iss_is_the_providers_refusal() -> None:
    with pytest.raises(OAuthError):
        read_callback(
            f"{BASE}?error=access_denied&state={STATE}&iss={ISS}", STATE, ISS, iss_required=True
        )
    with pytest.raises(OAuthError):  # no promise of iss: a refusal without it is taken
        read_callback(f"{BASE}?error=access_denied&state={STATE}", STATE, ISS)
    with pytest.raises(ForeignRefusalError):  # but another server's is not, as for a code
        read_callback(f"{BASE}?error=access_denied&state={STATE}&iss=https://x.example", STATE, ISS)


def test_the_session_checks_iss_when_its_provider_promises_it(tmp_path: Path) -> None:
    session = new_session(tmp_path)
    session.provider = replace(PROVIDER, iss_parameter_supported=True)
    with pytest.raises(IssuerMismatchError):
        session.take_callback(f"{BASE}?code=c0de&state={session.state.state}")
    assert session.state.code == ""
    cb = session.take_callback(f"{BASE}?code=c0de&state={session.state.state}&iss={ISS}")
    assert cb.iss == ISS


@pytest.mark.parametrize("iss", ["", "&iss=https://evil.example"], ids=["no iss", "another iss"])
def test_a_code_failing_the_issuer_check_is_not_this_attempts(iss: str) -> None:
    """Like a refusal from another server, a code that fails the issuer check (RFC 9207)
    is not this attempt's answer to trust: the listener ignores it and goes on."""
    with pytest.raises(NotThisAttemptError) as info:
        read_callback(f"{BASE}?code=abc&state={STATE}{iss}", STATE, ISS, iss_required=True)
    assert isinstance(info.value, IssuerMismatchError)


@pytest.mark.parametrize(
    "query",
    [
        "code=abc&state=another",
        "code=abc",
        "error=access_denied",
        "error=access_denied&state={state}",
        "error=access_denied&state={state}&iss=https://evil.example",
        "code=abc&state={state}",
        "code=abc&state={state}&iss=https://evil.example",
    ],
)
def test_not_this_attempts_messages_say_what_happened_and_never_to_start_over(query: str) -> None:
    """The attempt goes on after any of these: its message must not tell to start over,
    nor say it goes on (whoever shows it says that once, in its own words)."""
    with pytest.raises(NotThisAttemptError) as info:
        read_callback(f"{BASE}?{query.format(state=STATE)}", STATE, ISS, iss_required=True)
    message = info.value.message.lower()
    assert "start a new" not in message and "ignored" not in message
    assert "goes on" not in message and message.endswith(".")


def test_after_the_providers_refusal_nothing_for_the_attempt_is_taken(tmp_path: Path) -> None:
    """The provider's own refusal (this attempt's state and iss) ends the attempt: a code
    with the same state and iss afterwards is refused, and a new attempt takes one."""
    session = new_session(tmp_path)
    state = session.state.state
    with pytest.raises(OAuthError):
        session.accept_callback(f"{BASE}?error=access_denied&state={state}&iss={ISS}")
    late = f"{BASE}?code=late-code&state={state}&iss={ISS}"
    with pytest.raises(AttemptRefusedError):
        session.check_callback(late)
    with pytest.raises(AttemptRefusedError):
        session.accept_callback(late)
    assert session.state.code == "" and not session.code_usable()
    session.begin_authorization()
    fresh = session.accept_callback(f"{BASE}?code=new-code&state={session.state.state}&iss={ISS}")
    assert fresh.code == "new-code" and session.code_usable()


def test_a_refusal_that_is_not_this_attempts_ends_nothing(tmp_path: Path) -> None:
    session = new_session(tmp_path)
    state = session.state.state
    with pytest.raises(ForeignRefusalError):
        session.accept_callback(f"{BASE}?error=access_denied&state={state}&iss=https://x.example")
    assert session.accept_callback(f"{BASE}?code=c&state={state}&iss={ISS}").code == "c"


def test_a_refusal_after_the_code_ends_the_attempt_and_its_code(tmp_path: Path) -> None:
    """The provider's refusal with this attempt's state and iss ends it, even once a code
    came: the code is not offered to Exchange any more, and a new attempt starts over."""
    session = new_session(tmp_path)
    state = session.state.state
    session.accept_callback(f"{BASE}?code=first&state={state}&iss={ISS}")
    assert session.code_usable()
    with pytest.raises(OAuthError):
        session.accept_callback(f"{BASE}?error=access_denied&state={state}&iss={ISS}")
    assert not session.code_usable()
    session.begin_authorization()
    assert not session.attempt_refused()
