"""Providers as data: endpoints, scopes, client authentication and quirks.

Presets cover the embedded demo server, Spotify, GitHub and Google. Any other
name is a custom provider described by its table in the credentials file:
either an ``issuer`` (endpoints found by discovery, see ``discovery.py``) or
explicit ``authorize_endpoint`` / ``token_endpoint`` / ``profile_endpoint``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from tui.core.errors import ConfigError
from tui.core.scopes import (
    DEMO_SCOPES,
    GITHUB_SCOPES,
    GOOGLE_SCOPES,
    OIDC_SCOPES,
    SPOTIFY_SCOPES,
    Scope,
)
from tui.core.store import APP_TABLE
from tui.core.textsafe import clean
from tui.core.urls import url_problem


class ClientAuth(StrEnum):
    """How the client proves who it is at the token endpoint (RFC 6749 §2.3)."""

    POST = "client_secret_post"
    """client_id and client_secret in the form body, as the course notebook does."""
    BASIC = "client_secret_basic"
    """HTTP Basic: base64 of form-encoded id ':' form-encoded secret (§2.3.1)."""
    NONE = "none"
    """A public client: no secret, a PKCE verifier instead (RFC 7636)."""

    @property
    def label(self) -> str:
        return AUTH_LABELS[self]


AUTH_LABELS = {
    ClientAuth.POST: "Secret in the POST body",
    ClientAuth.BASIC: "HTTP Basic header",
    ClientAuth.NONE: "None: public client with PKCE",
}

DEFAULT_REDIRECT_URI = "http://127.0.0.1:8888/callback"


@dataclass(frozen=True)
class Provider:
    """Everything the dance needs to know about one authorization server."""

    name: str
    title: str
    authorize_endpoint: str
    token_endpoint: str
    profile_endpoint: str | None = None
    revocation_endpoint: str | None = None
    jwks_uri: str | None = None
    """Where the keys that sign its ID tokens are published (OpenID Connect Discovery)."""
    par_endpoint: str | None = None
    """Where the authorization parameters can be pushed first (RFC 9126): its metadata's
    ``pushed_authorization_request_endpoint``."""
    device_authorization_endpoint: str | None = None
    """Where the device flow starts (RFC 8628 §3.1), its metadata's key of that name."""
    device_sends_secret: bool = True
    """The device flow's requests authenticate the client as at the token endpoint; False:
    only ``client_id`` is sent, the device being a public client (GitHub)."""
    issuer: str | None = None
    scopes: tuple[Scope, ...] = ()
    default_scope: str = ""
    client_auth: ClientAuth = ClientAuth.BASIC
    extra_auth_params: Mapping[str, str] = field(default_factory=dict)
    """Fixed extra authorization parameters, e.g. Google's access_type=offline."""
    token_accept_json: bool = True
    """Send ``Accept: application/json`` to the token endpoint (GitHub needs it)."""
    profile_fields: tuple[str, ...] = ()
    """The profile fields worth showing first."""
    quirks: tuple[str, ...] = ()
    """Things a user of this provider should know, one sentence each."""
    default_redirect_uri: str = DEFAULT_REDIRECT_URI
    redirect_uris: tuple[str, ...] = ()
    """The only redirect URIs it takes, when the wizard knows them (the demo's registered
    ones; a loopback IP literal's port may differ, RFC 8252 §7.3); () when unknown."""
    refuses_localhost: bool = False
    """It refuses ``localhost`` in a redirect URI (Spotify, since 2025)."""
    show_dialog: bool = False
    """It takes Spotify's ``show_dialog=true`` (ask for consent again): the form offers it."""
    iss_parameter_supported: bool = False
    """The server's metadata promises ``iss`` in every authorization response
    (RFC 9207 §3): a response without it is refused."""
    is_demo: bool = False


SPOTIFY_PROFILE_FIELDS = ("display_name", "id", "email", "country", "product", "uri")

DEMO_CLIENT_ID = "oauth-dance-demo"
"""The demo server's confidential client, unless it is started with another id."""
DEMO_PUBLIC_CLIENT_ID = "oauth-dance-public"
"""The demo server's public client: no secret, PKCE S256 required."""
DEMO_REDIRECT_URIS: tuple[str, ...] = ("http://127.0.0.1/callback", "http://[::1]/callback")
"""The loopback redirect URIs the demo server registers for its clients; as RFC 8252
§7.3 says, any port matches."""


EMBEDDED_DEMO = "demo"
"""The demo provider's name: its server runs inside the wizard, and ends with it."""

DEMO_TOKENS_END = (
    "the demo provider's tokens come from the server inside the wizard, which ends with it"
)
"""Why a demo token outside the wizard works only while the wizard that got it runs."""


def demo_provider(base_url: str) -> Provider:
    """The embedded demo server at ``base_url``: Spotify's paths and formats."""
    base = base_url.rstrip("/")
    return Provider(
        name=EMBEDDED_DEMO,
        title="Embedded demo server",
        authorize_endpoint=f"{base}/authorize",
        token_endpoint=f"{base}/api/token",
        profile_endpoint=f"{base}/v1/me",
        jwks_uri=f"{base}/.well-known/jwks.json",
        revocation_endpoint=f"{base}/api/revoke",
        par_endpoint=f"{base}/api/par",
        device_authorization_endpoint=f"{base}/api/device",
        issuer=base,
        scopes=DEMO_SCOPES,
        default_scope="user-read-private user-read-email",
        client_auth=ClientAuth.BASIC,
        profile_fields=SPOTIFY_PROFILE_FIELDS,
        quirks=("Runs on this machine: no account and no network needed.",),
        redirect_uris=DEMO_REDIRECT_URIS,
        show_dialog=True,
        iss_parameter_supported=True,
        is_demo=True,
    )


SPOTIFY = Provider(
    name="spotify",
    title="Spotify",
    authorize_endpoint="https://accounts.spotify.com/authorize",
    token_endpoint="https://accounts.spotify.com/api/token",
    profile_endpoint="https://api.spotify.com/v1/me",
    scopes=SPOTIFY_SCOPES,
    default_scope="user-read-private user-read-email",
    client_auth=ClientAuth.BASIC,
    profile_fields=SPOTIFY_PROFILE_FIELDS,
    quirks=(
        "Redirect URIs must be https or loopback 127.0.0.1/[::1]; 'localhost' is refused.",
        "A refresh answer may omit refresh_token: keep the old one.",
        "Refresh tokens live six months from the first authorization.",
        "In Development Mode only the users added to the app's user list may approve it: "
        "anyone else gets access_denied.",
    ),
    refuses_localhost=True,
    show_dialog=True,
)

GITHUB = Provider(
    name="github",
    title="GitHub (OAuth app)",
    authorize_endpoint="https://github.com/login/oauth/authorize",
    token_endpoint="https://github.com/login/oauth/access_token",
    profile_endpoint="https://api.github.com/user",
    scopes=GITHUB_SCOPES,
    default_scope="read:user",
    client_auth=ClientAuth.POST,
    device_authorization_endpoint="https://github.com/login/device/code",
    device_sends_secret=False,
    profile_fields=("login", "id", "name", "email", "html_url"),
    quirks=(
        "The token endpoint answers form-encoded unless Accept: application/json is sent.",
        "Errors come back with HTTP 200 and an error field.",
        "OAuth apps get no refresh token; GitHub Apps with expiring tokens do.",
        "The device flow must be enabled in the app's settings, else device_flow_disabled.",
    ),
)

GOOGLE = Provider(
    name="google",
    title="Google",
    authorize_endpoint="https://accounts.google.com/o/oauth2/v2/auth",
    token_endpoint="https://oauth2.googleapis.com/token",
    profile_endpoint="https://openidconnect.googleapis.com/v1/userinfo",
    revocation_endpoint="https://oauth2.googleapis.com/revoke",
    jwks_uri="https://www.googleapis.com/oauth2/v3/certs",
    device_authorization_endpoint="https://oauth2.googleapis.com/device/code",
    issuer="https://accounts.google.com",
    scopes=GOOGLE_SCOPES,
    default_scope="openid email profile",
    client_auth=ClientAuth.POST,
    extra_auth_params={"access_type": "offline", "prompt": "consent"},
    profile_fields=("name", "email", "sub", "picture"),
    quirks=(
        "A refresh token comes only with access_type=offline, again only with prompt=consent.",
        "The openid scope adds an id_token to the token answer.",
        "The device flow works only for a 'TVs and Limited Input devices' client, whose "
        "answer says verification_url.",
    ),
)

PRESETS: dict[str, Provider] = {p.name: p for p in (SPOTIFY, GITHUB, GOOGLE)}
"""Presets with fixed endpoints. ``demo`` is made from the running server."""

ISS_SUPPORTED = "authorization_response_iss_parameter_supported"
"""The metadata flag (RFC 9207 §3) as discovery hands it on: ``"true"`` when set."""

ENDPOINT_KEYS = (
    "authorize_endpoint",
    "token_endpoint",
    "profile_endpoint",
    "revocation_endpoint",
    "jwks_uri",
    "par_endpoint",
    "device_authorization_endpoint",
)


def custom_provider(name: str, table: Mapping[str, Any]) -> Provider:
    """A provider described by explicit endpoints in its credentials table.

    Raises:
        ConfigError: an endpoint the dance needs is missing, or one is not a valid URL.
    """
    missing = [k for k in ENDPOINT_KEYS[:2] if not isinstance(table.get(k), str) or not table[k]]
    if missing:
        raise ConfigError(
            f"Provider '{name}' needs an 'issuer' for discovery, or explicit "
            f"{' and '.join(missing)} in its table of the credentials file."
        )
    check_urls(name, table, (*ENDPOINT_KEYS, "issuer"))
    auth = table.get("auth_method", ClientAuth.BASIC.value)
    return Provider(
        name=name,
        title=clean(name, keep_newlines=False),
        authorize_endpoint=str(table["authorize_endpoint"]),
        token_endpoint=str(table["token_endpoint"]),
        profile_endpoint=_optional_str(table.get("profile_endpoint")),
        revocation_endpoint=_optional_str(table.get("revocation_endpoint")),
        jwks_uri=_optional_str(table.get("jwks_uri")),
        par_endpoint=_optional_str(table.get("par_endpoint")),
        device_authorization_endpoint=_optional_str(table.get("device_authorization_endpoint")),
        issuer=_optional_str(table.get("issuer")),
        scopes=OIDC_SCOPES,
        default_scope=str(table.get("scope", "")),
        client_auth=parse_client_auth(auth),
    )


def with_endpoints(provider: Provider, endpoints: Mapping[str, str | None]) -> Provider:
    """``provider`` with endpoints filled in from discovery metadata."""
    return replace(
        provider,
        authorize_endpoint=endpoints.get("authorize_endpoint") or provider.authorize_endpoint,
        token_endpoint=endpoints.get("token_endpoint") or provider.token_endpoint,
        profile_endpoint=endpoints.get("profile_endpoint") or provider.profile_endpoint,
        revocation_endpoint=endpoints.get("revocation_endpoint") or provider.revocation_endpoint,
        jwks_uri=endpoints.get("jwks_uri") or provider.jwks_uri,
        par_endpoint=endpoints.get("par_endpoint") or provider.par_endpoint,
        device_authorization_endpoint=endpoints.get("device_authorization_endpoint")
        or provider.device_authorization_endpoint,
        iss_parameter_supported=endpoints.get(ISS_SUPPORTED) == "true",
    )


def parse_client_auth(value: object) -> ClientAuth:
    """The client-auth method named ``value``.

    Raises:
        ConfigError: not one of the three methods.
    """
    try:
        return ClientAuth(str(value))
    except ValueError:
        names = ", ".join(m.value for m in ClientAuth)
        raise ConfigError(f"Unknown client auth method {value!r}: use one of {names}.") from None


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def resolve_provider(name: str, table: Mapping[str, Any], demo_base_url: str | None) -> Provider:
    """The provider called ``name``: the demo, a preset, or a custom table.

    A custom table with only an ``issuer`` gives a provider whose endpoints
    are empty until discovery fills them (see :func:`needs_discovery`).

    Raises:
        ConfigError: a custom provider with neither issuer nor endpoints, or with a
            URL that is not usable.
    """
    if name == APP_TABLE:
        raise ConfigError(
            f"{APP_TABLE!r} names the wizard's own table in the credentials file (lessons "
            "done); give the provider another name."
        )
    if name == EMBEDDED_DEMO:
        if demo_base_url is None:
            raise ConfigError("The demo provider needs the embedded server running.")
        return demo_provider(demo_base_url)
    if name in PRESETS:
        return PRESETS[name]
    issuer = _optional_str(table.get("issuer"))
    if issuer and not table.get("token_endpoint"):
        check_urls(name, table, ("issuer",))
        return Provider(
            name=name,
            title=clean(name, keep_newlines=False),
            authorize_endpoint="",
            token_endpoint="",
            issuer=issuer,
            scopes=OIDC_SCOPES,
            default_scope=str(table.get("scope", "openid")),
            client_auth=parse_client_auth(table.get("auth_method", ClientAuth.BASIC.value)),
        )
    return custom_provider(name, table)


def check_urls(name: str, table: Mapping[str, Any], keys: tuple[str, ...]) -> None:
    """Refuse the provider when one of its ``keys`` that is set is not a usable URL.

    Raises:
        ConfigError: which key of which table, what is wrong, and where to fix it.
    """
    for key in keys:
        if key in table and table[key] != "":
            problem = url_problem(table[key])
            if problem is not None:
                raise ConfigError(
                    f"The {key} of provider '{name}' in the credentials file {problem}. "
                    "Fix it in the file; the wizard cannot use this provider until then."
                )


def needs_discovery(provider: Provider) -> bool:
    """The provider's endpoints must be found from its issuer first."""
    return not provider.token_endpoint and provider.issuer is not None
