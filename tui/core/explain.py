"""Teaching texts for OAuth error codes: what each means, the likely cause, the fix.

The codes are RFC 6749 §4.1.2.1 (answers on the redirect) and §5.2 (answers
from the token endpoint), plus the provider quirks people hit most. The docs
quote this module, so the app and the docs cannot drift apart. The texts are
shown for whichever provider answered (the demo server answers as Spotify
does), so they name none: what is true of one provider only goes in its
``Provider.quirks``, or, for the fix of a quirk, in ``PROVIDER_FIXES`` (the session
puts it in the errors it raises).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tui.core.providers import (
    DEMO_CLIENT_ID,
    DEMO_PUBLIC_CLIENT_ID,
    DEMO_REDIRECT_URIS,
    EMBEDDED_DEMO,
)

if TYPE_CHECKING:
    from tui.core.providers import Provider


@dataclass(frozen=True)
class Explanation:
    """What an error means, why it usually happens, and how to fix it."""

    meaning: str
    cause: str
    fix: str
    rfc: str


ERRORS: dict[str, Explanation] = {
    "invalid_request": Explanation(
        "The request is missing a parameter, repeats one, or is malformed.",
        "A required parameter such as redirect_uri or code is absent or empty.",
        "Compare the raw request with the parameter table; every row must be present once.",
        "RFC 6749 §4.1.2.1, §5.2",
    ),
    "invalid_client": Explanation(
        "The provider could not authenticate the client.",
        "A wrong client_id or client_secret, or an auth method the client is not set up for.",
        "Copy the id and secret again from the provider's dashboard; try the other auth method.",
        "RFC 6749 §5.2",
    ),
    "invalid_grant": Explanation(
        "The code or refresh token is invalid, expired, revoked, already used, "
        "or was issued for another redirect_uri or client.",
        "Codes are single-use and live about a minute; a refresh token can be revoked.",
        "Authorize again for a fresh code, and exchange it at once with the same redirect_uri.",
        "RFC 6749 §5.2",
    ),
    "unauthorized_client": Explanation(
        "This client may not use this grant type or response type.",
        "The app is not allowed the authorization code grant in its settings.",
        "Enable the authorization code flow for the app in the provider's dashboard.",
        "RFC 6749 §4.1.2.1, §5.2",
    ),
    "unsupported_grant_type": Explanation(
        "The token endpoint does not know this grant_type.",
        "A typo in grant_type, or a provider without refresh tokens.",
        "Use grant_type=authorization_code or refresh_token exactly.",
        "RFC 6749 §5.2",
    ),
    "unsupported_response_type": Explanation(
        "The authorization server does not support this response_type.",
        "response_type is not 'code'.",
        "Send response_type=code.",
        "RFC 6749 §4.1.2.1",
    ),
    "invalid_scope": Explanation(
        "A requested scope is unknown, malformed, or more than the client may ask for.",
        "A typo in a scope name, or a scope of another provider.",
        "Pick scopes from the provider's list; separate them with spaces.",
        "RFC 6749 §4.1.2.1, §5.2",
    ),
    "access_denied": Explanation(
        "The user (or the provider on their behalf) refused the request.",
        "Deny was pressed on the consent page, or the user is not allowed to use this app.",
        "Authorize again and press Approve. An app still in a development or testing mode "
        "may be approved only by the users listed in its dashboard: add this one there.",
        "RFC 6749 §4.1.2.1",
    ),
    "server_error": Explanation(
        "The authorization server hit an unexpected condition.",
        "A fault on the provider's side.",
        "Try again later; nothing in your request needs to change.",
        "RFC 6749 §4.1.2.1",
    ),
    "temporarily_unavailable": Explanation(
        "The authorization server is overloaded or down for maintenance.",
        "A fault on the provider's side.",
        "Wait a little and try again.",
        "RFC 6749 §4.1.2.1",
    ),
    "unsupported_token_type": Explanation(
        "The revocation endpoint does not revoke this kind of token.",
        "Many servers revoke refresh tokens only; access tokens then live until they expire.",
        "Revoke the refresh token instead, or wait for the access token to expire.",
        "RFC 7009 §2.2.1",
    ),
    "invalid_token": Explanation(
        "The server does not know this token: it expired, was revoked, or is mistyped.",
        "It was revoked already, or it is older than its lifetime.",
        "Nothing to revoke: the token is dead. RFC 7009 §2.2 would have answered 200.",
        "RFC 7009 §2.2, RFC 6750 §3.1",
    ),
    "invalid_request_uri": Explanation(
        "The request_uri does not stand for a pushed request the provider still holds.",
        "It was used already, it expired, or it was never issued to this client.",
        "Start a new attempt (n), which pushes the parameters again, and use the new URL at once.",
        "RFC 9126 §4, RFC 9101 §6.2",
    ),
    "bad_verification_code": Explanation(
        "GitHub's word for invalid_grant: the code is wrong or expired.",
        "The code was already used, is older than ten minutes, or was mistyped.",
        "Authorize again and exchange the new code at once.",
        "GitHub docs (RFC 6749 §5.2 invalid_grant)",
    ),
    "redirect_uri_mismatch": Explanation(
        "The redirect_uri does not match the one registered for the app.",
        "The URI differs from the registered one in scheme, host, port or path.",
        "Make the redirect URI match the registered one byte for byte.",
        "GitHub docs (RFC 6749 §4.1.3)",
    ),
    "incorrect_client_credentials": Explanation(
        "GitHub's word for invalid_client: the id or secret is wrong.",
        "The client secret was regenerated, or the id belongs to another app.",
        "Copy the id and a fresh secret from the app's settings.",
        "GitHub docs (RFC 6749 §5.2 invalid_client)",
    ),
    "authorization_pending": Explanation(
        "The user has not approved (or denied) on the verification page yet.",
        "Polling is meant to meet this answer until the user is done: it is not a failure.",
        "Wait the interval, then poll again; the wizard does so until the codes expire.",
        "RFC 8628 §3.5",
    ),
    "slow_down": Explanation(
        "Still pending, and the app polled faster than the server allows.",
        "A poll came sooner than the interval after the one before.",
        "Add 5 seconds to the interval, for this poll and every later one.",
        "RFC 8628 §3.5",
    ),
    "expired_token": Explanation(
        "The device code and the user code have expired: this attempt is over.",
        "The user did not approve within expires_in seconds.",
        "Ask for new codes (Device code, n), and approve before they expire.",
        "RFC 8628 §3.5",
    ),
    "device_flow_disabled": Explanation(
        "GitHub: the device flow is not enabled for this app.",
        "It is off by default for each OAuth app and GitHub App.",
        "Tick 'Enable Device Flow' in the app's settings on GitHub, then ask again.",
        "GitHub docs (RFC 8628 §3.2)",
    ),
    "incorrect_device_code": Explanation(
        "GitHub's word for invalid_grant in the device flow: the device code is wrong.",
        "The code was mistyped, belongs to another app, or was already used.",
        "Ask for new codes (Device code, n) and poll with the new device code.",
        "GitHub docs (RFC 8628 §3.5)",
    ),
}

POLL_ERRORS: dict[str, Explanation] = {
    "invalid_grant": Explanation(
        "The provider no longer knows this device code: it is invalid, expired, or spent.",
        "A device code is spent by the poll that gets the tokens (here, or by another "
        "copy of the app), or it was replaced by newer codes.",
        "Ask for new codes (Device code, n) and poll with the new device code.",
        "RFC 8628 §3.5, RFC 6749 §5.2",
    ),
    "access_denied": Explanation(
        "The user denied the request on the verification page: these codes are over.",
        "Deny was pressed after the user code was typed, or the user may not use this app.",
        "Ask for new codes (Device code, n), type the new user code, and press Approve.",
        "RFC 8628 §3.5",
    ),
}
"""The device flow's readings of codes a poll's answer shares with the redirect flow."""

QUIRKS: dict[str, Explanation] = {
    "invalid authorization code": Explanation(
        "The provider rejects this code: it was already used or has expired.",
        "A code is single-use and short-lived; exchanging it twice revokes it.",
        "Go back to Authorize for a fresh code and exchange it right away.",
        "RFC 6749 §4.1.2, §10.5",
    ),
    "invalid redirect uri": Explanation(
        "The redirect_uri does not match: it must equal the registered one byte for "
        "byte, and the one sent in the authorization request.",
        "A trailing slash, http vs https, localhost vs 127.0.0.1, or another port.",
        "Use exactly the URI registered in the dashboard, in both requests.",
        "RFC 6749 §4.1.3",
    ),
    "request_uri already used": Explanation(
        "This request_uri was used already: the provider honours each one once.",
        "The URL was opened twice (a second g, a reload, or a link scanner got there "
        "first). One use stops a copied URL from starting a second authorization.",
        "Start a new attempt (n), which pushes again for a fresh request_uri.",
        "RFC 9126 §4",
    ),
    "request_uri expired": Explanation(
        "This request_uri outlived the expires_in the PAR answer gave it.",
        "A request_uri lives seconds to minutes, so a pushed request cannot be kept and "
        "replayed later.",
        "Start a new attempt (n), which pushes again, and open the new URL at once.",
        "RFC 9126 §2.2, §4",
    ),
    "invalid client_id parameter value": Explanation(
        "The authorization server knows no client with this client_id.",
        "The client ID is mistyped, or belongs to another app or provider. With no known "
        "client there is no registered redirect_uri to trust, so the server shows an error "
        "page instead of redirecting.",
        "Copy the client ID again from the app's registration with this provider, save it "
        "on Credentials, and authorize again.",
        "RFC 6749 §2.2, §4.1.2.1",
    ),
    "mismatching redirect uri": Explanation(
        "The redirect_uri is not one registered for this client.",
        "It differs from each registered URI in scheme, host (localhost is not 127.0.0.1), "
        "path or query; only a loopback IP literal's port may differ (RFC 8252 §7.3). The "
        "server shows an error page rather than send a code where the client never said.",
        "Use a redirect URI registered for the client, byte for byte, or register this one.",
        "RFC 6749 §3.1.2, §4.1.2.1",
    ),
    "refresh token revoked": Explanation(
        "The refresh token no longer works.",
        "It was revoked (by the app, RFC 7009, or by the user removing the app's access), "
        "the token rotated and an old copy was reused, or it is older than the lifetime "
        "the provider gives it.",
        "Authorize again to get a new refresh token.",
        "RFC 6749 §6, §10.4; RFC 7009 §2.1",
    ),
}

DEVICE_READINGS: dict[Explanation, Explanation] = {
    ERRORS["invalid_grant"]: Explanation(
        "The device code or the refresh token is invalid, expired, revoked, already used, "
        "or was issued to another client.",
        "A device code is spent by the poll that gets the tokens, and lives minutes; a "
        "refresh token can be revoked, or rotated out by a newer one.",
        "Ask for new device codes on Device code (2), approve them, and poll on Poll (3) "
        "for new tokens.",
        "RFC 6749 §5.2, RFC 8628 §3.5",
    ),
    ERRORS["unauthorized_client"]: Explanation(
        "This client may not use this grant type.",
        "The app is not allowed the device flow in its settings.",
        "Enable the device flow for the app in the provider's dashboard, or switch back "
        "to the redirect flow (v on Credentials).",
        "RFC 6749 §5.2, RFC 8628 §3.1",
    ),
    QUIRKS["refresh token revoked"]: replace(
        QUIRKS["refresh token revoked"],
        fix="Ask for new device codes on Device code (2), approve them, and poll on Poll (3) "
        "to get a new refresh token.",
    ),
}
"""The device flow's readings of explanations that send the user to Authorize: in the
device flow new tokens come from new device codes (a poll's own refusals are read by
``POLL_ERRORS``)."""


def for_flow(why: Explanation, *, device_flow: bool) -> Explanation:
    """``why`` as the flow in use reads it: the device flow's words where it has them."""
    return DEVICE_READINGS.get(why, why) if device_flow else why


PROVIDER_FIXES: dict[tuple[str, str], str] = {
    (EMBEDDED_DEMO, "invalid client_id parameter value"): (
        f"The demo server knows {DEMO_CLIENT_ID} (with its secret) and "
        f"{DEMO_PUBLIC_CLIENT_ID} (a public client, PKCE): type one as the Client ID on "
        "Credentials, save, and authorize again."
    ),
    (EMBEDDED_DEMO, "mismatching redirect uri"): (
        f"The demo server registers {' and '.join(DEMO_REDIRECT_URIS)}, on any port: use "
        "one on Credentials, e.g. http://127.0.0.1:8888/callback, and authorize again."
    ),
}
"""A quirk's fix as one provider words it, by (provider name, quirk): what its
registration holds."""


def _quirk_key(description: str) -> str:
    return description.strip().rstrip(".").lower()


def for_provider(why: Explanation, description: str | None, provider: Provider) -> Explanation:
    """``why``, with the fix ``provider`` gives for the quirk ``description`` names."""
    fix = PROVIDER_FIXES.get((provider.name, _quirk_key(description or "")))
    return replace(why, fix=fix) if fix else why


UNKNOWN = Explanation(
    "The provider answered with an error code this tool has no notes for.",
    "See the provider's error_description and its documentation.",
    "Read the raw response below; the description usually names the problem.",
    "RFC 6749 §5.2",
)


def explain_error(code: str, description: str | None = None) -> Explanation:
    """The teaching text for an error code, preferring a known provider quirk."""
    if description:
        quirk = QUIRKS.get(_quirk_key(description))
        if quirk is not None:
            return quirk
    return ERRORS.get(code, UNKNOWN)


def explain_poll_error(code: str, description: str | None = None) -> Explanation:
    """The teaching text for an error a device flow poll got (RFC 8628 §3.5)."""
    return POLL_ERRORS.get(code) or explain_error(code, description)


API_ERRORS: dict[int, Explanation] = {
    401: Explanation(
        "invalid_token: the API no longer accepts this access token.",
        "It expired, it was revoked (by the app, RFC 7009, or by the user), or the "
        "server forgot it.",
        "Refresh it, then call again; without a refresh token, authorize again.",
        "RFC 6750 §3.1, RFC 7009 §2",
    ),
    403: Explanation(
        "insufficient_scope: the token is good, but not for this call.",
        "The call needs a scope the token was not granted.",
        "Add the scope on Credentials and authorize again.",
        "RFC 6750 §3.1",
    ),
}
"""What an API's refusal means, by HTTP status (the WWW-Authenticate error codes)."""


def explain_api_error(status: int) -> Explanation | None:
    """The teaching text for an API's refusal, when its status has one."""
    return API_ERRORS.get(status)
