"""A second baseline: the first screen's widgets in Textual's own, with static data and no wizard.

The first screen is the Credentials summary: Textual's header, footer and an
option list for the steps, and the settings in a Static.

Between the bare app and ours, it tells what the widgets cost in Textual
(compose, their CSS, layout, the first frames) from what our own code costs
(imports, the session, the credentials file, the demo server's port).
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

CSS = """
#body { height: 1fr; }
#sidebar { width: 22; height: 1fr; border-right: tall $panel; }
#sidebar OptionList { height: auto; border: none; padding: 0; background: $surface; }
#sidebar Static { padding: 0 1; }
#main { width: 1fr; height: 1fr; padding: 0 1; }
"""

STEPS = ["1 Credentials", "2 Authorize", "3 Exchange", "4 Profile", "5 Refresh"]
SUMMARY = """\
Provider       Embedded demo server
Client ID      oauth-dance-demo
Client secret  •••••••••••••••••••••
Redirect URI   http://127.0.0.1:8888/callback
               ✓ Loopback literal: providers accept any
               port here (RFC 8252 §7.3).
Scopes         user-read-private user-read-email
Client auth    HTTP Basic header
PKCE           S256
show_dialog    not sent
Extra params   none

               enter goes on to Authorize; e edits."""


class WidgetsApp(App[None]):
    TITLE = "OAuth Dance"
    SUB_TITLE = "Credentials · Embedded demo server"
    CSS = CSS
    AUTO_FOCUS = None  # as ours: the step list is not focused (it would take enter)
    BINDINGS = [("enter", "next", "Authorize"), ("e", "edit", "Edit"), ("h", "history", "History")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield Static("Embedded demo server")
                yield OptionList(*[Option(f"· {s}\n    step {i}") for i, s in enumerate(STEPS)])
                yield Static("No access token yet.")
            with Vertical(id="main"):
                yield Static(SUMMARY)
        yield Footer()

    def action_next(self) -> None:
        """Bindings, so that the footer shows key hints like ours (one per action)."""

    action_edit = action_history = action_next


if __name__ == "__main__":
    WidgetsApp().run()
