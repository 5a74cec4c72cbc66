"""The step sidebar: where you are in the dance, and how long the token lives."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.state import DanceState
from tui.core.steps import STEPS, Step, available, done


def step_marks(current: Step, state: DanceState) -> tuple[str, ...]:
    """Each step's mark: done (✓), current (▶), open (·) or not yet (blank)."""
    marks = []
    for info in STEPS:
        mark = "▶" if info.step is current else "✓" if done(info.step, state) else "·"
        marks.append(mark if available(info.step, state) else " ")
    return tuple(marks)


def step_options(current: Step, marks: tuple[str, ...]) -> list[Option]:
    """The steps as options, marked; a step not open yet is disabled."""
    options = []
    for info, mark in zip(STEPS, marks, strict=True):
        prompt = Content.assemble(
            (f"{mark} ", "bold $success" if mark == "✓" else "bold"),
            (f"{info.key} {info.title}", "bold" if info.step is current else ""),
            (f"\n    step {info.dance}", "dim"),
        )
        options.append(Option(prompt, id=info.step.value, disabled=mark == " "))
    return options


class StepList(OptionList):
    """The five steps; Enter opens the highlighted one, if its inputs exist."""

    class Chosen(Message):
        def __init__(self, step: Step) -> None:
            super().__init__()
            self.step = step

    def __init__(self, current: Step, state: DanceState) -> None:
        self.marks = step_marks(current, state)
        super().__init__(*step_options(current, self.marks), id="steps")
        self.current = current

    def on_mount(self) -> None:
        self.highlighted = [info.step for info in STEPS].index(self.current)

    def show_state(self, state: DanceState) -> None:
        """Redraw the steps if their marks changed, keeping the highlight where it was.

        Setting the options lays the screen out again: not for nothing, after
        every request.
        """
        marks = step_marks(self.current, state)
        if marks == self.marks:
            return
        self.marks = marks
        highlighted = self.highlighted
        self.set_options(step_options(self.current, marks))
        self.highlighted = highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(Step(event.option.id)))


def countdown(expires: datetime | None, now: datetime) -> str:
    """ "59:12 left", "expired 0:05 ago", or "no token"."""
    if expires is None:
        return "no expiry known"
    seconds = int((expires - now).total_seconds())
    span = abs(seconds)
    hours, rest = divmod(span, 3600)
    text = f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
    return f"{text} left" if seconds > 0 else f"expired {text} ago"


class StepSidebar(Vertical):
    """Steps, the provider's name and the access token's countdown."""

    DEFAULT_CSS = """
    StepSidebar {
        width: 22;
        height: 1fr;
        border-right: tall $panel;
        StepList { height: auto; max-height: 1fr; border: none; padding: 0; background: $surface; }
        #provider { color: $text-muted; padding: 0 1; }
        #expiry { padding: 0 1; margin-top: 1; }
        #expiry.-expired { color: $error; }
        #expiry.-fresh { color: $success; }
    }
    """

    def __init__(
        self, current: Step, provider_title: str, state: DanceState, now: datetime
    ) -> None:
        super().__init__()
        self.current = current
        self._provider_title = provider_title
        self._state = state
        self._now = now
        self._shown = ""
        """The countdown text on screen: redrawn only when it changes (slow links)."""

    def compose(self) -> ComposeResult:
        # Composed with what it shows: filled in after mount, it would be laid out twice.
        text, state_class = expiry(self._state, self._now)
        self._shown = text
        yield Static(Content(self._provider_title), id="provider")
        yield StepList(self.current, self._state)
        yield Static(Content(text), id="expiry", classes=state_class)

    def show_state(self, provider_title: str, state: DanceState, now: datetime) -> None:
        """Update everything the sidebar shows from the session's state."""
        if provider_title != self._provider_title:
            self._provider_title = provider_title
            self.query_one("#provider", Static).update(Content(provider_title))
        self.query_one(StepList).show_state(state)
        self.tick(state, now)

    def tick(self, state: DanceState, now: datetime) -> None:
        """Update the countdown; called every second."""
        label = self.query_one("#expiry", Static)
        text, state_class = expiry(state, now)
        if text != self._shown:
            self._shown = text
            label.update(Content(text), layout=False)
        label.set_class(state_class == "-expired", "-expired")
        label.set_class(state_class == "-fresh", "-fresh")


def expiry(state: DanceState, now: datetime) -> tuple[str, str]:
    """The access token's countdown, and its class: ``-fresh``, ``-expired``, or none."""
    if not state.token:
        return "No access token yet.", ""
    left = state.seconds_left(now)
    text = f"Access token\n{countdown(state.expires, now)}"
    if left is None:
        return text, ""
    return text, "-expired" if left <= 0 else "-fresh"
