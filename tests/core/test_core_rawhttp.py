"""Raw HTTP rendering, masking and curl (the raw view the product promises)."""

from __future__ import annotations

import base64
import json
import shlex
from dataclasses import replace
from urllib.parse import quote, quote_plus

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.exchange import Exchange
from tui.core.flow import authorize_request, profile_request, refresh_request, token_request
from tui.core.masking import MASK
from tui.core.providers import ClientAuth, Provider
from tui.core.rawhttp import (
    MAX_BODY_CHARS,
    pretty_json,
    render_curl,
    render_request,
    render_response,
    request_text,
    response_text,
)
from tui.core.state import DanceState
from tui.core.steps import Step

PROVIDER = Provider(
    name="test",
    title="Test",
    authorize_endpoint="https://as.example/authorize",
    token_endpoint="https://as.example/api/token",
    profile_endpoint="https://api.example/v1/me",
)
SECRET = "client-secret-0123"
CODE = "AQD-code-4567"
ACCESS = "BQA-access-token-89"
REFRESH = "AQB-refresh-token-01"
ID_TOKEN = "eyJ.id-token.sig"


def attempt(method: ClientAuth = ClientAuth.POST, **changes: object) -> DanceState:
    state = DanceState(
        client_id="cid",
        client_secret=SECRET,
        redirect_uri="http://127.0.0.1:8888/callback",
        scope="user-read-email",
        auth_method=method,
    ).new_attempt()
    return replace(state, **changes)  # type: ignore[arg-type]


def token_answer(body: dict[str, object] | None = None) -> httpx.Response:
    body = body or {
        "access_token": ACCESS,
        "token_type": "Bearer",
        "expires_in": 3600,
        "refresh_token": REFRESH,
        "id_token": ID_TOKEN,
        "scope": "user-read-email",
    }
    return httpx.Response(
        200,
        headers={"Content-Type": "application/json", "Cache-Control": "no-store"},
        content=json.dumps(body).encode(),
        request=httpx.Request("POST", PROVIDER.token_endpoint),
    )


# --- unmasked rendering ----------------------------------------------------------


def test_request_text_is_what_httpx_built() -> None:
    request = token_request(PROVIDER, attempt(), CODE)
    lines = request_text(request).split("\n")
    assert lines[0] == "POST /api/token HTTP/1.1"
    header_lines = lines[1 : 1 + len(request.headers.raw)]
    assert header_lines == [f"{k.decode()}: {v.decode()}" for k, v in request.headers.raw]
    assert [line.split(":")[0] for line in header_lines] == [
        "Host",
        "User-Agent",
        "Accept",
        "Content-Length",
        "Content-Type",
    ]
    assert lines[1 + len(request.headers.raw)] == ""
    assert "\n".join(lines[2 + len(request.headers.raw) :]) == request.content.decode()


def test_request_line_of_the_authorization_request_has_the_query() -> None:
    request = authorize_request(PROVIDER, attempt())
    first = request_text(request).split("\n")[0]
    assert first == f"GET {request.url.raw_path.decode()} HTTP/1.1"
    assert first.startswith("GET /authorize?client_id=cid&response_type=code&")
    assert not request_text(request).endswith("\n")


def test_response_text_status_headers_body() -> None:
    response = token_answer()
    lines = response_text(response).split("\n")
    assert lines[0] == "HTTP/1.1 200 OK"
    assert lines[1:4] == [
        "Content-Type: application/json",
        "Cache-Control: no-store",
        f"Content-Length: {len(response.content)}",
    ]
    assert lines[4] == ""
    assert lines[5] == response.text


def test_pretty_json() -> None:
    response = token_answer()
    pretty = response_text(response, pretty=True)
    body = pretty.split("\n\n", 1)[1]
    assert body.startswith('{\n  "access_token": ')
    assert json.loads(body) == json.loads(response.text)
    assert pretty_json("<html>") == "<html>"
    assert pretty_json('{"name": "Zoë"}') == '{\n  "name": "Zoë"\n}'


# --- masking --------------------------------------------------------------------


def test_request_masks_secret_code_and_verifier_in_the_body() -> None:
    state = attempt(ClientAuth.POST)
    request = token_request(PROVIDER, state, CODE)
    shown = render_request(request)
    for value in (SECRET, CODE, state.code_verifier):
        assert value not in shown
    assert f"client_secret={MASK}" in shown
    assert f"code={MASK}" in shown
    assert f"code_verifier={MASK}" in shown
    assert "grant_type=authorization_code" in shown
    assert "client_id=cid" in shown


def test_basic_authorization_is_masked() -> None:
    request = token_request(PROVIDER, attempt(ClientAuth.BASIC), CODE)
    credential = request.headers["authorization"].split(" ", 1)[1]
    shown = render_request(request)
    assert credential not in shown
    [line] = [line for line in shown.split("\n") if line.startswith("Authorization: ")]
    assert MASK in line


def test_bearer_authorization_is_masked() -> None:
    request = profile_request(PROVIDER, attempt(token=ACCESS))
    shown = render_request(request)
    assert ACCESS not in shown
    [line] = [line for line in shown.split("\n") if line.startswith("Authorization: ")]
    assert MASK in line


def test_refresh_token_masked_in_refresh_request() -> None:
    request = refresh_request(PROVIDER, attempt(ClientAuth.NONE, refresh=REFRESH))
    assert REFRESH not in render_request(request)
    assert REFRESH not in render_curl(request)


def test_response_masks_tokens_pretty_and_raw() -> None:
    response = token_answer()
    for pretty in (False, True):
        shown = render_response(response, pretty=pretty)
        for value in (ACCESS, REFRESH, ID_TOKEN):
            assert value not in shown
        assert "user-read-email" in shown
        assert MASK in shown


def test_known_secrets_are_masked_anywhere() -> None:
    response = httpx.Response(
        400,
        json={"error": "invalid_client", "error_description": f"bad secret {SECRET}"},
    )
    assert SECRET not in render_response(response, known=[SECRET])
    assert SECRET in render_response(response)


def test_code_in_a_location_header_is_masked() -> None:
    response = httpx.Response(
        302, headers={"Location": f"http://127.0.0.1:8888/callback?code={CODE}&state=xyz"}
    )
    shown = render_response(response)
    assert CODE not in shown
    assert "state=xyz" in shown


def test_json_with_escaped_slashes_is_masked() -> None:
    # PHP and some Java servers escape '/' in JSON strings.
    token = "abc/def+ghi/jkl=="
    raw = '{"access_token":"abc\\/def+ghi\\/jkl==","token_type":"Bearer"}'
    response = httpx.Response(200, headers={"Content-Type": "application/json"}, text=raw)
    assert json.loads(raw)["access_token"] == token
    shown = render_response(response, pretty=False)
    assert "abc\\/def" not in shown
    assert token not in shown


def test_a_token_cut_by_truncation_is_still_masked() -> None:
    token = "T" * 200
    head = '{"pad":"'
    tail = '","access_token":"'
    pad = MAX_BODY_CHARS - len(head) - len(tail) - 5  # the cut falls inside the token
    body = f'{head}{"p" * pad}{tail}{token}"}}'
    response = httpx.Response(200, headers={"Content-Type": "application/json"}, text=body)
    shown = render_response(response)
    assert "more characters not shown" in shown
    assert "TTTT" not in shown
    request = httpx.Request("POST", "https://as.example/t", data={"pad": "p" * pad, "code": token})
    assert "TTTT" not in render_request(request)


def test_reveal_gives_the_raw_text() -> None:
    state = attempt(ClientAuth.BASIC)
    request = token_request(PROVIDER, state, CODE)
    assert render_request(request, reveal=True) == request_text(request)
    assert CODE in render_request(request, reveal=True)
    response = token_answer()
    assert render_response(response, reveal=True) == response_text(response)
    assert ACCESS in render_response(response, reveal=True, pretty=True)


def test_response_view_shows_control_characters_as_escapes() -> None:
    response = httpx.Response(500, headers={"X-Evil": "a\x1b[2Jb"}, text="oops\x1b[2J\x07\rgone")
    for reveal in (False, True):
        shown = render_response(response, reveal=reveal)
        assert "\x1b" not in shown and "\x07" not in shown and "\r" not in shown
        assert "oops\\x1b[2J\\x07\\rgone" in shown
        assert "X-Evil: a\\x1b[2Jb" in shown


# --- curl -----------------------------------------------------------------------


def parse_curl(text: str) -> tuple[str, str, dict[str, str], str | None]:
    argv = shlex.split(text)
    assert argv[0] == "curl"
    method, url, headers, data = "GET", "", {}, None
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg == "-X":
            method, i = argv[i + 1], i + 2
        elif arg == "-H":
            name, _, value = argv[i + 1].partition(": ")
            headers[name.lower()] = value
            i += 2
        elif arg == "--data-raw":
            data, i = argv[i + 1], i + 2
        else:
            assert not url, f"unexpected argument {arg!r}"
            url, i = arg, i + 1
    return method, url, headers, data


def test_unmasked_curl_parses_back_into_the_request() -> None:
    state = attempt(ClientAuth.BASIC, client_secret='it\'s a "secret" $HOME `x` \\ é')
    request = token_request(PROVIDER, state, CODE)
    method, url, headers, data = parse_curl(render_curl(request, reveal=True))
    assert method == "POST"
    assert url == str(request.url)
    expected = {
        k.lower(): v
        for k, v in request.headers.items()
        if k.lower() not in ("host", "content-length")
    }
    assert headers == expected
    assert data == request.content.decode()


def test_curl_of_a_get_has_no_method_and_no_body() -> None:
    request = authorize_request(PROVIDER, attempt())
    method, url, _headers, data = parse_curl(render_curl(request, reveal=True))
    assert method == "GET"
    assert url == str(request.url)
    assert data is None


def test_curl_is_masked_by_default() -> None:
    state = attempt(ClientAuth.BASIC)
    request = token_request(PROVIDER, state, CODE)
    curl = render_curl(request)
    credential = request.headers["authorization"].split(" ", 1)[1]
    for value in (credential, CODE, state.code_verifier):
        assert value not in curl
    shlex.split(curl)  # still a valid command line


# --- property: a secret never leaks in any encoding --------------------------------

SPECIALS = "+/=&%:\"\\'"
NON_ASCII = "éü日本🔑ß"
SECRET_TEXT = st.tuples(
    st.text(alphabet=SPECIALS + NON_ASCII + "abcXYZ019-_. ", min_size=6, max_size=40),
    st.sampled_from(SPECIALS),
    st.sampled_from(NON_ASCII),
    st.integers(min_value=0, max_value=40),
).map(lambda t: t[0][: t[3]] + t[1] + t[2] + t[0][t[3] :])


def encodings(secret: str, client_id: str) -> set[str]:
    pair = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
    return {
        secret,
        quote_plus(secret),
        quote(secret, safe=""),
        base64.b64encode(pair).decode(),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
    }


def assert_hidden(secret: str, shown: str) -> None:
    for form in encodings(secret, "cid"):
        assert form not in shown, f"{form!r} leaked"


@settings(max_examples=150, deadline=None)
@given(SECRET_TEXT, st.sampled_from(list(ClientAuth)))
def test_secret_never_appears_in_masked_request_or_curl(secret: str, method: ClientAuth) -> None:
    assert len(secret) >= 8
    state = attempt(method, client_secret=secret, refresh=secret, token=secret)
    requests = [token_request(PROVIDER, state, secret), refresh_request(PROVIDER, state)]
    if secret.isascii():  # an HTTP header carries ASCII only
        requests.append(profile_request(PROVIDER, state))
    for request in requests:
        assert_hidden(secret, render_request(request))
        assert_hidden(secret, render_curl(request))
        exchange = Exchange(step=Step.EXCHANGE, request=request)
        assert_hidden(secret, exchange.request_view())
        assert_hidden(secret, exchange.curl())


@settings(max_examples=150, deadline=None)
@given(SECRET_TEXT, st.booleans(), st.sampled_from(["access_token", "refresh_token", "id_token"]))
def test_secret_never_appears_in_masked_response(secret: str, ascii_only: bool, key: str) -> None:
    body = {"access_token": "a-token", "token_type": "Bearer", key: secret}
    response = httpx.Response(
        200,
        headers={"Content-Type": "application/json; charset=utf-8"},
        content=json.dumps(body, ensure_ascii=ascii_only).encode("utf-8"),
        request=httpx.Request("POST", PROVIDER.token_endpoint),
    )
    for pretty in (False, True):
        assert_hidden(secret, render_response(response, pretty=pretty))
        exchange = Exchange(step=Step.EXCHANGE, request=response.request, response=response)
        assert_hidden(secret, exchange.response_view(pretty=pretty))
    revealed = render_response(response, pretty=True, reveal=True)
    assert json.dumps(secret, ensure_ascii=False)[1:-1] in revealed


@settings(max_examples=100, deadline=None)
@given(SECRET_TEXT)
def test_form_encoded_token_answer_is_masked(secret: str) -> None:
    response = httpx.Response(
        200,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        content=f"access_token={quote_plus(secret)}&token_type=bearer".encode(),
    )
    assert_hidden(secret, render_response(response))


def test_a_short_secret_is_masked_where_it_stands_whole_not_inside_words() -> None:
    from tui.core.masking import mask_text

    text = 'Authorization: Bearer T\ntoken=T&hint=x {"access_token": "T"} Token Tamper'
    assert mask_text(text, {"T"}) == (
        f'Authorization: Bearer {MASK}\ntoken={MASK}&hint=x {{"access_token": "{MASK}"}} '
        "Token Tamper"
    )
    request = httpx.Request("GET", "https://api.example/me", headers={"Authorization": "Bearer ab"})
    assert f"Authorization: Bearer {MASK}" in render_request(request)
    assert "Bearer ab" not in render_curl(request)
