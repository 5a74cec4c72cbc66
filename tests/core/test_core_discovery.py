"""Issuer discovery (RFC 8414, OpenID Connect Discovery)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tui.core.discovery import DiscoveryError, discover, metadata_urls, parse_metadata
from tui.core.errors import ConfigError, DanceError, ResponseFormatError
from tui.core.providers import ISS_SUPPORTED, Provider, with_endpoints
from tui.core.transport import new_client
from tui.demo import DemoServer

META: dict[str, Any] = {
    "issuer": "https://id.example/tenant/v2",
    "authorization_endpoint": "https://id.example/tenant/v2/authorize",
    "token_endpoint": "https://id.example/tenant/v2/token",
    "userinfo_endpoint": "https://id.example/tenant/v2/userinfo",
    "revocation_endpoint": "https://id.example/tenant/v2/revoke",
    "code_challenge_methods_supported": ["S256"],
}


def test_metadata_urls_without_path() -> None:
    expected = [
        "https://as.example/.well-known/oauth-authorization-server",
        "https://as.example/.well-known/openid-configuration",
    ]
    assert metadata_urls("https://as.example") == expected
    assert metadata_urls("https://as.example/") == expected


def test_metadata_urls_with_path() -> None:
    assert metadata_urls("https://id.example/tenant/v2") == [
        "https://id.example/.well-known/oauth-authorization-server/tenant/v2",
        "https://id.example/tenant/v2/.well-known/openid-configuration",
    ]


@pytest.mark.parametrize("issuer", ["", "id.example", "ftp://id.example", "https://"])
def test_metadata_urls_refuse_non_urls(issuer: str) -> None:
    with pytest.raises(ConfigError):
        metadata_urls(issuer)


def test_parse_metadata_uses_userinfo_as_profile() -> None:
    endpoints = parse_metadata(httpx.Response(200, json=META), "https://id.example/tenant/v2/")
    assert endpoints == {
        "authorize_endpoint": META["authorization_endpoint"],
        "token_endpoint": META["token_endpoint"],
        "profile_endpoint": META["userinfo_endpoint"],
        "revocation_endpoint": META["revocation_endpoint"],
    }


def test_parse_metadata_refuses_another_issuer() -> None:
    forged = {**META, "issuer": "https://evil.example/tenant/v2"}
    with pytest.raises(ResponseFormatError) as info:
        parse_metadata(httpx.Response(200, json=forged), "https://id.example/tenant/v2")
    assert "evil.example" in info.value.message


def test_another_issuer_with_escapes_is_shown_with_them_visible_once() -> None:
    forged = {**META, "issuer": "\x1b]52;c;cHduZWQ=\x07\x1b[2Jx"}
    with pytest.raises(ResponseFormatError) as info:
        parse_metadata(httpx.Response(200, json=forged), "https://id.example/tenant/v2")
    assert "names issuer '\\x1b]52;c;cHduZWQ=\\x07\\x1b[2Jx', not" in info.value.message
    assert "\x1b" not in info.value.message


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<html>login</html>"),
        httpx.Response(200, json=["not", "an", "object"]),
        httpx.Response(200, json={k: v for k, v in META.items() if k != "token_endpoint"}),
        httpx.Response(200, json={k: v for k, v in META.items() if k != "issuer"}),
    ],
)
def test_parse_metadata_refuses_non_metadata(response: httpx.Response) -> None:
    with pytest.raises(ResponseFormatError):
        parse_metadata(response, "https://id.example/tenant/v2")


async def test_discover_falls_back_to_openid_configuration() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path.endswith("/openid-configuration"):
            return httpx.Response(200, json=META)
        return httpx.Response(404, text="not found")

    async with new_client(httpx.MockTransport(handler)) as client:
        endpoints = await discover(client, "https://id.example/tenant/v2")
    assert endpoints["token_endpoint"] == META["token_endpoint"]
    assert seen == metadata_urls("https://id.example/tenant/v2")


async def test_discover_reports_every_failure() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if "oauth-authorization-server" in request.url.path:
            return httpx.Response(500, text="boom")
        return httpx.Response(200, json={**META, "issuer": "https://other.example"})

    async with new_client(httpx.MockTransport(handler)) as client:
        with pytest.raises(DanceError) as info:
            await discover(client, "https://id.example/tenant/v2")
    assert "HTTP 500" in info.value.message
    assert "other.example" in info.value.message


async def test_a_failed_discovery_names_itself_once() -> None:
    """The error's title (the panel's heading) says "Discovery failed"; its message,
    shown under it, does not say it again."""
    async with new_client(httpx.MockTransport(lambda r: httpx.Response(404))) as client:
        with pytest.raises(DiscoveryError) as info:
            await discover(client, "https://id.example")
    assert info.value.title == "Discovery failed"
    assert "discovery failed" not in info.value.message.lower()
    assert "openid-configuration: HTTP 404" in info.value.message
    # It names the issuer: on the command line it is all that is said, with no title.
    assert info.value.message.startswith("No usable metadata for the issuer https://id.example.")


@pytest.mark.parametrize(
    ("member", "value", "said"),
    [
        ("authorization_endpoint", "https://id.example/auth\x07orize", "holds '\\x07'"),
        ("token_endpoint", "http://[::1/token", "is not a valid URL"),
        ("userinfo_endpoint", "javascript:alert(1)", "is not an https URL"),
        ("revocation_endpoint", {"url": "https://id.example/revoke"}, "is not text but dict"),
    ],
)
def test_parse_metadata_refuses_an_unusable_endpoint(member: str, value: object, said: str) -> None:
    broken = {**META, member: value}
    with pytest.raises(ResponseFormatError) as info:
        parse_metadata(httpx.Response(200, json=broken), "https://id.example/tenant/v2")
    assert f"The metadata's {member} " in info.value.message
    assert said in info.value.message
    assert "\x07" not in info.value.message


def test_parse_metadata_refuses_a_deep_document_by_name() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(ResponseFormatError) as info:
        parse_metadata(httpx.Response(200, text=deep), "https://id.example/tenant/v2")
    assert "nested more than 64 levels deep" in info.value.message


async def test_the_demo_metadata_promises_iss_and_the_provider_keeps_the_promise(
    demo_server: DemoServer,
) -> None:
    """RFC 9207 §3: the flag read from real metadata on loopback reaches the provider."""
    async with new_client(url=demo_server.issuer) as client:
        endpoints = await discover(client, demo_server.issuer)
    assert endpoints[ISS_SUPPORTED] == "true"
    bare = Provider(name="x", title="x", authorize_endpoint="", token_endpoint="")
    assert with_endpoints(bare, endpoints).iss_parameter_supported
    without = parse_metadata(httpx.Response(200, json=META), META["issuer"])
    assert ISS_SUPPORTED not in without
    assert not with_endpoints(bare, without).iss_parameter_supported
    not_true = {**META, ISS_SUPPORTED: "yes"}
    assert ISS_SUPPORTED not in parse_metadata(httpx.Response(200, json=not_true), META["issuer"])


async def test_discovery_finds_the_demo_jwks_uri(demo_server: DemoServer) -> None:
    """OpenID Connect Discovery: the keys' location reaches the provider."""
    async with new_client(url=demo_server.issuer) as client:
        endpoints = await discover(client, demo_server.issuer)
    bare = Provider(name="x", title="x", authorize_endpoint="", token_endpoint="")
    assert with_endpoints(bare, endpoints).jwks_uri == f"{demo_server.issuer}/.well-known/jwks.json"
    with pytest.raises(ResponseFormatError, match="jwks_uri"):
        parse_metadata(httpx.Response(200, json={**META, "jwks_uri": "ftp://x"}), META["issuer"])
