"""The baseline: a bare Textual app with a Header, a Static and a Footer."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class BareApp(App[None]):
    """The smallest app that looks like ours: title bar, some text, key hints."""

    TITLE = "Bare"
    BINDINGS = [("enter", "noop", "Authorize")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Hello from a bare Textual app.")
        yield Footer()

    def action_noop(self) -> None:
        """A binding so that the footer shows a key hint, the first-frame marker."""


if __name__ == "__main__":
    BareApp().run()
