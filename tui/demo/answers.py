"""What the demo provider answers the web layer (app.py) with: plain data, no HTTP
objects. A consent page to show, a redirect, an error page, an HTTP answer (the
token, revocation, PAR and device endpoints'), a bearer token's check; and
:func:`token_error`, the RFC 6749 §5.2 error answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from tui.demo.config import DemoClient, DemoUser
from tui.demo.store import PendingRequest


@dataclass(frozen=True)
class Consent:
    """Show the consent page for this pending request."""

    pending: PendingRequest
    client: DemoClient
    pkce: bool


@dataclass(frozen=True)
class Redirect:
    """Send the browser back to the client."""

    location: str


@dataclass(frozen=True)
class ErrorPage:
    """Do not redirect: show the resource owner an error page (status 400)."""

    error: str
    description: str


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    headers: dict[str, str]
    body: str


@dataclass(frozen=True)
class BearerCheck:
    """The outcome of checking a bearer token: a user and scopes, or an error."""

    user: DemoUser | None
    scopes: tuple[str, ...]
    status: int
    message: str


JSON_HEADERS = {
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
}
BASIC_CHALLENGE = 'Basic realm="oauth-dance-demo"'


def token_error(status: int, error: str, description: str) -> HttpAnswer:
    """A token-endpoint (or PAR endpoint) error answer in the RFC 6749 §5.2 JSON shape."""
    body = json.dumps({"error": error, "error_description": description})
    return HttpAnswer(status, dict(JSON_HEADERS), body)
