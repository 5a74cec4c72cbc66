"""Reading what comes back from the authorization step (RFC 6749 §4.1.2).

The value may be pasted by a person (a bare code, or the whole redirect URL,
with stray quotes and whitespace), or caught by the loopback listener. Either
way it is checked here before any token request can be built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from tui.core.errors import CallbackError, IssuerMismatchError, OAuthError, StateMismatchError

_STRIP = " \t\r\n\"'`<>"
_CODE = re.compile(r"[\x21-\x7e]+")
"""A code is printable ASCII with no spaces (RFC 6749 Appendix A.11: VSCHAR)."""
_QUERY = re.compile(r"(^|[?&])(code|error|state)=")
"""A pasted query string without the URL in front of it."""


@dataclass(frozen=True)
class Callback:
    """A usable authorization response.

    Attributes:
        code: the authorization code.
        state: the ``state`` that came back, or None for a bare code.
        iss: the issuer (RFC 9207), if the server sent one.
        state_checked: whether ``state`` was compared with ours. A bare
            code carries no state, so it cannot be checked.
    """

    code: str
    state: str | None
    iss: str | None
    state_checked: bool


def parse_pasted(text: str) -> tuple[str, dict[str, str]]:
    """Split a pasted value into a bare code or the redirect's parameters.

    Returns:
        ("code", {"code": ...}) for a bare code, or ("url", params) for a
        redirect URL (or a bare query string) with its query parameters.

    Raises:
        CallbackError: the value is empty or is neither a code nor a URL.
    """
    value = text.strip(_STRIP)
    if not value:
        raise CallbackError("Nothing was pasted: paste the code or the whole redirect URL.")
    if "://" in value or value.startswith("?") or _QUERY.search(value):
        try:
            query = urlsplit(value).query if "://" in value else value.lstrip("?")
        except ValueError:
            raise CallbackError(
                "This URL is malformed (an unbalanced '[' or ']' in the host?): copy "
                "the whole address again."
            ) from None
        params = dict(parse_qsl(query, keep_blank_values=True))
        if not params:
            raise CallbackError(
                "This URL has no query string: copy the whole address the browser "
                "was sent to, including the part after '?'."
            )
        return "url", params
    if not _CODE.fullmatch(value):
        raise CallbackError(
            "This does not look like a code: a code has no spaces or control "
            "characters. Paste the whole redirect URL instead."
        )
    return "code", {"code": value}


def read_callback(text: str, expected_state: str, expected_iss: str | None = None) -> Callback:
    """Check a pasted or caught authorization response, and return its code.

    Raises:
        OAuthError: the response carries ``error=`` (e.g. access_denied).
        StateMismatchError: ``state`` is missing or not the one we sent.
        IssuerMismatchError: ``iss`` names another server.
        CallbackError: the value is unusable for another reason.
    """
    kind, params = parse_pasted(text)
    if kind == "code":
        return Callback(code=params["code"], state=None, iss=None, state_checked=False)
    if "error" in params:
        raise OAuthError(params["error"], params.get("error_description") or None)
    code = params.get("code", "")
    if not code:
        raise CallbackError("The redirect URL has neither a code nor an error in it.")
    state = params.get("state")
    if not state:
        raise StateMismatchError(
            "The redirect carries no state, but we sent one: refusing it (RFC 6749 §10.12)."
        )
    if state != expected_state:
        raise StateMismatchError(
            "The state that came back is not the one we sent: this response belongs to "
            "another attempt, or someone forged it. Start a new authorization."
        )
    iss = params.get("iss")
    if iss is not None and expected_iss is not None and iss.rstrip("/") != expected_iss.rstrip("/"):
        raise IssuerMismatchError(
            f"The response says it comes from {iss!r}, but we asked {expected_iss!r} (RFC 9207)."
        )
    return Callback(code=code, state=state, iss=iss, state_checked=True)
