"""Reading a pushed authorization request's answer (RFC 9126 §2.2, §2.3).

The answer is a ``request_uri`` that stands for the pushed parameters, and how
long it lasts. Both go into the URL and the credentials file, so what a
provider sends is checked first: a URI of printable characters of a sane
length, a lifetime of seconds to minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx

from tui.core.errors import ResponseFormatError
from tui.core.textsafe import clean, excerpt
from tui.core.tokens import read_oauth_answer

MAX_REQUEST_URI_CHARS = 512
"""The longest ``request_uri`` accepted. Real ones are under a hundred characters:
the point of pushing is a short URL."""

MAX_LIFETIME = 3600
"""The longest ``expires_in`` accepted, in seconds. RFC 9126 §2.2 expects a short
life ("e.g., between 5 and 600 seconds")."""


@dataclass(frozen=True)
class PushedRequest:
    """A successful pushed authorization request: the reference and its expiry."""

    request_uri: str
    expires_at: datetime
    expires_in: int


def parse_par_response(response: httpx.Response, now: datetime) -> PushedRequest:
    """Interpret the PAR endpoint's answer: 201 with ``request_uri`` and ``expires_in``.

    Raises:
        OAuthError: the provider refused (a §2.3 error: invalid_request, invalid_client...).
        ResponseFormatError: the answer is not a usable PAR answer; says what is wrong.
    """
    data = read_oauth_answer(response, "PAR endpoint", "RFC 9126 §2.2")
    uri = data.get("request_uri")
    if not isinstance(uri, str) or not uri:
        raise ResponseFormatError(
            "The PAR answer has no request_uri (RFC 9126 §2.2): there is nothing to put "
            "in the URL. Nothing was saved."
        )
    if len(uri) > MAX_REQUEST_URI_CHARS:
        raise ResponseFormatError(
            f"The PAR answer's request_uri is {len(uri):,} characters long, more than the "
            f"{MAX_REQUEST_URI_CHARS} a real one has. Nothing was saved."
        )
    if not (uri.isascii() and uri.isprintable()) or " " in uri:
        raise ResponseFormatError(
            "The PAR answer's request_uri has control characters, spaces or other "
            f"characters no URI has (RFC 3986): {clean(uri, keep_newlines=False)}. "
            "Nothing was saved."
        )
    seconds = _lifetime(data.get("expires_in"))
    return PushedRequest(uri, now + timedelta(seconds=seconds), seconds)


def _lifetime(value: object) -> int:
    """``expires_in``: required, a whole number of seconds, positive, not absurd."""
    if isinstance(value, bool) or not isinstance(value, int):
        shown = "missing" if value is None else f"not a whole number: {excerpt(str(value))}"
        raise ResponseFormatError(
            f"The PAR answer's expires_in is {shown} (RFC 9126 §2.2 requires the lifetime "
            "of the request_uri in seconds). Nothing was saved."
        )
    if not 0 < value <= MAX_LIFETIME:
        raise ResponseFormatError(
            f"The PAR answer's expires_in is {excerpt(str(value))} seconds: a request_uri "
            f"lives seconds to minutes (RFC 9126 §2.2), at most {MAX_LIFETIME} here. "
            "Nothing was saved."
        )
    return value
