"""A password field whose messages never carry the secret in their text form.

Textual's log (``TEXTUAL_LOG``, the devtools console) writes every message it
dispatches by its ``repr``, and ``Input.Changed``, ``Submitted`` and ``Blurred``
hold the value: the client secret would be written there when the field fills.
These subclasses keep the same handler names (``on_input_changed``, ...).
"""

from __future__ import annotations

from textual.widgets import Input

from tui.widgets.bounded_input import BoundedInput

HIDDEN = "<hidden>"


class SecretInput(BoundedInput):
    """A ``BoundedInput`` with ``password=True`` whose messages' reprs hide the value."""

    class Changed(Input.Changed, namespace="input"):
        def __repr__(self) -> str:
            return f"SecretInput.Changed(input={self.input!r}, value={HIDDEN})"

    class Submitted(Input.Submitted, namespace="input"):
        def __repr__(self) -> str:
            return f"SecretInput.Submitted(input={self.input!r}, value={HIDDEN})"

    class Blurred(Input.Blurred, namespace="input"):
        def __repr__(self) -> str:
            return f"SecretInput.Blurred(input={self.input!r}, value={HIDDEN})"

    def __init__(
        self,
        value: str | None = None,
        placeholder: str = "",
        *,
        max_length: int,
        id: str | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__(
            value, placeholder, max_length=max_length, password=True, id=id, compact=compact
        )
