"""The lesson under way in a session: armed, caught, missed or let go, and the
tamper it applies to the session's requests and answers while it is armed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.errors import DanceError
    from tui.core.lesson_setup import LessonRun
    from tui.core.lessons import Tamper
    from tui.core.steps import Step


class LessonKeeping:
    """A session's break-it lesson (see :mod:`tui.core.lesson_setup`)."""

    lesson: LessonRun | None
    """The break-it lesson under way (its tamper applies while it is armed), or the
    one just ended, until the UI lets it go (:meth:`end_lesson`)."""
    on_lesson: Callable[[LessonRun], None] | None
    """Set by a UI: told when the lesson under way is caught or missed."""

    if TYPE_CHECKING:

        def note_grant_revoked(self, by: str) -> None: ...

    def lesson_armed_on(self, step: Step) -> bool:
        """A break-it lesson is under way on ``step``: its request is meant to be sent."""
        run = self.lesson
        return run is not None and run.armed and run.lesson.step is step

    def start_lesson(self, run: LessonRun) -> None:
        """Arm a lesson set up by :func:`tui.core.lesson_setup.set_up`: its tamper applies to
        the next requests and answers until its error comes back."""
        self.lesson = run

    def end_lesson(self) -> None:
        """Let the lesson go, under way or ended: nothing is altered any more."""
        self.lesson = None

    def lesson_saw(self, error: DanceError) -> None:
        """An error reached the user: if it is the one the lesson under way expects,
        the lesson is caught (and ``on_lesson`` told). One whose error means the
        provider revoked the grant (``revokes_grant``) marks the tokens held dead."""
        run = self.lesson
        if run is not None and run.armed and run.lesson.expected.matches(error):
            if run.lesson.revokes_grant:
                self.note_grant_revoked("the provider")
            self._lesson_ended(replace(run, caught=error))

    def _lesson_passed(self, step: Step) -> None:
        """The lesson's step worked instead of failing: the lesson is missed."""
        run = self.lesson
        if run is not None and run.armed and run.lesson.step is step:
            self._lesson_ended(replace(run, missed=True))

    def _lesson_ended(self, run: LessonRun) -> None:
        self.lesson = run
        if self.on_lesson is not None:
            self.on_lesson(run)

    def _tamper(self) -> Tamper | None:
        run = self.lesson
        return run.lesson.tamper if run is not None and run.armed else None
