"""``oauth-dance demo-server`` as a real subprocess: serve, dance, Ctrl+C; busy port."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from demo_dance import Dance

from tui.demo import DemoServer

ROOT = Path(__file__).resolve().parents[2]
SECRET = 's3cr+t&"x'

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _spawn(*args: str, env_secret: str | None = None) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env.pop("OAUTH_DANCE_DEMO_SECRET", None)
    if env_secret is not None:
        env["OAUTH_DANCE_DEMO_SECRET"] = env_secret
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "demo-server", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def _read_lines(stream: object, lines: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line)


def test_standalone_server_dance_then_sigint() -> None:
    proc = _spawn("--port", "0", "--client-id", "teacher-app", env_secret=SECRET)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True)
    reader.start()
    try:
        seen: list[str] = []
        base = None
        while base is None:
            line = lines.get(timeout=20)
            seen.append(line)
            match = re.search(r"listening on (http://127\.0\.0\.1:(\d+))", line)
            if match:
                base = match.group(1)
                assert int(match.group(2)) != 0
        # The banner names the metadata URL and both clients.
        while not any("Ctrl+C" in line for line in seen):
            seen.append(lines.get(timeout=10))
        banner = "".join(seen)
        assert f"{base}/.well-known/oauth-authorization-server" in banner
        assert "teacher-app" in banner and "oauth-dance-public" in banner
        assert SECRET in banner
        assert "http://127.0.0.1/callback" in banner and "http://[::1]/callback" in banner

        # A client completes the dance against it.
        stand_in = DemoServer(client_id="teacher-app", client_secret=SECRET)
        stand_in.base_url = stand_in.issuer = base
        with httpx.Client(timeout=10, trust_env=False) as http:
            dance = Dance(stand_in, http)
            tokens = dance.tokens()
            me = dance.me(tokens["access_token"])
            assert me.status_code == 200
            assert dance.refresh(tokens["refresh_token"], auth="body").status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            _out, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode in (0, 130)
    assert "Traceback" not in err
    assert SECRET not in err


def test_standalone_busy_port_is_one_line_exit_1() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        proc = _spawn("--port", str(port))
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 1
    assert "Traceback" not in err
    assert err.strip().splitlines() == [
        f"oauth-dance demo-server: Port {port} on 127.0.0.1 is already in use."
    ]
    assert "listening" not in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--port", "70000"), "port"),
        (("--token-ttl", "0"), "lifetimes"),
        (("--client-id", ""), "client"),
    ],
)
def test_a_value_the_server_refuses_is_bad_usage_exit_1(args: tuple[str, ...], said: str) -> None:
    """As argparse's own refusals (a port that is not a number): status 1, the usage line
    first; it was 2, another status for the same option."""
    proc = _spawn(*args)
    out, err = proc.communicate(timeout=20)
    assert (proc.returncode, out) == (1, "")
    assert err.startswith("usage: oauth-dance demo-server")
    assert said in err.splitlines()[-1].lower()
    assert "Traceback" not in err
