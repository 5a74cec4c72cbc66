"""Checking a URL that comes from a file or a server, where it comes in.

An endpoint in the credentials file or in a discovery document is used much
later: built into a request, shown, opened in a browser. A malformed one
(``http://[::1/authorize``, a control character, a 1 MB line) must be refused
with a clear message at once, never reach ``httpx.URL`` deep in a step and
end the app with a traceback.
"""

from __future__ import annotations

import ipaddress
import re

MAX_URL_CHARS = 8192
"""The longest URL accepted. Browsers and servers commonly refuse more than
8 KiB in a request line; a real endpoint is well under a hundred characters."""

_SHOWN_CHARS = 120
_HOST_NAME = re.compile(r"[A-Za-z0-9._-]+")
"""A host name as httpx gives it (international names in their xn-- form)."""


def url_problem(value: object) -> str | None:
    """What is wrong with ``value`` as an endpoint URL, or None when it is usable.

    Usable: text of at most ``MAX_URL_CHARS`` characters, without spaces or
    control characters, that parses as an absolute http or https URL with a
    host and no ``#fragment`` (RFC 6749 §3.1, §3.2).
    """
    if not isinstance(value, str):
        return f"is not text but {type(value).__name__}"
    if not value:
        return "is empty"
    if len(value) > MAX_URL_CHARS:
        return f"is {len(value):,} characters long; the limit is {MAX_URL_CHARS:,}"
    odd = next((c for c in value if c.isspace() or not c.isprintable()), None)
    if odd is not None:
        return f"{shown(value)} holds {odd!a}, which a URL cannot carry"
    import httpx  # here, not at startup: only a file's endpoints and discovery's need it

    try:
        url = httpx.URL(value)
    except httpx.InvalidURL as err:
        return f"{shown(value)} is not a valid URL ({ascii(str(err))[1:-1]})"
    if url.scheme not in ("http", "https"):
        return f"{shown(value)} is not an https URL"
    if not url.host:
        return f"{shown(value)} has no host"
    if not _usable_host(url.raw_host.decode("ascii", errors="replace")):
        return f"{shown(value)} has no valid host"
    if url.fragment:
        return f"{shown(value)} has a #fragment, which an endpoint must not have"
    return None


def _usable_host(host: str) -> bool:
    """A host name, an IPv4 address, or an IPv6 address (httpx drops the brackets)."""
    if _HOST_NAME.fullmatch(host):
        return True
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        return False
    return True


def shown(value: str) -> str:
    """``value`` quoted for a message: its start, every control character escaped."""
    cut = value[:_SHOWN_CHARS]
    quoted = repr(cut)
    return quoted if cut == value else f"{quoted}…"
