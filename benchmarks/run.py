"""Run every benchmark, print a table with PASS/MISS per target, and save the figures as JSON.

    python benchmarks/run.py            # 7 interleaved startup runs of each app, the rest once
    python benchmarks/run.py --quick    # one run of each, short waits
    python benchmarks/run.py --smoke    # the least work of each section: checks the script works

Figures go to benchmarks/results/<timestamp>.json and benchmarks/results/latest.json
(gitignored), to compare across commits. Benchmarks are noisy: run them on an
idle machine, and compare ratios taken in the same run rather than seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dance
import imports
import startup
import terminal_bytes
import token_command

PLAIN_DRIVER = "textual.drivers.linux_driver:LinuxDriver"
"""Textual's own driver, every frame sent as Textual renders it: the baseline for our bytes."""

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

TARGETS: list[tuple[str, str, float, Callable[[dict[str, Any]], float]]] = [
    (
        "first frame vs bare app",
        "x",
        1.15,
        lambda r: float(r["startup"]["first_frame_ratio"]),
    ),
    ("peak RSS vs bare app", "x", 1.25, lambda r: float(r["startup"]["peak_rss_ratio"])),
    ("demo dance, app time", "s", 0.5, lambda r: float(r["dance"]["app_s"])),
    (
        "demo dance, bytes at 80x24",
        "KB",
        100.0,
        lambda r: r["terminal_bytes"]["total_bytes"] / 1000,
    ),
]
"""(name, unit, the most it may be, how to read it from the results)."""


def meta(quick: bool, smoke: bool) -> dict[str, Any]:
    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        except OSError:
            return ""
        return done.stdout.strip()

    from importlib.metadata import version

    return {
        "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": git("rev-parse", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "python": platform.python_version(),
        "textual": version("textual"),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "quick": quick,
        "smoke": smoke,
    }


def run(quick: bool, runs: int, smoke: bool = False) -> dict[str, Any]:
    """Every section; ``quick``: once each, short waits; ``smoke`` (implies quick): waits
    of a tenth of a second, figures that only show that each section works."""
    quick = quick or smoke
    results: dict[str, Any] = {"meta": meta(quick, smoke)}
    dwell = 0.05 if smoke else 0.5 if quick else 1.0
    waits: dict[str, Any] = {"toasts": 0.0, "idle": 0.1} if smoke else {}
    sections: list[tuple[str, Callable[[], Any]]] = [
        ("startup", lambda: startup.measure(runs, warm_up=not quick, settle=0.1 if smoke else 1.5)),
        ("dance", lambda: dance.measure(1 if quick else 5, idle=0.0 if smoke else 1.5)),
        (
            "terminal_bytes",
            lambda: terminal_bytes.measure(
                dwell=dwell, **({"idle": 2.0 if quick else 5.0} | waits)
            ),
        ),
        (
            "terminal_bytes_plain",
            lambda: terminal_bytes.measure(
                dwell=dwell, env={"TEXTUAL_DRIVER": PLAIN_DRIVER}, **({"idle": 1.0} | waits)
            ),
        ),
        ("imports", lambda: imports.measure(repeat=1 if quick else 3)),
        ("token", lambda: token_command.measure(runs=1 if smoke else 5 if quick else 15)),
    ]
    if not quick:
        sections.append(
            (
                "terminal_bytes_no_animation",
                lambda: terminal_bytes.measure(idle=1.0, env={"TEXTUAL_ANIMATIONS": "none"}),
            )
        )
    for name, measure in sections:
        print(f"… {name}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        results[name] = measure()
        results[name]["took_s"] = time.perf_counter() - started
    results["targets"] = [
        {"target": name, "unit": unit, "limit": limit, "value": value, "pass": value <= limit}
        for name, unit, limit, read in TARGETS
        for value in [read(results)]
    ]
    return results


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )


def report(r: dict[str, Any]) -> str:
    s, d, b = r["startup"], r["dance"], r["terminal_bytes"]
    i = r["imports"]["entry_points"]
    out = [f"OAuth Dance benchmarks · {r['meta']['timestamp']} · {r['meta']['commit'][:10]}"]
    out += ["", f"Startup at 80x24 in a pty (median of {s['runs']} interleaved runs)"]
    out.append(
        table(
            [
                ("", "first frame", "RSS at first frame", "peak RSS"),
                *(
                    (
                        name,
                        f"{s[name]['first_frame_s'] * 1000:.0f} ms",
                        f"{s[name]['rss_first_frame_kb'] / 1024:.1f} MB",
                        f"{s[name]['peak_rss_kb'] / 1024:.1f} MB",
                    )
                    for name in ("bare", "widgets", "ours")
                ),
                *(
                    (
                        f"{name} / bare",
                        f"{s[prefix + 'first_frame_ratio']:.2f}x",
                        f"{s[prefix + 'rss_first_frame_ratio']:.2f}x",
                        f"{s[prefix + 'peak_rss_ratio']:.2f}x",
                    )
                    for name, prefix in (("widgets", "widgets_"), ("ours", ""))
                ),
            ]
        )
    )
    seen = ", ".join(f"{name} {s[name]['markers_s'] * 1000:.0f} ms" for name in startup.APPS)
    out.append(f"(first texts seen, maybe in a partial frame: {seen})")
    out += [
        "",
        f"Whole demo dance by Pilot (not counted: startup {d['startup_s'] * 1000:.0f} ms, "
        f"then the demo server's start {d['demo_server_start_s'] * 1000:.0f} ms)",
    ]
    rows = [("key", "step", "wall", "server+net", "app")]
    rows += [
        (
            step["key"],
            step["step"],
            f"{step['wall_s'] * 1000:.0f} ms",
            f"{step['server_s'] * 1000:.0f} ms",
            f"{step['app_s'] * 1000:.0f} ms",
        )
        for step in d["steps"]
    ]
    rows.append(
        (
            "",
            "total",
            f"{d['wall_s']:.2f} s",
            f"{d['server_s']:.2f} s",
            f"{d['app_s']:.2f} s",
        )
    )
    out.append(table(rows))
    out.append(f"main thread CPU during the dance: {d['main_thread_cpu_s']:.2f} s; ok={d['ok']}")
    samples = ", ".join(f"{app_s:.2f}" for app_s in d["app_s_samples"])
    out.append(f"the median of {len(d['app_s_samples'])} dances; app time of each: {samples} s")
    f = d["floor"]
    samples = ", ".join(f"{app_s:.2f}" for app_s in f["app_s_samples"])
    out.append(
        f"the same keys on Textual's widgets alone (widgets_dance.py, interleaved): app time "
        f"{f['app_s']:.2f} s ({samples}), main thread CPU {f['main_thread_cpu_s']:.2f} s; "
        f"ours / that = {d['floor_ratio']:.2f}x"
    )
    out += ["", "Terminal bytes, whole demo dance at 80x24 (keys typed into a pty)"]
    rows = [("key", "bytes", "updates", "largest", "shown after")]
    rows += [
        (
            step["key"],
            f"{step['bytes']:,}",
            str(len(step["updates"])),
            f"{max(step['updates'], default=0):,}",
            f"{step['latency_s'] * 1000:.0f} ms",
        )
        for step in b["steps"]
    ]
    rows.append(("total", f"{b['total_bytes']:,}", "", "", ""))
    out.append(table(rows))
    for what, rate in b["idle_bytes_per_s"].items():
        out.append(f"idle, {what}: {rate:.0f} bytes/s")
    peak = b["peak_rss_kb"]
    out.append(
        f"peak RSS over the whole dance (demo server and httpx loaded): "
        f"{peak / 1024:.1f} MB = {peak / s['bare']['peak_rss_kb']:.2f}x the bare app's"
    )
    plain = r["terminal_bytes_plain"]["total_bytes"]
    out.append(
        f"the same through Textual's own driver: {plain:,} bytes "
        f"(ours / Textual's = {b['total_bytes'] / plain:.2f}x)"
    )
    if "terminal_bytes_no_animation" in r:
        quiet = r["terminal_bytes_no_animation"]
        out.append(f"the same with TEXTUAL_ANIMATIONS=none: {quiet['total_bytes']:,} bytes")
    out += ["", "Imports (python -X importtime, fastest run)"]
    for name, figures in i.items():
        top = ", ".join(f"{m} {ms:.0f}" for m, ms in figures["top_cumulative_ms"][1:7])
        out.append(f"{name}: {figures['total_ms']:.0f} ms, {figures['modules']} modules; {top}")
    packages = i["first-frame path"]["top_packages_ms"][:8]
    out.append("by package (self ms): " + ", ".join(f"{p} {ms:.0f}" for p, ms in packages))
    t = r["token"]
    out += [
        "",
        f"oauth-dance token, a valid stored token (median of {t['runs']} interleaved runs): "
        f"{t['token_s'] * 1000:.0f} ms; python -c pass {t['python_pass_s'] * 1000:.0f} ms "
        f"({t['ratio']:.2f}x, +{t['token_over_pass_s'] * 1000:.0f} ms)",
    ]
    out += ["", "Heavy parts imported"]
    for provider, moments in d["loaded"].items():
        for moment, parts in moments.items():
            out.append(f"{provider}, {moment}: {', '.join(parts) or 'none'}")
    out += ["", "Targets"]
    out.append(
        table(
            [
                ("", "measured", "target", ""),
                *(
                    (
                        t["target"],
                        f"{t['value']:.2f} {t['unit']}",
                        f"<= {t['limit']:g} {t['unit']}",
                        "PASS" if t["pass"] else "MISS",
                    )
                    for t in r["targets"]
                ),
            ]
        )
    )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run of each, short waits")
    parser.add_argument(
        "--smoke", action="store_true", help="the least work of each section: checks it works"
    )
    parser.add_argument("--runs", type=int, default=7, help="startup runs of each app (7)")
    parser.add_argument(
        "--out", type=Path, default=HERE / "results", help="where to write the JSON"
    )
    args = parser.parse_args(argv)
    results = run(args.quick, 1 if args.quick or args.smoke else args.runs, args.smoke)
    print(report(results))
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = results["meta"]["timestamp"].replace(":", "")
    text = json.dumps(results, indent=2)
    (args.out / f"{stamp}.json").write_text(text)
    (args.out / "latest.json").write_text(text)
    print(f"\nWrote {args.out / f'{stamp}.json'} and latest.json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
