"""The one check of a URL from a file or a server (tui/core/urls.py)."""

from __future__ import annotations

import httpx
import pytest

from tui.core.urls import MAX_URL_CHARS, url_problem


@pytest.mark.parametrize(
    "url",
    [
        "https://accounts.spotify.com/authorize",
        "http://127.0.0.1:8888/api/token",
        "http://[::1]:8080/token",
        "https://bücher.example/oauth/token?tenant=a",
        "https://id.example/" + "a" * (MAX_URL_CHARS - 19),
    ],
)
def test_usable_urls_pass_and_httpx_takes_them(url: str) -> None:
    assert url_problem(url) is None
    httpx.Request("GET", url)


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("http://[::1/authorize", "is not a valid URL (Invalid port: ':1')"),
        ("https://as.example/a\x00b", "holds '\\x00'"),
        ("https://as.example/\x1b[2Jx", "holds '\\x1b'"),
        ("https://as.example/a\u202eb", "holds '\\u202e'"),
        ("https://as.example/a b", "holds ' '"),
        ("https://as.example/\n", "holds '\\n'"),
        ("as.example/authorize", "is not an https URL"),
        ("javascript:alert(1)", "is not an https URL"),
        ("https://", "has no host"),
        ("https://[bad/x", "has no valid host"),
        ("https://a%5Db/x", "has no valid host"),
        ("https://as.example/a#b", "has a #fragment"),
        ("https://as.example/" + "a" * MAX_URL_CHARS, "the limit is 8,192"),
        ("", "is empty"),
        (42, "is not text but int"),
        (["https://as.example"], "is not text but list"),
    ],
)
def test_unusable_urls_say_what_is_wrong(value: object, said: str) -> None:
    problem = url_problem(value)
    assert problem is not None
    assert said in problem
    assert not any(c in problem for c in "\x00\x1b\n\u202e"), "shown escaped"
    assert len(problem) < 300, "a long URL is shown by its start"


def test_every_url_it_passes_builds_a_request() -> None:
    # What the check lets through must never make httpx raise later, deep in a step.
    odd = ["http://[::1]", "https://a.b:65535/x", "https://a.b:0/", "https://a.b:99999/"]
    for url in odd:
        if url_problem(url) is None:
            httpx.Request("GET", url)
        else:
            with pytest.raises(httpx.InvalidURL):
                httpx.Request("GET", url)
