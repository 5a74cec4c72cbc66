"""The countdown after a 429 or 503 with Retry-After: how long sending is held."""

from __future__ import annotations

import math
from collections.abc import Callable

from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static


def countdown_content(status: str, left: float) -> Content:
    """The line shown while held, or once the wait is over (``left`` <= 0)."""
    if left <= 0:
        return Content.assemble(
            ("The wait is over. ", "bold $success"),
            "Nothing was retried by itself: press s for a fresh request, then s to send it.",
        )
    seconds = math.ceil(left)
    clock = f"{seconds // 60}:{seconds % 60:02d}"
    return Content.assemble(
        (f"{status}: wait {clock}", "bold $warning"),
        " (Retry-After). Sending to this endpoint is refused until then; "
        "nothing is retried by itself.",
    )


class RetryCountdown(Static):
    """Hidden until a server asks to wait; then counts down once a second, and stops."""

    DEFAULT_CSS = """
    RetryCountdown {
        display: none;
        height: auto;
        &.-shown { display: block; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._status = ""
        self._remaining: Callable[[], float] = lambda: 0.0
        self._timer: Timer | None = None

    def start(self, status: str, remaining: Callable[[], float]) -> None:
        """Show the wait that ``remaining`` reports (seconds left), e.g. ``"429 Too Many…"``."""
        self._status = status
        self._remaining = remaining
        self.add_class("-shown")
        self.update_countdown()
        if self._timer is None:
            self._timer = self.set_interval(1.0, self.update_countdown)

    def hide(self) -> None:
        self._stop_timer()
        self.remove_class("-shown")

    def update_countdown(self) -> None:
        """Redraw; once the wait is over, say so and stop ticking (no retry is made)."""
        left = self._remaining()
        self.update(countdown_content(self._status, left))
        if left <= 0:
            self._stop_timer()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
