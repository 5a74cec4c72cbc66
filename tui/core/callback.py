"""Reading what comes back from the authorization step (RFC 6749 §4.1.2).

The value may be pasted by a person (a bare code, or the whole redirect URL,
with stray quotes and whitespace), or caught by the loopback listener. Either
way it is checked here before any token request can be built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from tui.core.errors import (
    CallbackError,
    ForeignRefusalError,
    IssuerMismatchError,
    OAuthError,
    StateMismatchError,
    UncheckableCodeError,
)
from tui.core.textsafe import shorten

MAX_PASTE = 4096
"""The most a pasted code or redirect URL may hold. The longest codes (Microsoft's)
are under 2 KB. Each character typed costs a redraw, so a terminal that types a
paste out key by key instead of bracketing it would stall the UI for seconds on
a field that grew without end."""
_SHOWN_LINES = 4
"""How many lines of a multi-line paste the refusal shows."""
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
    lines = value.splitlines()
    if len(lines) > 1:
        raise CallbackError(_several_lines(lines))
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


def pasted_url(text: str) -> str | None:
    """The whole redirect URL a pasted or caught value holds, trimmed as
    :func:`parse_pasted` trims it; None for a bare code or query string, or junk."""
    try:
        kind, _ = parse_pasted(text)
    except CallbackError:
        return None
    value = text.strip(_STRIP)
    return value if kind == "url" and "://" in value else None


BARE_CODE_WITHOUT_ISS = (
    "A code alone carries no iss, and this server's metadata promises one in every "
    "response (authorization_response_iss_parameter_supported, RFC 9207 §2.4); nor "
    "does it carry the state. A code from another server (a mix-up attack) or a forged "
    "one could not be told apart: refusing it. Paste the whole redirect URL from the "
    "browser's address bar, with its state and iss."
)
"""Why a bare code is refused when the server promised ``iss``: RFC 9207 §2.4 says a
client MUST reject a response without it, and a code pasted alone is such a response
stripped of every parameter. The whole URL is always at hand in the address bar."""


def _several_lines(lines: list[str]) -> str:
    """Why a paste of several lines is refused, with its lines shown (control
    characters visible): a URL wrapped by a terminal or a mail client breaks
    into lines, and any one of them alone is a cut-off code."""
    shown = [f"  {n}: {shorten(line, 100)}" for n, line in enumerate(lines[:_SHOWN_LINES], 1)]
    if len(lines) > _SHOWN_LINES:
        shown.append(f"  … and {len(lines) - _SHOWN_LINES} more")
    return (
        f"The paste holds {len(lines)} lines, but a code or a redirect URL is one line; "
        "no line of it was taken, since any one alone may be a cut-off code:\n"
        + "\n".join(shown)
        + "\nCopy the whole address from the browser's address bar again, on one line."
    )


def _check_code(code: str) -> None:
    """Refuse a code a provider cannot have issued (RFC 6749 Appendix A.11), saying what
    is wrong with it: control characters (named as a URL spells them), a space (which a
    '+' sent as itself becomes), or other characters outside printable ASCII."""
    controls = sorted({c for c in code if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F})
    if controls:
        named = ", ".join(f"%{ord(c):02X}" for c in controls)
        raise CallbackError(
            f"The code in this URL holds control characters ({named}) once decoded, which "
            "a code never does: copy the URL exactly as the browser shows it."
        )
    if " " in code:
        raise CallbackError(
            "The code in this URL holds spaces once decoded, and a code never does. In a "
            "query string '+' stands for a space: a '+' in a code is sent as %2B. Copy the "
            "URL exactly as the browser shows it, or paste the code alone."
        )
    if not _CODE.fullmatch(code):
        raise CallbackError(
            "The code in this URL holds non-ASCII characters once decoded, which a code "
            "never does: copy the URL exactly as the browser shows it."
        )


def read_callback(
    text: str,
    expected_state: str,
    expected_iss: str | None = None,
    *,
    iss_required: bool = False,
) -> Callback:
    """Check a pasted or caught authorization response, and return its code.

    The app (a paste, the consent page's redirect) and the loopback listener
    (its page to the browser) both call this, so they give the same verdict.

    Args:
        iss_required: the server's metadata says every response carries
            ``iss`` (``authorization_response_iss_parameter_supported``), so
            one without it is refused (RFC 9207 §2.4), a bare code included.
            Without that promise a bare code is taken, unchecked
            (``state_checked`` False): it carries neither ``state`` nor ``iss``.

    Raises:
        OAuthError: the response carries ``error=`` (e.g. access_denied), with
            this attempt's ``state`` and the ``iss`` promised.
        StateMismatchError: ``state`` is missing or not the one we sent (an
            error's too: RFC 6749 §4.1.2.1 has the refusal return it).
        ForeignRefusalError: an error without the ``iss`` promised, or with
            another server's. Like a state mismatch, it is not this attempt's.
        IssuerMismatchError: ``iss`` names another server, or is missing
            though the server promised it: not this attempt's either (a possible
            mix-up), so it ends nothing.
        UncheckableCodeError: a bare code though the server promised ``iss``.
        CallbackError: the value is unusable for another reason.
    """
    kind, params = parse_pasted(text)
    if kind == "code":
        if iss_required:
            raise UncheckableCodeError(BARE_CODE_WITHOUT_ISS)
        return Callback(code=params["code"], state=None, iss=None, state_checked=False)
    state = params.get("state")
    if state and state != expected_state:
        # Before the error too: another attempt's (or a forged) error is not ours.
        raise StateMismatchError(
            "The state that came back is not the one we sent: this response belongs to "
            "another attempt, or someone forged it."
        )
    if "error" in params:
        _check_refusal(state, params.get("iss"), expected_iss, iss_required)
        raise OAuthError(params["error"], params.get("error_description") or None)
    code = params.get("code", "")
    if not code:
        raise CallbackError("The redirect URL has neither a code nor an error in it.")
    if not state:
        raise StateMismatchError(
            "The redirect carries no state, but we sent one: refusing it (RFC 6749 §10.12)."
        )
    _check_code(code)
    iss = params.get("iss")
    if iss is None and iss_required:
        raise IssuerMismatchError(
            "The response carries no iss, yet this server's metadata promises one in every "
            "response (authorization_response_iss_parameter_supported, RFC 9207 §2.4). "
            "Without it, a response from another server cannot be told apart (a mix-up "
            "attack), nor a URL cut short."
        )
    if not _same_issuer(iss, expected_iss):
        raise IssuerMismatchError(
            f"The response says it comes from {iss!r}, but we asked {expected_iss!r} (RFC 9207)."
        )
    return Callback(code=code, state=state, iss=iss, state_checked=True)


def _same_issuer(iss: str | None, expected_iss: str | None) -> bool:
    """The response's ``iss`` names the server asked, or one of them is not known."""
    return iss is None or expected_iss is None or iss.rstrip("/") == expected_iss.rstrip("/")


def _check_refusal(
    state: str | None, iss: str | None, expected_iss: str | None, iss_required: bool
) -> None:
    """Refuse an error redirect that cannot be this attempt's (its state already known
    not to be another's): it must carry our state (RFC 6749 §4.1.2.1) and the iss promised
    (RFC 9207 §2.4), as a code must, or anyone (any local process) could end the attempt."""
    if not state:
        raise StateMismatchError(
            "This refusal carries no state, but we sent one and a provider's refusal returns "
            "it (RFC 6749 §4.1.2.1): anyone could have sent it."
        )
    if iss is None and iss_required:
        raise ForeignRefusalError(
            "This refusal carries no iss, yet this server's metadata promises one in every "
            "response, refusals too (RFC 9207 §2.4): another server's refusal cannot be told "
            "apart."
        )
    if not _same_issuer(iss, expected_iss):
        raise ForeignRefusalError(
            f"This refusal says it comes from {iss!r}, but we asked {expected_iss!r} (RFC 9207)."
        )
