"""The step sidebar: where you are in the dance, and how long the token lives.

It looks and behaves like the composite it replaced (a Static for the
provider, Textual's OptionList for the steps, a Static for the countdown),
but is one widget: every step screen has one, and each widget of a screen is
styled and laid out at every screen switch. The steps are drawn as the
option list draws its options, with its component styles; keys and the mouse
work as on an option list.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Spacing
from textual.message import Message
from textual.strip import Strip
from textual.visual import Padding, Visual
from textual.widget import Widget

from tui.core.state import DanceState
from tui.core.steps import STEPS, Step, available, done

PROVIDER, OPTION, HIGHLIGHTED, HOVER, DISABLED = (
    "step-sidebar--provider",
    "step-sidebar--option",
    "step-sidebar--option-highlighted",
    "step-sidebar--option-hover",
    "step-sidebar--option-disabled",
)
EXPIRY = {
    "": "step-sidebar--expiry",
    "-expired": "step-sidebar--expired",
    "-fresh": "step-sidebar--fresh",
}
SIDE_PADDING = Spacing(0, 1, 0, 1)
"""The provider's and the countdown's padding: a cell each side."""


def step_marks(current: Step, state: DanceState) -> tuple[str, ...]:
    """Each step's mark: done (✓), current (▶), open (·) or not yet (blank)."""
    marks = []
    for info in STEPS:
        mark = "▶" if info.step is current else "✓" if done(info.step, state) else "·"
        marks.append(mark if available(info.step, state) else " ")
    return tuple(marks)


def step_prompts(current: Step, marks: tuple[str, ...]) -> list[Content]:
    """Each step as two lines: its mark, key and title; the dance steps it covers."""
    return [
        Content.assemble(
            (f"{mark} ", "bold $success" if mark == "✓" else "bold"),
            (f"{info.key} {info.title}", "bold" if info.step is current else ""),
            (f"\n    step {info.dance}", "dim"),
        )
        for info, mark in zip(STEPS, marks, strict=True)
    ]


def countdown(expires: datetime | None, now: datetime) -> str:
    """ "59:12 left", "expired 0:05 ago", or "no token"."""
    if expires is None:
        return "no expiry known"
    seconds = int((expires - now).total_seconds())
    span = abs(seconds)
    hours, rest = divmod(span, 3600)
    text = f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
    return f"{text} left" if seconds > 0 else f"expired {text} ago"


def expiry(state: DanceState, now: datetime) -> tuple[str, str]:
    """The access token's countdown, and its class: ``-fresh``, ``-expired``, or none."""
    if not state.token:
        return "No access token yet.", ""
    left = state.seconds_left(now)
    text = f"Access token\n{countdown(state.expires, now)}"
    if left is None:
        return text, ""
    return text, "-expired" if left <= 0 else "-fresh"


class Block(NamedTuple):
    """Some lines of the sidebar: where they start, and how many."""

    y: int
    height: int


class StepSidebar(Widget, can_focus=True):
    """Steps, the provider's name and the access token's countdown.

    Up and down move the highlight over the open steps, Enter (or a click)
    opens the highlighted one, unless it is the step shown: a ``Chosen`` message.
    """

    ALLOW_SELECT = False
    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False, tooltip="The open step above"),
        Binding("down", "cursor(1)", "Down", show=False, tooltip="The open step below"),
        Binding("home,pageup", "cursor_end(-1)", "First", show=False, tooltip="Credentials"),
        Binding("end,pagedown", "cursor_end(1)", "Last", show=False, tooltip="The last open step"),
        Binding("enter", "choose", "Open", show=False, tooltip="Open the highlighted step"),
    ]
    COMPONENT_CLASSES = {PROVIDER, OPTION, HIGHLIGHTED, HOVER, DISABLED, *EXPIRY.values()}
    # The option styles are Textual's OptionList's (over its $surface background);
    # the provider and the countdown were Statics with a cell of padding each side.
    DEFAULT_CSS = """
    StepSidebar {
        width: 22;
        height: 1fr;
        border-right: tall $panel;
        & > .step-sidebar--provider { color: $text-muted; }
        & > .step-sidebar--option { background: $surface; color: $foreground; }
        & > .step-sidebar--option-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .step-sidebar--option-hover { background: $block-hover-background; }
        & > .step-sidebar--option-disabled { color: $text-disabled; }
        & > .step-sidebar--expired { color: $error; }
        & > .step-sidebar--fresh { color: $success; }
        &:focus {
            & > .step-sidebar--option { background-tint: $foreground 5%; }
            & > .step-sidebar--option-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    class Chosen(Message):
        """The user asked to open ``step``."""

        def __init__(self, step: Step) -> None:
            super().__init__()
            self.step = step

    def __init__(
        self, current: Step, provider_title: str, state: DanceState, now: datetime
    ) -> None:
        super().__init__()
        self.current = current
        self.provider_title = provider_title
        self.marks = step_marks(current, state)
        self.expiry = expiry(state, now)
        self.highlighted = [info.step for info in STEPS].index(current)
        self.hovered: int | None = None
        self._lines: list[Strip] = []

    def enabled(self, index: int) -> bool:
        return self.marks[index] != " "

    # Layout: the provider, the steps, a blank line, the countdown.

    def _text_block(self, text: str, component: str) -> list[Strip]:
        visual: Visual = Padding(Content(text), SIDE_PADDING)
        style = self.get_visual_style(component)
        return visual.to_strips(self, visual, self.size.width, None, style, pad=True)

    def _provider_lines(self) -> list[Strip]:
        return self._text_block(self.provider_title, PROVIDER)

    def _step_height(self) -> int:
        """Lines per step: two, or one (the dance steps left out) if the sidebar is too short."""
        needed = len(self._provider_lines()) + 2 * len(STEPS) + 1 + len(self._expiry_lines())
        return 2 if needed <= self.size.height else 1

    def _step_lines(self) -> list[Strip]:
        width, height = self.size.width, self._step_height()
        lines: list[Strip] = []
        for index, prompt in enumerate(step_prompts(self.current, self.marks)):
            states = (
                (DISABLED,)
                if not self.enabled(index)
                else (HIGHLIGHTED,)
                if index == self.highlighted
                else (HOVER,)
                if index == self.hovered
                else ()
            )
            style = self.get_visual_style(OPTION, *states)
            strips = prompt.to_strips(self, prompt, width, None, style)[:height]
            lines += [strip.extend_cell_length(width, style.rich_style) for strip in strips]
        return lines

    def _expiry_lines(self) -> list[Strip]:
        text, state_class = self.expiry
        return self._text_block(text, EXPIRY[state_class])

    def _steps_block(self) -> Block:
        """Where the steps are drawn: below the provider."""
        return Block(len(self._provider_lines()), self._step_height() * len(STEPS))

    def render_lines(self, crop: Region) -> list[Strip]:
        # Drawn whole, then handed to Textual line by line (it adds the border).
        blank = Strip([Segment(" " * self.size.width, self.get_visual_style().rich_style)])
        self._lines = [
            *self._provider_lines(),
            *self._step_lines(),
            blank,
            *self._expiry_lines(),
        ]
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        if y < len(self._lines):
            return self._lines[y]
        return Strip.blank(self.size.width, self.get_visual_style().rich_style)

    def step_at(self, y: int) -> int | None:
        """The index of the step drawn on line ``y``."""
        steps = self._steps_block()
        if steps.y <= y < steps.y + steps.height:
            return (y - steps.y) // self._step_height()
        return None

    def _refresh_steps(self) -> None:
        steps = self._steps_block()
        self.refresh(Region(0, steps.y, self.size.width, steps.height))

    # Keys and the mouse, as on an option list.

    def action_cursor(self, direction: int) -> None:
        """Highlight the next open step up or down, wrapping around."""
        count = len(STEPS)
        for step in range(1, count + 1):
            index = (self.highlighted + direction * step) % count
            if self.enabled(index):
                self._highlight(index)
                return

    def action_cursor_end(self, direction: int) -> None:
        """Highlight the first (or last) open step."""
        indexes = range(len(STEPS)) if direction < 0 else reversed(range(len(STEPS)))
        self._highlight(next(index for index in indexes if self.enabled(index)))

    def action_choose(self) -> None:
        """Open the highlighted step; the step shown stays as it is (its edits kept)."""
        step = STEPS[self.highlighted].step
        if self.enabled(self.highlighted) and step is not self.current:
            self.post_message(self.Chosen(step))

    def _highlight(self, index: int) -> None:
        if index != self.highlighted:
            self.highlighted = index
            self._refresh_steps()

    def on_click(self, event: events.Click) -> None:
        index = self.step_at(event.y)
        if index is not None and self.enabled(index):
            self._highlight(index)
            self.action_choose()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self.step_at(event.y)
        if index != self.hovered:
            self.hovered = index
            self._refresh_steps()

    def on_leave(self) -> None:
        if self.hovered is not None:
            self.hovered = None
            self._refresh_steps()

    # The session's state.

    def show_state(self, provider_title: str, state: DanceState, now: datetime) -> None:
        """Update everything the sidebar shows from the session's state, redrawing
        only what changed (a countdown's second is a few cells on a slow link)."""
        marks = step_marks(self.current, state)
        if (provider_title, marks) != (self.provider_title, self.marks):
            self.provider_title, self.marks = provider_title, marks
            self.refresh()
        self.tick(state, now)

    def tick(self, state: DanceState, now: datetime) -> None:
        """Update the countdown; called every second."""
        shown = expiry(state, now)
        if shown != self.expiry:
            self.expiry = shown
            self.refresh()  # the terminal gets only the cells that changed
