"""Text fields with a length limit that say so.

Every keystroke redraws a field, so a field that grows without end (20 KB typed
by a terminal that does not bracket pastes) makes each key slower than the last.
A field here takes no more than its ``max_length``. Keys typed past it are refused,
said once in a toast, and again only after the value has shrunk. A paste that would
go past it is refused whole (a cut URL or secret is a different, useless one), and
each such paste is said. A text box (``BoundedTextArea``) refuses such pastes the
same way; what is typed in it is checked where it is used.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Input, TextArea


def refuse_paste(field: Widget, pasted: int, kept: int, limit: int, unit: str) -> None:
    """Say that a paste of ``pasted`` ``unit`` was refused whole: with the ``kept`` the
    field keeps of its value, it would go past the field's ``limit``."""
    beside = f", with the {kept:,} already in it" if kept else ""
    field.screen.notify(
        f"That paste is {pasted:,} {unit}; this field holds at most "
        f"{limit:,}{beside}. Nothing of it was taken: a cut value would be "
        "a different one.",
        title="Paste refused",
        severity="warning",
        markup=False,
    )


class BoundedInput(Input):
    """An ``Input`` with a ``max_length`` that tells the user when it refuses text."""

    def __init__(
        self,
        value: str | None = None,
        placeholder: str = "",
        *,
        max_length: int,
        password: bool = False,
        id: str | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__(
            value, placeholder, password=password, max_length=max_length, id=id, compact=compact
        )
        self.told = False
        """The limit was said, and the value has not shrunk since."""

    def on_paste(self, event: events.Paste) -> None:
        """Refuse a paste that would not fit whole, saying so (``Input`` would refuse it
        in silence through ``restricted``, whose words are for typed keys)."""
        if not self.max_length or not event.text:
            return
        pasted = len(event.text.splitlines()[0])  # what Input takes of a paste
        selection = self.selection
        kept = len(self.value) - abs(selection.end - selection.start)
        if kept + pasted <= self.max_length:
            return
        event.prevent_default()
        event.stop()
        refuse_paste(self, pasted, kept, self.max_length, "characters")

    def restricted(self) -> None:
        """A key typed past ``max_length`` was refused."""
        if not self.told:
            self.told = True
            self.screen.notify(
                f"This field holds at most {self.max_length} characters; what went past "
                "that was not taken. Paste long values rather than typing them.",
                title="Field full",
                severity="warning",
                markup=False,
            )

    def watch_value(self, value: str) -> None:
        if not self.max_length or len(value) < self.max_length:
            self.told = False


class BoundedTextArea(TextArea):
    """A ``TextArea`` that refuses whole a paste that would take its text, in UTF-8,
    past ``max_bytes``: a box of megabytes makes every later key take seconds."""

    def __init__(
        self,
        text: str = "",
        *,
        max_bytes: int,
        placeholder: str = "",
        id: str | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__(text, placeholder=placeholder, id=id, compact=compact)
        self.max_bytes = max_bytes

    def on_paste(self, event: events.Paste) -> None:
        """Refuse a paste that would not fit whole, saying so (``TextArea`` would take it all)."""
        if not event.text:
            return
        pasted = utf8_size(event.text)
        kept = utf8_size(self.text) - utf8_size(self.selected_text)
        if kept + pasted <= self.max_bytes:
            return
        event.prevent_default()
        event.stop()
        refuse_paste(self, pasted, kept, self.max_bytes, "bytes")


def utf8_size(text: str) -> int:
    """The bytes ``text`` takes in UTF-8 (a lone surrogate, which no terminal should
    send, counted as the 3 bytes it would take rather than raising)."""
    return len(text.encode("utf-8", "surrogatepass"))
