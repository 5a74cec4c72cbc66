"""Transport rules in the wizard: an unverifiable certificate is refused with no way
around it, and plain http to a host that is not loopback is refused before sending."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trustme

from tests.app.wizard import settle
from tests.faults import badserver
from tests.faults.badserver import BadServer
from tests.faults.faultapp import bad_app, mock, panel_text, subtitle, toasts
from tui.core.transport import new_client, send, tls_context
from tui.core.transport_errors import NetworkError

BYPASS_WORDS = ("insecure", "anyway", "skip", "ignore", "trust", "verify")


@pytest.fixture(scope="module")
def test_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def untrusted_tls(test_ca: trustme.CA) -> ssl.SSLContext:
    """A server context whose certificate chains to a CA nobody trusts (made for the test)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    test_ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def trusted_test_ca(
    test_ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The test CA as the CA bundle (``SSL_CERT_FILE``), for as long as the test runs."""
    bundle = tmp_path / "ca.pem"
    test_ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    tls_context.cache_clear()
    yield
    tls_context.cache_clear()


async def test_unverified_certificate_is_refused_with_no_way_around(
    isolated_environment: Path, untrusted_tls: ssl.SSLContext
) -> None:
    behaviour = badserver.answer("200 OK", b'{"access_token":"x"}')
    async with BadServer(behaviour, tls=untrusted_tls) as server:
        assert server.base_url.startswith("https://127.0.0.1:")
        app = bad_app(isolated_environment, server.base_url)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("3", "s")
            await settle(pilot)
            assert subtitle(app).startswith("Network problem")
            panel = panel_text(app)
            assert "The TLS certificate of 127.0.0.1 did not verify" in panel
            assert "unable to get local issuer certificate" in panel
            assert "nothing was sent" in panel and "never skips the check" in panel
            assert any("did not verify" in t for t in toasts(app))
            # No key on this screen or the app offers to go on without the check.
            for binding in app.active_bindings.values():
                described = f"{binding.binding.action} {binding.binding.description}".lower()
                assert not any(word in described for word in BYPASS_WORDS), described
            # Trying again is refused again.
            await pilot.press("s", "s")
            await settle(pilot)
            assert "did not verify" in panel_text(app)
            assert app.session.state.token == "fault-access-token-0123456789"
    assert server.seen == [], "no HTTP request went over the unverified connection"


@pytest.mark.parametrize(
    ("endpoint", "key", "host"),
    [
        ("token_endpoint", "3", "example.com"),
        ("token_endpoint", "5", "10.0.0.5"),
        ("profile_endpoint", "4", "api.example.com"),
    ],
)
async def test_plain_http_beyond_loopback_is_refused_before_sending(
    endpoint: str, key: str, host: str, isolated_environment: Path
) -> None:
    reached: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        reached.append(request)
        return httpx.Response(200, json={"access_token": "x"})

    app = bad_app(
        isolated_environment,
        transport=mock(record),
        **{endpoint: f"http://{host}/oauth"},
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(key, "s")
        await settle(pilot)
        assert subtitle(app).startswith("Refused: plain http")
        assert f"Refusing to send to http://{host}" in panel_text(app)
    assert reached == [], "nothing may be sent, not even a connection attempt"


async def test_a_client_made_for_plain_http_trusts_no_certificate(
    untrusted_tls: ssl.SSLContext, trusted_test_ca: None
) -> None:
    """A client for a plain-http URL loads no CA bundle; should it meet TLS, it refuses
    even a certificate the bundle would trust."""
    behaviour = badserver.answer("200 OK", b"{}")
    async with BadServer(behaviour, tls=untrusted_tls) as server:
        request = httpx.Request("GET", f"{server.base_url}/token")
        async with new_client(url=request.url) as client:
            assert (await send(client, request)).response.status_code == 200
        async with new_client(url=request.url.copy_with(scheme="http")) as client:
            with pytest.raises(NetworkError) as refused:
                await send(client, request)
    assert "did not verify" in refused.value.message
    assert len(server.seen) == 1, "only the verified client's request reached the server"
