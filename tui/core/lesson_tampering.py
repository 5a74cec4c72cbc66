"""What the session alters while a lesson runs, as an attacker (or a bug) would: each
:class:`~tui.core.lessons.Tamper` applied to the request or answer it is about.

The session's methods call these while the lesson is armed
(:attr:`tui.core.lesson_setup.LessonRun.armed`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tui.core.lessons import ATTACKER_ISSUER, Tamper
from tui.core.providers import DEMO_PUBLIC_CLIENT_ID, ClientAuth
from tui.core.state import DanceState

if TYPE_CHECKING:
    import httpx


def tampered_callback(text: str, tamper: Tamper) -> str:
    """The redirect URL with its ``state`` changed (one character) or its ``iss``
    another server's; anything else is returned as it is."""
    parts = urlsplit(text.strip())
    if not parts.query:
        return text
    params = parse_qsl(parts.query, keep_blank_values=True)
    if tamper is Tamper.STATE:
        params = [(k, _flip(v) if k == "state" else v) for k, v in params]
    elif tamper is Tamper.ISS:
        params = [(k, ATTACKER_ISSUER if k == "iss" else v) for k, v in params]
    return urlunsplit(parts._replace(query=urlencode(params)))


def _flip(value: str) -> str:
    """``value`` with its last character changed."""
    if not value:
        return "x"
    return value[:-1] + ("A" if value[-1] != "A" else "B")


def tampered_token_state(state: DanceState, tamper: Tamper) -> DanceState:
    """The state the token request is built from: another redirect_uri's port, or
    another verifier."""
    if tamper is Tamper.REDIRECT_URI:
        import httpx

        url = httpx.URL(state.redirect_uri)
        port = url.port or (443 if url.scheme == "https" else 80)
        return replace(state, redirect_uri=str(url.copy_with(port=port + 1)))
    if tamper is Tamper.VERIFIER:
        from tui.core.pkce import new_pkce

        return replace(state, code_verifier=new_pkce().verifier)
    return state


def public_client_state(state: DanceState) -> DanceState:
    """The state the authorization request is built from: the public client's, PKCE off
    (a public client always sends it, so it is left out of the request afterwards)."""
    return replace(
        state, client_id=DEMO_PUBLIC_CLIENT_ID, client_secret="", auth_method=ClientAuth.NONE
    )


def without_pkce(request: httpx.Request) -> httpx.Request:
    """The authorization request without ``code_challenge`` and its method."""
    import httpx

    params = [
        (k, v)
        for k, v in request.url.params.multi_items()
        if k not in ("code_challenge", "code_challenge_method")
    ]
    url = request.url.copy_with(params=None).copy_merge_params(tuple(params))
    return httpx.Request(request.method, url, headers=request.headers)
