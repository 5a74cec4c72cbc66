"""HTTP Basic client authentication (RFC 6749 §2.3.1): the header read, the secret compared."""

from __future__ import annotations

import base64
import binascii
import hmac
from urllib.parse import unquote_plus


def is_basic(header: str | None) -> bool:
    return header is not None and header[:6].lower() == "basic "


def decode_basic(header: str) -> tuple[str, str]:
    """Client id and secret from an HTTP Basic header, as RFC 6749 §2.3.1 says.

    base64-decode, split at the first ``:``, then form-decode each half (so a
    ``+``, ``%``, ``&``, ``:`` or ``"`` in a secret means the same as in a form
    body). Raises ValueError when the header is malformed.
    """
    try:
        raw = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError("not base64 of UTF-8 text") from exc
    client_id, sep, secret = raw.partition(":")
    if not sep:
        raise ValueError("no ':' between client id and secret")
    return unquote_plus(client_id), unquote_plus(secret)


def same_secret(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
