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
        self._diff = ScreenDiff(*size())

    def write(self, text: str) -> None:
        self._diff.resize(*self._size())
        self._diff.feed(text)

    def flush(self) -> None:
        if output := self._diff.render():
            self._file.write(output)
        self._file.flush()


class DiffingDriver(LinuxDriver):
    """The Linux driver, its output going through a `DiffingOutput`."""

    def __init__(self, app: App[Any], **options: Any) -> None:
        super().__init__(app, **options)
        file = self._file
        assert file is not None, "no terminal to write to"
        # The writer thread Textual starts on this attribute only writes and flushes.
        self._file = DiffingOutput(file, self._get_terminal_size)  # type: ignore[assignment]
