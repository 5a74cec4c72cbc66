"""Masking secrets in any encoding they may take in a rendered exchange.

A secret is found two ways: by name (a form field, query parameter or JSON
key such as ``client_secret`` or ``access_token``, and the ``Authorization``
header) and by value (every secret the dance already knows). Each found value
is then replaced in every encoding it can appear in: raw, URL-encoded (both
``+`` and ``%20`` styles), JSON-escaped, HTML-escaped, shell-quoted, and as
shown with its control characters made visible. The base64 inside
``Authorization: Basic`` is covered by masking that header's whole credential.

An answer of any content type is searched by name: JSON, a form, or plain
text that holds ``access_token=...`` pairs.

Log records of the HTTP libraries are masked by name only (the values are
not known there): ``name=value`` pairs and credential-bearing headers.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, quote_plus, unquote_plus, urlsplit

from tui.core import jsonsafe
from tui.core.textsafe import clean

if TYPE_CHECKING:
    import httpx  # annotations only: httpx loads at the first request, not at startup

MASK = "••••••••"
SENSITIVE_NAMES = frozenset(
    {
        "client_secret",
        "code",
        "code_verifier",
        "device_code",
        "access_token",
        "refresh_token",
        "id_token",
        "token",
        "refresh",
        "password",
    }
)
SECRET_HEADERS = ("cookie", "x-api-key", "api-key", "x-auth-token", "private-token")
"""Request headers whose whole value is a secret."""
MIN_SECRET_LENGTH = 4
"""Shorter values are masked only where they stand whole, as a field's value (see
``_WHOLE``): masking every "ab" inside the words of a page would make it unreadable."""
_EDGE = "\\s=&\"':,;"
"""What may stand on either side of a short secret that is masked: whitespace (after
``Bearer``), a field's ``=`` or ``:``, a pair's ``&``, quotes, list separators."""

_NAMED_PAIR = re.compile(
    r"(?i)(?<![\w-])(" + "|".join(sorted(SENSITIVE_NAMES)) + r")=([^&\s'\"#;]+)"
)
# A JSON member of a sensitive name; its string may be cut off (a body read in part).
_NAMED_MEMBER = re.compile(
    r'(?i)("(?:' + "|".join(sorted(SENSITIVE_NAMES)) + r')"\s*:\s*")(?:[^"\\]|\\.)*'
)
_HEADER_TUPLE = re.compile(
    r"(?i)\(b?(['\"])(authorization|proxy-authorization|cookie|set-cookie)\1, "
    r"b?(['\"])(?:\\.|(?!\3).)*\3\)"
)


def variants(secret: str) -> set[str]:
    """Every encoding of ``secret`` a rendered exchange may contain."""
    forms = {
        secret,
        quote_plus(secret),
        quote(secret, safe=""),
        quote(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        # JSON may escape '/' as '\/' (PHP's json_encode does by default).
        json.dumps(secret)[1:-1].replace("/", "\\/"),
        json.dumps(secret, ensure_ascii=False)[1:-1].replace("/", "\\/"),
        html.escape(secret),
        secret.replace("'", "'\"'\"'"),
        clean(secret),
        clean(secret, keep_newlines=False),
    }
    return {f for f in forms if f}


def mask_text(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every encoding of every secret replaced by the mask.

    A secret shorter than ``MIN_SECRET_LENGTH`` is masked wherever it stands whole
    (``Bearer T``, ``token=T``, ``"T"``), not inside longer words.
    """
    forms: set[str] = set()
    short: set[str] = set()
    for secret in secrets:
        (forms if len(secret) >= MIN_SECRET_LENGTH else short).update(variants(secret))
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, MASK)
    if short:
        either = "|".join(re.escape(form) for form in sorted(short, key=len, reverse=True))
        whole = re.compile(f"(?<![^{_EDGE}])(?:{either})(?![^{_EDGE}])")
        text = whole.sub(MASK, text)
    return text


def redact_log_text(text: str) -> str:
    """``text`` with every ``name=value`` of a sensitive name and every credential header
    tuple (as httpcore prints them) masked."""
    text = _NAMED_PAIR.sub(lambda m: f"{m[1]}={MASK}", text)
    return _HEADER_TUPLE.sub(lambda m: f"(b'{m[2]}', b'{MASK}')", text)


def mask_by_name(text: str) -> str:
    """``text`` with the value of every sensitive ``name=value`` pair and JSON member masked.

    For text that cannot be parsed, such as the start of an answer too large to
    read: a token in it is found by its name only.
    """
    text = _NAMED_PAIR.sub(lambda m: f"{m[1]}={MASK}", text)
    return _NAMED_MEMBER.sub(lambda m: f"{m[1]}{MASK}", text)


class RedactingFilter(logging.Filter):
    """Rewrites a log record's message with :func:`redact_log_text`; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_log_text(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def secrets_in_request(request: httpx.Request) -> set[str]:
    """The secret values a request carries, found by name."""
    found = _from_query(request.url.query.decode("ascii", errors="replace"))
    found |= _from_headers(request.headers)
    if _is_form(request.headers):
        found |= _from_query(_body_text(request.content))
    elif request.content:  # a JSON body typed in the API console: {"password": ...}
        with contextlib.suppress(ValueError):
            found |= _from_json(jsonsafe.loads(_body_text(request.content)))
    return found


def secrets_in_response(response: httpx.Response) -> set[str]:
    """The secret values a response carries, found by name."""
    found = _from_headers(response.headers)
    location = response.headers.get("location")
    if location:
        found |= _from_query(urlsplit(location).query)
    text = response.text
    if not _is_form(response.headers):
        with contextlib.suppress(ValueError):
            return found | _from_json(jsonsafe.loads(text))
    # A form, or any other text: a token answer may come as text/plain pairs.
    return found | _from_query(text)


def _from_query(query: str) -> set[str]:
    """The values of the sensitive pairs of a query string or form, each decoded and as
    it is spelled there: a value's percent escapes may be in any case (``%0a``) or of
    characters a browser leaves alone, which no encoding of the decoded value gives."""
    spelled = []
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        spelled.append((unquote_plus(name), value))
    return _from_pairs(parse_qsl(query, keep_blank_values=True)) | _from_pairs(spelled)


def _from_pairs(pairs: Iterable[tuple[str, str]]) -> set[str]:
    return {value for name, value in pairs if name.lower() in SENSITIVE_NAMES and value}


def _from_headers(headers: httpx.Headers) -> set[str]:
    """The credential of each Authorization header (its scheme stays readable), and the
    whole value of each header that carries a key or a session (typed in the API console)."""
    found: set[str] = set()
    for name in ("authorization", "proxy-authorization"):
        for value in headers.get_list(name):
            scheme, _, credential = value.strip().partition(" ")
            found.add(credential.strip() or scheme)
    for name in SECRET_HEADERS:
        found.update(value.strip() for value in headers.get_list(name))
    return {v for v in found if v}


def _from_json(data: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if str(key).lower() in SENSITIVE_NAMES and isinstance(value, str) and value:
                found.add(value)
            else:
                found |= _from_json(value)
    elif isinstance(data, list):
        for item in data:
            found |= _from_json(item)
    return found


def _is_form(headers: httpx.Headers) -> bool:
    return str(headers.get("content-type", "")).startswith("application/x-www-form-urlencoded")


def _body_text(content: bytes) -> str:
    return content.decode("utf-8", errors="replace")
