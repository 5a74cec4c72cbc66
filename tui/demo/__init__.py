"""The embedded demo provider: a Spotify-compatible OAuth 2.0 authorization server on loopback.

``DemoServer`` runs it in a background thread (for the wizard);
``oauth-dance demo-server`` (tui.demo.cli) runs it in the foreground.
"""

from __future__ import annotations

from tui.demo.app import create_app
from tui.demo.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, PUBLIC_CLIENT_ID, DemoConfig
from tui.demo.server import DemoServer, DemoServerError

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "PUBLIC_CLIENT_ID",
    "DemoConfig",
    "DemoServer",
    "DemoServerError",
    "create_app",
]
