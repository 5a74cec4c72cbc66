"""The help panel: what is happening (the dance step, the RFC, each parameter), and every key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from tui.core.steps import StepInfo
from tui.widgets.key_list import KeyList
from tui.widgets.scroll_area import ScrollArea


def explain_content(info: StepInfo) -> Content:
    """The panel's text for a step, from the single source in ``tui.core.steps``."""
    parts: list[Content | tuple[str, str] | str] = [(info.rfc, "bold $accent")]
    if info.cited != info.rfc:  # the dance's step numbers first, then the RFC
        parts = [
            (f"Dance step {info.dance}", "bold $accent"),
            "\n",
            (info.rfc, "italic $text-muted"),
        ]
    parts += ["\n\n", info.summary, "\n"]
    for name, meaning in info.parameters:
        parts += ["\n", (name, "bold $secondary"), "\n  ", meaning]
    return Content.assemble(*parts)


class ExplainPanel(ScrollArea):
    """A scrollable side panel, toggled with ``?``: the step explained, then
    the keys that work where the focus is, the step's own first. Tab reaches it
    when it holds more than it shows."""

    DEFAULT_CSS = """
    ExplainPanel {
        width: 34;
        height: 1fr;
        border-left: tall $panel;
        padding: 0 1;
        background: $surface;
        scrollbar-size-vertical: 1;
        &.-overflow { border-bottom: tall $panel; }
        &:focus { border-left: tall $border; border-bottom: tall $border; }
        #keys-title { margin-top: 1; color: $text-accent; text-style: bold; }
    }
    """

    def __init__(self, info: StepInfo) -> None:
        super().__init__(id="explain")
        self.border_title = "What is happening"
        self._info = info

    def compose(self) -> ComposeResult:
        yield Static(explain_content(self._info))
        yield Static("Keys", id="keys-title")
        yield KeyList()
