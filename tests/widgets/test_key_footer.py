"""The footer: Textual's, built again only when the keys it shows change."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Input

from tests.screenshot import screen_text
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


class TwinApp(App[None]):
    """A key whose action and label change (as ``⏎ Send`` becomes ``⏎ Profile``), and
    one shown disabled: with our footer, or with Textual's compact one."""

    BINDINGS = [
        Binding("f5", "send", "Send", tooltip="Send it"),
        Binding("f5", "next", "Next"),
        Binding("f6", "later", "Later"),
    ]

    def __init__(self, footer: type[Footer]) -> None:
        super().__init__()
        self.footer = footer
        self.sent = False

    def compose(self) -> ComposeResult:
        yield Input()
        yield self.footer() if self.footer is KeyFooter else self.footer(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send":
            return not self.sent
        if action == "next":
            return self.sent
        if action == "later":
            return True if self.sent else None  # shown disabled until sent
        return True

    def action_send(self) -> None: ...

    def action_next(self) -> None: ...

    def action_later(self) -> None: ...


async def footer_lines(footer: type[Footer]) -> list[tuple[str, list[tuple[object, bool]]]]:
    """The footer's line and its keys' tooltips, before and after the change."""
    app = TwinApp(footer)
    seen: list[tuple[str, list[tuple[object, bool]]]] = []
    async with app.run_test(size=(60, 6)) as pilot:
        for sent in (False, True, False):
            app.sent = sent
            app.screen.refresh_bindings()
            for _ in range(3):
                await pilot.pause()
            keys = app.query_one(Footer).children
            seen.append((footer_line(app), [(k.tooltip, k.has_class("-disabled")) for k in keys]))
    return seen


async def test_keys_changed_in_place_show_what_textuals_footer_shows() -> None:
    ours, textuals = await footer_lines(KeyFooter), await footer_lines(Footer)
    assert ours == textuals
    assert "f5 Send" in ours[0][0] and "f5 Next" in ours[1][0]
