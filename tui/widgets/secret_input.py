"""Fields whose messages never carry their value in their text form.

Textual's log (``TEXTUAL_LOG``, the devtools console) writes every message it
dispatches by its ``repr``, and ``Input.Changed``, ``Submitted`` and ``Blurred``
hold the value: the client secret, or a pasted code, would be written there.
These subclasses keep the same handler names (``on_input_changed``, ...).
"""

from __future__ import annotations

from textual.widgets import Input

from tui.widgets.bounded_input import BoundedInput

HIDDEN = "<hidden>"


class HiddenValueInput(BoundedInput):
    """A ``BoundedInput`` whose messages' reprs hide the value (named by the field's class:
    ``SecretInput.Changed(input=..., value=<hidden>)``)."""

    class Changed(Input.Changed, namespace="input"):
        def __repr__(self) -> str:
            return f"{type(self.input).__name__}.Changed(input={self.input!r}, value={HIDDEN})"

    class Submitted(Input.Submitted, namespace="input"):
        def __repr__(self) -> str:
            return f"{type(self.input).__name__}.Submitted(input={self.input!r}, value={HIDDEN})"

    class Blurred(Input.Blurred, namespace="input"):
        def __repr__(self) -> str:
            return f"{type(self.input).__name__}.Blurred(input={self.input!r}, value={HIDDEN})"


class SecretInput(HiddenValueInput):
    """A password field (``password=True``) whose messages' reprs hide the value."""

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
