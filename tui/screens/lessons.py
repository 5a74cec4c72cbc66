"""Lessons: the break-it lessons, each marked ✓ once done; enter starts the one chosen.

The app sets the lesson up (through the session, on the demo provider), then opens
the step where the user takes the last step; the step shows the lesson above it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.errors import DanceError
from tui.core.lesson_setup import lesson_problem, set_up, settings_changes, stop
from tui.core.lessons import LESSONS, Lesson, lesson_step
from tui.screens.wizard import GoTo
from tui.widgets.key_footer import KeyFooter
from tui.widgets.lesson_panel import explained
from tui.widgets.scroll_area import ScrollArea

if TYPE_CHECKING:
    from tui.screens.wizard import Wizard


def lesson_line(lesson: Lesson, done: bool) -> Content:
    """One row of the list: ✓ when done."""
    return Content.assemble(("✓ " if done else "  ", "bold $success"), lesson.title)


def lesson_details(
    lesson: Lesson, done: bool, changes: list[str], problem: str | None = None
) -> Content:
    """The ``problem`` that keeps it from starting in this session, first, where a small
    terminal shows it; what the lesson does, what of the user's settings it ``changes``;
    once done, the rule that catches it too; else, with no problem, how to start it."""
    step = lesson_step(lesson)
    parts: list[Content | tuple[str, str] | str] = (
        [(problem, "$warning"), "\n\n"] if problem else []
    )
    parts += [
        (lesson.title, "bold"),
        ("  done ✓" if done else "", "bold $success"),
        "\n\n",
        ("Set up   ", "bold"),
        lesson.setup,
        "\n",
        ("You      ", "bold"),
        f"on {step.title} ({step.key}): {lesson.action}",
        "\n",
        ("Caught   ", "bold"),
        f"by {lesson.caught_by}.",
    ]
    if changes:
        parts += ["\n", ("Changes  ", "bold $warning"), f"your settings: {'; '.join(changes)}."]
    if done:
        parts += explained(lesson)
    if not (done or problem):
        parts += ["\n\n", ("Press enter to start it; the rule shows when it is caught.", "dim")]
    return Content.assemble(*parts)


class LessonsScreen(Screen[None]):
    """The lessons on the left, the one highlighted on the right."""

    SCREEN_HELP = (
        "Lessons",
        "Break the dance on purpose, on the demo provider, and see which rule catches it. "
        "Pick a lesson with the arrows and press enter: the wizard sets it up and opens the "
        "step where you take the last step yourself. Each lesson is marked ✓ once done. "
        "x stops a lesson under way.",
    )

    BINDINGS = [
        # Priority: else the list's own enter (show=False) hides this one in the footer.
        Binding(
            "enter",
            "start",
            "Start",
            priority=True,
            tooltip="Set the lesson up, and go to its step",
        ),
        Binding(
            "x", "stop", "Stop", tooltip="Stop the lesson under way: nothing is altered any more"
        ),
        Binding("escape,l", "app.pop_screen", "Back", tooltip="Back to the step"),
    ]

    DEFAULT_CSS = """
    LessonsScreen {
        #lessons { width: 36; height: 1fr; border-right: tall $panel; }
        #lesson-details { width: 1fr; height: 1fr; padding: 0 1; }
        #lesson-details Static { height: auto; }
        #lesson-problem { color: $warning; margin-top: 1; }
    }
    """

    def __init__(self, wizard: Wizard, done: list[str]) -> None:
        super().__init__()
        self.wizard = wizard
        self.done = set(done)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(
                *[Option(lesson_line(x, x.key in self.done), id=x.key) for x in LESSONS],
                id="lessons",
            )
            with ScrollArea(id="lesson-details"):
                yield Static(id="lesson-text")
                yield Static(id="lesson-problem")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = (
            f"Lessons · {len(self.done & {x.key for x in LESSONS})} of {len(LESSONS)} done"
        )
        listing = self.query_one("#lessons", OptionList)
        listing.highlighted = 0
        listing.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start":
            return lesson_problem(self.wizard.session) is None
        if action == "stop":
            run = self.wizard.session.lesson
            return run is not None and run.armed
        return True

    @property
    def chosen(self) -> Lesson:
        index = self.query_one("#lessons", OptionList).highlighted or 0
        return LESSONS[index]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        lesson = self.chosen
        changes = settings_changes(self.wizard.session.state, lesson)
        problem = lesson_problem(self.wizard.session)
        self.query_one("#lesson-text", Static).update(
            lesson_details(lesson, lesson.key in self.done, changes, problem)
        )
        self.say("")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_start()

    def say(self, text: str) -> None:
        """A line under the lesson: why it cannot start, or how its setup went."""
        problem = self.query_one("#lesson-problem", Static)
        problem.update(Content(text))
        problem.display = bool(text)

    def action_start(self) -> None:
        if any(not w.is_finished for w in self.workers if w.group == "lesson"):
            return
        if lesson_problem(self.wizard.session):
            return  # the lesson's text says why (a click on the list comes here too)
        self.say("Setting the lesson up…")
        self.start(self.chosen)

    @work(exclusive=True, group="lesson", description="set a lesson up")
    async def start(self, lesson: Lesson) -> None:
        try:
            await set_up(self.wizard.session, lesson)
        except DanceError as err:
            message = f"The setup failed: {err.message}"
            self.say(message)
            self.wizard.notify(message, title=err.title, severity="error", markup=False)
            return
        self.post_message(GoTo(lesson.step))

    def action_stop(self) -> None:
        """Stop the lesson; its step, shown again, prepares its request anew (see
        ``StepScreen.on_screen_resume``)."""
        try:
            said = stop(self.wizard.session)
        except DanceError as err:
            said = f"Stopped, but no new attempt could start: {err.message}"
        self.refresh_bindings()
        self.say(said)
