"""The demo provider's memory: codes, grants, tokens, pending consent requests.

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
