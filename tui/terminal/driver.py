"""Textual's Linux driver, sending only the cells that changed (see `tui.terminal.screen_diff`).

Built on the driver's public surface: Textual hands a driver every frame (and
every other sequence) through `write`, and calls `flush` once a frame is
complete. `DiffingDriver` feeds what is written to a `ScreenDiff`, and a
thread of its own sends what the terminal needs.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sys
import threading
import time
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from textual.drivers.linux_driver import LinuxDriver

from tui.terminal.screen_diff import ScreenDiff

if TYPE_CHECKING:
    from textual.app import App

OFF_VARIABLE = "OAUTH_DANCE_PLAIN_OUTPUT"
"""Set (to anything but empty or 0), the wizard uses Textual's own driver, sending every frame as
Textual renders it."""

FRAME_BUDGET = 0.05
"""Seconds the model may spend on one frame. Past that for `SLOW_FRAMES` frames in a row it
slows the app down more than it saves: the output goes out as Textual writes it."""

SLOW_FRAMES = 3

NOTICE = (
    "The wizard's screen model {reason}: the terminal now gets every frame as "
    "Textual renders it, which only costs more bytes."
)


def wanted() -> bool:
    """Whether the diffing driver should be used (`OFF_VARIABLE` turns it off)."""
    return os.environ.get(OFF_VARIABLE, "") in ("", "0")


class SuspendingDriver(LinuxDriver):
    """Textual's Linux driver, resuming only what was suspended.

    Textual's driver starts its application mode again at every SIGCONT. One that
    follows no suspension (``timeout`` sends one after its SIGTERM, and anyone may
    send one) started a second set of threads, one of which the exit then waited on
    for ever. Here a SIGCONT resumes the app only after a suspension (ctrl+z, or
    ``App.suspend``).
    """

    def __init__(self, app: App[Any], **options: Any) -> None:
        super().__init__(app, **options)
        self.suspended = False

    def suspend_application_mode(self) -> None:
        self.suspended = True
        super().suspend_application_mode()

    def resume_application_mode(self) -> None:
        if self.suspended:
            self.suspended = False
            super().resume_application_mode()


class DiffingDriver(SuspendingDriver):
    """The Linux driver, its output going through a `ScreenDiff`.

    Writes feed the model; an output thread renders it and writes to the
    terminal. While the terminal is slower than the app, frames pile up in
    the model, not in a queue: only the last state of each cell is sent.
    Anything that draws no cell (a bell, the clipboard, a mode) is sent at
    once, in order. A resize makes the model assume nothing about what the
    terminal shows, and a frame that paints the whole screen is sent whole,
    as Textual's own driver sends it.

    When the model fails, or is too slow for `SLOW_FRAMES` frames in a row,
    it turns itself off for good, with a notice, and the output goes out as
    Textual writes it.
    """

    def __init__(self, app: App[Any], **options: Any) -> None:
        super().__init__(app, **options)
        self.owner = app
        self.loop = asyncio.get_running_loop()
        self.terminal: TextIO = sys.__stderr__ or sys.stderr
        """Where Textual's Linux driver writes too."""
        self.model: ScreenDiff | None = ScreenDiff(*shutil.get_terminal_size())
        """None once the model was turned off."""
        self.raw: list[str] = []
        """Output to send as it is (once the model is off)."""
        self.resized = False
        """A SIGWINCH came since the model last learnt the terminal's size."""
        self.slow_frames = 0
        self.model_time = 0.0
        """The model's seconds on the frame being written."""
        self.lock = threading.Lock()
        """Held while the model is fed or rendered (Textual writes from two threads)."""
        self.ready = threading.Condition(self.lock)
        self.waiting = False
        """Something is ready to be sent."""
        self.stopping = False
        self.output: threading.Thread | None = None

    def start_application_mode(self) -> None:
        self.start_output()
        super().start_application_mode()  # type: ignore[no-untyped-call]
        stock = signal.getsignal(signal.SIGWINCH)
        if callable(stock):

            def on_resize(signum: int, frame: FrameType | None) -> None:
                self.resized = True
                stock(signum, frame)

            signal.signal(signal.SIGWINCH, on_resize)

    def start_output(self) -> None:
        """Start the output thread (`close` stops it)."""
        self.stopping = False
        self.output = threading.Thread(target=self.send, name="oauth-dance-output", daemon=True)
        self.output.start()

    def write(self, data: str) -> None:
        with self.lock:
            model = self.model
            if model is None:
                self.raw.append(data)
                self.wake()
                return
            started = time.perf_counter()
            try:
                if self.resized:
                    self.resized = False
                    model.resize(*shutil.get_terminal_size(), always=True)
                model.feed(data)
            except Exception as error:
                self.turn_off(f"failed ({type(error).__name__})", data)
                return
            self.model_time += time.perf_counter() - started
            if not model.drawing:
                self.wake()

    def flush(self) -> None:
        with self.lock:
            self.wake()

    def close(self) -> None:
        """Send what is left, stop the output thread, then Textual's own."""
        with self.lock:
            self.stopping = True
            self.wake()
        if self.output is not None:
            self.output.join()
            self.output = None
        super().close()

    def wake(self) -> None:
        """Let the output thread send what is ready (the lock is held)."""
        self.waiting = True
        self.ready.notify()

    def send(self) -> None:
        """The output thread: render what the app wrote, send it, until stopped."""
        while True:
            with self.lock:
                while not (self.waiting or self.stopping):
                    self.ready.wait()
                self.waiting = False
                output = self.take()
                stop = self.stopping
            if output:
                # A terminal gone (hung up) takes nothing more; the app learns it from its input.
                with contextlib.suppress(OSError, ValueError):
                    self.terminal.write(output)
                    self.terminal.flush()
            if stop:
                return

    def take(self) -> str:
        """What to send now (the lock is held)."""
        model = self.model
        if model is not None:
            started = time.perf_counter()
            try:
                self.raw.append(model.render())
            except Exception as error:
                self.turn_off(f"failed ({type(error).__name__})", "")
            else:
                spent = self.model_time + time.perf_counter() - started
                self.model_time = 0.0
                self.slow_frames = self.slow_frames + 1 if spent > FRAME_BUDGET else 0
                if self.slow_frames >= SLOW_FRAMES:
                    self.turn_off(f"took over {FRAME_BUDGET * 1000:.0f} ms a frame", "")
        output = "".join(self.raw)
        self.raw.clear()
        return output

    def turn_off(self, reason: str, data: str) -> None:
        """Send Textual's output as it is from now on, from a whole repaint (the lock is held)."""
        self.model = None
        self.raw.append(data)
        self.wake()
        app = self.owner

        def tell() -> None:
            app.refresh()
            app.notify(NOTICE.format(reason=reason), title="Terminal output", markup=False)

        with contextlib.suppress(RuntimeError):  # the app has already ended
            self.loop.call_soon_threadsafe(tell)
