"""Subprocess helper for the concurrency test: save one provider N times.

Usage: python tests/store_writer.py CREDS_PATH PROVIDER COUNT GO_FILE
The writer waits until GO_FILE exists so both processes start hammering together.
Before each save it checks that its own previous save is still in the file: a save by
the other process that did not re-read under the lock would have undone it. It exits 1
if that ever happened.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tui.core.store import CredsStore


def main(argv: list[str]) -> int:
    path, provider, count, go = Path(argv[0]), argv[1], int(argv[2]), Path(argv[3])
    deadline = time.monotonic() + 30
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    store = CredsStore(path)
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
