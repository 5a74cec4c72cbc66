"""Helpers for the fault tests: a wizard on a custom provider, and what the user sees."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from textual.app import App
from textual.widgets import OptionList, Static, TextArea

from tests.app.wizard import seed
from tui.app import OAuthDanceApp
from tui.app_surfaces import SafeSurfaces
from tui.core.store import CredsStore
from tui.widgets.error_panel import ErrorPanel
from tui.widgets.exchange_viewer import ExchangeViewer

CLIENT_SECRET = "fault-client-secret-0123456789"
CODE = "fault-authorization-code-0123456789"
VERIFIER = "fault-verifier-" + "v" * 43
TOKEN = "fault-access-token-0123456789"
REFRESH = "fault-refresh-token-0123456789"


def seed_bad(creds: Path, base_url: str, name: str = "bad", **overrides: Any) -> None:
    """A custom provider ``name`` at ``base_url``, with a code and tokens already saved."""
    table: dict[str, Any] = {
        "authorize_endpoint": f"{base_url}/authorize",
        "token_endpoint": f"{base_url}/token",
        "profile_endpoint": f"{base_url}/me",
        "client_id": "fault-client",
        "client_secret": CLIENT_SECRET,
        "redirect_uri": "http://127.0.0.1:9/callback",
        "auth_method": "client_secret_basic",
        "state": "fault-state-" + "s" * 32,
        "code_verifier": VERIFIER,
        "code": CODE,
        "token": TOKEN,
        "refresh": REFRESH,
    }
    table.update(overrides)
    seed(creds, name, **table)


def bad_app(
    creds: Path,
    base_url: str = "https://as.example",
    transport: httpx.AsyncBaseTransport | None = None,
    **overrides: Any,
) -> OAuthDanceApp:
    seed_bad(creds, base_url, **overrides)
    return OAuthDanceApp(CredsStore(creds), "bad", transport=transport)


def mock(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.MockTransport:
    return httpx.MockTransport(handler)


def panel_text(app: App[None]) -> str:
    """The error panel's text, or "" while it is hidden (or not mounted: no error yet)."""
    shown = [panel for panel in app.screen.query(ErrorPanel) if panel.has_class("-shown")]
    return shown[0].text if shown else ""


def toasts(app: App[None]) -> list[str]:
    """Title and message of every notification still on screen."""
    assert isinstance(app, SafeSurfaces)
    return [f"{n.title} {n.message}" for n in app.toasts]


def subtitle(app: App[None]) -> str:
    return str(app.screen.query_one(ExchangeViewer).border_subtitle)


def viewer_texts(app: App[None]) -> list[str]:
    """The full text of both viewer panes (not only the part on screen)."""
    return list(app.screen.query_one(ExchangeViewer).texts.values())


def widget_texts(app: App[None]) -> list[str]:
    """The whole text every widget of the screen holds: statics, text areas, lists, borders,
    and the exchange viewer's pane that is not shown."""
    texts: list[str] = []
    for widget in app.screen.query("*"):
        if isinstance(widget, ExchangeViewer):
            texts += widget.texts.values()
        if isinstance(widget, TextArea):
            texts.append(widget.text)
        elif isinstance(widget, Static):
            texts.append(str(widget.render()))
        elif isinstance(widget, OptionList):
            texts += [str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)]
        texts += [str(widget.border_title or ""), str(widget.border_subtitle or "")]
    return texts
