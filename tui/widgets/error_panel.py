"""The explanation of an error: what it means, the likely cause, the fix, what to do now.

Everything here is shown as plain text (``Content``, never markup): error
messages quote server text such as ``error_description``, which the core has
made safe (control characters visible, secrets masked) but may still look like markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from tui.core.errors import ApiError, DanceError, OAuthError
from tui.core.explain import Explanation
from tui.core.store_errors import StoreError
from tui.core.textsafe import clean
from tui.widgets.text_panel import TextPanel

Parts = list[Content | tuple[str, str] | str]


def error_content(
    error: DanceError, *, answer: str | None = None, advice: Sequence[str] = ()
) -> Content:
    """The panel's text.

    Args:
        error: what went wrong; its message is safe to show.
        answer: one line about the server's answer (status, type, size), if any.
        advice: what the user can do now, one line each.
    """
    parts: Parts = [(error.title, "bold $error"), "\n", error.message]
    if answer:
        parts += ["\n", ("Answer   ", "bold"), answer]
    # What to do now comes before the teaching notes, which a short terminal may cut.
    parts += _advice(advice)
    why = error.explanation if isinstance(error, OAuthError | ApiError) else None
    if why is not None:
        parts += ["\n", *explanation_parts(why)]
    return Content.assemble(*parts)


def explanation_parts(why: Explanation) -> Parts:
    """An error's teaching text, on lines of its own: meaning, cause, fix, and the RFC."""
    return [
        "\n",
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


def unsaved_content(error: StoreError) -> Content:
    """A failed save: what failed, and that the new values live only in memory."""
    return Content.assemble(
        ("Not saved", "bold $error"),
        "\n",
        clean(str(error)),
        *_advice(
            [
                "Nothing is lost yet: the new values are kept in memory.",
                "Press ctrl+s to save again once the problem is fixed; "
                "quitting before that would lose them.",
            ]
        ),
    )


def _advice(lines: Sequence[str]) -> Parts:
    parts: Parts = []
    for line in lines:
        parts += ["\n", ("→ ", "bold $warning"), line]
    return parts


class ErrorPanel(TextPanel):
    """Hidden until there is an error to explain; scrolls when the explanation is
    taller than the room it gets (its fix comes last)."""

    DEFAULT_CSS = """
    ErrorPanel {
        display: none;
        height: auto;
        max-height: 60%;
        border: round $error;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        &.-shown { display: block; }
        &:focus { border: heavy $error; }
        & > Static { height: auto; }
    }
    """

    def show_error(
        self,
        error: DanceError | None,
        *,
        answer: str | None = None,
        advice: Sequence[str] = (),
    ) -> None:
        """Explain ``error``, or hide the panel for None."""
        self.set_class(error is not None, "-shown")
        if error is None:
            self.show_text("")
        else:
            self._show(error_content(error, answer=answer, advice=advice))

    def show_unsaved(self, error: StoreError) -> None:
        """Say that a save failed and how to retry it."""
        self.add_class("-shown")
        self._show(unsaved_content(error))

    def _show(self, content: Content) -> None:
        """Show a new explanation from its start."""
        self.show_text(content)
        self.scroll_home(animate=False, immediate=True)
