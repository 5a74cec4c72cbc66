"""What to do when a provider gives no revocation endpoint or no refresh token: the
advice for each built-in provider, and for any other."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.providers import Provider


# --- why there is no revocation endpoint --------------------------------------------

REVOKE_ADVICE: dict[str, str] = {
    "spotify": (
        "A user removes the app's access on their account page (Manage apps), which "
        "ends its refresh token; an access token lives out its hour."
    ),
    "github": (
        "An OAuth app deletes a token with GitHub's REST API "
        "(DELETE /applications/{client_id}/token, with the app's id and secret as "
        "Basic), or the user revokes the app under Settings, Applications."
    ),
}
OTHER_REVOKE_ADVICE = (
    "Its metadata names no revocation_endpoint, and its table in the credentials file "
    "none: if it has one, add revocation_endpoint to that table."
)


def no_revocation_endpoint(provider: Provider) -> str:
    """Why the provider cannot revoke here, and what it offers instead."""
    advice = REVOKE_ADVICE.get(provider.name, OTHER_REVOKE_ADVICE)
    return f"{provider.title} has no token revocation endpoint (RFC 7009). {advice}"


# --- why there is no refresh token ------------------------------------------------

REFRESH_ADVICE: dict[str, str] = {
    "demo": "The demo server sends a refresh token with every code exchange.",
    "spotify": "Spotify sends a refresh token with every code exchange.",
    "github": (
        "GitHub OAuth apps get no refresh token: their access tokens do not expire "
        "until revoked. Only GitHub Apps with expiring user tokens get one."
    ),
    "google": (
        "Google sends a refresh token only with access_type=offline, and to a user who "
        "approved before only with prompt=consent too. The preset sends both: check that "
        "Extra params on Credentials does not change them."
    ),
}
OPENID_REFRESH_ADVICE = (
    "An OpenID provider sends one when asked for the offline_access scope (OpenID "
    "Connect Core §11): add it on Credentials, and authorize again. Some also need "
    "refresh tokens enabled for the client in their dashboard."
)
OTHER_REFRESH_ADVICE = (
    "This provider sent none: many issue one only when asked (an offline_access scope, "
    "or a parameter their documentation names), and some never do."
)


def no_refresh_token(provider: Provider, *, exchanged: bool) -> str:
    """Why there is no refresh token, and this provider's way to get one.

    Args:
        exchanged: a code exchange has brought tokens, without a refresh token.
    """
    if provider.is_demo:
        advice = REFRESH_ADVICE["demo"]
    elif provider.name in REFRESH_ADVICE:
        advice = REFRESH_ADVICE[provider.name]
    elif provider.issuer or "openid" in provider.default_scope.split():
        advice = OPENID_REFRESH_ADVICE
    else:
        advice = OTHER_REFRESH_ADVICE
    if exchanged:
        return f"The code exchange brought no refresh token (optional, RFC 6749 §5.1). {advice}"
    return f"There is no refresh token yet: one comes, if at all, with a code exchange. {advice}"
