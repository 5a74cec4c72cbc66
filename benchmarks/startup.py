"""Startup: process start to the first complete frame, and peak RSS, against a bare app.

The apps run in a real pty at 80x24, interleaved (bare, widgets, ours; then
ours, widgets, bare; ...) so that a noisy neighbour hurts them alike, after
one untimed run each (bytecode written, files in the page cache, as on a
user's second start).

Each run waits for texts of the app's first screen (the footer's key hint and a
text of the screen itself), lets the app settle for 1.5 s, and then finds when
the first complete frame arrived: a terminal emulator (pyte) is fed the output
read by read, and the frame is complete at the read after which the screen
stayed what it is after settling. The texts alone are not enough: they can
show in a partial frame, before every widget is composed and styled.
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
FOOTER = "⏎ Authorize"
"""In every footer: the Credentials summary's enter hint, and the baselines'."""
MARKERS = {
    "bare": (FOOTER, "Hello from a bare"),
    "widgets": (FOOTER, "No access token"),
    "ours": (FOOTER, "No access token"),
}
APPS = ("bare", "widgets", "ours")
"""The bare app, the first screen's widgets in Textual's own (widgets_app.py), and the wizard."""

SETTLE = 1.5
"""Seconds each app stays up after its first frame, so what it starts in the
background (our demo server) counts in its peak RSS."""


def one_run(
    command: list[str], env: dict[str, str], markers: tuple[str, ...], settle: float = SETTLE
) -> dict[str, Any]:
    """Start ``command`` in a pty, wait for the first frame, settle, quit; the figures."""
    with PtyApp(command, env) as app:
        app.wait_for(*markers)
        markers_s = app.reads[-1][0] - app.started  # the read that brought the last of them
        rss_at_markers = app.peak_rss_kb()
        app.drain(settle)
        first_frame_s, first_frame_bytes = complete_frame(app)
    if app.rusage is None:
        raise RuntimeError(f"{command[0]} could not be reaped")
    return {
        "first_frame_s": first_frame_s,
        "markers_s": markers_s,
        "bytes_at_first_frame": first_frame_bytes,
        "rss_first_frame_kb": rss_at_markers,
        "peak_rss_kb": app.rusage.ru_maxrss,  # KB on Linux
        "exit_code": app.returncode,
    }


def complete_frame(app: PtyApp) -> tuple[float, int]:
    """When the terminal first showed the screen it still shows now, and the bytes until then.

    A terminal emulator (pyte) is fed the output read by read; the frame is
    complete at the read after which every later screen is the settled one.
    """
    terminal = pyte.Screen(app.columns, app.lines)
    stream = pyte.ByteStream(terminal)
    screens, offset = [], 0
    for _at, size in app.reads:
        stream.feed(bytes(app.output[offset : offset + size]))
        offset += size
        screens.append(cells(terminal))
    complete = len(screens) - 1
    while complete > 0 and screens[complete - 1] == screens[-1]:
        complete -= 1
    at, _size = app.reads[complete]
    return at - app.started, sum(size for _at, size in app.reads[: complete + 1])


def cells(terminal: pyte.Screen) -> list[list[tuple[str, str, str, bool]]]:
    """Each cell's character, colours and boldness (not a blinking cursor's reverse)."""
    columns = range(terminal.columns)
    rows = (terminal.buffer[y] for y in range(terminal.lines))
    return [[(row[x].data, row[x].fg, row[x].bg, row[x].bold) for x in columns] for row in rows]


def measure(runs: int, *, warm_up: bool = True, settle: float = SETTLE) -> dict[str, Any]:
    """Median figures of ``runs`` interleaved runs of each app, and ratios to the bare app.

    ``settle``: seconds each app stays up after its first frame (:data:`SETTLE`).
    """
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
                figures = one_run(commands[name], env, MARKERS[name], settle)
                if i >= 0:
                    samples[name].append(figures)
    result: dict[str, Any] = {"runs": runs, "markers": MARKERS, "settle_s": settle}
    keys = ("first_frame_s", "bytes_at_first_frame", "rss_first_frame_kb", "peak_rss_kb")
    for name, runs_of in samples.items():
        result[name] = {
            key: statistics.median(r[key] for r in runs_of if r[key] is not None) for key in keys
        }
        result[name]["samples_s"] = [round(r["first_frame_s"], 4) for r in runs_of]
        result[name]["markers_s"] = statistics.median(r["markers_s"] for r in runs_of)
    for name in ("widgets", "ours"):
        prefix = "" if name == "ours" else "widgets_"
        for key, figure in (
            ("first_frame_ratio", "first_frame_s"),
            ("peak_rss_ratio", "peak_rss_kb"),
            ("rss_first_frame_ratio", "rss_first_frame_kb"),
        ):
            result[prefix + key] = result[name][figure] / result["bare"][figure]
    return result
