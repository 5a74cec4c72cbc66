"""The first frame's cost in load-independent units: Python calls, or CPU instructions.

    python benchmarks/first_frame_cost.py calls         # Python calls (a profile hook)
    python benchmarks/first_frame_cost.py instructions  # valgrind cachegrind (~1 min)

Wall times on a shared machine move by 10-20%; these counts move by well
under 1% run after run, so they tell whether a change helps. Each app (the
bare one, the first screen in Textual's widgets, ours) runs in a pty at 80x24
with its own driver, as ``startup.py`` runs it (ours as the ``oauth-dance``
command: the collector tuned, a fresh credentials file), from the process's
start until it has settled: Pilot's ``pause`` three times after Textual's
ready callback; then the process ends at once (``os._exit``).

``calls`` counts every Python and built-in call of the main thread (a
profile hook: the app runs some 3x slower, but the count is the same run
after run), and also the count at the first complete frame as
``startup.py`` times it: each write to the driver is recorded with the
count so far, and a terminal emulator (pyte) replays the writes to find the
one after which the screen no longer changed. ``instructions`` counts the
whole process's instructions to the settled screen under cachegrind
(valgrind runs the app some 50x slower, so its frames come at other moments
and the write that completes the first frame cannot be matched).

Counts overstate the wall-clock ratio (a start also waits on the terminal
and the disk), but they order changes reliably.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
APPS = ("bare", "widgets", "ours")
SETTLED = "first-frame-cost: settled"


def build(name: str) -> Any:
    """The app ``name``, built as its own command builds it."""
    if name == "bare":
        from bare_app import BareApp

        return BareApp()
    if name == "widgets":
        from widgets_app import WidgetsApp

        return WidgetsApp()
    from tui.__main__ import tune_gc

    tune_gc()
    from tui.app import OAuthDanceApp
    from tui.core.store import CredsStore, resolve_path

    return OAuthDanceApp(CredsStore(resolve_path(None)), "demo")


class Counter:
    """Calls of the main thread so far (Python functions and built-ins)."""

    def __init__(self) -> None:
        self.calls = 0

    def hook(self, frame: Any, event: str, arg: Any) -> None:
        if event == "call" or event == "c_call":
            self.calls += 1


def child(name: str, record: Path, count: bool) -> None:
    """Run app ``name``, recording each write to its driver; end the process once it
    has settled."""
    counter = Counter()
    if count:
        sys.setprofile(counter.hook)
    app = build(name)
    writes: list[tuple[int, float, str]] = []
    driver_class = app.get_driver_class()
    write = driver_class.write

    def recorded(driver: Any, data: str) -> None:
        write(driver, data)
        writes.append((counter.calls, time.process_time(), data))

    driver_class.write = recorded

    async def settle(pilot: Any) -> None:
        for _ in range(3):
            await pilot.pause()
        settled = counter.calls, time.process_time()
        sys.setprofile(None)
        record.write_text(json.dumps({"writes": writes, "settled": settled}))
        os.write(2, f"\x1b[0m{SETTLED}\r\n".encode())
        os._exit(0)  # no shutdown: what is counted ends here

    app.run(auto_pilot=settle)


def run(
    name: str,
    home: Path,
    *,
    count: bool = False,
    cachegrind: Path | None = None,
) -> dict[str, Any]:
    from pty_term import PtyApp  # here: the child, counted, imports neither

    record = home / f"{name}.json"
    command = [sys.executable, str(Path(__file__)), "--child", name, "--record", str(record)]
    if count:
        command.append("--count")
    if cachegrind is not None:
        out = f"--cachegrind-out-file={cachegrind}"
        command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", out, *command]
    env = {
        "OAUTH_DANCE_CREDS": str(home / name / "creds.toml"),
        "XDG_CONFIG_HOME": str(home / "xdg"),
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
    }
    with PtyApp(command, env) as app:
        app.wait_for(SETTLED, timeout=600.0)
    return json.loads(record.read_text())  # type: ignore[no-any-return]


def complete_write(writes: list[tuple[int, float, str]]) -> int:
    """The index of the write after which the screen stayed what it is at the end."""
    import pyte
    terminal = pyte.Screen(80, 24)
    stream = pyte.Stream(terminal)
    screens = []
    for _calls, _cpu, data in writes:
        stream.feed(data)
        screens.append([terminal.buffer[y][x] for y in range(24) for x in range(80)])
    complete = len(screens) - 1
    while complete > 0 and screens[complete - 1] == screens[-1]:
        complete -= 1
    return complete


def instructions(out: Path) -> int:
    done = subprocess.run(["cg_annotate", str(out)], capture_output=True, text=True, check=True)
    match = re.search(r"^\s*([\d,]+)(?: \([\d.]+%\))?\s+\(?PROGRAM TOTALS", done.stdout, re.M)
    if match is None:
        raise RuntimeError(f"no total in cg_annotate's output: {done.stdout[:400]!r}")
    return int(match.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("measure", nargs="?", choices=("calls", "instructions"), default="calls")
    parser.add_argument("--apps", nargs="*", choices=APPS, default=list(APPS))
    parser.add_argument("--child", choices=APPS, help=argparse.SUPPRESS)
    parser.add_argument("--record", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--count", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.record, args.count)
        return 0

    rows: dict[str, tuple[int, int, int, int]] = {}
    with tempfile.TemporaryDirectory(prefix="oauth-dance-cost-") as tmp:
        home = Path(tmp)
        for name in args.apps:
            if args.measure == "calls":
                record = run(name, home, count=True)
                writes = record["writes"]
                at = complete_write(writes)
                rows[name] = (record["settled"][0], writes[at][0])
            else:
                out = home / f"cachegrind.{name}"
                run(name, home, cachegrind=out)
                rows[name] = (instructions(out), 0)
    base = rows.get("bare")
    if args.measure == "calls":
        print("Python calls to the settled screen, and to the first complete frame")
    else:
        print("instructions to the settled screen")
    for name, (settled, first) in rows.items():
        line = f"{name:8} {settled:>15,}"
        if base:
            line += f" {settled / base[0]:.2f}x"
        if first:
            line += f"   {first:>9,}" + (f" {first / base[1]:.2f}x" if base else "")
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
