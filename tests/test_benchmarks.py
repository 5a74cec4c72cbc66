"""The benchmarks still run, and what they rely on still holds. No timing is asserted here.

Benchmarks are noisy and do not run in CI as benchmarks: ``python benchmarks/run.py``.
This runs them once in smoke mode (each section once, with the least work and waits of a
tenth of a second, as much as shows it works), so that the script never rots, and checks
the two things the startup figures rest on: the first frame's imports leave
the heavy parts out, and the demo server answers requests made before it serves.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import httpx
import pytest

from tui.demo import DemoServer

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.xdist_group("port-8888")  # its pty dance listens there, as tests/app/... do
def test_smoke_benchmark_completes_and_writes_json(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    results = json.loads((tmp_path / "latest.json").read_text())
    assert len(list(tmp_path.glob("*.json"))) == 2  # <timestamp>.json and latest.json
    expected = {"meta", "startup", "dance", "terminal_bytes", "terminal_bytes_plain", "imports"}
    expected.add("token")
    assert expected | {"targets"} <= results.keys()
    assert results["meta"]["smoke"] and results["meta"]["quick"]
    startup = results["startup"]
    for app in ("bare", "ours"):
        assert {"first_frame_s", "rss_first_frame_kb", "peak_rss_kb"} <= startup[app].keys()
    assert {"first_frame_ratio", "peak_rss_ratio"} <= startup.keys()
    # The complete frame comes no sooner than the first texts of the screen do.
    assert startup["ours"]["first_frame_s"] >= startup["ours"]["markers_s"] > 0
    dance = results["dance"]
    assert dance["ok"], dance["exchanges"]
    assert {"wall_s", "server_s", "app_s", "demo_server_start_s"} <= dance.keys()
    assert len(dance["steps"]) == 10
    assert dance["app_s_samples"] == [round(dance["app_s"], 4)]  # smoke: one dance
    floor = dance["floor"]  # the same keys on Textual's widgets alone
    assert len(floor["steps"]) == 10 and floor["app_s"] > 0
    assert dance["floor_ratio"] == dance["app_s"] / floor["app_s"]
    assert {"demo", "spotify"} == dance["loaded"].keys()
    assert results["terminal_bytes"]["total_bytes"] > 0
    # The whole dance loads the demo server, which startup on Credentials does not.
    assert results["terminal_bytes"]["peak_rss_kb"] > startup["ours"]["peak_rss_kb"]
    assert {"tui.__main__", "tui.app", "first-frame path"} <= results["imports"][
        "entry_points"
    ].keys()
    token = results["token"]
    assert token["runs"] == 1 and token["token_s"] > token["python_pass_s"] > 0
    assert [t["target"] for t in results["targets"]] == [
        "first frame vs bare app",
        "peak RSS vs bare app",
        "demo dance, app time",
        "demo dance, bytes at 80x24",
    ]
    assert "PASS" in done.stdout or "MISS" in done.stdout


def test_first_frame_imports_leave_the_heavy_parts_out() -> None:
    """The HTTP client, the demo's web stack, the QR encoder and Pygments load when used; so do
    the TOML reader and writer (a fresh start reads and writes no file), PKCE's hashing (no
    attempt yet) and the Credentials form (complete settings open as a summary)."""
    heavy = ["httpx", "uvicorn", "starlette", "oauthlib", "segno", "pygments", "tree_sitter"]
    heavy += ["tomllib", "tomli_w", "hashlib", "tui.screens.credentials_form"]
    code = (
        "import sys, tui.__main__, tui.app, tui.screens.credentials, tui.demo.server\n"
        f"print(','.join(m for m in {heavy!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "", (
        f"imported before the first frame: {done.stdout.strip()}; "
        "import it where it is used (see benchmarks/README.md)"
    )


def test_the_first_screen_shown_leaves_the_heavy_parts_out(tmp_path: Path) -> None:
    """Drawn, not only imported (the wizard as ``oauth-dance`` makes it, its first screen
    shown): opening the provider at start once looked for expired device codes through the
    device flow's module, and brought httpx with it when there were none."""
    heavy = ["httpx", "uvicorn", "starlette", "oauthlib", "segno", "pygments", "tree_sitter"]
    code = textwrap.dedent(
        f"""
        import asyncio, sys
        from pathlib import Path
        from tui.app import OAuthDanceApp
        from tui.core.store import CredsStore

        async def main():
            app = OAuthDanceApp(CredsStore(Path({str(tmp_path / "creds.toml")!r})))
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                assert type(app.screen).__name__ == "CredentialsScreen"
                print(",".join(m for m in {heavy!r} if m in sys.modules))

        asyncio.run(main())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "", f"loaded by the first screen: {done.stdout.strip()}"


def test_demo_server_answers_what_came_before_it_served() -> None:
    """The wizard binds the demo's port first and serves after its first frame."""
    server = DemoServer(port=0)
    server.listen()
    answers: list[int] = []

    def browser() -> None:
        with httpx.Client(trust_env=False, timeout=20) as client:
            answers.append(client.get(server.metadata_url).status_code)

    thread = threading.Thread(target=browser)
    try:
        thread.start()
        thread.join(0.3)
        assert thread.is_alive()  # waiting in the socket's backlog
        assert not server.serving
        server.start(wait=False)
        thread.join(20)
        assert answers == [200]
        assert server.running and server.serving and server.failure is None
    finally:
        server.stop()
    assert not server.running and not server.serving


def test_demo_server_that_only_listened_stops_cleanly() -> None:
    server = DemoServer(port=0)
    server.listen()
    url = server.metadata_url
    server.stop()
    server.stop()
    try:
        httpx.get(url, timeout=2, trust_env=False)
    except httpx.ConnectError:
        pass
    else:
        raise AssertionError("the port still accepts connections")
