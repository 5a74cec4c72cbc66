"""The whole dance against a real DemoServer: confidential (Basic, body) and public (PKCE)."""

from __future__ import annotations

from demo_dance import SCOPES, Dance, parse_forms, pkce_pair, query_of


def test_confidential_dance_with_basic(dance: Dance) -> None:
    server = dance.server
    page = dance.authorize(**dance.authorize_params(state="state-basic"))
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "<script" not in page.text.lower()
    assert server.client_id in page.text
    assert "user-read-email" in page.text and "Read your email address." in page.text
    assert "user-read-private" in page.text

    answer = dance.submit(page, "Approve")
    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith(server.callback_url + "?")
    query = query_of(location)
    assert query["state"] == "state-basic"
    assert query["iss"] == server.issuer
    code = query["code"]

    # Follow the redirect: the server's own /callback page shows the code.
    callback = dance.http.get(location)
    assert callback.status_code == 200
    assert code in callback.text
    assert "paste" in callback.text.lower()

    tokens = dance.exchange(code, auth="basic")
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert set(body["scope"].split()) == set(SCOPES.split())
    assert body["access_token"] and body["refresh_token"]
    assert tokens.headers["cache-control"] == "no-store"

    me = dance.me(body["access_token"])
    assert me.status_code == 200
    profile = me.json()
    user_id = profile["id"]
    assert profile["uri"] == f"spotify:user:{user_id}"
    assert profile["type"] == "user"
    assert profile["followers"] == {"href": None, "total": 0}
    assert profile["images"] == []
    assert profile["href"].startswith(server.base_url)
    assert "spotify" in profile["external_urls"]
    assert profile["display_name"]
    assert {"email", "country", "product"} <= profile.keys()

    refreshed = dance.refresh(body["refresh_token"], auth="basic")
    assert refreshed.status_code == 200, refreshed.text
    new = refreshed.json()
    assert new["access_token"] != body["access_token"]
    assert "refresh_token" not in new
    assert dance.me(new["access_token"]).status_code == 200


def test_confidential_dance_with_secret_in_body(dance: Dance) -> None:
    code, query = dance.code_for(scope="user-read-email", state="s-body")
    assert query["state"] == "s-body"
    tokens = dance.exchange(code, auth="body")
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    assert body["scope"] == "user-read-email"

    profile = dance.me(body["access_token"]).json()
    assert "email" in profile
    assert "country" not in profile and "product" not in profile

    refreshed = dance.refresh(body["refresh_token"], auth="body")
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["scope"] == "user-read-email"


def test_public_client_dance_with_pkce(dance: Dance) -> None:
    server = dance.server
    verifier, challenge = pkce_pair()
    redirect = "http://127.0.0.1:43117/callback"  # RFC 8252: any port on loopback
    page = dance.authorize(
        **dance.authorize_params(
            client_id=server.public_client_id,
            redirect_uri=redirect,
            scope="user-read-private",
            code_challenge=challenge,
            code_challenge_method="S256",
        )
    )
    assert page.status_code == 200, page.text
    assert server.public_client_id in page.text
    answer = dance.submit(page, "Approve")
    location = answer.headers["location"]
    assert location.startswith(redirect + "?")
    query = query_of(location)
    assert query["iss"] == server.issuer

    tokens = dance.exchange(
        query["code"],
        redirect_uri=redirect,
        auth="none",
        client_id=server.public_client_id,
        extra={"code_verifier": verifier},
    )
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    profile = dance.me(body["access_token"]).json()
    assert "country" in profile and "product" in profile
    assert "email" not in profile

    refreshed = dance.refresh(body["refresh_token"], auth="none", client_id=server.public_client_id)
    assert refreshed.status_code == 200, refreshed.text
    rotated = refreshed.json()["refresh_token"]
    assert rotated != body["refresh_token"]


def test_no_scope_gives_public_profile_only(dance: Dance) -> None:
    tokens = dance.tokens(scope="")
    assert tokens["scope"] == ""
    profile = dance.me(tokens["access_token"]).json()
    assert not {"email", "country", "product"} & profile.keys()


def test_ipv6_loopback_redirect_any_port(dance: Dance) -> None:
    redirect = "http://[::1]:61000/callback"
    code, _ = dance.code_for(redirect_uri=redirect)
    assert dance.exchange(code, redirect_uri=redirect).status_code == 200


def test_denial_redirects_with_access_denied_and_state(dance: Dance) -> None:
    page = dance.authorize(**dance.authorize_params(state="deny-me"))
    answer = dance.submit(page, "Deny")
    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith(dance.server.callback_url + "?")
    query = query_of(location)
    assert query["error"] == "access_denied"
    assert query["state"] == "deny-me"
    assert query["iss"] == dance.server.issuer
    assert "code" not in query

    callback = dance.http.get(location)
    assert callback.status_code == 200
    assert "access_denied" in callback.text


def test_consent_answers_once(dance: Dance) -> None:
    page = dance.authorize(**dance.authorize_params())
    assert dance.submit(page, "Approve").status_code == 302
    again = dance.submit(page, "Approve")
    assert again.status_code == 400
    assert "location" not in again.headers


def test_consent_page_escapes_state(dance: Dance) -> None:
    page = dance.authorize(**dance.authorize_params(state='<b>"x"&</b>'))
    assert page.status_code == 200
    assert "<b>" not in page.text
    assert "&lt;b&gt;" in page.text
    (form,) = parse_forms(page.text)
    assert [v for _, v in form.submits] == ["Approve", "Deny"]


def test_callback_page_escapes_everything(dance: Dance) -> None:
    page = dance.http.get(
        f"{dance.base}/callback",
        params={"error": "<script>x</script>", "error_description": "<i>", "state": "<s>"},
    )
    assert page.status_code == 200
    assert "<script>" not in page.text and "<i>" not in page.text and "<s>" not in page.text
    code_page = dance.http.get(f"{dance.base}/callback", params={"code": "<img src=x>"})
    assert "<img" not in code_page.text
