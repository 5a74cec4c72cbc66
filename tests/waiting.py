"""Waiting, in tests that run other processes, for what no event tells this one of: a
port another process bound, a process group gone, processes queued on a lock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60.0) -> None:
    """Until ``condition()`` holds, looking again every 20 ms; fail, naming ``what``,
    after ``timeout`` seconds. ``condition`` may raise to fail at once."""
    deadline = time.monotonic() + timeout
    idle = threading.Event()  # never set: its wait is the pause between looks
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        idle.wait(0.02)
