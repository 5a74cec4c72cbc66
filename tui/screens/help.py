"""Help for a screen that is not a step (History, Lessons, the ID token, the QR code,
Export): what it is for, and every key that works on it. Opened and closed by ``?``.

Such a screen says what it is for in its class's ``SCREEN_HELP`` (its name, a text;
not Textual's own ``HELP``, Markdown for its help panel). A step screen has its side
panel instead (``ExplainPanel``); a screen of neither kind has no help, and its footer
does not offer ``?``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.widgets.key_list import KeyList
from tui.widgets.scroll_area import ScrollArea


class HelpScreen(ModalScreen[None]):
    """The help of the screen under it: its ``SCREEN_HELP`` (a name, a text), then its keys."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > Vertical {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        margin: 1 0;  /* the header and the footer under it stay in sight */
        border: round $primary;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        background: $surface;
    }
    HelpScreen ScrollArea {
        height: auto;
        max-height: 100%;
        padding: 0 1;
    }
    HelpScreen #keys-title { margin-top: 1; color: $text-accent; text-style: bold; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark", "dismiss", "Close help", tooltip="Back to the screen"),
    ]

    def __init__(self, about: Screen[Any], name: str, text: str) -> None:
        """Args:
        about: the screen the help is for (under this one).
        name: its name, for the border.
        text: what it is for.
        """
        super().__init__()
        self.about = about
        self.about_name = name
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"Help · {self.about_name}"
            box.border_subtitle = "esc or ? closes"
            with ScrollArea():
                yield Static(self.text, markup=False)
                yield Static("Keys", id="keys-title")
                yield KeyList(self.about)

    def on_mount(self) -> None:
        self.query_one(ScrollArea).focus()
