"""The wizard's real output in a pty: the diffing driver is used, sends far less, shows the same.

Textual's own output of a real dance (its plain Linux driver, chosen with
``TEXTUAL_DRIVER``) is recorded in a pty, then fed to the screen model in
writes of random sizes, rendering at random points; a terminal emulator fed
the recording and one fed the renders must show the same screen each time.
"""

from __future__ import annotations

import importlib.util
import io
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest
from textual.drivers.linux_driver import LinuxDriver

from tests.terminal.emulator import Terminal
from tui.app import OAuthDanceApp
from tui.core.store import CredsStore
from tui.terminal.driver import DiffingDriver, DiffingOutput
from tui.terminal.screen_diff import ScreenDiff

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PLAIN_DRIVER = "textual.drivers.linux_driver:LinuxDriver"
KEYS = [
    (b"\r", "Press g to play the browser here"),
    (b"g", "Consent page"),
    (b"a", "Code received from"),
    (b"3", "Exchange · POST /api/token"),
    (b"s", "Tokens received and saved"),
]
"""Go on with the demo credentials, consent in the terminal, approve, exchange the code."""


def pty_term() -> ModuleType:
    """The benchmarks' pty harness (one copy of it, used by both)."""
    spec = importlib.util.spec_from_file_location("pty_term", ROOT / "benchmarks" / "pty_term.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def dance_output(tmp_path: Path, env: dict[str, str]) -> bytes:
    """Everything the wizard writes to an 80x24 pty through the first steps of the demo dance."""
    env = {"OAUTH_DANCE_CREDS": str(tmp_path / "creds.toml"), **env}
    with pty_term().PtyApp([str(BIN / "oauth-dance")], env) as app:
        app.wait_for("⏎ Authorize", "No access token")
        for keys, shown in KEYS:
            mark = len(app.output)
            app.type(keys)
            app.wait_for(shown, since=mark)
            app.drain(0.3)
        return bytes(app.output)


@pytest.fixture(scope="module")
def plain_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("plain")
    return dance_output(tmp, {"TEXTUAL_DRIVER": PLAIN_DRIVER}).decode()


def test_textuals_own_output_of_a_dance_shows_the_same_through_the_model(plain_output: str) -> None:
    chance = random.Random(20261129)
    direct, diffed = Terminal(), Terminal()
    model = ScreenDiff(80, 24)
    sent = renders = 0
    position = 0
    while position < len(plain_output):
        size = chance.choice([1, 7, 60, 900, 4000, 15000])
        piece = plain_output[position : position + size]
        position += size
        model.feed(piece)
        direct.feed(piece)
        if chance.random() < 0.3 or position >= len(plain_output):
            output = model.render()
            sent += len(output.encode())
            renders += 1
            diffed.feed(output)
            assert diffed.cells() == direct.cells(), f"render {renders}:\n{diffed.text()}"
    assert "Tokens received and saved" in diffed.text()
    assert sent < len(plain_output.encode()) / 3


def test_the_wizard_writes_through_the_model_and_sends_less(
    tmp_path: Path, plain_output: str
) -> None:
    ours = dance_output(tmp_path, {})
    direct = Terminal()
    direct.feed(ours.decode())
    assert "Tokens received and saved" in direct.text()
    assert len(ours) < len(plain_output.encode()) / 3


def test_ctrl_l_sends_the_whole_screen_again(tmp_path: Path) -> None:
    env = {"OAUTH_DANCE_CREDS": str(tmp_path / "creds.toml")}
    with pty_term().PtyApp([str(BIN / "oauth-dance")], env) as app:
        app.wait_for("⏎ Authorize", "No access token")
        app.drain(0.5)
        mark = len(app.output)
        app.type(b"\x0c")
        app.wait_for("⏎ Authorize", "No access token", "Credentials", since=mark)
        assert b"\x1b[2J" in app.output[mark:]


def test_the_driver_is_the_diffing_one_unless_textual_driver_names_another(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = CredsStore(Path("unused.toml"))
    assert OAuthDanceApp(store).driver_class is DiffingDriver
    monkeypatch.setattr("textual.constants.DRIVER", PLAIN_DRIVER)
    assert OAuthDanceApp(store).driver_class is LinuxDriver


def test_frames_queued_before_a_flush_are_sent_as_their_end_state() -> None:
    terminal = io.StringIO()
    output = DiffingOutput(terminal, lambda: (20, 4))
    output.write("\x1b[1;1Hfirst frame")
    output.write("\x1b[1;1Hsecond")
    output.write("\x1b[1;7H\x1b[0m     \x1b[1;1H")
    output.flush()
    assert terminal.getvalue() == "\x1b[1Hsecond     \x1b[1H"  # "first frame" never went out
    output.write("\x1b[1;1Hsecond\x1b[1;1H")
    output.flush()
    assert terminal.getvalue() == "\x1b[1Hsecond     \x1b[1H"


def test_a_new_terminal_size_sends_the_next_frame_whole() -> None:
    terminal, size = io.StringIO(), [20, 4]
    output = DiffingOutput(terminal, lambda: (size[0], size[1]))
    output.write("\x1b[1;1Hab")
    output.flush()
    size[0] = 30
    output.write("\x1b[1;1Hab")
    output.flush()
    assert terminal.getvalue() == "\x1b[1Hab\x1b[1Hab"


def test_when_the_model_fails_textuals_own_output_goes_out_and_the_app_is_not_stuck() -> None:
    terminal, sizes = io.StringIO(), iter([(20, 4), (20, 4)])
    output = DiffingOutput(terminal, lambda: next(sizes))  # the third size lookup fails
    output.write("\x1b[1;1Hab")
    output.flush()
    output.write("\x1b[1;1Hab")  # the size lookup fails: this and all that follows go out as is
    output.write("\x1b[2;1Hcd")
    output.flush()
    output.write("\x1b[1;1Hab")
    assert terminal.getvalue() == "\x1b[1Hab" + "\x1b[1;1Hab\x1b[2;1Hcd\x1b[1;1Hab"
