"""Rendering a request and a response as raw HTTP text, and a request as curl.

The text is what httpx sends and receives: the request line, the headers in
their order, the body. Masked by default; ``reveal=True`` is the deliberate
way to see secrets. Server-controlled text is cleaned of control characters.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterable

import httpx

from tui.core import jsonsafe
from tui.core.masking import mask_text, secrets_in_request, secrets_in_response
from tui.core.textsafe import clean, excerpt

MAX_BODY_CHARS = 64_000
"""Longer bodies are cut in the view: a multi-megabyte page would stall the UI."""

SKIPPED_IN_CURL = frozenset({"host", "content-length"})


def request_text(request: httpx.Request) -> str:
    """The request as raw HTTP/1.1 text, unmasked."""
    return _assemble(*_request_parts(request))


def response_text(response: httpx.Response, *, pretty: bool = False) -> str:
    """The response as raw HTTP text, unmasked; ``pretty`` re-indents JSON."""
    return _assemble(*_response_parts(response, pretty))


def _request_parts(request: httpx.Request) -> tuple[list[str], str]:
    target = request.url.raw_path.decode("ascii", errors="replace")
    lines = [f"{request.method} {target} HTTP/1.1"]
    lines += [f"{_latin1(k)}: {_latin1(v)}" for k, v in request.headers.raw]
    return lines, request.content.decode("utf-8", errors="replace")


def _response_parts(response: httpx.Response, pretty: bool) -> tuple[list[str], str]:
    lines = [f"{response.http_version} {response.status_code} {response.reason_phrase}".rstrip()]
    lines += [f"{_latin1(k)}: {_latin1(v)}" for k, v in response.headers.raw]
    body = response.text
    if pretty:
        body = pretty_json(body)
    return lines, body


def _assemble(lines: list[str], body: str, secrets: set[str] | None = None) -> str:
    """Head and body, masked when ``secrets`` is given, the body cut to length.

    Masking comes before cutting: a secret cut in two would escape the mask.
    """
    if secrets is not None:
        lines = [mask_text(line, secrets) for line in lines]
        body = mask_text(body, secrets)
    return _with_body(lines, _truncate(body))


def curl_text(request: httpx.Request) -> str:
    """The request as a curl command line, unmasked."""
    parts = ["curl"]
    if request.method != "GET":
        parts += ["-X", request.method]
    parts.append(shlex.quote(str(request.url)))
    for key, value in request.headers.items():
        if key.lower() not in SKIPPED_IN_CURL:
            parts += ["-H", shlex.quote(f"{key}: {value}")]
    if request.content:
        parts += ["--data-raw", shlex.quote(request.content.decode("utf-8", errors="replace"))]
    return " ".join(parts)


def render_request(
    request: httpx.Request, *, reveal: bool = False, known: Iterable[str] = ()
) -> str:
    """The raw request, masked unless ``reveal``."""
    if reveal:
        return request_text(request)
    return _assemble(*_request_parts(request), secrets_in_request(request) | set(known))


def render_response(
    response: httpx.Response,
    *,
    pretty: bool = False,
    reveal: bool = False,
    known: Iterable[str] = (),
) -> str:
    """The raw response, masked unless ``reveal``; control characters removed."""
    if reveal:
        return clean(response_text(response, pretty=pretty))
    secrets = secrets_in_response(response) | set(known)
    return clean(_assemble(*_response_parts(response, pretty), secrets))


def render_curl(request: httpx.Request, *, reveal: bool = False, known: Iterable[str] = ()) -> str:
    """The request as curl, masked unless ``reveal``."""
    text = curl_text(request)
    return text if reveal else mask_text(text, secrets_in_request(request) | set(known))


def is_json(body: str) -> bool:
    """Whether ``body`` is JSON: something :func:`pretty_json` indents."""
    try:
        jsonsafe.loads(body)
    except ValueError:
        return False
    return True


def pretty_json(body: str) -> str:
    """``body`` indented when it is JSON, unchanged otherwise."""
    try:
        return json.dumps(jsonsafe.loads(body), indent=2, ensure_ascii=False)
    except ValueError:
        return body


_PRINTABLE = re.compile(r"[^\s\x00-\x1f\x7f-\x9f]")


def body_excerpt(body: str) -> str:
    """A short excerpt of ``body`` for a message, saying what it is when nothing shows.

    A body of only whitespace or control characters has no readable excerpt; it
    is described (its size, its first characters escaped), never called empty.
    """
    if not body:
        return "(empty body)"
    if _PRINTABLE.search(body[:4096]):
        return excerpt(body)
    what = "whitespace" if body.isspace() else "whitespace and control characters"
    start = body[:24].encode("unicode_escape").decode("ascii").strip()
    return f"({len(body):,} characters, only {what}: {start}{'…' if len(body) > 24 else ''})"


def _with_body(lines: list[str], body: str) -> str:
    return "\n".join([*lines, "", body]) if body else "\n".join(lines)


def _truncate(body: str) -> str:
    if len(body) <= MAX_BODY_CHARS:
        return body
    hidden = len(body) - MAX_BODY_CHARS
    return f"{body[:MAX_BODY_CHARS]}\n… ({hidden:,} more characters not shown)"


def _latin1(raw: bytes) -> str:
    return clean(raw.decode("latin-1"), keep_newlines=False)
