"""Step screens are kept to return to, and shown afresh on return, as a new screen was."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import cast

from textual.widgets import Static

from tests.app.wizard import free_port, make_app, seed, settle, wait_until
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.credentials import CredentialsScreen
from tui.widgets.exchange_viewer import ExchangeViewer


def listening(port: int) -> bool:
    """Whether something accepts connections on 127.0.0.1:``port``."""
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


async def test_authorize_returned_to_is_the_same_screen_masked_and_listening_again(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    port = free_port()
    seed(isolated_environment, "demo", redirect_uri=f"http://127.0.0.1:{port}/callback")
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuthorizeScreen)
        await wait_until(pilot, lambda: listening(port), "the listener")
        await pilot.press("g")  # the consent page shown, its Approve button focused
        await settle(pilot)
        await pilot.press("escape", "r")  # back to the viewer: secrets revealed
        await settle(pilot)
        viewer = screen.query_one(ExchangeViewer)
        assert viewer.reveal
        assert screen.query_one("#decision").display

        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        await wait_until(pilot, lambda: not listening(port), "the listener to stop")

        await pilot.press("2")
        await settle(pilot)
        assert app.screen is cast(object, screen), "kept, not built again"
        assert app.focused is viewer
        assert not viewer.reveal, "masked again, as a new viewer is"
        assert viewer.pane == "request"
        assert not screen.query_one("#decision").display
        assert not screen.query_one("#consent").display
        await wait_until(pilot, lambda: listening(port), "the listener, again")
        listener = str(screen.query_one("#listener", Static).render())
        assert f":{port}/callback" in listener


async def test_a_provider_switch_lets_the_kept_screens_go(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    seed(isolated_environment, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        authorize = app.screen
        assert isinstance(authorize, AuthorizeScreen)
        await pilot.press("1")
        await settle(pilot)
        assert authorize.is_attached and app.is_screen_installed(authorize)
        await pilot.press("e")
        await settle(pilot)
        credentials = app.screen
        await pilot.press("shift+tab", "enter", "down", "enter")  # Spotify, from the list
        await settle(pilot)
        assert app.session.provider.name == "spotify"
        assert app.screen is not credentials
        await wait_until(pilot, lambda: not authorize.is_attached, "the old Authorize removed")
        assert not app.is_screen_installed(authorize)
        assert not credentials.is_attached


async def test_credentials_as_the_first_screen_is_the_bottom_one_emptied_once_left(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """Textual's empty default screen is not built under a first Credentials: the steps
    go above it, and it is emptied when left (Credentials is built anew each time)."""
    redirect = f"http://127.0.0.1:{free_port()}/callback"
    seed(isolated_environment, "demo", redirect_uri=redirect, client_id="")
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first = app.screen
        assert isinstance(first, CredentialsScreen)
        assert app.screen_stack == [first]
        await pilot.press(*"my-client", "ctrl+s")
        await settle(pilot)
        authorize = app.screen
        assert isinstance(authorize, AuthorizeScreen)
        assert app.screen_stack == [first, authorize]
        await wait_until(pilot, lambda: not first.children, "the first Credentials emptied")
        await pilot.resize_terminal(160, 60)  # Textual resizes the screen under the top too
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen) and app.screen is not first
        assert app.screen_stack[0] is first and len(app.screen_stack) == 2
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert app.screen_stack == [first, authorize]
