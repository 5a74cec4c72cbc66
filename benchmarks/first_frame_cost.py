"""The first frame's cost in load-independent units: Python calls, or CPU instructions.

    python benchmarks/first_frame_cost.py calls         # cProfile: calls from App.run on
    python benchmarks/first_frame_cost.py instructions  # valgrind cachegrind: from process start

Wall times on a shared machine move by 10-20%; these counts move by well
under 1% run after run, so they tell whether a change helps. Each app (the
bare one, the first screen in Textual's widgets, ours) runs in a pty at 80x24
with its own driver, and stops (``os._exit``) once its first screen has
settled: Pilot's ``pause`` (the screen's pending messages handled, then
idle) three times after Textual's ready callback. Ours runs as the
``oauth-dance`` command does (the collector tuned, a fresh credentials file).

Counts overstate the wall-clock ratio (a start also waits on the terminal
and the disk), but they order changes reliably.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from pty_term import PtyApp

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


def child(name: str, profile: str | None) -> None:
    """Run app ``name`` until its first screen settles, then end the process at once."""
    app = build(name)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()

    async def settle(pilot: Any) -> None:
        for _ in range(3):
            await pilot.pause()
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)
        os.write(2, f"\x1b[0m{SETTLED}\r\n".encode())
        os._exit(0)  # no shutdown: what is counted ends here

    if profiler is not None:
        profiler.enable()
    app.run(auto_pilot=settle)


def run(name: str, home: Path, *, valgrind: bool, profile: Path | None) -> None:
    command = [sys.executable, str(Path(__file__)), "--child", name]
    if profile is not None:
        command += ["--profile", str(profile)]
    if valgrind:
        out = home / f"cachegrind.{name}"
        command = [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            f"--cachegrind-out-file={out}",
            *command,
        ]
    env = {
        "OAUTH_DANCE_CREDS": str(home / name / "creds.toml"),
        "XDG_CONFIG_HOME": str(home / "xdg"),
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
    }
    with PtyApp(command, env) as app:
        app.wait_for(SETTLED, timeout=600.0)


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
    parser.add_argument("--profile", help=argparse.SUPPRESS)
    parser.add_argument("--keep", type=Path, help="keep the profiles (calls) in this folder")
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.profile)
        return 0
    import pstats

    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="oauth-dance-cost-") as tmp:
        home = Path(tmp)
        for name in args.apps:
            if args.measure == "calls":
                profile = (args.keep or home) / f"{name}.prof"
                profile.parent.mkdir(parents=True, exist_ok=True)
                run(name, home, valgrind=False, profile=profile)
                counts[name] = pstats.Stats(str(profile)).total_calls  # type: ignore[attr-defined]
            else:
                run(name, home, valgrind=True, profile=None)
                counts[name] = instructions(home / f"cachegrind.{name}")
    unit = "calls" if args.measure == "calls" else "instructions"
    base = counts.get("bare")
    for name, count in counts.items():
        ratio = f"  {count / base:.2f}x bare" if base else ""
        print(f"{name:8} {count:>15,} {unit}{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
