"""The redirect URI check, as providers apply it (RFC 8252 §7.3, RFC 9700 §2.1)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, urlsplit, urlunsplit

if TYPE_CHECKING:
    from tui.core.providers import Provider


class Verdict(Enum):
    """How a provider will take a redirect URI."""

    OK = "ok"
    WARN = "warn"
    REFUSED = "refused"


@dataclass(frozen=True)
class RedirectCheck:
    """The verdict on a redirect URI and the reason, in a sentence."""

    verdict: Verdict
    reason: str
    loopback_port: int | None = None
    """The port a loopback listener must bind, for a loopback URI."""

    @property
    def ok(self) -> bool:
        return self.verdict is not Verdict.REFUSED


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` is a loopback IP literal (127.0.0.0/8 or ::1)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def redirect_uri_matches(registered: str, candidate: str) -> bool:
    """Whether ``candidate`` matches the registered redirect URI ``registered``.

    Byte-for-byte equality, except that a registered loopback IP literal
    (``127.0.0.1`` or ``[::1]``) matches any port (RFC 8252 §7.3).
    """
    if candidate == registered:
        return True
    try:
        reg = urlsplit(registered)
        cand = urlsplit(candidate)
        _ = cand.port  # raises ValueError on a malformed port
    except ValueError:
        return False
    if reg.hostname not in _LOOPBACK_HOSTNAMES or "@" in cand.netloc:
        return False
    return (
        cand.scheme == reg.scheme
        and cand.hostname == reg.hostname
        and cand.path == reg.path
        and cand.query == reg.query
        and not cand.fragment
        and "#" not in candidate
    )


_LOOPBACK_HOSTNAMES = frozenset({"127.0.0.1", "::1"})


def check_redirect_uri(uri: str, provider: Provider | None = None) -> RedirectCheck:
    """Check a redirect URI the way RFC 8252 does, and ``provider`` (when given) would:
    Spotify refuses ``localhost``; the demo server takes only its registered URIs."""
    check = _check_form(uri.strip(), provider)
    if provider is None or not provider.redirect_uris or not check.ok:
        return check
    if any(redirect_uri_matches(r, uri.strip()) for r in provider.redirect_uris):
        return check
    return RedirectCheck(
        Verdict.WARN,
        f"{provider.title} takes only {' or '.join(provider.redirect_uris)}, on any port: "
        "this one gets 'Mismatching redirect URI'.",
        check.loopback_port,
    )


def _check_form(text: str, provider: Provider | None) -> RedirectCheck:
    """The verdict on the URI's form, as RFC 8252 and RFC 9700 see it."""
    if not text:
        return RedirectCheck(Verdict.REFUSED, "A redirect URI is required.")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as err:
        return RedirectCheck(Verdict.REFUSED, f"Not a valid URL: {err}.")
    host = parts.hostname or ""
    if parts.fragment:
        return RedirectCheck(Verdict.REFUSED, "A redirect URI must not have a #fragment.")
    if parts.scheme == "https" and host:
        return RedirectCheck(Verdict.OK, "https: accepted by every provider.")
    if parts.scheme != "http" or not host:
        return RedirectCheck(Verdict.REFUSED, "Use https://, or http:// to a loopback address.")
    if host == "localhost":
        return RedirectCheck(Verdict.WARN, _localhost_reason(parts, port, provider), port or 80)
    if is_loopback_host(host):
        return RedirectCheck(
            Verdict.OK,
            "Loopback literal: providers accept any port here (RFC 8252 §7.3).",
            port or 80,
        )
    return RedirectCheck(
        Verdict.REFUSED,
        f"Plain http to {host} would send the code in clear: use https, "
        "or a loopback address such as 127.0.0.1.",
    )


def _localhost_reason(parts: SplitResult, port: int | None, provider: Provider | None) -> str:
    """Why ``localhost`` is flagged: refused by ``provider``, or advised against."""
    loopback = "127.0.0.1" if port is None else f"127.0.0.1:{port}"
    instead = f"use {urlunsplit(parts._replace(netloc=loopback))} instead."
    if provider is not None and provider.refuses_localhost:
        return f"'localhost' is refused by {provider.title} since 2025 (RFC 8252 §8.3): {instead}"
    return (
        "RFC 8252 §8.3 advises a loopback IP literal over 'localhost', which may resolve "
        f"elsewhere or be blocked by a firewall: {instead}"
    )
