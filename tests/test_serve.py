"""``oauth-dance serve``: the wizard in a browser (textual-serve), for a classroom.

The end-to-end test loads the page in headless Chromium (Playwright, the system's
browser) and reads the page's terminal through xterm.js's public buffer API.
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.app.wizard import free_port, seed
from tests.waiting import wait_for
from tui.cli_options import wizard_command
from tui.serve import WIZARD, exposure_warning, is_loopback

if TYPE_CHECKING:
    from playwright.sync_api import Page


def serve_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui", "serve", *args]


@contextmanager
def serving(*args: str) -> Iterator[subprocess.Popen[str]]:
    """``oauth-dance serve ARGS`` in a process group of its own, killed whole at the end
    (the server and every wizard it started)."""
    process = subprocess.Popen(
        serve_command(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


def wait_listening(process: subprocess.Popen[str], port: int, timeout: float = 60.0) -> None:
    """Until 127.0.0.1:``port`` takes a connection (the server bound it)."""

    def listening() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            if process.poll() is not None:
                _, err = process.communicate()
                raise AssertionError(f"serve ended ({process.returncode}): {err}") from None
            return False
        return True

    wait_for(listening, f"something to listen on port {port}", timeout)


def wait_group_gone(pgid: int, timeout: float = 30.0) -> None:
    """Until no process is left in the process group ``pgid``."""

    def gone() -> bool:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        return False

    wait_for(gone, "the last process of serve's group to end", timeout)


def test_the_wizard_command_is_this_python_with_the_options_quoted() -> None:
    """textual-serve runs a shell command: a hostile path stays one argument."""
    creds = "/tmp/class room/it's $(touch x); `id` \n.toml"
    command = wizard_command("-my provider", creds, program=WIZARD)
    assert shlex.split(command) == [
        sys.executable,
        "-m",
        "tui",
        "--provider=-my provider",
        f"--creds={creds}",
    ]
    assert shlex.split(wizard_command("demo", None, program=WIZARD)) == [
        sys.executable,
        "-m",
        "tui",
        "--provider=demo",
    ]


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.0.3", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        ("192.168.1.20", False),
        ("classroom.example.org", False),
        ("localhost.example.org", False),
    ],
)
def test_only_loopback_hosts_go_without_a_warning(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    assert (exposure_warning(host, 8000) is None) is loopback


def test_a_non_loopback_host_is_warned_about_before_binding(isolated_environment: Path) -> None:
    """192.0.2.1 (TEST-NET-1) is on no interface here: the warning comes, then one clear
    line about the bind that failed; nothing binds beyond loopback."""
    done = subprocess.run(
        serve_command("--host", "192.0.2.1", "--port", str(free_port())),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0].startswith("oauth-dance serve: warning: 192.0.2.1 is not a loopback address")
    assert lines[-1].startswith("oauth-dance serve: cannot listen on 192.0.2.1 port")
    assert "Traceback" not in done.stderr


def test_a_port_in_use_is_one_clear_line(isolated_environment: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            serve_command("--port", str(port)),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line.startswith(f"oauth-dance serve: cannot listen on 127.0.0.1 port {port}: ")
    assert line.endswith("address already in use")


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("--port", "0"), "a port is 1 to 65535, not 0"),
        (("--port", "x\x1b[2J"), "not a port number: 'x\\x1b[2J'"),
        (("--public-url", "ws://h"), "not an http:// or https:// URL"),
    ],
)
def test_bad_options_are_one_clear_line(
    args: tuple[str, ...], error: str, isolated_environment: Path
) -> None:
    done = subprocess.run(
        serve_command(*args), capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1  # bad usage, as in every command
    assert error in done.stderr
    assert "\x1b" not in done.stderr


def test_the_request_log_shows_control_characters_visibly() -> None:
    """aiohttp logs each request line and user agent as the client sent them."""
    from tui.wizard_server import CleanFormatter

    record = logging.LogRecord(
        "aiohttp.access", logging.INFO, __file__, 1, '"GET /%s" %s', ("\x1b[2J", "\x9b31m"), None
    )
    assert CleanFormatter("%(message)s").format(record) == '"GET /\\x1b[2J" \\x9b31m'


def test_the_usage_names_serve(isolated_environment: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--help"], capture_output=True, text=True, timeout=60
    )
    assert "oauth-dance serve [--host H] [--port N]" in done.stdout


def test_the_wizard_does_not_import_textual_serve() -> None:
    code = (
        "import sys, tui.__main__\n"
        "assert 'tui.serve' not in sys.modules, 'tui.serve imported'\n"
        "assert 'textual_serve' not in sys.modules, 'textual_serve imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# The page: textual-serve's xterm.js draws on a canvas, so its text is read from the
# terminal's buffer. The page keeps its Terminal in a property named "terminal" of an
# object of its own; this script, run before the page's, collects each one so assigned.
COLLECT_TERMINALS = """
window.terminals = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
    window.terminals.push(value);
  },
});
"""
SCREEN_TEXT = """() => {
  const terminal = window.terminals[0];
  if (!terminal) return "";
  const rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = terminal.buffer.active.getLine(y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""


def wait_for_text(page: Page, text: str, timeout: float = 60.0) -> None:
    """Until ``text`` is on the page's terminal screen."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            f"(text) => ({SCREEN_TEXT})().includes(text)", arg=text, timeout=timeout * 1000
        )
    except PlaywrightTimeout:
        screen = page.evaluate(SCREEN_TEXT)
        raise AssertionError(f"{text!r} not on the page's screen:\n{screen}") from None


@pytest.mark.slow
def test_the_wizard_in_a_browser(tmp_path: Path) -> None:
    """Served, loaded in headless Chromium: the wizard opens on Authorize with the
    settings of the credentials file given to serve (a path the shell must not split),
    o opens the authorization URL in that browser, the key 1 goes to Credentials, and
    SIGTERM ends the server, its wizard and the page's session."""
    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser_path is None:
        pytest.skip("no Chromium on this machine (.ci/run installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    creds = tmp_path / "class room" / "it's $HOME.toml"
    seed(
        creds,
        "demo",
        client_id="classroom-7",
        redirect_uri=f"http://127.0.0.1:{free_port()}/callback",
    )
    port = free_port()
    with serving("--port", str(port), "--provider", "demo", "--creds", str(creds)) as server:
        wait_listening(server, port)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=browser_path)
            try:
                page = browser.new_page(viewport={"width": 1100, "height": 700})
                page.add_init_script(COLLECT_TERMINALS)
                page.goto(f"http://127.0.0.1:{port}/")
                wait_for_text(page, "OAuth Dance — Authorize")
                wait_for_text(page, "client_id = classroom-7")
                page.focus("textarea.xterm-helper-textarea")
                with page.expect_popup() as popup:  # o opens the URL in the user's browser
                    page.keyboard.press("o")
                assert popup.value.url.startswith("http://127.0.0.1:")
                assert "client_id=classroom-7" in popup.value.url
                page.keyboard.press("1")
                wait_for_text(page, "OAuth Dance — Credentials")

                # The wizard is told to quit at once: aiohttp alone would wait for the tab
                # (a minute at most) before ending the server.
                server.send_signal(signal.SIGTERM)
                page.wait_for_function(
                    "() => document.body.classList.contains('-closed')", timeout=15_000
                )
                assert server.wait(timeout=15) == 0
                wait_group_gone(server.pid)
            finally:
                browser.close()
        out, err = server.communicate()
    assert f"at http://127.0.0.1:{port}" in out
    assert "Traceback" not in out + err
