"""The Credentials step: typing settings, inline redirect checks, saving; the SSH hint."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.app.wizard import free_port, make_app, seed, settle
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.credentials import CredentialsScreen


async def replace_field(pilot: object, field_id: str, text: str) -> None:
    """Focus a field by clicking nothing: Tab to it as a person would, then retype it."""
    app = pilot.app  # type: ignore[attr-defined]
    for _ in range(30):
        if app.focused is not None and app.focused.id == field_id:
            break
        await pilot.press("tab")  # type: ignore[attr-defined]
    assert app.focused.id == field_id
    await pilot.press("end", *["backspace"] * len(app.focused.value))  # type: ignore[attr-defined]
    await pilot.press(*text)  # type: ignore[attr-defined]


async def test_settings_typed_and_saved_reach_the_authorization_url(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        await replace_field(pilot, "redirect_uri", "http://localhost:8888/cb")
        check = str(app.screen.query_one("#redirect_check", Static).render())
        assert "Spotify" in check and "localhost" in check
        port = free_port()
        await replace_field(pilot, "redirect_uri", f"http://127.0.0.1:{port}/callback")
        assert "Loopback literal" in str(app.screen.query_one("#redirect_check", Static).render())
        await replace_field(pilot, "extra_params", "prompt=consent")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
        params = dict(app.session.authorization_request().url.params)
        assert params["prompt"] == "consent"
        assert params["redirect_uri"] == f"http://127.0.0.1:{port}/callback"
    saved = tomllib.loads(isolated_environment.read_text())["demo"]
    assert saved["extra_params"] == {"prompt": "consent"}


@pytest.mark.parametrize(
    ("field", "text", "title"),
    [
        ("redirect_uri", "http://example.com/callback", "Redirect URI refused"),
        ("extra_params", "state=mine", "Settings incomplete"),
    ],
)
async def test_bad_settings_are_refused_and_nothing_is_saved(
    isolated_environment: Path, demo_server: DemoServer, field: str, text: str, title: str
) -> None:
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await replace_field(pilot, field, text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        assert app.focused is app.screen.query_one(f"#{field}", Input)
        assert title in [n.title for n in app._notifications]
    assert not isolated_environment.exists()


async def test_ssh_session_shows_the_tunnel_line(
    isolated_environment: Path, demo_server: DemoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    monkeypatch.setenv("SSH_CONNECTION", "203.0.113.7 50000 198.51.100.2 22")
    monkeypatch.setenv("USER", "learner")
    seed(isolated_environment, "demo", redirect_uri=f"http://127.0.0.1:{port}/callback")
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        ssh = str(app.screen.query_one("#ssh", Static).render())
        assert f"ssh -N -L {port}:127.0.0.1:{port} learner@198.51.100.2" in ssh
