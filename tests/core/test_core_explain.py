"""Teaching texts for every RFC 6749 error code, and the quirks of Spotify's descriptions."""

from __future__ import annotations

import pytest

from tui.core.errors import OAuthError
from tui.core.explain import (
    ERRORS,
    QUIRKS,
    UNKNOWN,
    Explanation,
    explain_error,
    explain_poll_error,
    for_flow,
)
from tui.core.providers import SPOTIFY

TOKEN_ENDPOINT_CODES = (  # RFC 6749 §5.2
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
)
AUTHORIZE_CODES = (  # RFC 6749 §4.1.2.1
    "invalid_request",
    "unauthorized_client",
    "access_denied",
    "unsupported_response_type",
    "invalid_scope",
    "server_error",
    "temporarily_unavailable",
)


@pytest.mark.parametrize("code", TOKEN_ENDPOINT_CODES)
def test_every_token_endpoint_code_is_explained(code: str) -> None:
    explanation = explain_error(code)
    assert explanation is not UNKNOWN
    assert explanation is ERRORS[code]
    assert "§5.2" in explanation.rfc
    assert explanation.meaning and explanation.cause and explanation.fix


@pytest.mark.parametrize("code", AUTHORIZE_CODES)
def test_every_authorization_code_is_explained(code: str) -> None:
    explanation = explain_error(code)
    assert explanation is not UNKNOWN
    assert "§4.1.2.1" in explanation.rfc
    assert explanation.meaning and explanation.cause and explanation.fix


@pytest.mark.parametrize(
    "description",
    ["Invalid authorization code", "invalid authorization code.", "  Invalid Authorization Code "],
)
def test_spotify_invalid_code_quirk(description: str) -> None:
    explanation = explain_error("invalid_grant", description)
    assert explanation is QUIRKS["invalid authorization code"]
    assert explanation is not ERRORS["invalid_grant"]
    text = f"{explanation.meaning} {explanation.cause}".lower()
    assert "single-use" in text
    assert "short-lived" in text


def test_spotify_invalid_redirect_uri_quirk() -> None:
    explanation = explain_error("invalid_grant", "Invalid redirect URI")
    assert explanation is QUIRKS["invalid redirect uri"]
    assert "byte for byte" in explanation.meaning


@pytest.mark.parametrize(
    "explanation",
    [*ERRORS.values(), *QUIRKS.values(), UNKNOWN],
    ids=[*ERRORS, *QUIRKS, "unknown"],
)
def test_the_texts_name_no_provider_they_may_be_shown_for_another(
    explanation: Explanation,
) -> None:
    """The demo server answers with Spotify's descriptions: its users see these too."""
    text = f"{explanation.meaning} {explanation.cause} {explanation.fix}"
    assert "Spotify" not in text


def test_spotifys_development_mode_is_one_of_spotifys_quirks() -> None:
    assert any("Development Mode" in quirk for quirk in SPOTIFY.quirks)
    assert "test" in ERRORS["access_denied"].fix  # said for any provider, in general terms


def test_other_descriptions_fall_back_to_the_code() -> None:
    assert explain_error("invalid_grant", "Something else") is ERRORS["invalid_grant"]
    assert explain_error("no_such_code", "whatever") is UNKNOWN


def test_oauth_error_carries_the_quirk() -> None:
    err = OAuthError("invalid_grant", "Invalid redirect URI", 400)
    assert err.explanation is QUIRKS["invalid redirect uri"]
    assert err.message == "invalid_grant: Invalid redirect URI"


@pytest.mark.parametrize(
    ("description", "cause"),
    [
        ("Invalid client_id parameter value.", "client ID is mistyped"),
        ("Mismatching redirect URI.", "differs from each registered URI"),
    ],
)
def test_the_demo_servers_authorization_refusals_have_their_own_explanation(
    description: str, cause: str
) -> None:
    """A QA find: both got invalid_request's "A required parameter ... is absent"."""
    why = explain_error("invalid_request", description)
    assert why is not ERRORS["invalid_request"]
    assert cause in why.cause and "absent" not in why.cause
    assert "§4.1.2.1" in why.rfc


def test_the_device_flow_reads_the_texts_that_send_the_user_to_authorize() -> None:
    """In the device flow new tokens come from new device codes: no redirect_uri, no
    "Authorize again"; a poll's own readings and the redirect flow's texts stay."""
    for code, description in (("invalid_grant", None), ("invalid_grant", "Refresh token revoked")):
        why = explain_error(code, description)
        device = for_flow(why, device_flow=True)
        said = f"{device.meaning} {device.cause} {device.fix}"
        assert "redirect_uri" not in said and "Authorize again" not in said, said
        assert "new device codes on Device code (2)" in device.fix
        assert for_flow(why, device_flow=False) is why
    poll = explain_poll_error("invalid_grant")
    assert for_flow(poll, device_flow=True) is poll
