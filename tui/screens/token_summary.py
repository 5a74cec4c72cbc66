"""The tokens the session holds, as a few lines of text (values masked)."""

from __future__ import annotations

from textual.content import Content

from tui.core.state import DanceState


def token_summary(state: DanceState) -> Content:
    """What was saved: token type, expiry, scopes, whether a refresh token exists."""
    expires = state.expires.strftime("%Y-%m-%d %H:%M:%S UTC") if state.expires else "not given"
    rows = [
        ("Access token", f"{state.token_type or 'Bearer'}, {len(state.token)} characters (masked)"),
        ("Expires", expires),
        ("Scope granted", state.granted_scope or "(not stated: as requested)"),
        ("Refresh token", "kept" if state.refresh else "none: the provider sent none"),
    ]
    if state.id_token:
        rows.append(("ID token", f"{len(state.id_token)} characters (OpenID Connect)"))
    parts: list[Content | tuple[str, str] | str] = [
        ("Saved to the credentials file", "bold $success")
    ]
    for name, value in rows:
        parts += ["\n", (f"{name:<14}", "bold"), value]
    return Content.assemble(*parts)
