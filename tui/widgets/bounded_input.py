"""Text fields with a length limit that say so.

Every keystroke redraws a field, so a field that grows without end (20 KB typed
by a terminal that does not bracket pastes) makes each key slower than the last.
A field here takes no more than its ``max_length``; what it refuses it says once,
in a toast, and says again only after the value has shrunk.
"""

from __future__ import annotations

from textual.widgets import Input


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

    def restricted(self) -> None:
        """Text past ``max_length`` was refused (a key, or a paste taken whole or not at all)."""
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
