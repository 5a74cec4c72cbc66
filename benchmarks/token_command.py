"""``oauth-dance token`` with a valid stored token, beside ``python -c pass``: what a
script's ``$(oauth-dance token)`` costs over starting Python at all.

Wall time from the process's start to its end, median of interleaved runs, with a
credentials file in a temporary folder holding a token valid for an hour (so no refresh
and no network: the command reads the file and prints). ``-m tui`` is what the
``oauth-dance`` console script runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import tomli_w

TOKEN = "benchmark-access-token"


def _time(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command[1:]} failed: {done.stderr[-500:]}")
    return took


def measure(runs: int = 15) -> dict[str, Any]:
    """Medians of ``runs`` interleaved runs of each command, after one untimed warm-up."""
    with tempfile.TemporaryDirectory() as folder:
        creds = Path(folder) / "creds.toml"
        expires = datetime.now(UTC) + timedelta(hours=1)
        table = {"version": 1, "bench": {"token": TOKEN, "expires": expires}}
        creds.write_bytes(tomli_w.dumps(table).encode())
        creds.chmod(0o600)
        env = {k: v for k, v in os.environ.items() if k != "OAUTH_DANCE_CREDS"}
        token = ["token", "--provider", "bench", "--creds", str(creds)]
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "oauth-dance token": [sys.executable, "-m", "tui", *token],
        }
        for command in commands.values():
            _time(command, env)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                samples[name].append(_time(command, env))
    pass_s = statistics.median(samples["python -c pass"])
    token_s = statistics.median(samples["oauth-dance token"])
    return {
        "runs": runs,
        "python_pass_s": pass_s,
        "token_s": token_s,
        "token_over_pass_s": token_s - pass_s,
        "ratio": token_s / pass_s,
        "samples_s": {name: [round(s, 4) for s in values] for name, values in samples.items()},
    }


if __name__ == "__main__":
    figures = measure()
    print(
        f"oauth-dance token {figures['token_s'] * 1000:.0f} ms, python -c pass "
        f"{figures['python_pass_s'] * 1000:.0f} ms ({figures['ratio']:.2f}x)"
    )
