"""The explanation of an error: what it means, the likely cause, the fix."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tui.core.errors import DanceError, OAuthError


def error_content(error: DanceError) -> Content:
    """The panel's text. Server text (``error_description``) stays plain text."""
    parts: list[Content | tuple[str, str] | str] = [
        (error.title, "bold $error"),
        "\n",
        error.message,
    ]
    if isinstance(error, OAuthError):
        why = error.explanation
        parts += [
            "\n\n",
            ("Meaning  ", "bold"),
            why.meaning,
            "\n",
            ("Cause    ", "bold"),
            why.cause,
            "\n",
            ("Fix      ", "bold"),
            why.fix,
            "\n",
            (why.rfc, "italic $text-muted"),
        ]
    return Content.assemble(*parts)


class ErrorPanel(Static):
    """Hidden until there is an error to explain."""

    DEFAULT_CSS = """
    ErrorPanel {
        display: none;
        height: auto;
        border: round $error;
        padding: 0 1;
        &.-shown { display: block; }
    }
    """

    def show_error(self, error: DanceError | None) -> None:
        """Explain ``error``, or hide the panel for None."""
        self.set_class(error is not None, "-shown")
        self.update(error_content(error) if error is not None else "")
