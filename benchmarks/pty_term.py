"""Run a terminal app in a real pseudo-terminal: read what it draws, type keys, reap it.

Textual writes its frames to stderr and reads keys from stdin, so the child
gets the pty's slave end as stdin, stdout and stderr, in a session of its own.
Nothing here parses the screen: markers are looked for in the output with the
escape sequences stripped, which is enough for text drawn in one run.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import resource
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

ESCAPES = re.compile(
    rb"\x1b(?:\[[0-9;:?<>=$ !]*[@-~]"  # CSI: SGR, cursor moves, modes, queries
    rb"|\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: title, clipboard, hyperlinks
    rb"|[P^_X][^\x1b]*\x1b\\"  # DCS and friends
    rb"|[()][0-9A-Za-z]|[=>78MDEc])"
)
"""Terminal escape sequences; what remains after removing them is the drawn text."""

CTRL_Q = b"\x11"
"""Textual's quit key (the driver turns off XON/XOFF, so ctrl+q and ctrl+s get through)."""


def visible(data: bytes) -> str:
    """The text in terminal output, escape sequences removed."""
    return ESCAPES.sub(b"", data).decode("utf-8", "replace")


class Timeout(Exception):
    """The expected text did not appear in time."""


@dataclass
class PtyApp:
    """A child process on a fresh pty of ``columns`` x ``lines``.

    Attributes:
        output: every byte the child wrote to the terminal so far.
        started: ``time.perf_counter()`` just before the child was spawned.
    """

    command: Sequence[str]
    env: Mapping[str, str] = field(default_factory=dict)
    columns: int = 80
    lines: int = 24
    output: bytearray = field(default_factory=bytearray)
    started: float = 0.0
    rusage: resource.struct_rusage | None = None
    returncode: int | None = None
    reads: list[tuple[float, int]] = field(default_factory=list)
    """(``time.perf_counter()``, bytes) of every read, to tell screen updates apart."""
    resizes: list[tuple[int, int, int]] = field(default_factory=list)
    """(bytes of output read by then, columns, lines) of every `resize`."""

    def __post_init__(self) -> None:
        self._master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.lines, self.columns, 0, 0))
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLUMNS": str(self.columns),
            "LINES": str(self.lines),
            **self.env,
        }
        # As on a user's machine: bytecode cached (the sandbox we run in may turn it
        # off), no Textual dev mode, no truecolor unless asked for.
        for name in ("PYTHONDONTWRITEBYTECODE", "TEXTUAL", "COLORTERM", "NO_COLOR"):
            if name not in self.env:
                env.pop(name, None)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(self.command),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        self.tty = os.ttyname(slave)
        """The terminal's device, for another program to write to."""
        os.close(slave)
        self._eof = False

    @property
    def pid(self) -> int:
        return self.process.pid

    def pump(self, timeout: float) -> int:
        """Read what the child wrote within ``timeout`` seconds; return the byte count."""
        if self._eof:
            time.sleep(max(timeout, 0))
            return 0
        ready, _, _ = select.select([self._master], [], [], max(timeout, 0))
        if not ready:
            return 0
        try:
            data = os.read(self._master, 1 << 16)
        except OSError:  # EIO: the child closed the terminal
            data = b""
        if not data:
            self._eof = True
            return 0
        self.output += data
        self.reads.append((time.perf_counter(), len(data)))
        return len(data)

    def wait_for(self, *texts: str, since: int = 0, timeout: float = 20.0) -> float:
        """Read until every one of ``texts`` showed in the output after byte ``since``.

        Returns:
            Seconds since the child was spawned.

        Raises:
            Timeout: some text did not appear within ``timeout`` seconds.
        """
        deadline = time.perf_counter() + timeout
        missing = set(texts)
        scanned = since
        seen = ""
        while True:
            now = time.perf_counter()
            if len(self.output) > scanned:
                # Re-scan a tail, so that text split across two reads is still found.
                seen = visible(bytes(self.output[max(since, scanned - 4096) :]))
                scanned = len(self.output)
                missing = {text for text in missing if text not in seen}
                if not missing:
                    return now - self.started
            if now >= deadline or self._eof:
                tail = seen[-400:].replace("\n", " ")
                raise Timeout(f"{sorted(missing)} not seen in {timeout:.0f} s; last text: {tail!r}")
            self.pump(min(0.05, deadline - now))

    def drain(self, seconds: float) -> int:
        """Keep reading for ``seconds``; return the bytes read meanwhile."""
        before = len(self.output)
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            self.pump(min(left, 0.05))
        return len(self.output) - before

    def bursts(self, since: float, gap: float = 0.005) -> list[int]:
        """Bytes of each burst of output read after ``since``: reads closer than ``gap``
        seconds make one burst, roughly one screen update."""
        sizes: list[int] = []
        last = -1.0
        for at, size in self.reads:
            if at < since:
                continue
            if sizes and at - last < gap:
                sizes[-1] += size
            else:
                sizes.append(size)
            last = at
        return sizes

    def resize(self, columns: int, lines: int) -> None:
        """Resize the terminal, as a person dragging its window's edge does.

        The child is told by SIGWINCH (it has no controlling terminal that
        would send it); output read after this was shown at the new size.
        """
        size = struct.pack("HHHH", lines, columns, 0, 0)
        fcntl.ioctl(self._master, termios.TIOCSWINSZ, size)
        self.resizes.append((len(self.output), columns, lines))
        self._signal(signal.SIGWINCH)

    def type(self, keys: bytes) -> None:
        """Send keys as a person's terminal would."""
        os.write(self._master, keys)

    def peak_rss_kb(self) -> int | None:
        """The peak resident set so far (VmHWM), while the child runs."""
        try:
            with open(f"/proc/{self.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def close(self, *, grace: float = 5.0) -> None:
        """Quit (ctrl+q), then SIGTERM, then SIGKILL; reap the child with os.wait4.

        ``rusage`` then holds the child's resource usage (``ru_maxrss`` in KB on Linux).
        """
        if self.returncode is None:
            for attempt in ("quit", "term", "kill"):
                if attempt == "quit" and not self._eof:
                    with contextlib.suppress(OSError):
                        self.type(CTRL_Q)
                elif attempt == "term":
                    self._signal(signal.SIGTERM)
                elif attempt == "kill":
                    self._signal(signal.SIGKILL)
                if self._reap(grace if attempt != "kill" else 30.0):
                    break
        os.close(self._master)

    def _signal(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, sig)

    def _reap(self, seconds: float) -> bool:
        deadline = time.perf_counter() + seconds
        while True:
            pid, status, rusage = os.wait4(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
                self.process.returncode = self.returncode  # Popen must not wait again
                self.rusage = rusage
                return True
            if time.perf_counter() >= deadline:
                return False
            self.pump(0.02)  # keep the pty drained, or a child blocked on write never exits

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
