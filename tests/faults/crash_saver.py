"""Subprocess helper for the crash-safety test: children that save until killed.

Usage: python crash_saver.py CREDS_PATH
For each line "DELAY" on stdin it forks a child that saves the credentials file
in a loop until the kernel ends it after DELAY seconds of its own CPU time
(``ITIMER_PROF``: no handler is set for SIGPROF, so, as with SIGKILL, the
process ends at that moment, wherever it is, and no code of its own runs),
reaps it, and prints "killed". Nothing waits on the clock: the moment is
measured in the child's own work, so a loaded machine moves it no more than an
idle one. Forking from this small, single-threaded process (rather than
starting Python 200 times) keeps each round to milliseconds.
"""

from __future__ import annotations

import os
import signal
import sys
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
                signal.setitimer(signal.ITIMER_PROF, max(float(line), 1e-6))
                save_forever(path)
            finally:
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGPROF):
            print(f"the child ended otherwise: status {status}", flush=True)
            return 1
        print("killed", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
