"""The tokens the session holds, as a few lines of text (values masked)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from tui.core.provider_advice import no_refresh_token

if TYPE_CHECKING:
    from tui.core.exchange import Exchange
    from tui.core.session import Session

REVOKED = "revoked (RFC 7009): no longer held"
"""What a token row says of a token the answer brought and a revocation dropped since."""


def token_summary(session: Session, exchange: Exchange, *, refresh: str = "received") -> Content:
    """What was saved from ``exchange``'s answer: token type, expiry, scopes, whether a
    refresh token exists; a token revoked since is said to be, not shown as empty, and
    one known dead (``Session.tokens_dead``) said so, not shown as good.

    Args:
        refresh: what the refresh token row says when there is one.

    Raises:
        DanceError: ``exchange``'s answer is not a token answer.
    """
    state, brought = session.state, session.brought(exchange)
    dead = [
        session.dead_by(why) + ": no longer works" if why else "" for why in session.tokens_dead()
    ]
    rows = [("Access token", REVOKED)]
    if dead[0]:
        rows = [("Access token", dead[0])]
    elif state.token:
        kind, size = state.token_type or "Bearer", len(state.token)
        expires = state.expires.strftime("%Y-%m-%d %H:%M:%S UTC") if state.expires else "not given"
        rows = [("Access token", f"{kind}, {size} characters (masked)"), ("Expires", expires)]
    rows.append(("Scope granted", state.granted_scope or "(not stated: as requested)"))
    if state.refresh:
        rows.append(("Refresh token", dead[1] or refresh))
    else:
        rows.append(("Refresh token", REVOKED if brought.refresh_token else "none"))
    if state.id_token:
        rows.append(("ID token", f"{len(state.id_token)} characters (OpenID Connect): i checks it"))
    parts: list[Content | tuple[str, str] | str] = [
        ("Saved to the credentials file", "bold $success")
    ]
    for name, value in rows:
        parts += ["\n", (f"{name:<14}", "bold"), value]
    if not state.refresh and not brought.refresh_token:
        parts += ["\n", (no_refresh_token(session.provider, exchanged=True), "dim")]
    return Content.assemble(*parts)
