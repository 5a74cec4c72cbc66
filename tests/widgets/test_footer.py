"""The footer is rebuilt when the keys it shows change, and only then."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button
from textual.widgets._footer import FooterKey

from tui.widgets.footer import Footer


class KeysApp(App[None]):
    BINDINGS = [Binding("s", "send", "Send"), Binding("x", "cancel", "Cancel")]
    sending = False

    def compose(self) -> ComposeResult:
        yield Button("one", id="one")
        yield Button("two", id="two")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "cancel" and not self.sending else True  # None: shown, disabled

    def action_send(self) -> None:
        self.sending = True
        self.refresh_bindings()


def keys(app: App[None]) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


async def test_moving_focus_keeps_the_footer_and_a_change_of_keys_rebuilds_it() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = keys(app)
        assert [k.key for k in before][:2] == ["s", "x"]
        assert before[1].has_class("-disabled")
        await pilot.press("tab", "tab", "tab")
        await pilot.pause()
        assert keys(app) == before and all(a is b for a, b in zip(keys(app), before, strict=True))
        await pilot.press("s")
        await pilot.pause()
        after = keys(app)
        assert after[0] is not before[0]
        assert not after[1].has_class("-disabled")  # Cancel is now enabled, and the footer shows it
