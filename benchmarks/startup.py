"""Startup: process start to the first complete frame, and peak RSS, against a bare app.

The apps run in a real pty at 80x24, interleaved (bare, widgets, ours; then
ours, widgets, bare; ...) so that a noisy neighbour hurts them alike, after
one untimed run each (bytecode written, files in the page cache, as on a
user's second start).

A frame is complete when the footer's key hint is drawn (the footer is the last
line of a frame) and so is a text that only the finished screen has. Each run
checks that: a terminal emulator (pyte) fed the output up to that moment must
show the same screen as one fed everything the app wrote by the time it quits;
``changed_after_first_frame`` counts the runs where it did not, which would
mean the markers fire too early.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import pyte
from pty_term import PtyApp

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
FOOTER = "Save & next"
"""In both footers: the Credentials screen's ctrl+s hint, and the bare app's."""
MARKERS = {
    "bare": (FOOTER, "Hello from a bare"),
    "widgets": (FOOTER, "No access token"),
    "ours": (FOOTER, "No access token"),
}
APPS = ("bare", "widgets", "ours")
"""The bare app, the Credentials screen's widgets alone (widgets_app.py), and the wizard."""

SETTLE = 1.5
"""Seconds each app stays up after its first frame, so what it starts in the
background (our demo server) counts in its peak RSS."""


def one_run(command: list[str], env: dict[str, str], markers: tuple[str, ...]) -> dict[str, Any]:
    """Start ``command`` in a pty, wait for the first frame, settle, quit; the figures."""
    with PtyApp(command, env) as app:
        first_frame = app.wait_for(*markers)
        bytes_at_first_frame = len(app.output)
        rss_at_first_frame = app.peak_rss_kb()
        app.drain(SETTLE)
        settled = screen(bytes(app.output))
    if app.rusage is None:
        raise RuntimeError(f"{command[0]} could not be reaped")
    return {
        "changed_after_first_frame": screen(bytes(app.output[:bytes_at_first_frame])) != settled,
        "first_frame_s": first_frame,
        "bytes_at_first_frame": bytes_at_first_frame,
        "rss_first_frame_kb": rss_at_first_frame,
        "peak_rss_kb": app.rusage.ru_maxrss,  # KB on Linux
        "exit_code": app.returncode,
    }


def screen(output: bytes) -> list[list[tuple[str, str, str, bool]]]:
    """What an 80x24 terminal shows after ``output``: each cell's character, colours, boldness."""
    terminal = pyte.Screen(80, 24)
    pyte.ByteStream(terminal).feed(output)
    return [
        [(c.data, c.fg, c.bg, c.bold) for c in (terminal.buffer[y][x] for x in range(80))]
        for y in range(24)
    ]


def measure(runs: int, *, warm_up: bool = True) -> dict[str, Any]:
    """Median figures of ``runs`` interleaved runs of each app, and ratios to the bare app."""
    commands = {
        "bare": [sys.executable, str(HERE / "bare_app.py")],
        "widgets": [sys.executable, str(HERE / "widgets_app.py")],
        "ours": [str(BIN / "oauth-dance")],
    }
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in APPS}
    with tempfile.TemporaryDirectory(prefix="oauth-dance-bench-") as tmp:
        home = Path(tmp)
        for i in range(-1 if warm_up else 0, runs):  # run -1 warms up
            # A fresh credentials file every time: the wizard opens on Credentials.
            env = {
                "OAUTH_DANCE_CREDS": str(home / f"run{i}" / "creds.toml"),
                "XDG_CONFIG_HOME": str(home / "xdg"),
            }
            for name in APPS if i % 2 == 0 else reversed(APPS):
                figures = one_run(commands[name], env, MARKERS[name])
                if i >= 0:
                    samples[name].append(figures)
    result: dict[str, Any] = {"runs": runs, "markers": MARKERS, "settle_s": SETTLE}
    keys = ("first_frame_s", "bytes_at_first_frame", "rss_first_frame_kb", "peak_rss_kb")
    for name, runs_of in samples.items():
        result[name] = {
            key: statistics.median(r[key] for r in runs_of if r[key] is not None) for key in keys
        }
        result[name]["samples_s"] = [round(r["first_frame_s"], 4) for r in runs_of]
        result[name]["changed_after_first_frame"] = sum(
            r["changed_after_first_frame"] for r in runs_of
        )
    for name in ("widgets", "ours"):
        prefix = "" if name == "ours" else "widgets_"
        for key, figure in (
            ("first_frame_ratio", "first_frame_s"),
            ("peak_rss_ratio", "peak_rss_kb"),
            ("rss_first_frame_ratio", "rss_first_frame_kb"),
        ):
            result[prefix + key] = result[name][figure] / result["bare"][figure]
    return result
