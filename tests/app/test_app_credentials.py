"""The Credentials step: the summary, the form, inline redirect checks, saving; the SSH hint."""

from __future__ import annotations

import socket
import tomllib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.app.wizard import free_port, make_app, paste, press, seed, settle, wait_until
from tests.screenshot import screen_text
from tui.app import OAuthDanceApp
from tui.core.store import CredsStore
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.credentials_form import CredentialsForm
from tui.widgets.settings_summary import SettingsSummary
from tui.widgets.sidebar import StepList, StepSidebar

pytestmark = pytest.mark.xdist_group("port-8888")
"""The wizards here listen on 127.0.0.1:8888 (SPOTIFY's redirect URI), as the benchmarks'
pty dance does: one worker runs them all, one after the other (--dist loadgroup)."""

SPOTIFY = {
    "client_id": "0123456789abcdef0123456789abcdef",
    "client_secret": "fedcba9876543210fedcba9876543210",
    "redirect_uri": "http://127.0.0.1:8888/callback",
}


async def replace_field(pilot: Pilot[None], field_id: str, text: str) -> None:
    """Focus a field by clicking nothing: Tab to it as a person would, empty it (home,
    ctrl+k), then paste the text (typed key by key, it took seconds: the leave-form
    tests type into a field by keys)."""
    app = pilot.app
    for _ in range(30):
        if app.focused is not None and app.focused.id == field_id:
            break
        await pilot.press("tab")
    assert isinstance(app.focused, Input) and app.focused.id == field_id
    await pilot.press("home", "ctrl+k")
    assert app.focused.value == ""
    await paste(pilot, text)


@asynccontextmanager
async def spotify_credentials(creds: Path, **table: str) -> AsyncIterator[Pilot[None]]:
    """The wizard on Spotify's Credentials step, with ``table`` saved for Spotify.

    A saved client ID and redirect URI resume on Authorize: ``1`` comes back.
    """
    seed(creds, "spotify", **table)
    app = OAuthDanceApp(CredsStore(creds), "spotify")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        yield pilot


async def test_complete_settings_open_as_a_summary_and_enter_goes_on(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        assert app.focused is app.screen.query_one(SettingsSummary)
        assert not app.screen.query(CredentialsForm), "the form is built only to edit"
        text = screen_text(app)
        assert f"Client ID      {demo_server.client_id}" in text
        assert "Redirect URI   http://127.0.0.1:8888/callback" in text
        assert "✓ Loopback literal" in text
        assert "Client auth    HTTP Basic header" in text
        assert demo_server.client_secret not in text
        assert f"Client secret  {'•' * len(demo_server.client_secret)}" in text
        assert "⏎ Authorize" in text and "e Edit" in text and "Save & next" not in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
    saved = tomllib.loads(isolated_environment.read_text())["demo"]
    assert saved["client_id"] == demo_server.client_id
    assert saved["redirect_uri"] == "http://127.0.0.1:8888/callback"


async def test_e_puts_the_form_in_its_place_from_the_top(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert not app.screen.query(SettingsSummary)
        form = app.screen.query_one(CredentialsForm)
        assert app.focused is form.query_one("#client_id", Input)
        assert form.scroll_y == 0
        text = screen_text(app)
        assert "Provider" in text.splitlines()[2]
        assert "Save & next" in text and "⏎ Authorize" not in text
        await pilot.press("end", "e", "enter")  # the summary's keys now type, or submit a field
        assert form.query_one("#client_id", Input).value == demo_server.client_id + "e"
        assert isinstance(app.screen, CredentialsScreen)


@pytest.mark.parametrize(
    ("table", "focused"),
    [
        ({"redirect_uri": "http://127.0.0.1:8888/callback"}, "client_id"),
        ({**SPOTIFY, "client_secret": ""}, "client_id"),
        ({**SPOTIFY, "redirect_uri": "http://example.com/callback"}, "client_id"),
    ],
    ids=["no client id", "no secret", "refused redirect"],
)
async def test_incomplete_settings_open_the_form(
    isolated_environment: Path, table: dict[str, str], focused: str
) -> None:
    async with spotify_credentials(isolated_environment, **table) as pilot:
        app = pilot.app
        assert isinstance(app.screen, CredentialsScreen)
        assert app.screen.query(CredentialsForm) and not app.screen.query(SettingsSummary)
        assert app.focused is not None and app.focused.id == focused
        if "example.com" in table["redirect_uri"]:
            assert "✗" in str(app.screen.query_one("#redirect_check", Static).render())


async def test_a_public_client_without_a_secret_opens_as_a_summary(
    isolated_environment: Path,
) -> None:
    public = {**SPOTIFY, "client_secret": "", "auth_method": "none"}
    async with spotify_credentials(isolated_environment, **public) as pilot:
        assert pilot.app.screen.query(SettingsSummary)
        assert "Client secret  none: a public client" in screen_text(pilot.app)


async def test_the_summary_shows_control_characters_of_the_file_as_escapes(
    isolated_environment: Path,
) -> None:
    nasty = {**SPOTIFY, "client_id": "abc\x1b[2Jdef\rghi"}
    async with spotify_credentials(isolated_environment, **nasty) as pilot:
        assert "Client ID      abc\\x1b[2Jdef\\rghi" in screen_text(pilot.app)


async def test_a_provider_chosen_in_the_form_opens_in_the_form(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    seed(isolated_environment, "spotify", **SPOTIFY)
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("shift+tab", "enter", "down", "enter")  # Spotify, from the list
        await settle(pilot)
        assert app.session.provider.name == "spotify"
        assert isinstance(app.screen, CredentialsScreen)
        form = app.screen.query_one(CredentialsForm)
        assert form.query_one("#client_id", Input).value == SPOTIFY["client_id"]


async def test_choosing_credentials_in_the_sidebar_keeps_the_forms_edits(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await replace_field(pilot, "extra_params", "prompt=consent")
        await pilot.click(StepSidebar, offset=(3, 2))  # "1 Credentials", the step shown
        await pilot.press("enter")  # and by key, from the focused sidebar
        await settle(pilot)
        assert isinstance(app.focused, StepList)
        assert app.screen.query_one("#extra_params", Input).value == "prompt=consent"


async def test_settings_typed_and_saved_reach_the_authorization_url(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        await pilot.press("e")
        await replace_field(pilot, "redirect_uri", "http://localhost:8888/cb")
        check = str(app.screen.query_one("#redirect_check", Static).render())
        assert "Spotify" not in check, "a QA find: the demo's hint named Spotify"
        assert "Embedded demo server takes only http://127.0.0.1/callback" in check
        await replace_field(pilot, "redirect_uri", "https://example.com/cb")
        check = str(app.screen.query_one("#redirect_check", Static).render())
        assert "accepted" not in check and "'Mismatching redirect URI'" in check
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
        await pilot.press("e")
        await replace_field(pilot, field, text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        assert app.focused is app.screen.query_one(f"#{field}", Input)
        assert title in [n.title for n in app.toasts]
    assert not isolated_environment.exists()


@pytest.mark.parametrize(
    ("host", "bind", "connection", "server"),
    [
        ("127.0.0.1", "127.0.0.1", "203.0.113.7 50000 198.51.100.2 22", "learner@198.51.100.2"),
        ("[::1]", "::1", "2001:db8::5 50000 2001:db8::10 2222", "-p 2222 learner@2001:db8::10"),
    ],
    ids=["ipv4", "ipv6"],
)
async def test_ssh_session_shows_the_tunnel_line(
    isolated_environment: Path,
    demo_server: DemoServer,
    monkeypatch: pytest.MonkeyPatch,
    host: str,
    bind: str,
    connection: str,
    server: str,
) -> None:
    """The forward goes to the address the listener binds: [::1] for an IPv6 redirect."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET) as probe:
            probe.bind((bind, 0))
            port = int(probe.getsockname()[1])
    except OSError:
        pytest.skip(f"{bind} cannot be bound on this machine")
    monkeypatch.setenv("SSH_CONNECTION", connection)
    monkeypatch.setenv("USER", "learner")
    seed(isolated_environment, "demo", redirect_uri=f"http://{host}:{port}/callback")
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await wait_until(
            pilot, lambda: "ssh -N" in str(app.screen.query_one("#ssh", Static).render()), "ssh"
        )
        ssh = str(app.screen.query_one("#ssh", Static).render())
        assert f"ssh -N -L {port}:{host}:{port} {server}" in ssh


@pytest.mark.parametrize(
    ("provider", "table", "said"),
    [
        ("spotify", SPOTIFY, "refused by Spotify since 2025"),
        ("github", {**SPOTIFY, "show_dialog": True}, "RFC 8252 §8.3 advises"),
    ],
)
async def test_localhost_and_show_dialog_are_each_providers_own(
    isolated_environment: Path, provider: str, table: dict[str, Any], said: str
) -> None:
    """QA finds: GitHub's hint for localhost named Spotify, and its form offered (and its
    summary listed) Spotify's show_dialog."""
    seed(isolated_environment, provider, **table)
    app = OAuthDanceApp(CredsStore(isolated_environment), provider)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "1")
        spotify = provider == "spotify"
        assert ("show_dialog" in screen_text(app)) is spotify
        await press(pilot, "e")
        assert bool(app.screen.query("#show_dialog")) is spotify
        await replace_field(pilot, "redirect_uri", "http://localhost:8888/callback")
        check = str(app.screen.query_one("#redirect_check", Static).render())
        assert said in check and ("Spotify" in check) is spotify
        await replace_field(pilot, "redirect_uri", SPOTIFY["redirect_uri"])
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, AuthorizeScreen)
        params = app.session.authorization_request().url.params
        assert "show_dialog" not in params, "GitHub's show_dialog = true is not sent"
