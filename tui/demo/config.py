"""What the demo provider knows before it serves: its clients, its one user, its settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.core.providers import DEMO_CLIENT_ID, DEMO_PUBLIC_CLIENT_ID, DEMO_REDIRECT_URIS
from tui.core.redirect_uri import redirect_uri_matches
from tui.core.scopes import DEMO_SCOPES

DEFAULT_CLIENT_ID = DEMO_CLIENT_ID
DEFAULT_CLIENT_SECRET = "demo-secret-change-me"
PUBLIC_CLIENT_ID = DEMO_PUBLIC_CLIENT_ID
# The standalone command listens here by default, so a teacher can hand out a stable URL.
DEFAULT_STANDALONE_PORT = 8765
LOOPBACK_HOST = "127.0.0.1"
SECRET_ENV_VAR = "OAUTH_DANCE_DEMO_SECRET"


@dataclass(frozen=True)
class DemoUser:
    """The one resource owner of the demo provider (no login: it is always them)."""

    id: str = "oauth-dance-listener"
    display_name: str = "Demo Listener"
    email: str = "listener@example.com"
    country: str = "SE"
    product: str = "premium"


DEMO_USER = DemoUser()


@dataclass(frozen=True)
class DemoClient:
    """A registered client. ``secret`` is None for a public client (PKCE S256 required)."""

    client_id: str
    name: str
    secret: str | None = field(repr=False)  # never in a log line or a traceback
    redirect_uris: tuple[str, ...]

    @property
    def confidential(self) -> bool:
        return self.secret is not None

    def allows_redirect(self, uri: str) -> bool:
        return any(redirect_uri_matches(reg, uri) for reg in self.redirect_uris)


@dataclass(frozen=True)
class DemoConfig:
    """Settings of one running demo provider. ``issuer`` is its base URL, no trailing slash."""

    issuer: str
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = field(default=DEFAULT_CLIENT_SECRET, repr=False)
    token_ttl: int = 3600
    code_ttl: int = 60
    rotate_refresh: bool = False
    device_ttl: int = 600
    """Seconds a device code and its user code live (RFC 8628 §3.2 expires_in)."""
    device_interval: int = 5
    """Seconds a device client must leave between polls (§3.2 interval)."""
    slow_down_once: bool = False
    """Answer a device's first poll slow_down (§3.5), however slow it was: a lesson's switch."""

    def __post_init__(self) -> None:
        check_settings(self.client_id, self.client_secret, self.token_ttl, self.code_ttl)

    @property
    def redirect_uris(self) -> tuple[str, ...]:
        # RFC 8252 §7.3: for loopback IP literals the port is not part of the match.
        return (*DEMO_REDIRECT_URIS, f"{self.issuer}/callback")

    @property
    def scope_names(self) -> tuple[str, ...]:
        return tuple(scope.name for scope in DEMO_SCOPES)

    def clients(self) -> dict[str, DemoClient]:
        confidential = DemoClient(
            self.client_id, "OAuth Dance demo app", self.client_secret, self.redirect_uris
        )
        public = DemoClient(
            PUBLIC_CLIENT_ID, "OAuth Dance demo app (public, PKCE)", None, self.redirect_uris
        )
        return {confidential.client_id: confidential, public.client_id: public}


def check_settings(client_id: str, client_secret: str, token_ttl: int, code_ttl: int) -> None:
    """Raise ValueError when the settings cannot make a working provider."""
    if not client_id:
        raise ValueError("The client id must not be empty.")
    if client_id == PUBLIC_CLIENT_ID:
        raise ValueError(f"The client id {PUBLIC_CLIENT_ID!r} is taken by the public client.")
    if not client_secret:
        raise ValueError("The client secret must not be empty.")
    if token_ttl <= 0 or code_ttl <= 0:
        raise ValueError("Token and code lifetimes must be positive numbers of seconds.")
