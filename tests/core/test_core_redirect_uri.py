"""The redirect URI check (RFC 8252 §7.3, §8.3; Spotify's 2025 rules)."""

from __future__ import annotations

import pytest

from tui.core.providers import GITHUB, GOOGLE, SPOTIFY, Provider, demo_provider
from tui.core.redirect_uri import Verdict, check_redirect_uri, is_loopback_host


@pytest.mark.parametrize(
    ("uri", "port"),
    [
        ("http://127.0.0.1:8888/callback", 8888),
        ("http://127.0.0.1:1/cb", 1),
        ("http://127.0.0.1:65535/", 65535),
        ("http://127.0.0.1/callback", 80),
        ("http://[::1]:43123/callback", 43123),
        ("  http://[::1]:9/cb  ", 9),
    ],
)
def test_loopback_literals_with_any_port_are_ok(uri: str, port: int) -> None:
    check = check_redirect_uri(uri)
    assert check.verdict is Verdict.OK
    assert check.ok
    assert check.loopback_port == port


@pytest.mark.parametrize(
    "uri", ["https://example.com/callback", "https://app.example:8443/cb?x=1", "https://127.0.0.1/"]
)
def test_https_is_ok(uri: str) -> None:
    check = check_redirect_uri(uri)
    assert check.verdict is Verdict.OK


@pytest.mark.parametrize("uri", ["http://localhost:8888/callback", "http://LOCALHOST/cb"])
def test_localhost_is_flagged(uri: str) -> None:
    check = check_redirect_uri(uri, SPOTIFY)
    assert check.verdict is Verdict.WARN
    assert check.ok
    assert "refused by Spotify since 2025" in check.reason


@pytest.mark.parametrize("provider", [None, GITHUB, GOOGLE])
def test_localhost_names_spotify_only_on_spotify(provider: Provider | None) -> None:
    """A QA find: every provider's hint said "'localhost' is refused by Spotify"."""
    check = check_redirect_uri("http://localhost:8888/callback", provider)
    assert check.verdict is Verdict.WARN
    assert "Spotify" not in check.reason and "refused" not in check.reason
    assert "RFC 8252 §8.3 advises a loopback IP literal" in check.reason
    assert "use http://127.0.0.1:8888/callback instead." in check.reason


DEMO = demo_provider("http://127.0.0.1:4321")


@pytest.mark.parametrize(
    "uri",
    [
        "https://example.com/cb",
        "http://localhost:8888/callback",
        "http://127.0.0.1:8888/cb",
        "http://127.0.0.1:8888/callback?x=1",
    ],
)
def test_the_demo_promises_only_the_redirect_uris_it_registers(uri: str) -> None:
    """A QA find: on the demo, https://example.com/cb got "✓ https: accepted by every
    provider", then g failed with "Mismatching redirect URI"."""
    check = check_redirect_uri(uri, DEMO)
    assert check.verdict is Verdict.WARN
    assert "Spotify" not in check.reason
    assert check.reason == (
        "Embedded demo server takes only http://127.0.0.1/callback or "
        "http://[::1]/callback, on any port: this one gets 'Mismatching redirect URI'."
    )


@pytest.mark.parametrize(
    "uri",
    ["http://127.0.0.1:8888/callback", "http://[::1]:9/callback", "http://127.0.0.1/callback"],
)
def test_the_demos_registered_uris_are_ok_on_any_port(uri: str) -> None:
    assert check_redirect_uri(uri, DEMO).verdict is Verdict.OK


@pytest.mark.parametrize(
    ("uri", "suggested"),
    [
        ("http://localhost:8888/callback", "http://127.0.0.1:8888/callback"),
        ("http://LOCALHOST/cb", "http://127.0.0.1/cb"),
        ("http://localhost:9000/a/b?x=1", "http://127.0.0.1:9000/a/b?x=1"),
    ],
)
def test_localhost_suggests_the_same_uri_on_127_0_0_1(uri: str, suggested: str) -> None:
    assert f"use {suggested} instead." in check_redirect_uri(uri).reason


@pytest.mark.parametrize(
    "uri",
    [
        "http://example.com/callback",
        "http://192.168.1.10:8888/callback",
        "http://127.0.0.1.evil.example/cb",
        "http://[::2]:80/cb",
    ],
)
def test_other_plain_http_is_refused(uri: str) -> None:
    check = check_redirect_uri(uri)
    assert check.verdict is Verdict.REFUSED
    assert not check.ok


@pytest.mark.parametrize(
    "uri",
    [
        "",
        "   ",
        "not a url",
        "127.0.0.1:8888/callback",
        "ftp://127.0.0.1/cb",
        "https://",
        "http://[::1/cb",
        "http://127.0.0.1:99999/cb",
        "http://127.0.0.1:port/cb",
        "https://example.com/cb#frag",
        "javascript:alert(1)",
    ],
)
def test_garbage_is_refused(uri: str) -> None:
    check = check_redirect_uri(uri)
    assert check.verdict is Verdict.REFUSED
    assert check.reason


def test_is_loopback_host() -> None:
    assert is_loopback_host("127.0.0.1")
    assert is_loopback_host("127.8.9.10")
    assert is_loopback_host("::1")
    assert is_loopback_host("[::1]")
    assert not is_loopback_host("localhost")
    assert not is_loopback_host("10.0.0.1")
    assert not is_loopback_host("")
