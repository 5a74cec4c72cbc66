"""The device authorization grant (RFC 8628): its two requests, and reading their answers.

The app asks the device authorization endpoint for a pair of codes (§3.1–3.2):
a ``device_code``, a secret it keeps, and a ``user_code`` the user types on the
``verification_uri`` in any browser, on any machine. Meanwhile the app polls
the token endpoint with the device code (§3.4) until the user has approved or
denied, or the codes expire. Each poll's refusal says how to go on (§3.5):
``authorization_pending`` (ask again after the interval), ``slow_down`` (the
same, with 5 s more from now on), ``expired_token`` and ``access_denied`` (stop).

Everything a provider sends is checked before it is shown or saved: the codes
and the URIs are printable and of sane length, the URIs https (plain http only
from a loopback provider), the interval and the lifetime sane numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import httpx

from tui.core.errors import CodesExpiredError, ConfigError, OAuthError, ResponseFormatError
from tui.core.flow import USER_AGENT, client_post
from tui.core.providers import ClientAuth, Provider
from tui.core.redirect_uri import is_loopback_host
from tui.core.state import DanceState
from tui.core.textsafe import clean, excerpt
from tui.core.tokens import TokenSet, parse_token_response, read_oauth_answer

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code"
"""The grant type a poll names (RFC 8628 §3.4)."""
DEFAULT_INTERVAL = 5
"""Seconds between polls when the answer names no interval (§3.2)."""
SLOW_DOWN_STEP = 5
"""Seconds a ``slow_down`` adds to the interval, for this and every later poll (§3.5)."""
MAX_INTERVAL = 120
"""The longest interval accepted. Real ones are 5 s; minutes between polls would leave
the user waiting long after approving."""
MAX_LIFETIME = 3600
"""The longest ``expires_in`` accepted: real codes live 15 (GitHub) to 30 minutes (Google)."""
MAX_USER_CODE_CHARS = 32
"""A user code is typed by a person: real ones are 8 or 9 characters (§6.1)."""
MAX_DEVICE_CODE_CHARS = 1024
MAX_URI_CHARS = 2048

POLL_ANSWERS = ("authorization_pending", "slow_down")
"""The refusals that mean "not yet": polling goes on."""
ENDS_CODES = ("access_denied", "expired_token", "invalid_grant", "incorrect_device_code")
"""The refusals that end the device code: polling with it again gets the same; new
codes are needed (``incorrect_device_code`` is GitHub's ``invalid_grant``)."""


@dataclass(frozen=True)
class DeviceGrant:
    """A device authorization answer, checked, with its expiry made absolute."""

    device_code: str
    user_code: str
    verification_uri: str
    verification_uri_complete: str
    """The URI with the user code in it, for a QR code; "" when the provider gives none."""
    expires_in: int
    expires_at: datetime
    interval: int


@dataclass(frozen=True)
class PollAnswer:
    """One poll's outcome: the tokens, or why not yet and how long to wait."""

    tokens: TokenSet | None
    waiting: str
    """``authorization_pending`` or ``slow_down`` while not yet; "" with the tokens."""
    interval: int
    """Seconds to wait before the next poll."""


def device_state(provider: Provider, state: DanceState) -> DanceState:
    """The state the device flow's requests are built from: a provider whose device
    flow takes only ``client_id`` (GitHub) gets no secret sent."""
    if provider.device_sends_secret:
        return state
    return replace(state, auth_method=ClientAuth.NONE)


def device_authorization_request(provider: Provider, state: DanceState) -> httpx.Request:
    """The POST that starts the device flow (RFC 8628 §3.1): the client and the scope.

    Raises:
        ConfigError: the provider has no device authorization endpoint, or no client id.
    """
    endpoint = provider.device_authorization_endpoint or ""
    if not endpoint:
        raise ConfigError(
            f"{provider.title} has no device authorization endpoint (RFC 8628 §3.1): its "
            "metadata names none, and the credentials file has no "
            "device_authorization_endpoint. Use the authorization code flow (v on Credentials)."
        )
    form = [("scope", " ".join(state.scope.split()))] if state.scope.strip() else []
    return client_post(endpoint, provider, device_state(provider, state), form)


def seconds_left(state: DanceState, now: datetime) -> float:
    """Seconds the device code has left (negative once expired; 0 without one)."""
    expires = state.device_expires
    return (expires - now).total_seconds() if expires is not None else 0.0


def check_codes_alive(state: DanceState, now: datetime) -> None:
    """Polling ends when the codes' lifetime does: the provider would only answer
    ``expired_token`` (§3.5).

    Raises:
        CodesExpiredError: the device code's ``expires_in`` is over.
    """
    if state.device_code and seconds_left(state, now) <= 0:
        raise CodesExpiredError(
            "The device code and the user code expired: their expires_in ran out before "
            "the user approved. Polling stopped without asking the token endpoint, which "
            "would only answer expired_token (RFC 8628 §3.5). Press enter for Device code, "
            "then enter again for new codes, and approve before they expire."
        )


def poll_request(provider: Provider, state: DanceState) -> httpx.Request:
    """One poll of the token endpoint with the device code (RFC 8628 §3.4).

    Raises:
        ConfigError: there is no device code yet.
    """
    if not state.device_code:
        raise ConfigError("This step needs a device code: press 2 and ask for one first.")
    form = [("grant_type", GRANT_TYPE), ("device_code", state.device_code)]
    return client_post(provider.token_endpoint, provider, device_state(provider, state), form)


def verification_page_request(state: DanceState) -> httpx.Request:
    """The GET a browser makes of the verification page, where the user types the code.

    Raises:
        ConfigError: there is no verification URI yet.
    """
    if not state.verification_uri:
        raise ConfigError("There is no verification page yet: ask for a device code first.")
    return httpx.Request("GET", state.verification_uri, headers={"User-Agent": USER_AGENT})


def parse_device_response(response: httpx.Response, now: datetime) -> DeviceGrant:
    """Interpret the device authorization answer (RFC 8628 §3.2).

    Google's answer says ``verification_url``: it is taken as ``verification_uri``.

    Raises:
        OAuthError: the provider refused (invalid_client, device_flow_disabled...).
        ResponseFormatError: the answer is not usable; says what is wrong. Nothing is kept.
    """
    data = read_oauth_answer(response, "device authorization endpoint", "RFC 8628 §3.2")
    if "verification_uri" not in data and "verification_url" in data:
        data["verification_uri"] = data["verification_url"]
    device_code = _text(data, "device_code", MAX_DEVICE_CODE_CHARS)
    user_code = _text(data, "user_code", MAX_USER_CODE_CHARS)
    from_loopback = response.request.url.scheme == "http" and is_loopback_host(
        response.request.url.host
    )
    uri = _uri(data, "verification_uri", from_loopback)
    complete = _uri(data, "verification_uri_complete", from_loopback, required=False)
    expires_in = _seconds(data, "expires_in", MAX_LIFETIME, required=True)
    interval = _seconds(data, "interval", MAX_INTERVAL, required=False) or DEFAULT_INTERVAL
    return DeviceGrant(
        device_code,
        user_code,
        uri,
        complete,
        expires_in,
        now + timedelta(seconds=expires_in),
        interval,
    )


def read_poll(response: httpx.Response, now: datetime, interval: int) -> PollAnswer:
    """Interpret one poll's answer (RFC 8628 §3.5): tokens, or wait ``interval`` (5 s more
    after ``slow_down``).

    Raises:
        OAuthError: the end of polling: ``expired_token``, ``access_denied``, or another
            refusal (``invalid_grant`` for a spent device code...).
        ResponseFormatError: not a token answer at all.
    """
    try:
        tokens = parse_token_response(response, now=now)
    except OAuthError as err:
        if err.code == "slow_down":
            return PollAnswer(None, err.code, min(interval + SLOW_DOWN_STEP, MAX_INTERVAL))
        if err.code == "authorization_pending":
            return PollAnswer(None, err.code, interval)
        raise
    return PollAnswer(tokens, "", interval)


def _problem(what: str) -> ResponseFormatError:
    return ResponseFormatError(
        f"The device authorization answer's {what} (RFC 8628 §3.2). Nothing was kept: "
        "press n for a new request."
    )


def _text(data: dict[str, object], name: str, limit: int) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise _problem(f"{name} is missing")
    if len(value) > limit:
        raise _problem(f"{name} is {len(value):,} characters long, more than the {limit} allowed")
    if not value.isprintable():
        shown = clean(excerpt(value), keep_newlines=False)
        raise _problem(f"{name} has control characters: {shown}")
    return value


def _uri(data: dict[str, object], name: str, from_loopback: bool, *, required: bool = True) -> str:
    if not required and not data.get(name):
        return ""
    value = _text(data, name, MAX_URI_CHARS)
    url = httpx.URL(value) if " " not in value and value.isascii() else None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise _problem(
            f"{name} is not an http(s) URL: {clean(excerpt(value), keep_newlines=False)}"
        )
    if url.scheme == "http" and not (from_loopback and is_loopback_host(url.host)):
        raise _problem(
            f"{name} is plain http ({clean(excerpt(value), keep_newlines=False)}): the user "
            "would type a code into a page anyone on the network can alter. Only https is "
            "taken from a provider that is not on this machine"
        )
    return value


def _seconds(data: dict[str, object], name: str, limit: int, *, required: bool) -> int:
    value = data.get(name)
    if value is None and not required:
        return 0
    if isinstance(value, str) and value.isdigit():
        value = int(value)  # a form-encoded answer (GitHub's without Accept: JSON)
    if isinstance(value, bool) or not isinstance(value, int):
        shown = "missing" if value is None else f"not a whole number: {excerpt(str(value))}"
        raise _problem(f"{name} is {shown}")
    if not 0 < value <= limit:
        raise _problem(
            f"{name} is {excerpt(str(value))} seconds, outside the 1 to {limit} accepted here"
        )
    return value
