"""Asked when a step key, or another provider chosen, would leave the Credentials form
with edits not saved."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

Choice = Literal["save", "discard", "stay"]


class LeaveFormScreen(ModalScreen[Choice]):
    """Save, discard or stay: each a button, and a key (s, d, escape)."""

    DEFAULT_CSS = """
    LeaveFormScreen {
        align: center middle;
    }
    LeaveFormScreen > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        border: round $warning;
        padding: 0 1;
        background: $surface;
    }
    LeaveFormScreen Horizontal {
        height: auto;
        margin-top: 1;
    }
    LeaveFormScreen Button {
        margin-right: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "choose('save')", "Save"),
        Binding("d", "choose('discard')", "Discard"),
        Binding("escape", "choose('stay')", "Stay"),
        Binding("left", "app.focus_previous", "Previous choice", show=False),
        Binding("right", "app.focus_next", "Next choice", show=False),
    ]

    def __init__(self, where: str) -> None:
        """Args:
        where: the step the user asked for, e.g. "Authorize".
        """
        super().__init__()
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Content(  # where: maybe a provider's name, from the file: never markup
                    f"The form has edits that are not saved. Save them before going to "
                    f"{self.where}, discard them, or stay on the form?"
                )
            )
            with Horizontal():
                yield Button("Save  s", variant="primary", id="save")
                yield Button("Discard  d", variant="error", id="discard")
                yield Button("Stay  esc", id="stay")

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose(str(event.button.id))

    def action_choose(self, choice: str) -> None:
        assert choice in ("save", "discard", "stay")
        self.dismiss(choice)  # type: ignore[arg-type]
