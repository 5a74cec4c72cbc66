"""The API console: any call the user sets up, sent with the Bearer token (RFC 6750 §2.1).

The user types a method, a URL, extra headers (``Name: value``, one a line)
and a body; this module checks each and builds the ``httpx.Request``, or says
what is wrong with the input in a ``CallInputError``. The transport's rules hold
here as everywhere: https, or plain http to loopback only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

from tui.core import jsonsafe
from tui.core.errors import ApiError, CallInputError
from tui.core.flow import bearer_headers
from tui.core.providers import Provider
from tui.core.sizes import size_text
from tui.core.state import DanceState
from tui.core.tokens import api_message
from tui.core.transport import check_transport, describe_answer
from tui.core.urls import shown, url_problem

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

MAX_BODY_BYTES = 256 * 1024
"""The largest body the console sends: an API call's body is a few kilobytes; a
megabyte pasted by mistake is refused, not sent."""

MAX_HEADERS = 50
"""The most extra headers a call may carry."""

MAX_HEADER_CHARS = 8192
"""The longest extra header line; servers commonly refuse more than 8 KiB."""

MAX_HEADERS_BYTES = MAX_HEADERS * (MAX_HEADER_CHARS + 1)
"""The most the extra headers box holds, in UTF-8: as many of the longest lines as may
be sent (header values are ASCII in practice, a byte a character). A paste past it is
refused at once."""

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""A header name: an RFC 9110 §5.6.2 token."""


@dataclass(frozen=True)
class ApiCall:
    """What the user set up in the console, as typed."""

    method: str = "GET"
    url: str = ""
    headers: str = ""
    """Extra headers, ``Name: value``, one a line; blank lines are skipped."""
    body: str = ""


def default_call(provider: Provider) -> ApiCall:
    """A GET of the provider's profile endpoint, the API call every provider has."""
    return ApiCall(url=provider.profile_endpoint or "")


def parse_headers(text: str) -> list[tuple[str, str]]:
    """The extra headers typed, in order.

    Raises:
        CallInputError: a line without a colon, a name that is not a header name, a value
            with characters a header cannot carry, or too many or too long lines.
    """
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if len(lines) > MAX_HEADERS:
        raise CallInputError(
            f"{len(lines)} extra headers: the console sends at most {MAX_HEADERS}."
        )
    headers = []
    for number, line in lines:
        where = f"Header line {number}, {shown(line)},"
        if len(line) > MAX_HEADER_CHARS:
            raise CallInputError(
                f"Header line {number} is {len(line):,} characters long; "
                f"the limit is {MAX_HEADER_CHARS:,}."
            )
        name, colon, value = line.partition(":")
        if not colon:
            raise CallInputError(f"{where} has no colon: write each header as Name: value.")
        name, value = name.strip(), value.strip()
        if not _TOKEN.fullmatch(name):
            raise CallInputError(
                f"{where} has no valid name before its colon: a header name is letters, "
                "digits and -, with no spaces (RFC 9110 §5.1)."
            )
        if not (value.isascii() and all(c.isprintable() or c == "\t" for c in value)):
            raise CallInputError(
                f"{where} has a value with characters a header cannot carry: printable ASCII only."
            )
        headers.append((name, value))
    return headers


def api_request(state: DanceState, call: ApiCall) -> httpx.Request:
    """The call as a request: the Bearer token and default headers, the user's headers over
    them (one of the same name replaces the default, ``Authorization`` included), the body.

    Raises:
        CallInputError: the input cannot make a request; the message says which part.
        ConfigError: no access token.
        InsecureTransportError: plain http to a host that is not loopback.
    """
    method = call.method.strip().upper()
    if method not in METHODS:
        raise CallInputError(
            f"Unknown method {shown(call.method)}: use one of {', '.join(METHODS)}."
        )
    url = call.url.strip()
    problem = url_problem(url)
    if problem is not None:
        raise CallInputError(f"The URL {problem}.")
    check_transport(httpx.URL(url))
    try:
        body = call.body.encode("utf-8")
    except UnicodeEncodeError as err:  # half of a UTF-16 surrogate pair, from a paste
        raise CallInputError(
            f"The body holds {shown(call.body[err.start])} (character {err.start + 1}), "
            "which UTF-8 cannot encode: half of a surrogate pair, as a bad copy leaves. "
            "Remove it. Nothing was sent."
        ) from None
    if len(body) > MAX_BODY_BYTES:
        raise CallInputError(
            f"The body is {len(body):,} bytes; the console sends at most "
            f"{size_text(MAX_BODY_BYTES)}. Nothing was sent."
        )
    headers = httpx.Headers(bearer_headers(state.token))
    if body and "content-type" not in headers:
        headers["Content-Type"] = content_type(call.body)
    for name, value in parse_headers(call.headers):
        headers[name] = value
    return httpx.Request(method, url, headers=headers, content=body or None)


def content_type(body: str) -> str:
    """The Content-Type a body typed without one gets: JSON if it reads as JSON, else text."""
    try:
        jsonsafe.loads(body)
    except ValueError:
        return "text/plain; charset=utf-8"
    return "application/json"


def read_api_answer(response: httpx.Response) -> str:
    """One line about a successful answer (status, type, size); any body is fine.

    Raises:
        ApiError: a non-2xx answer; ``token_expired`` for a 401, so a refresh is offered.
    """
    if not response.is_success:
        raise ApiError(response.status_code, api_message(response), response.status_code == 401)
    return describe_answer(response)
