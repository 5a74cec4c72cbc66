"""The command line: help, import-json, and the provider choice."""

from __future__ import annotations

import gc
import json
import os
import signal
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import httpx
import pytest

from tests.app.wizard import seed, settle
from tests.cli_run import ESCAPES, SHOWN, assert_shown_not_sent, run_cli
from tui.__main__ import GC_THRESHOLD, NO_TERMINAL, main
from tui.app import OAuthDanceApp
from tui.core.discovery import discover
from tui.core.store import CredsStore
from tui.core.transport import new_client
from tui.demo import DemoServer
from tui.screens.credentials import CredentialsScreen


def test_help_names_the_options(isolated_environment: Path) -> None:
    done = run_cli("--help", env_creds=isolated_environment)
    assert done.returncode == 0
    for word in ("--provider", "--creds", "import-json", "demo-server", "OAUTH_DANCE_CREDS"):
        assert word in done.stdout


def test_the_wizard_command_collects_garbage_less_often(
    isolated_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Set before the app starts; the app itself is not run here. From Python's default
    thresholds (the tests' own process runs with the command's: tests/conftest.py)."""
    seen: list[tuple[int, int, int]] = []

    async def run_async(self: OAuthDanceApp) -> None:
        seen.append(gc.get_threshold())

    monkeypatch.setattr(OAuthDanceApp, "run_async", run_async)
    monkeypatch.setattr("tui.__main__.has_terminal", lambda: True)
    tests_own = gc.get_threshold()
    default = (700, 10, 10)
    gc.set_threshold(*default)
    try:
        assert main(["--provider", "spotify"]) == 0
    finally:
        gc.set_threshold(*tests_own)
    assert seen == [(GC_THRESHOLD, *default[1:])]
    assert default[0] < GC_THRESHOLD


@pytest.mark.parametrize(
    ("args", "stdin_is_a_pty"),
    [
        (["--provider", "nosuch"], False),
        (["--creds", "{folder}"], False),
        ([], True),  # stdin a terminal, stderr (where Textual draws) a pipe
    ],
    ids=["stdin /dev/null", "a folder as creds", "stderr a pipe"],
)
def test_the_wizard_without_a_terminal_stops_at_once(
    args: list[str], stdin_is_a_pty: bool, tmp_path: Path, isolated_environment: Path
) -> None:
    """It ran on, drawing for no one and reading the end of stdin over and over."""
    master, slave = os.openpty()
    try:
        done = run_cli(
            *(arg.format(folder=tmp_path) for arg in args),
            env_creds=isolated_environment,
            stdin=slave if stdin_is_a_pty else subprocess.DEVNULL,
            timeout=30,
        )
    finally:
        os.close(master)
        os.close(slave)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"{NO_TERMINAL}\n"
    assert not isolated_environment.exists()


def test_import_json_command(tmp_path: Path, isolated_environment: Path) -> None:
    notebook = tmp_path / "creds.json"
    notebook.write_text(
        json.dumps(
            {
                "spotify": {
                    "client_id": "abc123",
                    "client_secret": "s3cret+/=",
                    "redirect_uri": "http://127.0.0.1:8888/callback",
                    "token": "BQC-token",
                    "refresh": "AQC-refresh",
                    "scope": "user-read-private",
                    "expires": "2020-10-01 12:34:56.789012",
                }
            }
        )
    )
    target = tmp_path / "out" / "creds.toml"
    done = run_cli(
        "import-json", str(notebook), "--creds", str(target), env_creds=isolated_environment
    )
    assert done.returncode == 0, done.stderr
    assert "spotify" in done.stdout
    assert "s3cret" not in done.stdout + done.stderr
    table = tomllib.loads(target.read_text())["spotify"]
    assert table["client_secret"] == "s3cret+/="
    assert table["refresh"] == "AQC-refresh"
    assert table["expires"].tzinfo is not None
    assert target.stat().st_mode & 0o777 == 0o600


def test_import_json_bad_file_is_one_clear_line(tmp_path: Path, isolated_environment: Path) -> None:
    notebook = tmp_path / "creds.json"
    notebook.write_text("{not json")
    done = run_cli("import-json", str(notebook), env_creds=isolated_environment)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert str(notebook) in done.stderr


def test_import_json_of_a_deep_file_is_one_clear_line(
    tmp_path: Path, isolated_environment: Path
) -> None:
    notebook = tmp_path / "creds.json"
    notebook.write_text("[" * 100_000 + "]" * 100_000)
    done = run_cli("import-json", str(notebook), env_creds=isolated_environment)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "RecursionError" not in done.stderr
    assert "nested more than 64 levels deep" in done.stderr
    assert not isolated_environment.exists(), "nothing written"


def test_import_json_of_a_fifo_is_refused_at_once(
    tmp_path: Path, isolated_environment: Path
) -> None:
    fifo = tmp_path / "creds.json"
    os.mkfifo(fifo)
    done = run_cli("import-json", str(fifo), env_creds=isolated_environment)
    assert done.returncode == 1
    assert done.stderr == (
        f"oauth-dance: Could not read {fifo}: it is a named pipe (FIFO), not a regular file.\n"
    )
    assert not isolated_environment.exists()


def test_import_json_into_a_folder_it_did_not_create_leaves_that_folder_alone(
    tmp_path: Path, isolated_environment: Path
) -> None:
    notebook = tmp_path / "creds.json"
    notebook.write_text(json.dumps({"spotify": {"client_id": "abc123"}}))
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    done = run_cli(
        "import-json",
        str(notebook),
        "--creds",
        str(shared / "creds.toml"),
        env_creds=isolated_environment,
    )
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(shared.stat().st_mode) == 0o777
    assert f"Other users can write in the folder {shared} (0777)" in done.stdout
    assert stat.S_IMODE((shared / "creds.toml").stat().st_mode) == 0o600


async def test_discovery_finds_the_demo_servers_endpoints(demo_server: DemoServer) -> None:
    async with new_client() as client:
        endpoints = await discover(client, demo_server.issuer)
    assert endpoints["authorize_endpoint"] == f"{demo_server.base_url}/authorize"
    assert endpoints["token_endpoint"] == f"{demo_server.base_url}/api/token"
    assert endpoints["profile_endpoint"] == f"{demo_server.base_url}/v1/me"


async def test_custom_provider_by_issuer_is_discovered_in_the_app(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    seed(
        isolated_environment,
        "mine",
        issuer=demo_server.issuer,
        client_id=demo_server.client_id,
        client_secret=demo_server.client_secret,
        redirect_uri=demo_server.callback_url,
        scope="user-read-email",
    )
    app = OAuthDanceApp(CredsStore(isolated_environment), "mine", demo=demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        assert app.session.provider.token_endpoint == f"{demo_server.base_url}/api/token"
        await pilot.press("ctrl+s")
        await settle(pilot)
        url = app.session.authorization_request().url
        assert str(url).startswith(f"{demo_server.base_url}/authorize?")
        async with httpx.AsyncClient(trust_env=False) as browser:
            page = await browser.get(url)
        assert page.status_code == 200
        assert "user-read-email" in page.text


def test_import_json_prints_escapes_of_the_file_visibly(
    tmp_path: Path, isolated_environment: Path
) -> None:
    notebook = tmp_path / "creds.json"
    entry = {"client_id": "abc", "extra": {"nested": 1}, "expires": f"soon{ESCAPES}"}
    notebook.write_text(json.dumps({f"corp{ESCAPES}": entry}))
    done = run_cli("import-json", str(notebook), env_creds=isolated_environment)
    assert done.returncode == 0, done.stderr
    assert f"Imported corp{SHOWN} into" in done.stdout
    assert f"Skipped corp{SHOWN}.expires" in done.stdout
    assert_shown_not_sent(done, "stdout")
    saved = tomllib.loads(isolated_environment.read_text())
    assert saved[f"corp{ESCAPES}"]["client_id"] == "abc", "the data itself is kept"


def test_import_json_error_shows_a_hostile_path_visibly(
    tmp_path: Path, isolated_environment: Path
) -> None:
    done = run_cli(
        "import-json", str(tmp_path / f"no{ESCAPES}.json"), env_creds=isolated_environment
    )
    assert done.returncode == 1
    assert_shown_not_sent(done, "stderr")


@pytest.mark.parametrize(
    "args",
    [(f"--bogus{ESCAPES}",), ("import-json", "a.json"), ("demo-server", f"--port={ESCAPES}")],
    ids=["wizard", "import-json", "demo-server"],
)
def test_usage_errors_show_arguments_visibly(
    args: tuple[str, ...], isolated_environment: Path
) -> None:
    done = run_cli(*args, f"x{ESCAPES}", env_creds=isolated_environment)
    assert done.returncode == 1
    assert_shown_not_sent(done, "stderr")


def test_demo_server_banner_shows_a_hostile_client_id_visibly(isolated_environment: Path) -> None:
    command = [sys.executable, "-m", "tui", "demo-server", "--port", "0"]
    with subprocess.Popen(
        [*command, "--client-id", f"id{ESCAPES}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as server:
        assert server.stdout is not None
        banner = ""
        while (line := server.stdout.readline()) and not line.startswith("Press Ctrl+C"):
            banner += line
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    done = subprocess.CompletedProcess(command, server.returncode, banner + out, err)
    assert done.returncode == 0, err
    assert f"client_id:     id{SHOWN}" in done.stdout
    assert_shown_not_sent(done, "stdout")
