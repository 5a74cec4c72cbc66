"""One provider's dance state: the settings, the attempt, the tokens.

It maps one-to-one onto a provider's table in the credentials file, with the
course notebook's key names (``token``, ``refresh``, ``expires``) kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any

from tui.core.errors import ConfigError
from tui.core.providers import ClientAuth, Provider, parse_client_auth

DEVICE_FLOW = "device"
FLOWS = ("", DEVICE_FLOW)
"""The values of a provider's ``flow`` key: the authorization code ("") or the device flow."""


_WRONG = object()
"""A saved value of the wrong type for its key: the default is used."""

_EXPECTED = {
    "auth_method": "one of " + ", ".join(m.value for m in ClientAuth),
    "flow": "'' or 'device'",
    "expires": "a date-time",
    "request_uri_expires": "a date-time",
    "device_expires": "a date-time",
    "extra_params": "a table",
}
"""What a key whose default does not tell its type takes."""


def toml_type(value: object) -> str:
    """The kind of a TOML value, in words."""
    if isinstance(value, bool):
        return "true or false"
    kinds: tuple[tuple[type, str], ...] = (
        (str, "text"),
        (int, "an integer"),
        (float, "a number"),
        (datetime, "a date-time"),
        (list, "an array"),
        (dict, "a table"),
    )
    return next((words for kind, words in kinds if isinstance(value, kind)), "a date or time")


def _read_value(key: str, value: Any, default: Any) -> Any:
    """``value`` as the state's ``key`` holds it, or ``_WRONG``."""
    if key == "auth_method":
        try:
            return parse_client_auth(value)
        except ConfigError:
            return _WRONG
    if key == "flow":
        return value if value in FLOWS else _WRONG
    if key in ("expires", "request_uri_expires", "device_expires"):
        if not isinstance(value, datetime):
            return _WRONG
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if key == "extra_params":
        if not isinstance(value, Mapping):
            return _WRONG
        return {str(k): str(v) for k, v in value.items()}
    if isinstance(value, bool) is not isinstance(default, bool):
        return _WRONG  # TOML's true is no integer here, nor 1 a boolean
    return value if isinstance(value, type(default)) else _WRONG


@dataclass(frozen=True)
class DanceState:
    """Everything saved for one provider. Empty strings mean "not yet"."""

    client_id: str = ""
    client_secret: str = ""
    redirect_uri: str = ""
    scope: str = ""
    auth_method: ClientAuth = ClientAuth.BASIC
    pkce: bool = True
    """Send a PKCE challenge (RFC 9700 recommends it for every client)."""
    show_dialog: bool = False
    extra_params: dict[str, str] = field(default_factory=dict)
    """The user's own extra authorization parameters."""
    par: bool = False
    """Push the authorization parameters first (RFC 9126), when the provider can."""
    flow: str = ""
    """How the dance gets its grant: "" for the authorization code (the browser and a
    redirect), ``"device"`` for the device authorization grant (RFC 8628)."""

    state: str = ""
    code_verifier: str = ""
    nonce: str = ""
    """OpenID Connect: sent with ``openid``, to be found again in the ID token (§3.1.2.1)."""
    request_uri: str = ""
    """The attempt's pushed parameters, by reference (RFC 9126 §2.2): the URL's stand-in."""
    request_uri_expires: datetime | None = None
    code: str = ""
    code_exchanged: bool = False
    """The code was redeemed already; sending it again shows how reuse is refused."""
    device_code: str = ""
    """The device flow's secret: what the app polls the token endpoint with (RFC 8628 §3.2)."""
    user_code: str = ""
    """What the user types on the verification page: meant to be shown (§3.2)."""
    verification_uri: str = ""
    verification_uri_complete: str = ""
    device_expires: datetime | None = None
    poll_interval: int = 0
    """Seconds between polls: the answer's ``interval``, plus 5 for each ``slow_down``."""
    code_stale: bool = False
    """The settings changed since the code came: it was asked with the old ones (sending
    it shows how the provider refuses, say, another redirect_uri)."""

    token: str = ""
    refresh: str = ""
    expires: datetime | None = None
    token_type: str = ""
    granted_scope: str = ""
    id_token: str = ""
    id_token_nonce: str = ""
    """The nonce of the attempt whose code brought the ID token: what its ``nonce`` is
    checked against (``nonce`` is a new attempt's as soon as one starts)."""
    profile_fetched: bool = False
    """The profile API answered with a token of this grant (a new grant clears it)."""

    @classmethod
    def for_provider(cls, provider: Provider) -> DanceState:
        """Fresh settings with the provider's defaults."""
        return cls(
            redirect_uri=provider.default_redirect_uri,
            scope=provider.default_scope,
            auth_method=provider.client_auth,
        )

    @classmethod
    def from_table(cls, table: Mapping[str, Any], defaults: DanceState) -> DanceState:
        """The state saved in a credentials table, over ``defaults``.

        Unknown keys are ignored here (the store keeps them); values of the
        wrong type fall back to the default rather than failing the load
        (:meth:`read_table` says which).
        """
        return cls.read_table(table, defaults)[0]

    @classmethod
    def read_table(
        cls, table: Mapping[str, Any], defaults: DanceState
    ) -> tuple[DanceState, list[str]]:
        """:meth:`from_table`, and each key whose value was ignored for its type, as
        ``client_id (an integer, not text)``."""
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        ignored: list[str] = []
        for key, value in table.items():
            if key not in known:
                continue
            default = getattr(defaults, key)
            read = _read_value(key, value, default)
            if read is _WRONG:
                wanted = _EXPECTED.get(key) or toml_type(default)
                ignored.append(f"{key} ({toml_type(value)}, not {wanted})")
            else:
                values[key] = read
        return replace(defaults, **values), ignored

    def to_table(self) -> dict[str, Any]:
        """The table to save: empty values left out, the auth method by name."""
        table: dict[str, Any] = {}
        for key, value in asdict(self).items():
            if value in ("", None, {}):
                continue
            table[key] = value.value if isinstance(value, ClientAuth) else value
        return table

    def secrets(self) -> frozenset[str]:
        """The secrets this state holds: masked wherever it is shown."""
        values = (
            self.client_secret,
            self.code,
            self.code_verifier,
            self.device_code,
            self.token,
            self.refresh,
            self.id_token,
        )
        return frozenset(v for v in values if v)

    @property
    def access_token_revoked(self) -> bool:
        """Tokens came for this attempt's code, and the access token is gone: only a
        revocation drops it."""
        return self.code_exchanged and not self.token

    @property
    def device_flow(self) -> bool:
        """The dance goes by the device authorization grant (RFC 8628)."""
        return self.flow == DEVICE_FLOW

    def without_device_grant(self) -> DanceState:
        """The device code and all that came with it forgotten (a new one is asked for)."""
        return replace(
            self,
            device_code="",
            user_code="",
            verification_uri="",
            verification_uri_complete="",
            device_expires=None,
            poll_interval=0,
        )

    @property
    def uses_pkce(self) -> bool:
        """A public client always uses PKCE; others when ``pkce`` is on."""
        return self.pkce or self.auth_method is ClientAuth.NONE

    @property
    def code_challenge(self) -> str:
        """The S256 challenge of the current verifier, or "" without one."""
        from tui.core.pkce import s256  # hashlib: not needed until an attempt

        return s256(self.code_verifier) if self.code_verifier else ""

    @property
    def asks_openid(self) -> bool:
        """``openid`` is among the scopes: an OpenID Connect authentication request."""
        return "openid" in self.scope.split()

    def new_attempt(self) -> DanceState:
        """Fresh ``state``, PKCE verifier and (with ``openid``) nonce; the old code is forgotten."""
        from tui.core.pkce import new_pkce, new_state  # hashlib, secrets: from Authorize on

        verifier = new_pkce().verifier if self.uses_pkce else ""
        return replace(
            self.attempt_ended(),
            state=new_state(),
            code_verifier=verifier,
            nonce=new_state() if self.asks_openid else "",
        )

    def attempt_ended(self) -> DanceState:
        """No attempt under way: no ``state``, verifier, nonce, pushed parameters or code."""
        return replace(
            self,
            state="",
            code_verifier="",
            nonce="",
            request_uri="",
            request_uri_expires=None,
            code="",
            code_exchanged=False,
            code_stale=False,
        )

    def attempt_settings(self) -> tuple[object, ...]:
        """The settings an attempt's authorization request (and so its code) is made of."""
        return (
            self.client_id,
            self.redirect_uri,
            self.scope.split(),
            self.uses_pkce,
            self.show_dialog,
            self.extra_params,
        )

    @property
    def expected_nonce(self) -> str:
        """The nonce the ID token must carry: ``id_token_nonce``; in a file saved before
        that key was kept, the attempt's own while the tokens are its code's."""
        return self.id_token_nonce or (self.nonce if self.code_exchanged else "")

    def seconds_left(self, now: datetime | None = None) -> float | None:
        """Seconds until the access token expires (negative once expired)."""
        if self.expires is None:
            return None
        return (self.expires - (now or datetime.now(UTC))).total_seconds()


def parse_extra_params(text: str) -> dict[str, str]:
    """The user's extra authorization parameters from ``name=value`` words.

    Raises:
        ConfigError: a word without ``=``, or a name the dance sets itself.
    """
    params: dict[str, str] = {}
    for word in text.split():
        name, sep, value = word.partition("=")
        if not sep or not name:
            raise ConfigError(f"Extra parameters are name=value words; {word!r} is not.")
        if name in RESERVED_PARAMS:
            raise ConfigError(f"{name} is set by the dance itself; it cannot be an extra.")
        params[name] = value
    return params


def format_extra_params(params: Mapping[str, str]) -> str:
    """The inverse of :func:`parse_extra_params`."""
    return " ".join(f"{name}={value}" for name, value in params.items())


RESERVED_PARAMS = frozenset(
    {
        "client_id",
        "response_type",
        "redirect_uri",
        "scope",
        "state",
        "code_challenge",
        "code_challenge_method",
        "nonce",
        "request_uri",
    }
)
