"""Bytes to the terminal: the whole demo dance at 80x24 in a pty, keys typed as a person would.

The wizard starts on a fresh credentials file (so on Credentials), and each
key is typed once the screen shows what the previous one should have shown,
plus a short dwell for what follows (toasts, the footer's redraw). A step's
bytes are everything written from its key to the next key.

Idle screens cost bytes too: a text field's cursor would blink, and the
sidebar redraws the token's countdown once a second once there is a token.
Both are measured in idle windows of their own, not counted in the dance.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pty_term import PtyApp

BIN = Path(sys.executable).parent

FIRST_FRAME = ("⏎ Authorize", "No access token")
STEPS: list[tuple[str, bytes, str]] = [
    ("enter", b"\r", "Press g to play the browser here"),
    ("g", b"g", "Consent page"),
    ("a", b"a", "Code received from"),
    ("3", b"3", "Exchange · POST /api/token"),
    ("s", b"s", "Tokens received"),
    ("4", b"4", "Profile · GET /v1/me"),
    ("s", b"s", "oauth-dance-listener"),
    ("5", b"5", "Refresh · POST /api/token"),
    ("s", b"s", "Refreshed and saved"),
]
"""(key, what the terminal sends, a text the screen shows once the key took effect)."""

TOAST_TIMEOUT = 5.5
"""Textual's toasts go after 5 s: wait them out before measuring an idle screen."""


def measure(
    *,
    dwell: float = 1.0,
    idle: float = 5.0,
    env: dict[str, str] | None = None,
    toasts: float = TOAST_TIMEOUT,
) -> dict[str, Any]:
    """Dance in a pty; bytes per step, in total, and per idle second.

    Args:
        dwell: seconds to wait after a step showed its text, before the next key.
        idle: seconds of each idle window.
        env: more environment for the wizard (e.g. ``TEXTUAL_ANIMATIONS=none``).
        toasts: seconds to wait for the last toasts to go before the last idle window.
    """
    with tempfile.TemporaryDirectory(prefix="oauth-dance-bench-") as tmp:
        env = {
            "OAUTH_DANCE_CREDS": str(Path(tmp) / "creds.toml"),
            "XDG_CONFIG_HOME": str(Path(tmp) / "xdg"),
            **(env or {}),
        }
        steps: list[dict[str, Any]] = []
        with PtyApp([str(BIN / "oauth-dance")], env) as app:
            shown = app.wait_for(*FIRST_FRAME)
            app.drain(dwell)
            updates = app.bursts(app.started)
            steps.append(
                {"key": "(start)", "latency_s": shown, "bytes": len(app.output), "updates": updates}
            )

            mark = len(app.output)
            app.drain(idle)
            idle_credentials = (len(app.output) - mark) / idle

            for key, keys, expect in STEPS:
                mark, typed = len(app.output), time.perf_counter()
                app.type(keys)
                latency = app.started + app.wait_for(expect, since=mark) - typed
                app.drain(dwell)
                steps.append(
                    {
                        "key": key,
                        "latency_s": latency,
                        "bytes": len(app.output) - mark,
                        "updates": app.bursts(typed),
                    }
                )

            app.drain(toasts)
            mark = len(app.output)
            app.drain(idle)
            idle_countdown = (len(app.output) - mark) / idle
    total = sum(step["bytes"] for step in steps)
    if app.rusage is None:
        raise RuntimeError("oauth-dance could not be reaped")
    return {
        "size": "80x24",
        "term": "xterm-256color",
        "dwell_s": dwell,
        "env": {k: v for k, v in env.items() if not k.endswith(("_CREDS", "_HOME"))},
        "steps": steps,
        "total_bytes": total,
        "peak_rss_kb": app.rusage.ru_maxrss,  # the whole dance, demo server included
        "idle_bytes_per_s": {
            "credentials (first screen)": idle_credentials,
            "refresh (token countdown)": idle_countdown,
        },
    }
