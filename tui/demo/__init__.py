"""The embedded demo provider: a Spotify-compatible OAuth 2.0 authorization server on loopback.

``DemoServer`` runs it in a background thread (for the wizard);
``oauth-dance demo-server`` (tui.demo.cli) runs it in the foreground.
``create_app`` (Starlette, oauthlib) is imported on first use, not with this
package, so that the wizard can bind the demo's port before its first frame.
"""

from __future__ import annotations

from typing import Any

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


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from tui.demo.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
