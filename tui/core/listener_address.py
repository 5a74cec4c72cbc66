"""Where the redirect listener listens: the loopback address a redirect URI names."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from tui.core.redirect_uri import is_loopback_host


@dataclass(frozen=True)
class ListenAddress:
    """Where to listen for the redirect.

    Attributes:
        host: the loopback literal to bind, e.g. ``127.0.0.1`` or ``::1``.
        port: the TCP port (0 asks the OS for a free one, for tests).
        path: the path the callback arrives on, e.g. ``/callback``.
    """

    host: str
    port: int
    path: str

    @property
    def url_host(self) -> str:
        """The host as written in a URL (IPv6 in brackets)."""
        return f"[{self.host}]" if ":" in self.host else self.host


def listen_address(redirect_uri: str) -> ListenAddress | None:
    """Where to listen for ``redirect_uri``, or None when nothing can be caught here.

    Only ``http://`` to a loopback address can be listened on: an https URI
    or a remote host is served by someone else. ``localhost`` (flagged by the
    redirect URI check) binds the IPv4 loopback. No port means 80; an empty
    path means ``/``.
    """
    try:
        parts = urlsplit(redirect_uri.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() != "http":
        return None
    host = parts.hostname or ""
    if host == "localhost":
        bind = "127.0.0.1"
    elif is_loopback_host(host):
        bind = str(ipaddress.ip_address(host))
    else:
        return None
    return ListenAddress(bind, 80 if port is None else port, parts.path or "/")
