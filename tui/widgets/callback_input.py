"""The field a code or a redirect URL is pasted into."""

from __future__ import annotations

from textual import events
from textual.message import Message

from tui.widgets.secret_input import HIDDEN, HiddenValueInput


class CallbackInput(HiddenValueInput):
    """The field a code or a redirect URL is pasted into; the code is a secret, so its
    messages hide the value in their reprs, as the client secret field's do.

    ``Input`` keeps only the first line of a paste: a URL wrapped over two lines
    would give a cut-off code that looks fine. A paste of several lines is not
    put in the field but handed on whole (:class:`SeveralLines`), for the core
    to refuse with its lines shown.
    """

    class SeveralLines(Message):
        """A paste of several lines, kept whole."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

        def __repr__(self) -> str:
            return f"CallbackInput.SeveralLines(text={HIDDEN})"

    def on_paste(self, event: events.Paste) -> None:
        if len(event.text.strip().splitlines()) > 1:
            event.prevent_default()  # Input's own handler would keep the first line
            event.stop()
            self.post_message(self.SeveralLines(event.text))
