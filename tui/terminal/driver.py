"""Textual's Linux driver, writing only the cells that changed (see `tui.terminal.screen_diff`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from textual.drivers.linux_driver import LinuxDriver

from tui.terminal.screen_diff import ScreenDiff

if TYPE_CHECKING:
    from textual.app import App


class DiffingOutput:
    """The file Textual's writer thread writes to.

    Each write goes into the model; each flush sends what changed. The
    writer thread flushes when it has nothing more queued, so frames that
    queue up behind a slow terminal are merged and only the last state of
    each cell is sent.
    """

    def __init__(self, file: TextIO, size: Callable[[], tuple[int, int]]) -> None:
        self._file = file
        self._size = size
        self._diff: ScreenDiff | None = ScreenDiff(*size())
        """None once the model failed: from then on Textual's output goes out as it is."""

    def write(self, text: str) -> None:
        if self._diff is not None:
            try:
                self._diff.resize(*self._size())
                self._diff.feed(text)
                return
            except Exception:
                # An error here would end Textual's writer thread, and the app
                # would freeze once its queue is full. Carry on without the
                # model (ctrl+l repaints whatever was not sent).
                self._diff = None
        self._file.write(text)

    def flush(self) -> None:
        if self._diff is not None:
            try:
                self._file.write(self._diff.render())
            except Exception:
                self._diff = None
        self._file.flush()


class DiffingDriver(LinuxDriver):
    """The Linux driver, its output going through a `DiffingOutput`."""

    def __init__(self, app: App[Any], **options: Any) -> None:
        super().__init__(app, **options)
        file = self._file
        assert file is not None, "no terminal to write to"
        # The writer thread Textual starts on this attribute only writes and flushes.
        self._file = DiffingOutput(file, self._get_terminal_size)  # type: ignore[assignment]
