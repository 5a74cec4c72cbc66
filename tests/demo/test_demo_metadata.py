"""RFC 8414 metadata, the index page, and the server object's API."""

from __future__ import annotations

import logging
import socket

import httpx
import pytest
from demo_dance import Dance

from tui.core.scopes import DEMO_SCOPES
from tui.demo import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    PUBLIC_CLIENT_ID,
    DemoServer,
    DemoServerError,
)


def test_metadata_document(dance: Dance) -> None:
    base = dance.server.base_url
    answer = dance.http.get(f"{base}/.well-known/oauth-authorization-server")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    meta = answer.json()
    assert meta["issuer"] == base == dance.server.issuer
    assert meta["authorization_endpoint"] == f"{base}/authorize"
    assert meta["token_endpoint"] == f"{base}/api/token"
    assert meta["profile_endpoint"] == f"{base}/v1/me"
    assert meta["response_types_supported"] == ["code"]
    assert meta["grant_types_supported"] == [
        "authorization_code",
        "refresh_token",
        "urn:ietf:params:oauth:grant-type:device_code",
    ]
    assert meta["device_authorization_endpoint"] == f"{base}/api/device"
    assert set(meta["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic",
        "client_secret_post",
        "none",
    }
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["scopes_supported"] == [s.name for s in DEMO_SCOPES]
    assert meta["authorization_response_iss_parameter_supported"] is True


def test_index_page(dance: Dance) -> None:
    page = dance.http.get(dance.server.base_url + "/")
    assert page.status_code == 200
    assert DEFAULT_CLIENT_ID in page.text and PUBLIC_CLIENT_ID in page.text
    assert DEFAULT_CLIENT_SECRET not in page.text


def test_server_api() -> None:
    server = DemoServer()
    assert server.client_id == DEFAULT_CLIENT_ID
    assert server.client_secret == DEFAULT_CLIENT_SECRET
    assert server.public_client_id == PUBLIC_CLIENT_ID
    with server as running:
        assert running is server
        assert server.base_url.startswith("http://127.0.0.1:")
        assert server.issuer == server.base_url
        assert DEFAULT_CLIENT_SECRET not in repr(server)
        assert httpx.get(server.metadata_url, trust_env=False).status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.metadata_url, trust_env=False)
    server.stop()  # twice is fine


def test_busy_port_is_a_clear_error() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(DemoServerError) as info:
            DemoServer(port=port).start()
    assert str(info.value) == f"Port {port} on 127.0.0.1 is already in use."


def test_listens_on_loopback_only(dance: Dance) -> None:
    assert dance.server.base_url.startswith("http://127.0.0.1:")
    assert dance.server.redirect_uris[:2] == (
        "http://127.0.0.1/callback",
        "http://[::1]/callback",
    )


def test_foreign_host_header_refused(dance: Dance) -> None:
    """DNS rebinding: a page whose name resolves to 127.0.0.1 must not reach the server."""
    url = dance.server.metadata_url
    assert dance.http.get(url, headers={"Host": "evil.example"}).status_code == 400
    port = dance.server.base_url.rsplit(":", 1)[1]
    assert dance.http.get(url, headers={"Host": f"localhost:{port}"}).status_code == 200


def test_no_token_or_secret_in_logs(dance: Dance, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    code, _ = dance.code_for()
    tokens = dance.exchange(code).json()
    dance.me(tokens["access_token"])
    dance.refresh(tokens["refresh_token"])
    dance.exchange(code)  # an error path too
    server_side = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    text = "\n".join(r.getMessage() for r in server_side)
    for secret in (code, tokens["access_token"], tokens["refresh_token"], DEFAULT_CLIENT_SECRET):
        assert secret not in text
