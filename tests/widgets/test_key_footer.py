"""The footer: Textual's, built again only when the keys it shows change."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from tests.faults.faultapp import screen_text
from tui.widgets.key_footer import KeyFooter


class FooterApp(App[None]):
    BINDINGS = [
        Binding("f2", "alpha", "Alpha"),
        Binding("f3", "beta", "Beta"),
        Binding("f4", "hidden", "Hidden", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.beta = True
        self.hidden = True

    def compose(self) -> ComposeResult:
        yield Input()
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hidden":
            return self.hidden
        return self.beta if action == "beta" else True

    def action_alpha(self) -> None: ...

    def action_beta(self) -> None: ...

    def action_hidden(self) -> None: ...


def footer_line(app: App[None]) -> str:
    return screen_text(app).splitlines()[-1]


async def test_the_same_keys_are_not_built_again() -> None:
    """Focus changes, refresh_bindings, and a change to a binding the footer does not
    show keep the footer's widgets (Textual's footer removed and mounted them each time)."""
    app = FooterApp()
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        footer = app.query_one(KeyFooter)
        keys = list(footer.children)
        assert keys and "f2 Alpha" in footer_line(app) and "f3 Beta" in footer_line(app)
        app.query_one(Input).focus()
        app.set_focus(None)
        app.hidden = False
        for _ in range(3):
            app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert list(footer.children) == keys


async def test_a_change_of_its_keys_shows() -> None:
    app = FooterApp()
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        assert "f3 Beta" in footer_line(app)
        app.beta = False
        app.screen.refresh_bindings()
        for _ in range(50):
            if "Beta" not in footer_line(app):
                break
            await pilot.pause()
        assert "Beta" not in footer_line(app) and "f2 Alpha" in footer_line(app)
