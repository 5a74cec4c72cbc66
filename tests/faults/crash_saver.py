"""Subprocess helper for the crash-safety test: children that save until killed.

Usage: python crash_saver.py CREDS_PATH
For each line "DELAY" (seconds) on stdin it forks a child that saves the
credentials file in a loop, sleeps DELAY, kills the child with SIGKILL, reaps
it, and prints "killed". Forking from this small, single-threaded process
(rather than starting Python 200 times) keeps each round to milliseconds, so
the kills land in the middle of saves.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from tui.core.store import CredsStore

SECRET = "crash-client-secret-0123456789"
PADDING = "p" * 50_000
"""A larger file takes longer to write, so more kills land mid-write."""


def save_forever(path: Path) -> None:
    store = CredsStore(path)
    pid = os.getpid()
    n = 0
    while True:
        store.save_provider(
            "crash",
            {
                "client_id": "crash-client",
                "client_secret": SECRET,
                "refresh": f"refresh-{pid}-{n}",
                "count": n,
                "padding": PADDING,
            },
        )
        n += 1


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    for line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            try:
                save_forever(path)
            finally:
                os._exit(1)
        time.sleep(float(line))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        print("killed", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
