"""Import cost: ``python -X importtime`` of the app's entry points, by module and by package."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from typing import Any

ENTRY_POINTS = {
    "tui.__main__": "import tui.__main__",
    "tui.app": "import tui.app",
    "first-frame path": "import tui.app, tui.screens.credentials",
}
"""What to import. The console script imports tui.__main__, which imports tui.app
and the first screen only once the command line is parsed."""


def importtime(statement: str) -> list[tuple[int, int, int, str]]:
    """(self µs, cumulative µs, depth, module) of every import ``statement`` makes."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        # -P: not the current directory first on sys.path (PYTHONPATH still counts).
        [sys.executable, "-P", "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        timeout=60,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line.removeprefix("import time:").split("|", 2)
        depth = (len(name) - len(name.lstrip())) // 2
        rows.append((int(self_us), int(cumulative_us), depth, name.strip()))
    return rows


def summary(statement: str, repeat: int, top: int) -> dict[str, Any]:
    """The fastest of ``repeat`` runs: its total, top modules and packages."""
    runs = [importtime(statement) for _ in range(repeat)]
    rows = min(runs, key=lambda r: sum(row[0] for row in r))
    by_package: dict[str, int] = defaultdict(int)
    for self_us, _, _, name in rows:
        by_package[name.split(".")[0]] += self_us
    modules = sorted(rows, key=lambda row: -row[1])
    return {
        "total_ms": sum(row[0] for row in rows) / 1000,
        "modules": len(rows),
        "top_cumulative_ms": [(name, cum / 1000) for _, cum, _, name in modules[:top]],
        "top_packages_ms": sorted(
            ((name, us / 1000) for name, us in by_package.items()), key=lambda kv: -kv[1]
        )[:top],
    }


def measure(repeat: int = 3, top: int = 12) -> dict[str, Any]:
    return {
        "entry_points": {
            name: summary(statement, repeat, top) for name, statement in ENTRY_POINTS.items()
        }
    }
