"""The tokens the session holds, as a few lines of text (values masked)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from tui.core.explain import no_refresh_token

if TYPE_CHECKING:
    from tui.core.session import Session


def token_summary(session: Session, *, refresh: str = "received") -> Content:
    """What was saved: token type, expiry, scopes, whether a refresh token exists.

    Args:
        refresh: what the refresh token row says when there is one.
    """
    state = session.state
    expires = state.expires.strftime("%Y-%m-%d %H:%M:%S UTC") if state.expires else "not given"
    rows = [
        ("Access token", f"{state.token_type or 'Bearer'}, {len(state.token)} characters (masked)"),
        ("Expires", expires),
        ("Scope granted", state.granted_scope or "(not stated: as requested)"),
        ("Refresh token", refresh if state.refresh else "none"),
    ]
    if state.id_token:
        rows.append(("ID token", f"{len(state.id_token)} characters (OpenID Connect): i checks it"))
    parts: list[Content | tuple[str, str] | str] = [
        ("Saved to the credentials file", "bold $success")
    ]
    for name, value in rows:
        parts += ["\n", (f"{name:<14}", "bold"), value]
    if not state.refresh:
        parts += ["\n", (no_refresh_token(session.provider, exchanged=True), "dim")]
    return Content.assemble(*parts)
