"""What the provider refused or revoked in a session: tokens, a code, an attempt. Each is
known dead until new ones come, so no step offers it and the sidebar says why."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.errors import ApiError
    from tui.core.exchange import Exchange
    from tui.core.state import DanceState


REVOKED = "revoked"
LAST_RUN = "from the demo server's last run: refused"
"""Why a token the embedded demo server's last run issued no longer works."""


def _dead(token: str, revoked: str, refused: str, last_run: str) -> str:
    if token and token == last_run:
        return LAST_RUN
    if token and token == revoked:
        return REVOKED
    return "refused by the provider" if token and token == refused else ""


class RefusalKeeping:
    """A session's dead tokens, code and attempt (none, until the provider says so)."""

    refused_refresh: str = ""
    """The refresh token the provider refused (``invalid_grant``) in this session:
    refreshing with it again would get the same, so no step offers it."""
    refused_access: str = ""
    """The access token the provider refused (a 401 on Profile or Call API) in this
    session: the sidebar says so rather than count down to its expiry."""
    revoked_grant: tuple[str, str] = ("", "")
    """The access and refresh tokens of a grant this session knows the provider revoked
    before refusing them (a lesson's setup revoked it, or a reused code made the
    provider do it): as refused ones, no step offers them, and the sidebar says so."""
    revoked_by: str = ""
    """Who revoked ``revoked_grant``, as the steps say it ("the lesson's setup")."""
    last_run_id_token: str = ""
    """The ID token the embedded demo server's last run issued, held when this run's
    server started afresh with new keys: its checks say so (set by the UI)."""
    last_run_grant: tuple[str, str] = ("", "")
    """The access and refresh tokens held when the embedded demo server started afresh
    with this run (set by the UI): its last run issued them, and this one knows none of
    them. They stay (sending them shows the refusal), said dead."""
    refused_code: str = ""
    """The authorization code the provider refused (``invalid_grant``) on Exchange in
    this session: spent, expired or never issued, so Authorize offers a new attempt."""
    refused_state: str = ""
    """The ``state`` of the attempt the provider refused (an ``error=`` redirect with
    this attempt's state and iss) in this session: that attempt is over, so nothing
    that comes back for it afterwards is taken, a code included."""

    if TYPE_CHECKING:

        @property
        def state(self) -> DanceState: ...

    def can_refresh(self) -> bool:
        """A refresh token is held, and it is not known dead (:meth:`refresh_dead`)."""
        return bool(self.state.refresh) and not self.refresh_dead()

    def tokens_dead(self) -> tuple[str, str]:
        """Why the access token, and the refresh token, held no longer work ("revoked",
        "refused by the provider"); "" for one not known dead."""
        state, last_run = self.state, self.last_run_grant[0]
        access = _dead(state.token, self.revoked_grant[0], self.refused_access, last_run)
        return access, self.refresh_dead()

    def refresh_dead(self) -> str:
        """Why the refresh token held no longer works, as :meth:`tokens_dead`."""
        state, last_run = self.state, self.last_run_grant[1]
        return _dead(state.refresh, self.revoked_grant[1], self.refused_refresh, last_run)

    def dead_by(self, why: str) -> str:
        """``why`` (from :meth:`tokens_dead`) with who revoked the token, when known."""
        return f"{why} by {self.revoked_by}" if why == REVOKED and self.revoked_by else why

    def tokens_dead_said(self) -> str:
        """Why the tokens held are known dead, as a sentence without its full stop ("The
        provider revoked your refresh token, and with it your access token"); "" when
        neither is."""
        access, refresh = self.tokens_dead()
        if LAST_RUN in (access, refresh):
            return (
                "The demo server's last run issued your tokens; this run's server started "
                "afresh and knows none of them"
            )
        by = self.revoked_by.capitalize() or "The provider"
        if refresh == REVOKED:
            return f"{by} revoked your refresh token, and with it your access token"
        if access == REVOKED:
            return f"{by} revoked your access token"
        dead = [name for name, why in (("access", access), ("refresh", refresh)) if why]
        plural = "s" if len(dead) > 1 else ""
        return f"The provider refused your {' and '.join(dead)} token{plural}" if dead else ""

    def note_grant_revoked(self, by: str) -> None:
        """The provider revoked the grant of the tokens held (``by`` says who had it
        revoked): they are known dead (``revoked_grant``) until new ones come."""
        self.revoked_grant = (self.state.token, self.state.refresh)
        self.revoked_by = by

    def note_refused_access(self, exchange: Exchange, error: ApiError) -> None:
        """Remember the Bearer token ``exchange`` sent as refused, if ``error`` is a 401."""
        if error.token_expired:
            self.refused_access = exchange.bearer_token() or ""

    def attempt_refused(self) -> bool:
        """The provider refused the current attempt (``refused_state``): it is over."""
        return bool(self.state.state) and self.state.state == self.refused_state

    def code_usable(self) -> bool:
        """The attempt's code can go to Exchange: none of ``code_exchanged``,
        ``code_stale``, refused (``refused_code``), its attempt refused since it came
        (``refused_state``), or without the PKCE verifier its exchange needs (a hand-edited
        file). Otherwise Authorize offers a new attempt."""
        state = self.state
        return bool(state.code) and not (
            self.attempt_refused()
            or state.code_exchanged
            or state.code_stale
            or state.code == self.refused_code
            or (state.uses_pkce and not state.code_verifier)
        )
