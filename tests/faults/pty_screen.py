"""What a person sees of an app in a pty: its output fed to a terminal emulator as it comes."""

from __future__ import annotations

import codecs
import time
from typing import Any

from tests.terminal.emulator import Terminal

PASTE_START, PASTE_END = b"\x1b[200~", b"\x1b[201~"
"""Bracketed paste, as a terminal sends a paste once the app turned it on."""


def pasted(text: str) -> bytes:
    return PASTE_START + text.encode() + PASTE_END


class Screen:
    """The screen of ``app`` (a ``pty_term.PtyApp``), kept up to date on demand."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.terminal = Terminal(app.columns, app.lines)
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.fed = 0

    def text(self) -> str:
        """The screen's rows, one per line, after all output read so far."""
        if len(self.app.output) > self.fed:
            self.terminal.feed(self.decoder.decode(bytes(self.app.output[self.fed :])))
            self.fed = len(self.app.output)
        return self.terminal.text()

    def wait_for(self, *texts: str, gone: str = "", timeout: float = 30.0) -> str:
        """Read output until every one of ``texts`` is on the screen at once, and ``gone``
        (if given) is not; return the screen.

        Raises:
            AssertionError: that did not happen within ``timeout`` seconds.
        """
        deadline = time.perf_counter() + timeout
        while True:
            shown = self.text()
            missing = [text for text in texts if text not in shown]
            if not missing and not (gone and gone in shown):
                return shown
            if time.perf_counter() > deadline:
                still = f" and {gone!r} still" if gone and gone in shown else ""
                raise AssertionError(f"{missing} not{still} on the screen:\n{shown}")
            self.app.pump(0.05)
