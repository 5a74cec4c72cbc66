"""A break-it lesson on the step it is about: what is set up and which key to press,
then, once the error has come back, the rule that caught it, its RFC, and what an
attacker would have gained without it.

Plain text only (``Content``): the caught error's message quotes the server.
"""

from __future__ import annotations

from textual.content import Content

from tui.core.lesson_setup import LessonRun
from tui.core.lessons import Lesson
from tui.widgets.text_panel import TextPanel

Parts = list[Content | tuple[str, str] | str]


def lesson_content(run: LessonRun) -> Content:
    """The panel's text for a lesson under way, caught, or missed."""
    lesson = run.lesson
    if run.caught is not None:
        return Content.assemble(
            (f"Lesson done ✓ {lesson.title}", "bold $success"),
            "\n",
            (f"Caught by {lesson.caught_by}: ", "bold"),
            run.caught.message,
            *explained(lesson),
            "\n",
            ("l: the lessons", "dim"),
        )
    if run.missed:
        return Content.assemble(
            (f"Lesson missed: {lesson.title}", "bold $warning"),
            "\n",
            "The step worked instead of failing (a code sent before it expired, say). "
            "Press l and start the lesson again.",
        )
    return Content.assemble(
        (f"Lesson: {lesson.title}", "bold $accent"),
        "\n",
        run.note,
        "\n",
        ("→ ", "bold $warning"),
        (lesson.action, "bold"),
    )


def explained(lesson: Lesson) -> Parts:
    """The rule, its RFC, and what an attacker would have gained without it."""
    return [
        "\n",
        ("Rule     ", "bold"),
        lesson.rule,
        "\n",
        ("Without  ", "bold"),
        lesson.attacker_gain,
        "\n",
        (lesson.rfc, "italic $text-muted"),
    ]


class LessonPanel(TextPanel):
    """Above the step while a lesson runs on it; scrolls when taller than its room."""

    DEFAULT_CSS = """
    LessonPanel {
        height: auto;
        max-height: 50%;
        border: round $accent;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        &.-caught { border: round $success; }
        &:focus { border: heavy $accent; }
        & > Static { height: auto; }
    }
    """

    def show_run(self, run: LessonRun | None) -> None:
        """Show ``run``, or hide the panel for None."""
        self.display = run is not None
        if run is not None:
            self.set_class(run.caught is not None, "-caught")
            self.show_text(lesson_content(run))
            self.scroll_home(animate=False, immediate=True)
