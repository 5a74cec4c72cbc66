"""What every step screen shares: the sidebar, the explanation panel, the chrome."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Input

from tui.core.errors import DanceError
from tui.core.steps import Step, StepInfo, flow_words, step_info
from tui.core.store_errors import StoreError
from tui.screens.wizard import GoTo
from tui.widgets.key_footer import KeyFooter
from tui.widgets.lesson_panel import LessonPanel
from tui.widgets.sidebar import StepSidebar

if TYPE_CHECKING:
    from tui.core.lesson_setup import LessonRun
    from tui.core.session import Session
    from tui.screens.wizard import Wizard
    from tui.widgets.error_panel import ErrorPanel


W = TypeVar("W", bound=Widget)

NARROW = 110
"""Below this width the explanation panel and the sidebar do not both fit."""


class StepScreen(Screen[None]):
    """A step of the dance. Subclasses fill the main column."""

    STEP: ClassVar[Step]
    FLOW: ClassVar[bool | None] = None
    """True: the device flow's screen for its step; False: the code flow's; None: either's."""

    def __init__(self, wizard: Wizard) -> None:
        super().__init__()
        self.wizard = wizard

    unsaved_shown = False

    emptied = False
    """Left for good at the bottom of the screen stack, its widgets removed (see
    ``OAuthDanceApp.get_default_screen``): Textual still resizes it."""

    lesson_shown: LessonRun | None = None
    """The lesson the step last showed (see ``show_lesson``): its request was made
    under it."""

    step_sidebar: StepSidebar | None = None
    """The sidebar composed: the tick updates it each second without a query (a walk
    of the whole screen)."""
    """The error panel says that the last save failed (until a save works)."""

    @property
    def session(self) -> Session:
        return self.wizard.session

    @property
    def info(self) -> StepInfo:
        """The step's titles and texts, as the session's flow has them."""
        return step_info(self.STEP, self.session.state)

    def key_label(self, text: str) -> str:
        """A key's label or tooltip with the step names of the session's flow (the
        footer and the key list show them so)."""
        return flow_words(text, self.session.state)

    def compose(self) -> ComposeResult:
        # The subtitle is set, and the sidebar comes shown or hidden and filled in,
        # as they will be: changed after mount, the screen (the header at least)
        # would be drawn again, after a first frame without them. The error and
        # explanation panels are mounted when first shown: every widget composed
        # costs each screen switch its styling and layout, shown or not.
        session = self.session
        self.sub_title = f"{self.info.title} · {session.provider.title}"
        sidebar = StepSidebar(
            self.STEP,
            session.provider.title,
            session.state,
            session.clock(),
            dead=session.tokens_dead(),
        )
        self.step_sidebar = sidebar
        explain, sidebar.display = self.panels_shown(self.app.size.width)
        yield Header()
        with Horizontal(id="body"):
            yield sidebar
            with Vertical(id="main"):
                yield from self.compose_step()
            if explain:
                yield self._explain_panel()
        yield KeyFooter()

    def _explain_panel(self) -> Widget:
        # Imported when first shown: a narrow terminal's first frame has none.
        from tui.widgets.explain_panel import ExplainPanel

        return ExplainPanel(self.info)

    def compose_step(self) -> ComposeResult:
        """The step's own widgets."""
        yield from ()

    def unsaved_edits(self) -> bool:
        """Whether leaving the step now would lose edits (then the user is asked)."""
        return False

    def save_settings(self) -> bool:
        """Save those edits; False if they could not be (the step said why)."""
        return True

    def stayed(self) -> None:
        """Asked about its unsaved edits, the user chose to stay (or saving failed)."""

    def on_mount(self) -> None:
        self.steady_cursors()
        self._ticker = self.set_interval(1.0, self.tick)
        self.show_lesson(arriving=True)

    def leave(self) -> None:
        """The wizard goes to another step (or opens this one again): stop what runs.

        The screen is kept, to return to (see ``revisit``); its requests and the
        Authorize listener stop as they did when it was removed.
        """
        self.workers.cancel_node(self)
        self._ticker.pause()

    def empty(self) -> None:
        """Never to be shown again, but kept on the stack: let its widgets go."""
        self.emptied = True
        self.remove_children()

    def revisit(self) -> None:
        """The wizard comes back to this kept screen: show the session as it is now,
        as a new screen would. Subclasses reset what their step shows."""
        self._ticker.resume()
        self.apply_panels(self.app.size.width)
        self.refresh_sidebar()
        self.show_lesson(arriving=True)

    def steady_cursors(self) -> None:
        """Stop the text fields' cursors blinking: each blink is a repaint, bytes on a
        slow SSH link. For the fields composed, and again for any mounted later."""
        for field in self.query(Input):
            field.cursor_blink = False

    def focus_now(self, widget: Widget) -> None:
        """Give ``widget`` the focus before the screen's first frame.

        For a step's first focus, with ``AUTO_FOCUS = ""``: ``Widget.focus`` waits
        until after that frame, by when Textual's auto focus has focused the step
        list, so the screen was restyled and drawn again. Nothing is laid out yet,
        so there is nothing to scroll into view.
        """
        self.set_focus(widget, scroll_visible=False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A toast about this step: leaving the step takes it away."""
        self.wizard.notify(
            message, title=title, severity=severity, timeout=timeout, markup=markup, screen=self
        )

    def on_screen_suspend(self) -> None:
        self.wizard.dismiss_toasts(self, leaving=True)

    def on_screen_resume(self) -> None:
        """Back from a screen on top (the lessons, say): the lesson as it is now. A lesson
        stopped there that altered this step's prepared request, or offered a spent code
        to send (``Lesson.redone_when_stopped``): the step starts over as when opened
        again, its request the user's own."""
        run = self.lesson_shown
        if (
            run is not None
            and run.armed
            and self.session.lesson is None
            and run.lesson.step is self.STEP
            and run.lesson.redone_when_stopped
        ):
            self.leave()
            self.revisit()
            return
        self.show_lesson()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Keep what has the focus on screen. Textual scrolls to it at once, before a
        widget just shown (Approve, after ``g``) has its place: scroll after the layout."""
        event.widget.scroll_visible(animate=False)

    def panels_shown(self, width: int) -> tuple[bool, bool]:
        """Whether the explanation panel and the sidebar show, as the user chose; on a
        narrow terminal the explanation panel takes the sidebar's place rather than
        squeezing the step."""
        explain = self.wizard.explain_wanted()
        return explain, not self.wizard.sidebar_folded and not (explain and width < NARROW)

    def apply_panels(self, width: int | None = None) -> None:
        """Show or hide the side panels after a toggle or a resize (``width``: the
        terminal's, when this screen has not been told yet)."""
        explain, sidebar = self.panels_shown(self.size.width if width is None else width)
        panels = self.query("ExplainPanel")
        if panels:
            panels.first().display = explain
        elif explain:
            self.query_one("#body").mount(self._explain_panel())
        self.query_one(StepSidebar).display = sidebar
        # Toasts sit over the side panel (app.tcss): the sidebar's, else the explanation's.
        self.set_class(not sidebar, "-no-sidebar")

    def on_resize(self) -> None:
        if not self.emptied:
            self.apply_panels()

    def refresh_sidebar(self) -> None:
        """Redraw the step list and countdown from the session.

        A screen being composed or taken down (the app quitting) has no sidebar
        to redraw: nothing to do then.
        """
        for sidebar in self.query(StepSidebar):
            sidebar.show_state(
                self.session.provider.title,
                self.session.state,
                self.session.clock(),
                dead=self.session.tokens_dead(),
            )

    def tick(self) -> None:
        """Every second while the step is shown: the sidebar's countdown."""
        sidebar = self.step_sidebar
        if sidebar is not None and sidebar.is_attached:
            sidebar.tick(self.session.state, self.session.clock(), dead=self.session.tokens_dead())

    def on_step_sidebar_chosen(self, event: StepSidebar.Chosen) -> None:
        self.post_message(GoTo(event.step))

    def action_go(self, step: str) -> None:
        """Ask the App to open ``step`` (a ``Step`` value: actions take strings)."""
        self.post_message(GoTo(Step(step)))

    def mounted_on_demand(self, kind: type[W], into: str, make: Callable[[], W]) -> W:
        """The screen's widget of ``kind``, mounted first in ``into`` when first asked for.

        For what most steps never show (an error, a server's wait): composed
        hidden, it would be styled at every screen switch for nothing.
        """
        found = self.query(kind)
        if found:
            return found.first()
        widget = make()
        self.query_one(into).mount(widget, before=0)
        return widget

    def show_lesson(self, *, arriving: bool = False) -> None:
        """Show the break-it lesson under way, or the one just caught, above the step.

        Arriving on a step lets an ended lesson go: its explanation was shown where it
        was caught.
        """
        run = self.session.lesson
        if arriving and run is not None and not run.armed:
            self.session.end_lesson()
            run = None
        self.lesson_shown = run
        if run is None and not self.query(LessonPanel):
            return
        panel = self.mounted_on_demand(LessonPanel, "#main", lambda: LessonPanel(id="lesson"))
        panel.show_run(run)

    def error_panel(self) -> ErrorPanel:
        """The error panel, above the step (under the lesson panel, if one shows); its
        module imported when first shown."""
        from tui.widgets.error_panel import ErrorPanel

        found = self.query(ErrorPanel)
        if found:
            return found.first()
        panel, lesson = ErrorPanel(id="error"), self.query(LessonPanel)
        main = self.query_one("#main")
        if lesson:
            main.mount(panel, after=lesson.first())
        else:
            main.mount(panel, before=0)
        return panel

    def show_error(self, error: DanceError | None, *, toast: bool = True) -> None:
        """Explain ``error`` in the panel (None hides it), with a toast summary."""
        self.unsaved_shown = False
        if error is not None or self.query("ErrorPanel"):
            self.error_panel().show_error(error)
        if error is not None and toast:
            self.notify(error.message, title=error.title, severity="error", markup=False)

    def action_save(self) -> None:
        """Save again (after a failed save); a toast says when it is written."""
        self.wizard.confirm_next_save()
        self.session.save()

    def save_worked(self) -> None:
        """A save in the background worked: a failed one's message goes."""
        if self.unsaved_shown:
            self.unsaved_shown = False
            self.show_error(None)

    def save_failed(self, error: StoreError) -> None:
        """Tell the user a save failed, in the panel until a save works; the state
        stays in memory."""
        self.notify(
            f"{error} Press ctrl+s to try again.",
            title="Not saved",
            severity="error",
            timeout=10,
            markup=False,
        )
        self.error_panel().show_unsaved(error)
        self.unsaved_shown = True
