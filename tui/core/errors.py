"""The errors the core raises. Screens catch these, and only these.

Every error's message is safe to show: it says what to do next, its control
characters are made visible when it is made, and the session masks every
secret it knows in it (:meth:`DanceError.mask`) before a screen sees it; a
provider may echo a credential in its ``error_description``. None of them
chains the httpx or OS error that caused it (they are raised ``from None``),
so a traceback never carries request data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from tui.core.textsafe import clean, shorten

if TYPE_CHECKING:
    from tui.core.explain import Explanation

# masking and explain are imported where used: `oauth-dance token` with a token that
# has time left imports this module (through the state) and needs neither.

MAX_SERVER_TEXT = 500
"""The most of a server's error code, description or message an error keeps: a
sentence or two; a megabyte of it would fill every toast and panel."""


class DanceError(Exception):
    """Base of every error the core raises on purpose."""

    title = "Something went wrong"

    def __init__(self, message: str) -> None:
        message = clean(message)
        super().__init__(message)
        self.message = message

    def mask(self, secrets: Iterable[str]) -> None:
        """Replace every encoding of ``secrets`` in what the error shows."""
        from tui.core.masking import mask_text

        self.message = mask_text(self.message, secrets)
        self.args = (self.message,)


class ConfigError(DanceError):
    """The provider or client settings cannot make this request."""

    title = "Settings incomplete"


class CallInputError(ConfigError):
    """What the user typed in the API console cannot make a request."""

    title = "Cannot send this call"


class UnsupportedError(ConfigError):
    """The provider does not offer what this step needs (e.g. a revocation endpoint)."""

    title = "Not offered by this provider"


class CallbackError(DanceError):
    """The value handed back from the authorization step is not usable."""

    title = "Cannot use this callback"


class NotThisAttemptError(CallbackError):
    """A redirect that cannot be told to be this attempt's. It is ignored and the attempt
    goes on (the listener too): a stale tab, a forged request or any local process must
    not end an attempt."""

    title = "Not this attempt's redirect"


class StateMismatchError(NotThisAttemptError):
    """The ``state`` that came back is not the one we sent (RFC 6749 §10.12)."""

    title = "State mismatch: possible CSRF"


class ForeignRefusalError(NotThisAttemptError):
    """An error redirect without the ``iss`` the provider promised, or with another
    server's (RFC 9207 §2.4): not this provider's refusal."""

    title = "Not this provider's refusal"


class IssuerMismatchError(NotThisAttemptError):
    """The ``iss`` that came back names another server, or is missing though the server
    promised it (RFC 9207): not this provider's answer to trust, so not this attempt's."""

    title = "Issuer mismatch: possible mix-up attack"


class AttemptRefusedError(CallbackError):
    """A callback for an attempt the provider already refused (``access_denied``, say):
    that attempt is over, and nothing that comes back for it afterwards is taken."""

    title = "This attempt was refused"


class UncheckableCodeError(CallbackError):
    """A bare code, from a provider that promises ``iss`` in every response: nothing in
    it can be checked (RFC 9207 §2.4)."""

    title = "A bare code cannot be checked here: paste the whole redirect URL"


class InsecureTransportError(DanceError):
    """Plain http to a host that is not loopback: refused before sending."""

    title = "Refused: plain http"


class OAuthError(DanceError):
    """An OAuth error answer: RFC 6749 §4.1.2.1 (authorize) or §5.2 (token).

    Attributes:
        code: the ``error`` value, e.g. ``invalid_grant``.
        description: the provider's ``error_description``, if any.
        status: the HTTP status it came with (None for a redirect).
        explanation: what it means, the likely cause, and the fix.
    """

    title = "The provider refused"

    def __init__(self, code: str, description: str | None = None, status: int | None = None):
        from tui.core.explain import explain_error

        self.code = shorten(code, MAX_SERVER_TEXT)
        self.description = shorten(description, MAX_SERVER_TEXT) if description else None
        self.status = status
        self.explanation: Explanation = explain_error(self.code, self.description)
        said = f": {self.description}" if self.description else ""
        super().__init__(f"{self.code}{said}")

    def mask(self, secrets: Iterable[str]) -> None:
        from tui.core.masking import mask_text

        secrets = set(secrets)
        super().mask(secrets)
        self.code = mask_text(self.code, secrets)
        if self.description:
            self.description = mask_text(self.description, secrets)


class ApiError(DanceError):
    """A resource server (profile endpoint) refused the call.

    Attributes:
        status: the HTTP status.
        detail: the server's message, if it sent one.
        token_expired: the answer says the access token is no longer good,
            so refreshing it is the way on.
        explanation: what the status means (RFC 6750 §3.1), if it is one of those.
    """

    title = "The API refused"

    def __init__(self, status: int, detail: str | None, token_expired: bool) -> None:
        self.status = status
        self.detail = shorten(detail, MAX_SERVER_TEXT) if detail else None
        self.token_expired = token_expired
        from tui.core.explain import explain_api_error

        self.explanation: Explanation | None = explain_api_error(status)
        said = f": {self.detail}" if self.detail else ""
        super().__init__(f"HTTP {status}{said}")

    def mask(self, secrets: Iterable[str]) -> None:
        from tui.core.masking import mask_text

        secrets = set(secrets)
        super().mask(secrets)
        if self.detail:
            self.detail = mask_text(self.detail, secrets)


class ResponseFormatError(DanceError):
    """The server answered something that is not what the protocol says."""

    title = "Unexpected answer"


class CodesExpiredError(DanceError):
    """The device flow's codes outlived their ``expires_in``, as counted here: polling
    stops without asking the provider."""

    title = "The codes expired"


class CancelledError(DanceError):
    """The request was let go before an answer came: cancelled by the user, or by the
    step when what it asked about went away (the device codes expired, polling stopped)."""

    title = "Cancelled"

    def __init__(self) -> None:
        super().__init__(
            "Cancelled before an answer came. The server may still act on the request."
        )
