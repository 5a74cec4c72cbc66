"""The whole demo dance, driven by Pilot in a fresh interpreter: the app's time and the server's.

``measure()`` runs this file in subprocesses (nothing the benchmark runner
imported is loaded already, bytecode caching on):

- ``dance``: the keys of tests/app/test_app_dance.py (1, enter, g, a, 3, s,
  4, s, 5, s) against the demo server the app starts itself. The app's time
  of a step is its wall time minus ``Exchange.elapsed`` of the requests it
  sent (the server's and the network's part). Keys are posted straight to the
  app and each step waits, polling every 2 ms, for what it must show: Pilot's
  ``press`` and ``pause`` sleep 20 ms or more each, which would count as the
  app's. As a cross-check, the main thread's CPU time (the server runs in a
  thread of its own) is reported too. The dance starts once the demo server
  serves: the app starts it when Authorize shows, and its start (loading
  uvicorn, Starlette, oauthlib) is the server's time, reported apart.
- ``probe``: which heavy parts are imported at the first frame, a moment
  later, once a QR code is drawn and once a body is shown; and, for a
  non-demo provider, that the demo server never loads.

The headless driver lays out and renders every frame but skips writing escape
sequences; terminal_bytes.py measures those.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HEAVY = {
    "httpx": ("httpx",),
    "demo server": ("uvicorn", "starlette", "oauthlib"),
    "QR encoder": ("segno",),
    "syntax highlighting": ("pygments", "tree_sitter"),
}
"""Parts that should load only when needed, by the packages that make them."""

DANCE: list[tuple[str, str, str]] = [
    ("1", "open Credentials", "screen:CredentialsScreen"),
    ("enter", "go on to Authorize", "screen:AuthorizeScreen"),
    ("g", "consent page (GET)", "answered:1"),
    ("a", "approve (POST, 302)", "code"),
    ("3", "open Exchange", "screen:ExchangeScreen"),
    ("s", "token exchange (POST)", "answered:3"),
    ("4", "open Profile", "screen:ProfileScreen"),
    ("s", "profile (GET)", "answered:4"),
    ("5", "open Refresh", "screen:RefreshScreen"),
    ("s", "refresh (POST)", "answered:5"),
]
"""(key, what it does, what shows it is done)."""


def loaded() -> list[str]:
    """The heavy parts whose packages are imported right now."""
    return [part for part, packages in HEAVY.items() if any(p in sys.modules for p in packages)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Driver:
    """Posts keys to a running app and waits, finely, until a step is done."""

    def __init__(self, app: Any, pilot: Any) -> None:
        self.app = app
        self.pilot = pilot

    def history(self) -> list[Any]:
        return list(self.app.session.history) if hasattr(self.app, "session") else []

    def server_time(self) -> float:
        return sum(e.elapsed or 0.0 for e in self.history())

    def done(self, condition: str) -> bool:
        kind, _, arg = condition.partition(":")
        if kind == "screen":
            return type(self.app.screen).__name__ == arg
        if kind == "serving":
            return bool(self.app.demo.serving)
        if kind == "answered":
            answered = [e for e in self.history() if e.response is not None or e.error is not None]
            return len(answered) >= int(arg)
        return bool(self.app.session.state.code)

    def busy(self) -> bool:
        """A worker other than the redirect listener (which waits for a browser) runs."""
        return any(w.group != "listener" and not w.is_finished for w in self.app.workers)

    async def until(self, condition: str, timeout: float = 30.0) -> None:
        deadline = time.perf_counter() + timeout
        while not (self.done(condition) and not self.busy()):
            if time.perf_counter() > deadline:
                seen = [e.summary for e in self.history()]
                raise TimeoutError(f"{condition!r} not reached; exchanges: {seen}")
            await asyncio.sleep(0.002)
        await self.pilot.pause(0)  # the screen handles what is queued, and renders

    async def key(self, key: str, condition: str) -> None:
        from textual import events

        self.app.post_message(events.Key(key, key if len(key) == 1 else None))
        await self.until(condition)


def make_app(creds: Path, provider: str, *, seed: bool) -> Any:
    import tomli_w

    from tui.__main__ import tune_gc
    from tui.app import OAuthDanceApp
    from tui.core.store import CredsStore

    tune_gc()  # as the oauth-dance command does before it starts the app
    if seed:  # as the Pilot dance test does: a redirect URI on a free port, for the listener
        creds.parent.mkdir(parents=True, exist_ok=True)
        uri = f"http://127.0.0.1:{free_port()}/callback"
        creds.write_text(tomli_w.dumps({"version": 1, provider: {"redirect_uri": uri}}))
        creds.chmod(0o600)
    return OAuthDanceApp(CredsStore(creds), provider)


async def dance(creds: Path) -> dict[str, Any]:
    started = time.perf_counter()
    app = make_app(creds, "demo", seed=True)
    result: dict[str, Any] = {"import_s": time.perf_counter() - started, "steps": []}
    async with app.run_test(size=(80, 24)) as pilot:
        drive = Driver(app, pilot)
        await drive.until("screen:AuthorizeScreen")
        result["startup_s"] = time.perf_counter() - started
        # Once Authorize shows, the app starts the demo server in a thread: it loads
        # its web stack while a person reads the screen. That is the server's time,
        # not the app's: the dance starts once it serves, and it is reported apart.
        await drive.until("serving")
        result["demo_server_start_s"] = time.perf_counter() - started - result["startup_s"]
        dance_started, cpu_started = time.perf_counter(), time.thread_time()
        for key, what, condition in DANCE:
            server_before, t = drive.server_time(), time.perf_counter()
            await drive.key(key, condition)
            wall = time.perf_counter() - t
            server = drive.server_time() - server_before
            step = {"key": key, "step": what, "wall_s": wall, "server_s": server}
            result["steps"].append({**step, "app_s": wall - server})
        result["wall_s"] = time.perf_counter() - dance_started
        result["main_thread_cpu_s"] = time.thread_time() - cpu_started
        history = drive.history()
    result["server_s"] = sum(e.elapsed or 0.0 for e in history)
    result["app_s"] = result["wall_s"] - result["server_s"]
    result["exchanges"] = [{"summary": e.summary, "elapsed_s": e.elapsed} for e in history]
    statuses = [e.status_line for e in history if not e.browser]  # the app's own requests
    result["ok"] = statuses == ["200 OK", "302 Found", "200 OK", "200 OK", "200 OK"]
    return result


async def probe(creds: Path, provider: str, idle: float = 1.5) -> dict[str, list[str]]:
    app = make_app(creds, provider, seed=False)
    seen: dict[str, list[str]] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        drive = Driver(app, pilot)
        await drive.until("screen:CredentialsScreen")
        seen["first frame"] = loaded()
        await asyncio.sleep(idle)
        seen[f"{idle:g} s later, idle"] = loaded()
        if provider == "demo":
            await drive.key("enter", "screen:AuthorizeScreen")
            seen["Authorize shown (80x24: no room for the QR code)"] = loaded()
            await drive.key("g", "answered:1")
            seen["a response body shown"] = loaded()
            await pilot.resize_terminal(160, 60)
            await drive.key("f", "screen:QRScreen")
            await pilot.pause()
            seen["enlarged to 160x60, f: the QR code drawn"] = loaded()
    return seen


def _run(mode: str, *args: str, timeout: float) -> Any:
    with tempfile.TemporaryDirectory(prefix="oauth-dance-bench-") as tmp:
        out = Path(tmp) / "out.json"
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
        done = subprocess.run(
            [sys.executable, __file__, mode, str(out), str(Path(tmp) / "creds.toml"), *args],
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=env,
        )
        if done.returncode != 0:
            raise RuntimeError(f"dance.py {mode} failed:\n{done.stderr[-3000:]}")
        return json.loads(out.read_text())


def _run_floor(timeout: float) -> Any:
    """One dance of widgets_dance.py: the same keys on Textual's widgets alone."""
    with tempfile.TemporaryDirectory(prefix="oauth-dance-bench-") as tmp:
        out = Path(tmp) / "out.json"
        floor = Path(__file__).with_name("widgets_dance.py")
        done = subprocess.run(
            [sys.executable, str(floor), str(out)],
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"widgets_dance.py failed:\n{done.stderr[-3000:]}")
        return json.loads(out.read_text())


def measure(runs: int = 1, timeout: float = 120.0, idle: float = 1.5) -> dict[str, Any]:
    """The figures of the median dance of ``runs`` (by app time), and which heavy parts load when.

    Each dance is followed by one of widgets_dance.py (the floor: the same keys on
    Textual's widgets alone), reported under ``floor`` with the ratio of the two.

    One dance is noisy on a shared machine (its first request alone varies by
    100 ms), so full runs dance five times, each in a fresh interpreter. ``idle``:
    the seconds the probes let the first screen idle before looking again.
    """
    ours, floors = [], []
    for _ in range(runs):  # interleaved, so that a busy moment weighs on both alike
        ours.append(_run("dance", timeout=timeout))
        floors.append(_run_floor(timeout))
    dances = sorted(ours, key=lambda d: d["app_s"])
    result: dict[str, Any] = dances[len(dances) // 2]
    result["app_s_samples"] = [round(d["app_s"], 4) for d in dances]
    floors.sort(key=lambda d: d["app_s"])
    result["floor"] = floors[len(floors) // 2]
    result["floor"]["app_s_samples"] = [round(d["app_s"], 4) for d in floors]
    result["floor_ratio"] = result["app_s"] / result["floor"]["app_s"]
    result["loaded"] = {
        "demo": _run("probe", "demo", str(idle), timeout=timeout),
        "spotify": _run("probe", "spotify", str(idle), timeout=timeout),
    }
    return result


def main(argv: list[str]) -> None:
    mode, out, creds = argv[0], Path(argv[1]), Path(argv[2])
    if mode == "dance":
        figures: Any = asyncio.run(dance(creds))
    else:
        figures = asyncio.run(probe(creds, argv[3], float(argv[4])))
    out.write_text(json.dumps(figures))


if __name__ == "__main__":
    main(sys.argv[1:])
