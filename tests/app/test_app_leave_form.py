"""Leaving the Credentials form with unsaved edits asks: save, discard or stay."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import tomli_w
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from tests.app.wizard import free_port, make_app, press, seed, settle
from tests.screenshot import screen_text
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.credentials_form import CredentialsForm
from tui.screens.leave_form import LeaveFormScreen
from tui.widgets.error_panel import ErrorPanel


def saved_client_id(creds: Path) -> str:
    return str(tomllib.loads(creds.read_text())["demo"]["client_id"])


async def press_2_off_the_fields(pilot: object) -> None:
    """Tab to a field that takes no text (a step key typed in a text field is text), press 2."""
    app = pilot.app  # type: ignore[attr-defined]
    for _ in range(12):
        if not isinstance(app.focused, Input):
            break
        await pilot.press("tab")  # type: ignore[attr-defined]
    assert not isinstance(app.focused, Input)
    await pilot.press("2")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def edit_client_id(pilot: object) -> None:
    """On the form, add '-x' to the client ID, then press 2 (Authorize)."""
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("e")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    app = pilot.app  # type: ignore[attr-defined]
    assert app.focused.id == "client_id"
    await pilot.press("end", "-", "x")  # type: ignore[attr-defined]
    await press_2_off_the_fields(pilot)
    assert isinstance(app.screen, LeaveFormScreen), "asked, not lost silently"


@pytest.fixture
def creds(isolated_environment: Path, demo_server: DemoServer) -> Path:
    seed(
        isolated_environment,
        "demo",
        client_id=demo_server.client_id,
        client_secret=demo_server.client_secret,
        redirect_uri=f"http://127.0.0.1:{free_port()}/callback",
    )
    return isolated_environment


async def test_save_saves_the_edits_and_goes_on(creds: Path, demo_server: DemoServer) -> None:
    app = make_app(creds, demo_server)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("1")
        await edit_client_id(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
        assert app.session.state.client_id == f"{demo_server.client_id}-x"
    assert saved_client_id(creds) == f"{demo_server.client_id}-x"


async def test_discard_drops_the_edits_and_goes_on(creds: Path, demo_server: DemoServer) -> None:
    app = make_app(creds, demo_server)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("1")
        await edit_client_id(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
        assert app.session.state.client_id == demo_server.client_id
    assert saved_client_id(creds) == demo_server.client_id


@pytest.mark.parametrize("keys", [("escape",), ("enter",)], ids=["escape", "enter-on-stay"])
async def test_stay_keeps_the_form_and_its_edits(
    creds: Path, demo_server: DemoServer, keys: tuple[str, ...]
) -> None:
    app = make_app(creds, demo_server)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("1")
        await edit_client_id(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        field = app.screen.query_one("#client_id", Input)
        assert field.value == f"{demo_server.client_id}-x"
        await press_2_off_the_fields(pilot)
        assert isinstance(app.screen, LeaveFormScreen), "still unsaved: asked again"
    assert saved_client_id(creds) == demo_server.client_id


async def test_the_choices_are_reachable_by_tab_and_enter(
    creds: Path, demo_server: DemoServer
) -> None:
    app = make_app(creds, demo_server)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("1")
        await edit_client_id(pilot)
        assert getattr(app.focused, "id", None) == "stay"
        await pilot.press("shift+tab")
        assert getattr(app.focused, "id", None) == "discard"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)


async def test_a_form_without_edits_is_left_without_asking(
    creds: Path, demo_server: DemoServer
) -> None:
    app = make_app(creds, demo_server)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1", "e")
        await settle(pilot)
        await pilot.press("end", "-", "backspace")
        await press_2_off_the_fields(pilot)
        assert isinstance(app.screen, AuthorizeScreen)


async def test_save_with_a_refused_field_stays_on_the_form(
    creds: Path, demo_server: DemoServer
) -> None:
    app = make_app(creds, demo_server)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1", "e")
        await settle(pilot)
        for _ in range(10):
            if getattr(app.focused, "id", None) == "redirect_uri":
                break
            await pilot.press("tab")
        await pilot.press("home", "delete", "delete", "delete", "delete")
        await press_2_off_the_fields(pilot)
        assert isinstance(app.screen, LeaveFormScreen)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        assert app.focused is app.screen.query_one("#redirect_uri", Input)
        assert "Redirect URI refused" in [n.title for n in app.toasts]
        assert "Redirect URI refused" in app.screen.query_one(ErrorPanel).text, "and it stays"


async def choose_provider(pilot: Pilot[None], *moves: str) -> None:
    """From the client ID field, back to the provider menu (shift+tab), open it, move, pick."""
    await press(pilot, "shift+tab", "enter", *moves, "enter")


@pytest.mark.parametrize("choice", ["s", "d", "escape"])
async def test_switching_provider_with_unsaved_edits_asks_first(
    isolated_environment: Path, demo_server: DemoServer, choice: str
) -> None:
    """A QA find at 80x24: typed values vanished when the provider was switched, with no
    question. Now it asks, as leaving the form does: save, discard or stay."""
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "1", "e")
        await choose_provider(pilot, "down")  # Spotify
        assert app.session.provider.name == "spotify"
        assert getattr(app.focused, "id", None) == "client_id"
        await press(pilot, *"my-id", "tab", *"my-secret")
        await press(pilot, "shift+tab")  # back to the client ID: the provider menu is next
        await choose_provider(pilot, "down")  # GitHub
        assert isinstance(app.screen, LeaveFormScreen), "asked, not lost silently"
        assert "GitHub" in str(app.screen.query_one(Static).render())
        await press(pilot, choice)
        if choice == "escape":
            assert app.session.provider.name == "spotify"
            form = app.screen.query_one(CredentialsForm)
            assert form.query_one("#provider", Select).value == "spotify"
            assert app.screen.query_one("#client_id", Input).value == "my-id"
            assert app.screen.query_one("#client_secret", Input).value == "my-secret"
            return
        assert app.session.provider.name == "github"
        assert getattr(app.focused, "id", None) == "client_id", "GitHub's form"
        await choose_provider(pilot, "up")  # back to Spotify
        assert app.session.provider.name == "spotify"
        kept = choice == "s"
        assert (app.screen.query_one("#client_id", Input).value == "my-id") is kept
        assert (app.session.state.client_secret == "my-secret") is kept


async def test_a_providers_name_from_the_file_is_shown_as_typed_never_as_markup(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """A QA find: a table named ``[bold red]evil[/]`` showed as a bold red "evil" in the
    provider menu (and the question asked before switching to it)."""
    name = "[bold red]evil[/]"
    isolated_environment.parent.mkdir(parents=True, exist_ok=True)
    isolated_environment.write_text(
        tomli_w.dumps(
            {
                "version": 1,
                name: {
                    "authorize_endpoint": "http://127.0.0.1:1/authorize",
                    "token_endpoint": "http://127.0.0.1:1/token",
                    "client_id": "x",
                },
            }
        )
    )
    isolated_environment.chmod(0o600)
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "1", "e")
        await press(pilot, "end", "-", "x")  # an edit: switching will ask first
        await press(pilot, "shift+tab", "enter", "end")
        assert f"{name} (custom)" in screen_text(app), screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, LeaveFormScreen)
        assert f"going to {name} (custom)" in screen_text(app).replace("\n", " ")
