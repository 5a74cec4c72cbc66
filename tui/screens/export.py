"""Export the transcript: asks where, has the core write it, says where it went."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from tui.core.errors import DanceError
from tui.core.export import default_target, export_session
from tui.core.session import Session
from tui.core.textsafe import clean
from tui.widgets.key_footer import KeyFooter


class ExportScreen(ModalScreen[None]):
    """A path (the default next to the credentials file), then the files written."""

    SCREEN_HELP = (
        "Export",
        "Writes this session's exchanges as two new files, HAR 1.2 (for browser tools) and "
        "Markdown (to read), secrets masked as on screen, readable only by you. Edit the "
        "path, then press enter; esc closes without writing.",
    )

    DEFAULT_CSS = """
    ExportScreen {
        align: center middle;
    }
    ExportScreen > Vertical {
        width: 76;
        max-width: 100%;
        height: auto;
        border: round $primary;
        border-title-style: bold;
        padding: 0 1;
        background: $surface;
    }
    ExportScreen Input {
        margin-top: 1;
    }
    ExportScreen #problem {
        color: $error;
        display: none;
    }
    ExportScreen #done {
        display: none;
    }
    ExportScreen Horizontal {
        height: auto;
        margin-top: 1;
    }
    ExportScreen Button {
        margin-right: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", tooltip="Close without exporting"),
        # A modal screen hides the App's keys: its help needs a key of its own (the
        # path field types "?").
        Binding("question_mark", "app.toggle_explain", "Help", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.now = datetime.now(UTC)

    def compose(self) -> ComposeResult:
        count = len(self.session.history)
        with Vertical() as box:
            box.border_title = "Export the transcript"
            yield Static(
                f"This session's {count} exchanges, the browser's part included, as "
                "HAR 1.2 and as Markdown, secrets masked as on screen. Two new files, "
                "readable only by you (0600): the path below with .har and .md."
            )
            path = Input(
                str(default_target(self.session, self.now)),
                id="path",
                compact=True,
                select_on_focus=False,  # the cursor at the end: a key typed edits the path
            )
            path.cursor_blink = False  # each blink is a repaint: bytes on a slow link
            yield path
            yield Static(id="problem")
            yield Static(id="done")
            with Horizontal():
                yield Button("Export  ⏎", variant="primary", id="export")
                yield Button("Cancel  esc", id="cancel")
        yield KeyFooter()  # the dialog's keys, not those of the screen below

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.export(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export":
            self.export(self.query_one(Input).value)
        else:
            self.dismiss()

    def export(self, path: str) -> None:
        problem = self.query_one("#problem", Static)
        try:
            files = export_session(self.session, path, self.now)
        except DanceError as err:
            problem.update(Content(err.message))
            problem.display = True
            return
        problem.display = False
        shown = "\n".join(f"  {clean(str(f), keep_newlines=False)}" for f in files.paths)
        done = self.query_one("#done", Static)
        done.update(Content.assemble(("Written (mode 0600):\n", "bold $success"), shown))
        done.display = True
        for hidden in ("#path", "#export"):
            self.query_one(hidden).display = False
        cancel = self.query_one("#cancel", Button)
        cancel.label = "Close  ⏎"
        cancel.focus()  # the paths are shown above: no toast to cover the buttons

    def action_close(self) -> None:
        self.dismiss()
