"""A second baseline: the Credentials screen's widgets, with static data and no wizard behind it.

Between the bare app and ours, it tells what the widgets cost in Textual
(compose, their CSS, layout, the first frames) from what our own code costs
(imports, the session, the credentials file, the demo server's port).
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Header,
    Input,
    Label,
    OptionList,
    Select,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

CSS = """
#body { height: 1fr; }
#sidebar { width: 22; height: 1fr; border-right: tall $panel; }
#sidebar OptionList { height: auto; border: none; padding: 0; background: $surface; }
#sidebar Static { padding: 0 1; }
#main { width: 1fr; height: 1fr; }
#step { height: 1fr; padding: 0 1; }
#step Label { margin-top: 1; color: $text-muted; }
#step Input, #step Select, #step SelectionList { width: 100%; }
#step SelectionList { height: auto; max-height: 8; }
"""

STEPS = ["1 Credentials", "2 Authorize", "3 Exchange", "4 Profile", "5 Refresh"]
SCOPES = [
    "user-read-private",
    "user-read-email",
    "user-top-read",
    "user-read-recently-played",
    "playlist-read-private",
    "playlist-modify-public",
    "user-library-read",
]


class WidgetsApp(App[None]):
    TITLE = "OAuth Dance"
    SUB_TITLE = "Credentials · Embedded demo server"
    CSS = CSS
    BINDINGS = [("ctrl+s", "noop", "Save & next"), ("h", "noop", "History")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield Static("Embedded demo server")
                yield OptionList(*[Option(f"· {s}\n    step {i}") for i, s in enumerate(STEPS)])
                yield Static("No access token yet.")
            with Vertical(id="main"), VerticalScroll(id="step"):
                yield Label("Provider")
                yield Select([("Embedded demo server", "demo")], value="demo", compact=True)
                yield Label("Client ID")
                yield Input("oauth-dance-demo", compact=True)
                yield Label("Client secret")
                yield Input("secret", password=True, compact=True)
                yield Label("Redirect URI")
                yield Input("http://127.0.0.1:8888/callback", compact=True)
                yield Static("✓ Loopback literal: providers accept any port here.")
                yield Label("Scopes")
                yield SelectionList[str](*[Selection(s, s, True) for s in SCOPES])
                yield Input(placeholder="more scopes, space-separated", compact=True)
                yield Label("Client authentication")
                yield Select([("HTTP Basic", "basic")], value="basic", compact=True)
                yield Checkbox("Use PKCE (S256)", True)
                yield Checkbox("Ask for consent again (show_dialog)", False)
                yield Label("Extra authorization parameters")
                yield Input(placeholder="name=value ...", compact=True)
                yield Button("Save and authorize  ctrl+s", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = False  # as ours: else the screen never settles
        self.query_one(Input).focus()

    def action_noop(self) -> None:
        """Bindings, so that the footer shows key hints like ours."""


if __name__ == "__main__":
    WidgetsApp().run()
