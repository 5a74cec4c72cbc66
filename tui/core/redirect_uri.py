"""The redirect URI check, as providers apply it (RFC 8252 §7.3, RFC 9700 §2.1)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit, urlunsplit


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


def check_redirect_uri(uri: str) -> RedirectCheck:
    """Check a redirect URI the way Spotify and RFC 8252 do."""
    text = uri.strip()
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
        loopback = "127.0.0.1" if port is None else f"127.0.0.1:{port}"
        return RedirectCheck(
            Verdict.WARN,
            "'localhost' is refused by Spotify since 2025 (RFC 8252 §8.3): "
            f"use {urlunsplit(parts._replace(netloc=loopback))} instead.",
            port or 80,
        )
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
