"""The demo provider's memory: codes, grants, tokens, pending consent requests, and
pushed authorization requests (RFC 9126).

Everything lives in memory (a restarted server forgets it all). One re-entrant
lock guards it all; the provider holds that lock for the whole of each oauthlib
call, so a check and the write that follows it (e.g. "code unused" then "mark
code used") cannot interleave with another request.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

PENDING_TTL = 600.0  # seconds a consent page stays answerable
USED_CODE_MEMORY = 3600.0  # seconds a spent code is remembered, to catch its reuse
PUSHED_TTL = 60  # seconds a request_uri stays usable (RFC 9126 §2.2: seconds to minutes)
REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:"  # the form RFC 9126 §2.2 suggests
# 96 random bits after it: a guess has no chance within one use and 60 s, and the URL
# stays short enough for a QR code that fits 80x24 full-screen (version 6, 41 modules).
REQUEST_URI_BYTES = 12


@dataclass
class CodeRecord:
    """An authorization code and what it was issued for."""

    code: str
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    user_id: str
    challenge: str | None
    challenge_method: str | None
    expires_at: float
    used: bool = False
    grant_id: str | None = None  # set once tokens were issued from it
    nonce: str | None = None  # OpenID Connect: echoed in the ID token


@dataclass
class Grant:
    """One authorization: the tokens issued from one code, and their refreshes."""

    grant_id: str
    client_id: str
    user_id: str
    scopes: tuple[str, ...]
    revoked: bool = False


@dataclass
class AccessRecord:
    token: str
    grant_id: str
    scopes: tuple[str, ...]
    expires_at: float


@dataclass
class RefreshRecord:
    token: str
    grant_id: str
    rotated: bool = False  # replaced by a newer one; presenting it again is reuse


@dataclass
class PendingRequest:
    """An authorization request shown on a consent page and not yet answered."""

    request_id: str
    authorize_uri: str
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    expires_at: float


@dataclass
class PushedRequest:
    """Parameters pushed to the PAR endpoint, validated, waiting for their one use."""

    request_uri: str
    client_id: str
    params: list[tuple[str, str]]
    expires_at: float
    used: bool = False


@dataclass
class DeviceRecord:
    """A device authorization (RFC 8628): its two codes and where the user stands."""

    device_code: str
    user_code: str
    client_id: str
    scopes: tuple[str, ...]
    expires_at: float
    interval: int
    """Seconds the client must leave between polls; each slow_down adds 5 (§3.5)."""
    status: str = "pending"
    """pending, approved, denied, or used (tokens issued)."""
    last_poll: float | None = None
    slowed: bool = False
    """The one slow_down of ``DemoConfig.slow_down_once`` was answered."""


class PushedOutcome(Enum):
    FOUND = "found"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


class AccessState(Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"  # unknown or revoked


@dataclass
class Store:
    clock: Callable[[], float] = time.monotonic
    lock: threading.RLock = field(default_factory=threading.RLock)
    codes: dict[str, CodeRecord] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)
    access: dict[str, AccessRecord] = field(default_factory=dict)
    refresh: dict[str, RefreshRecord] = field(default_factory=dict)
    pending: dict[str, PendingRequest] = field(default_factory=dict)
    pushed: dict[str, PushedRequest] = field(default_factory=dict)
    devices: dict[str, DeviceRecord] = field(default_factory=dict)
    """Device authorizations by device_code."""

    def now(self) -> float:
        return self.clock()

    # -- codes ---------------------------------------------------------------

    def add_code(self, record: CodeRecord) -> None:
        with self.lock:
            horizon = self.now() - USED_CODE_MEMORY
            for code in [c for c, r in self.codes.items() if r.expires_at < horizon]:
                del self.codes[code]
            self.codes[record.code] = record

    def code(self, code: str) -> CodeRecord | None:
        with self.lock:
            return self.codes.get(code)

    # -- grants and tokens ---------------------------------------------------

    def new_grant(self, client_id: str, user_id: str, scopes: tuple[str, ...]) -> Grant:
        with self.lock:
            grant = Grant(secrets.token_hex(8), client_id, user_id, scopes)
            self.grants[grant.grant_id] = grant
            return grant

    def grant(self, grant_id: str) -> Grant | None:
        with self.lock:
            return self.grants.get(grant_id)

    def revoke_grant(self, grant_id: str) -> None:
        """Revoke a grant: every access and refresh token issued under it stops working."""
        with self.lock:
            grant = self.grants.get(grant_id)
            if grant is not None:
                grant.revoked = True

    def revoke_token(self, token: str, client_id: str) -> bool:
        """Revoke an access token (that one only), or a refresh token and with it its whole
        grant (RFC 7009 §2.1). False: the token is another client's; an unknown one is
        taken as revoked already."""
        with self.lock:
            record = self.access.get(token) or self.refresh.get(token)
            if record is None:
                return True
            if self.grants[record.grant_id].client_id != client_id:
                return False
            if isinstance(record, AccessRecord):
                del self.access[token]
            else:
                self.revoke_grant(record.grant_id)
            return True

    def add_access(self, token: str, grant_id: str, scopes: tuple[str, ...], ttl: float) -> None:
        with self.lock:
            self.access[token] = AccessRecord(token, grant_id, scopes, self.now() + ttl)

    def add_refresh(self, token: str, grant_id: str) -> None:
        with self.lock:
            self.refresh[token] = RefreshRecord(token, grant_id)

    def rotate_refresh(self, old: str, new: str) -> None:
        with self.lock:
            record = self.refresh[old]
            record.rotated = True
            self.refresh[new] = RefreshRecord(new, record.grant_id)

    def refresh_record(self, token: str) -> tuple[RefreshRecord, Grant] | None:
        with self.lock:
            record = self.refresh.get(token)
            if record is None:
                return None
            return record, self.grants[record.grant_id]

    def access_state(self, token: str) -> tuple[AccessState, AccessRecord | None, Grant | None]:
        with self.lock:
            record = self.access.get(token)
            if record is None:
                return AccessState.INVALID, None, None
            grant = self.grants[record.grant_id]
            if grant.revoked:
                return AccessState.INVALID, record, grant
            if self.now() >= record.expires_at:
                return AccessState.EXPIRED, record, grant
            return AccessState.VALID, record, grant

    # -- consent requests ----------------------------------------------------

    def add_pending(
        self,
        authorize_uri: str,
        client_id: str,
        redirect_uri: str,
        scopes: tuple[str, ...],
        state: str | None,
    ) -> PendingRequest:
        with self.lock:
            now = self.now()
            for rid in [r for r, p in self.pending.items() if p.expires_at < now]:
                del self.pending[rid]
            pending = PendingRequest(
                secrets.token_urlsafe(24),
                authorize_uri,
                client_id,
                redirect_uri,
                scopes,
                state,
                now + PENDING_TTL,
            )
            self.pending[pending.request_id] = pending
            return pending

    def pop_pending(self, request_id: str) -> PendingRequest | None:
        """Take a pending request out (each consent page can be answered once)."""
        with self.lock:
            pending = self.pending.pop(request_id, None)
            if pending is None or pending.expires_at < self.now():
                return None
            return pending

    # -- pushed authorization requests ---------------------------------------

    def add_pushed(self, client_id: str, params: list[tuple[str, str]]) -> PushedRequest:
        """Keep validated parameters under a fresh request_uri for ``PUSHED_TTL`` seconds."""
        with self.lock:
            horizon = self.now() - USED_CODE_MEMORY
            for uri in [u for u, p in self.pushed.items() if p.expires_at < horizon]:
                del self.pushed[uri]
            uri = REQUEST_URI_PREFIX + secrets.token_urlsafe(REQUEST_URI_BYTES)
            pushed = PushedRequest(uri, client_id, params, self.now() + PUSHED_TTL)
            self.pushed[uri] = pushed
            return pushed

    def take_pushed(
        self, request_uri: str, client_id: str | None
    ) -> tuple[PushedOutcome, PushedRequest | None]:
        """Use a request_uri (once): its parameters, or why they cannot be had.

        A used or expired one is remembered for a while, so the answer can say which.
        """
        with self.lock:
            pushed = self.pushed.get(request_uri)
            if pushed is None or pushed.client_id != client_id:
                return PushedOutcome.UNKNOWN, None
            if pushed.used:
                return PushedOutcome.USED, None
            if self.now() >= pushed.expires_at:
                return PushedOutcome.EXPIRED, None
            pushed.used = True
            return PushedOutcome.FOUND, pushed

    # -- device authorizations (RFC 8628) ---------------------------------------

    def add_device(self, record: DeviceRecord) -> None:
        with self.lock:
            horizon = self.now() - USED_CODE_MEMORY
            for code in [c for c, d in self.devices.items() if d.expires_at < horizon]:
                del self.devices[code]
            self.devices[record.device_code] = record

    def device(self, device_code: str) -> DeviceRecord | None:
        with self.lock:
            return self.devices.get(device_code)

    def device_by_user_code(self, user_code: str) -> DeviceRecord | None:
        """The pending, unexpired authorization with this user code (typed loosely:
        any case, with or without the dash and spaces)."""
        wanted = normal_user_code(user_code)
        with self.lock:
            for record in self.devices.values():
                if (
                    normal_user_code(record.user_code) == wanted
                    and record.status == "pending"
                    and self.now() < record.expires_at
                ):
                    return record
            return None


def normal_user_code(text: str) -> str:
    """A user code as typed, compared without case, dashes or spaces (RFC 8628 §6.1)."""
    return "".join(ch for ch in text.upper() if ch.isalnum())
