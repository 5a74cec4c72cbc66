"""Subprocess helper for the concurrency test: save one provider N times.

Usage: python tests/store_writer.py CREDS_PATH PROVIDER COUNT
The writer says "ready" on stdout, then waits for a line on stdin, so that both processes
start hammering together.
Before each save it checks that its own previous save is still in the file: a save by
the other process that did not re-read under the lock would have undone it. It exits 1
if that ever happened.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.core.store import CredsStore


def main(argv: list[str]) -> int:
    path, provider, count = Path(argv[0]), argv[1], int(argv[2])
    store = CredsStore(path)
    print("ready", flush=True)
    sys.stdin.readline()
    lost = 0
    for i in range(count):
        if i and store.load_provider(provider).get("count") != i - 1:
            lost += 1
        store.save_provider(
            provider,
            {"client_id": f"id-{provider}", "client_secret": f"secret-{provider}", "count": i},
        )
    if lost:
        print(f"{provider}: {lost} of my saves were undone by the other writer", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
