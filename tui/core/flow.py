"""Each step of the dance as an ``httpx.Request``, built but not sent.

The screens render exactly these objects and then send the same objects, so
what a user reads is what goes over the wire.
"""

from __future__ import annotations

import base64
from urllib.parse import quote_plus

import httpx

from tui import __version__
from tui.core.errors import ConfigError
from tui.core.providers import ClientAuth, Provider
from tui.core.state import DanceState
from tui.core.textsafe import fits_a_header

USER_AGENT = f"oauth-dance/{__version__}"

_UNKNOWN = ": discovery has not found one (see its message), and the credentials file names none"


def authorization_params(provider: Provider, state: DanceState) -> list[tuple[str, str]]:
    """The authorization request's query parameters, in the order they are sent.

    Raises:
        ConfigError: no client_id, redirect URI, or ``state`` yet.
    """
    _require(state.client_id, "a client id")
    _require(state.redirect_uri, "a redirect URI")
    _require(state.state, "a state value (start a new attempt)")
    params = [
        ("client_id", state.client_id),
        ("response_type", "code"),
        ("redirect_uri", state.redirect_uri),
    ]
    if state.scope.strip():
        params.append(("scope", " ".join(state.scope.split())))
    params.append(("state", state.state))
    if state.nonce:
        params.append(("nonce", state.nonce))
    if state.uses_pkce:
        _require(state.code_verifier, "a PKCE verifier (start a new attempt)")
        params += [("code_challenge", state.code_challenge), ("code_challenge_method", "S256")]
    if state.show_dialog and provider.show_dialog:  # Spotify's parameter: only there
        params.append(("show_dialog", "true"))
    taken = {name for name, _ in params}
    # The user's own value wins over the provider's fixed one; never send a name twice.
    extras = {**provider.extra_auth_params, **state.extra_params}
    params += [(k, v) for k, v in extras.items() if k not in taken]
    return params


def authorize_request(provider: Provider, state: DanceState) -> httpx.Request:
    """The GET the user's browser makes to the authorization endpoint (§4.1.1).

    Once the parameters were pushed (RFC 9126 §4) it carries only ``client_id``
    and the ``request_uri`` that stands for them.

    Raises:
        ConfigError: the endpoint is not known yet (discovery has not found it),
            so the URL would have no host.
    """
    endpoint = httpx.URL(provider.authorize_endpoint)
    if not endpoint.host:
        found_by = ": discovery has not found it" if provider.issuer else ""
        raise ConfigError(f"{provider.title} has no authorization endpoint yet{found_by}.")
    if state.request_uri:
        params = [("client_id", state.client_id), ("request_uri", state.request_uri)]
    else:
        params = authorization_params(provider, state)
    return httpx.Request(
        "GET", endpoint.copy_merge_params(tuple(params)), headers={"User-Agent": USER_AGENT}
    )


def par_request(provider: Provider, state: DanceState) -> httpx.Request:
    """The pushed authorization request (RFC 9126 §2.1): the authorization parameters
    in a POST, the client authenticated as at the token endpoint."""
    endpoint = provider.par_endpoint or ""
    _require(endpoint, f"a pushed authorization request endpoint{_UNKNOWN}")
    return client_post(endpoint, provider, state, authorization_params(provider, state))


def token_request(provider: Provider, state: DanceState, code: str) -> httpx.Request:
    """The code exchange: POST grant_type=authorization_code (§4.1.3).

    ``redirect_uri`` is the one the authorization request carried: §4.1.3
    requires them to be identical.
    """
    _require(code, "an authorization code")
    form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", state.redirect_uri),
    ]
    if state.uses_pkce:
        _require(
            state.code_verifier,
            "the PKCE verifier of this attempt (start a new attempt on Authorize)",
        )
        form.append(("code_verifier", state.code_verifier))
    return client_post(provider.token_endpoint, provider, state, form)


def refresh_request(provider: Provider, state: DanceState) -> httpx.Request:
    """The refresh: POST grant_type=refresh_token (§6)."""
    _require(state.refresh, "a refresh token")
    form = [("grant_type", "refresh_token"), ("refresh_token", state.refresh)]
    return client_post(provider.token_endpoint, provider, state, form)


def profile_request(provider: Provider, state: DanceState) -> httpx.Request:
    """A GET to the profile endpoint with ``Authorization: Bearer`` (RFC 6750 §2.1)."""
    if not provider.profile_endpoint:
        raise ConfigError(f"{provider.title} has no profile endpoint configured.")
    return httpx.Request("GET", provider.profile_endpoint, headers=bearer_headers(state.token))


def bearer_headers(token: str) -> dict[str, str]:
    """The headers of an API call: JSON wanted, and ``Authorization: Bearer`` (RFC 6750 §2.1).

    Raises:
        ConfigError: no access token, or one a header cannot carry.
    """
    _require(token, "an access token")
    if not fits_a_header(token):
        raise ConfigError(
            "The access token has characters an HTTP header cannot carry (RFC 6750 §2.1)."
        )
    return {
        "Accept": "application/json",
        "Authorization": f"Bearer {token}",
        "User-Agent": USER_AGENT,
    }


def jwks_request(provider: Provider) -> httpx.Request:
    """A GET of the provider's JWK Set (RFC 7517 §5), the keys its ID tokens verify with."""
    uri = provider.jwks_uri or ""
    _require(uri, f"the provider's jwks_uri{_UNKNOWN}")
    return httpx.Request(
        "GET", uri, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )


def basic_credentials(client_id: str, client_secret: str) -> str:
    """The HTTP Basic value of RFC 6749 §2.3.1: each part form-encoded, then base64."""
    pair = f"{quote_plus(client_id)}:{quote_plus(client_secret)}"
    return "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")


def client_post(
    endpoint: str, provider: Provider, state: DanceState, form: list[tuple[str, str]]
) -> httpx.Request:
    """A form POST to one of the provider's endpoints (token, PAR, revocation),
    authenticated as the client is at the token endpoint (RFC 6749 §2.3; RFC 9126
    §2, RFC 7009 §2.1)."""
    _require(endpoint, f"a token endpoint{_UNKNOWN}")
    _require(state.client_id, "a client id")
    has_id = any(name == "client_id" for name, _ in form)  # a pushed request has it
    headers = {"User-Agent": USER_AGENT}
    if provider.token_accept_json:
        headers["Accept"] = "application/json"
    method = state.auth_method
    if method is ClientAuth.BASIC:
        _require(state.client_secret, "a client secret (or choose the public-client method)")
        headers["Authorization"] = basic_credentials(state.client_id, state.client_secret)
    elif method is ClientAuth.POST:
        _require(state.client_secret, "a client secret (or choose the public-client method)")
        if not has_id:
            form.append(("client_id", state.client_id))
        form.append(("client_secret", state.client_secret))
    elif not has_id:
        form.append(("client_id", state.client_id))
    return httpx.Request("POST", endpoint, headers=headers, data=dict(form))


def _require(value: str, what: str) -> None:
    if not value:
        raise ConfigError(f"This step needs {what}.")
