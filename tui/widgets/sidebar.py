"""The step sidebar: where you are in the dance, and how long the token lives.

Textual's widgets: a Static for the provider, an OptionList for the steps
(the steps not open yet are its disabled options), a Static for the countdown.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.durations import DAY, span
from tui.core.state import DanceState
from tui.core.steps import STEPS, Step, StepInfo, available, done, step_info


def step_marks(current: Step, state: DanceState) -> tuple[str, ...]:
    """Each step's mark: current (▶), done (✓; kept, dimmed, when the step cannot be
    opened now, its token revoked), open (·) or not open (blank)."""
    marks = []
    for info in STEPS:
        mark = "▶" if info.step is current else "✓" if done(info.step, state) else "·"
        marks.append(mark if mark != "·" or available(info.step, state) else " ")
    return tuple(marks)


def steps_open(current: Step, state: DanceState) -> tuple[bool, ...]:
    """Whether each step can be opened now (the step shown can)."""
    return tuple(info.step is current or available(info.step, state) for info in STEPS)


def step_options(
    current: Step,
    marks: tuple[str, ...],
    opens: tuple[bool, ...],
    *,
    two_lines: bool,
    infos: tuple[StepInfo, ...] = STEPS,
) -> list[Option]:
    """Each step as an option: its mark, key and title; under them, if ``two_lines``,
    the dance steps it covers. A step that cannot be opened (``opens``) is disabled.
    ``infos``: the steps as the flow has them (the device flow's Device code and Poll)."""
    options = []
    for info, mark, can_open in zip(infos, marks, opens, strict=True):
        prompt = Content.assemble(
            (f"{mark} ", _mark_style(mark, can_open)),
            (f"{info.key} {info.title}", "bold" if info.step is current else ""),
            (f"\n    step {info.dance}" if two_lines else "", "dim"),
        )
        options.append(Option(prompt, id=info.step.value, disabled=not can_open))
    return options


def _mark_style(mark: str, can_open: bool) -> str:
    """A ✓ green where the step opens; dimmed, as the rest of its line, where it
    cannot (done, but its token revoked since)."""
    if mark == "✓":
        return "bold $success" if can_open else "dim"
    return "bold"


def flow_steps(state: DanceState) -> tuple[StepInfo, ...]:
    """The steps as the state's flow names them."""
    return tuple(step_info(info.step, state) for info in STEPS)


def countdown(expires: datetime | None, now: datetime) -> str:
    """ "59:12 left", "expired 0:05 ago", "3 days left", "expired 27 years ago",
    or "no expiry known": to the second under a day, in days or years beyond."""
    if expires is None:
        return "no expiry known"
    seconds = int((expires - now).total_seconds())
    far = abs(seconds)
    hours, rest = divmod(far, 3600)
    text = f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
    if far >= DAY:
        text = span(far)
    return f"{text} left" if seconds > 0 else f"expired {text} ago"


def expiry(
    state: DanceState, now: datetime, *, dead: str = "", refresh_dead: str = ""
) -> tuple[str, str]:
    """The access token's countdown, and its class: ``-fresh``, ``-expired``, or none.
    ``dead``: why the access token held no longer works ("revoked", "refused by the
    provider"), said instead of a time left (or of no expiry known), which the provider
    no longer honours. ``refresh_dead``: why the refresh token held no longer works,
    said too."""
    also = f"\nRefresh token {refresh_dead}" if refresh_dead else ""
    if not state.token:
        revoked = state.access_token_revoked
        return ("No access token (revoked)." if revoked else "No access token yet.") + also, ""
    left = state.seconds_left(now)
    if dead and (left is None or left > 0):
        if dead == refresh_dead:
            return f"Access and refresh tokens {dead}", "-expired"
        return f"Access token {dead}{also}", "-expired"
    text = f"Access token\n{countdown(state.expires, now)}{also}"
    if left is None:
        return text, ""
    return text, "-expired" if left <= 0 else "-fresh"


class StepList(OptionList):
    """The steps; keys and the mouse as on any option list, over the open steps."""

    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False, tooltip="The open step above"),
        Binding("down", "cursor_down", "Down", show=False, tooltip="The open step below"),
        Binding("home,pageup", "first", "First", show=False, tooltip="Credentials"),
        Binding("end,pagedown", "last", "Last", show=False, tooltip="The last open step"),
        Binding("enter", "select", "Open step", tooltip="Open the highlighted step"),
    ]


class StepSidebar(Vertical):
    """Steps, the provider's name and the access token's countdown.

    Enter on a step of the list (or a click) opens it, unless it is the step
    shown: a ``Chosen`` message. On a terminal too short for two lines a step,
    each step gets one.
    """

    DEFAULT_CSS = """
    StepSidebar {
        width: 22;
        height: 1fr;
        border-right: tall $panel;
        #provider { color: $text-muted; padding: 0 1; }
        StepList, StepList:focus {
            height: auto;
            max-height: 1fr;
            border: none;
            padding: 0;
            background: $surface;
        }
        #expiry { padding: 0 1; margin-top: 1; }
        #expiry.-expired { color: $error; }
        #expiry.-fresh { color: $success; }
    }
    """

    class Chosen(Message):
        """The user asked to open ``step``."""

        def __init__(self, step: Step) -> None:
            super().__init__()
            self.step = step

    def __init__(
        self,
        current: Step,
        provider_title: str,
        state: DanceState,
        now: datetime,
        *,
        dead: tuple[str, str] = ("", ""),
    ) -> None:
        super().__init__()
        self.current = current
        self.provider_title = provider_title
        self.marks = step_marks(current, state)
        self.opens = steps_open(current, state)
        self.infos = flow_steps(state)
        self.expiry = expiry(state, now, dead=dead[0], refresh_dead=dead[1])
        self.two_lines = True
        """Each step shows the dance steps it covers, on a second line."""

    def compose(self) -> ComposeResult:
        steps = StepList(*self._options(), id="steps")
        steps.highlighted = [info.step for info in STEPS].index(self.current)
        text, state_class = self.expiry
        yield Static(Content(self.provider_title), id="provider")
        yield steps
        yield Static(Content(text), id="expiry", classes=state_class)

    def _options(self) -> list[Option]:
        return step_options(
            self.current, self.marks, self.opens, two_lines=self.two_lines, infos=self.infos
        )

    def _set_options(self) -> None:
        for steps in self.query(StepList):
            highlighted = steps.highlighted
            steps.set_options(self._options())
            steps.highlighted = highlighted

    def on_resize(self) -> None:
        """Two lines a step if they fit between the provider and the countdown, else one."""
        provider, countdown_ = self.query_one("#provider"), self.query_one("#expiry")
        spare = self.content_size.height - provider.outer_size.height
        spare -= countdown_.outer_size.height + countdown_.styles.margin.top
        two_lines = spare >= 2 * len(STEPS)
        if two_lines != self.two_lines:
            self.two_lines = two_lines
            self._set_options()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the step chosen; the step shown stays as it is (its edits kept)."""
        event.stop()
        step = Step(str(event.option.id))
        if step is not self.current:
            self.post_message(self.Chosen(step))

    # The session's state.

    def show_state(
        self,
        provider_title: str,
        state: DanceState,
        now: datetime,
        *,
        dead: tuple[str, str] = ("", ""),
    ) -> None:
        """Update everything the sidebar shows from the session's state, changing
        only what changed (a countdown's second is a few cells on a slow link).
        ``dead``: why the access and the refresh token held no longer work (see
        :func:`expiry`)."""
        if provider_title != self.provider_title:
            self.provider_title = provider_title
            for provider in self.query("#provider").results(Static):
                provider.update(Content(provider_title))
        shown = step_marks(self.current, state), steps_open(self.current, state), flow_steps(state)
        if shown != (self.marks, self.opens, self.infos):
            self.marks, self.opens, self.infos = shown
            self._set_options()
        self.tick(state, now, dead=dead)

    def tick(self, state: DanceState, now: datetime, *, dead: tuple[str, str] = ("", "")) -> None:
        """Update the countdown; called every second.

        Before the sidebar has composed (a timer can fire between its creation and
        its compose) only the values change: compose shows them.
        """
        shown = expiry(state, now, dead=dead[0], refresh_dead=dead[1])
        if shown != self.expiry:
            self.expiry = text, state_class = shown
            for countdown_ in self.query("#expiry").results(Static):
                countdown_.update(Content(text))
                countdown_.set_classes(state_class)
