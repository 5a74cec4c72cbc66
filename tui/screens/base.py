"""What every step screen shares: the sidebar, the explanation panel, the chrome."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input

from tui.core.errors import DanceError
from tui.core.steps import BY_STEP, Step
from tui.core.store import StoreError
from tui.widgets.error_panel import ErrorPanel
from tui.widgets.explain_panel import ExplainPanel
from tui.widgets.sidebar import StepSidebar

if TYPE_CHECKING:
    from tui.app import OAuthDanceApp
    from tui.core.session import Session


W = TypeVar("W", bound=Widget)

NARROW = 110
"""Below this width the explanation panel and the sidebar do not both fit."""


class StepScreen(Screen[None]):
    """A step of the dance. Subclasses fill the main column."""

    STEP: ClassVar[Step]

    @property
    def dance_app(self) -> OAuthDanceApp:
        from tui.app import OAuthDanceApp

        assert isinstance(self.app, OAuthDanceApp)
        return self.app

    @property
    def session(self) -> Session:
        return self.dance_app.session

    def compose(self) -> ComposeResult:
        # The subtitle is set, and the sidebar comes shown or hidden and filled in,
        # as they will be: changed after mount, the screen (the header at least)
        # would be drawn again, after a first frame without them. The error and
        # explanation panels are mounted when first shown: every widget composed
        # costs each screen switch its styling and layout, shown or not.
        session = self.session
        self.sub_title = f"{BY_STEP[self.STEP].title} · {session.provider.title}"
        sidebar = StepSidebar(self.STEP, session.provider.title, session.state, session.clock())
        explain, sidebar.display = self.panels_shown(self.app.size.width)
        yield Header()
        with Horizontal(id="body"):
            yield sidebar
            with Vertical(id="main"):
                yield from self.compose_step()
            if explain:
                yield ExplainPanel(BY_STEP[self.STEP])
        yield Footer(compact=True)

    def compose_step(self) -> ComposeResult:
        """The step's own widgets."""
        yield from ()

    def unsaved_edits(self) -> bool:
        """Whether leaving the step now would lose edits (then the user is asked)."""
        return False

    def save_settings(self) -> bool:
        """Save those edits; False if they could not be (the step said why)."""
        return True

    def on_mount(self) -> None:
        self.steady_cursors()
        self.set_interval(1.0, self._tick)

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

    def panels_shown(self, width: int) -> tuple[bool, bool]:
        """Whether the explanation panel and the sidebar show, as the user chose; on a
        narrow terminal the explanation panel takes the sidebar's place rather than
        squeezing the step."""
        app = self.dance_app
        explain = app.explain_wanted()
        return explain, not app.sidebar_folded and not (explain and width < NARROW)

    def apply_panels(self) -> None:
        """Show or hide the side panels after a toggle or a resize."""
        explain, sidebar = self.panels_shown(self.size.width)
        panels = self.query(ExplainPanel)
        if panels:
            panels.first().display = explain
        elif explain:
            self.query_one("#body").mount(ExplainPanel(BY_STEP[self.STEP]))
        self.query_one(StepSidebar).display = sidebar

    def on_resize(self) -> None:
        self.apply_panels()

    def refresh_sidebar(self) -> None:
        """Redraw the step list and countdown from the session."""
        self.query_one(StepSidebar).show_state(
            self.session.provider.title, self.session.state, self.session.clock()
        )

    def _tick(self) -> None:
        self.query_one(StepSidebar).tick(self.session.state, self.session.clock())

    def on_step_sidebar_chosen(self, event: StepSidebar.Chosen) -> None:
        self.dance_app.go(event.step)

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

    def error_panel(self) -> ErrorPanel:
        """The error panel, above the step."""
        return self.mounted_on_demand(ErrorPanel, "#main", lambda: ErrorPanel(id="error"))

    def show_error(self, error: DanceError | None, *, toast: bool = True) -> None:
        """Explain ``error`` in the panel (None hides it), with a toast summary."""
        if error is not None or self.query(ErrorPanel):
            self.error_panel().show_error(error)
        if error is not None and toast:
            self.notify(error.message, title=error.title, severity="error", markup=False)

    def action_save(self) -> None:
        """Save again (after a failed save); a toast says when it is written."""
        self.dance_app.confirm_next_save()
        self.session.save()

    def save_worked(self) -> None:
        """A save in the background worked (a failed one's message may go)."""

    def save_failed(self, error: StoreError) -> None:
        """Tell the user a save failed; the state stays in memory."""
        self.notify(
            f"{error} Press ctrl+s to try again.",
            title="Not saved",
            severity="error",
            timeout=10,
            markup=False,
        )
