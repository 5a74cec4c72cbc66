"""How the wizard ends, in a real pty. SIGTERM and SIGHUP end it as ctrl+q does: the
terminal restored (alternate screen left, mouse, paste and focus reporting off, cursor
shown, tty modes back), saves under way written, exit status 128 + the signal's number.
And what was said on screen that must outlive it (a file moved aside) goes to stderr."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.terminal.test_driver import BIN, FIRST_FRAME, pty_term

WRAPPER = """
import subprocess, sys, termios
before = termios.tcgetattr(0)
child = subprocess.Popen(sys.argv[1:])
print(f"child-pid={child.pid}", flush=True)
code = child.wait()
print(f"exit={code} tty-restored={termios.tcgetattr(0) == before}", flush=True)
"""
"""Runs the wizard in the pty and reports its exit status and whether the tty's modes
are as they were before it started (the shell's view after the wizard ends)."""

RESTORE = {
    "leave the alternate screen": b"\x1b[?1049l",
    "show the cursor": b"\x1b[?25h",
    "mouse reporting off": b"\x1b[?1000l",
    "bracketed paste off": b"\x1b[?2004l",
    "focus reporting off": b"\x1b[?1004l",
}


def wrapped_wizard(tmp_path: Path) -> Any:
    """The wizard in a pty under ``WRAPPER`` (which reports its exit and the tty's state)."""
    creds = tmp_path / "creds.toml"
    command = [sys.executable, "-c", WRAPPER, str(BIN / "oauth-dance")]
    return pty_term().PtyApp(command, {"OAUTH_DANCE_CREDS": str(creds)})


def wizard_pid(term: Any) -> int:
    """The wizard's pid, once the wrapper started it and its first frame showed."""
    term.wait_for("child-pid=")
    pid = int(re.search(r"child-pid=(\d+)", pty_term().visible(term.output))[1])  # type: ignore[index]
    term.wait_for(*FIRST_FRAME)
    return pid


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_restores_the_terminal_and_exits_128_plus_its_number(
    tmp_path: Path, signum: int, status: int
) -> None:
    with wrapped_wizard(tmp_path) as term:
        pid = wizard_pid(term)
        mark = len(term.output)
        term.type(b"\r")  # go on to Authorize: its new attempt is saved
        term.wait_for("Press g to play the browser here", since=mark)
        last_frame = len(term.output)
        os.kill(pid, signum)
        term.wait_for("tty-restored=", since=last_frame)
        ending = bytes(term.output[last_frame:])
    report = pty_term().visible(ending)
    assert f"exit={status} tty-restored=True" in report
    assert ending.rfind(b"\x1b[?1049h") < ending.rfind(b"\x1b[?1049l")
    for what, sequence in RESTORE.items():
        assert sequence in ending, what
    assert "Traceback" not in report
    saved = tomllib.loads((tmp_path / "creds.toml").read_text())
    assert saved["demo"]["state"], "the attempt was saved"


def test_a_file_moved_aside_is_said_again_on_stderr_at_exit(tmp_path: Path) -> None:
    """Said with the path's control characters visible: a folder's name is the user's."""
    folder = tmp_path / "odd\x1b[2Jname"
    folder.mkdir()
    creds = folder / "creds.toml"
    creds.write_bytes(b"version = 1\n[mine]\nclient_id = 'a\x00'\n")
    command = [str(BIN / "oauth-dance"), "--provider", "mine"]
    with pty_term().PtyApp(command, {"OAUTH_DANCE_CREDS": str(creds)}) as term:
        term.wait_for("moved to")
        mark = len(term.output)
        term.type(pty_term().CTRL_Q)
        term.wait_for("oauth-dance: ", since=mark)
        term.drain(0.3)
        after = pty_term().visible(bytes(term.output[mark:]))
        raw = bytes(term.output)
    (aside,) = folder.glob("creds.toml.corrupt-*")
    shown = str(creds).replace("\x1b", "\\x1b")
    assert f"oauth-dance: {shown} is not valid TOML (line 3), column " in after
    assert f"It was moved to {str(aside).replace(chr(27), chr(92) + 'x1b')}; starting" in after
    assert b"odd\x1b[2Jname" not in raw, "the path's escape reached the terminal"


def test_sigterm_ends_the_wizard_after_sigconts_that_resumed_nothing(tmp_path: Path) -> None:
    """``timeout`` sends SIGCONT after SIGTERM, and anyone may send one: with nothing
    suspended, Textual's driver started its application mode again (threads and all), and
    the exit then waited for ever on a thread no one would stop."""
    with wrapped_wizard(tmp_path) as term:
        pid = wizard_pid(term)
        for _ in range(3):
            os.kill(pid, signal.SIGCONT)
        os.kill(pid, signal.SIGTERM)
        os.kill(pid, signal.SIGCONT)
        mark = len(term.output)
        term.wait_for("tty-restored=", since=mark, timeout=30)
        report = pty_term().visible(bytes(term.output[mark:]))
    assert "exit=143 tty-restored=True" in report


def test_ctrl_z_suspends_and_fg_resumes_the_wizard_whole(tmp_path: Path) -> None:
    """ctrl+z (read raw by the wizard, so its own binding) stops it, out of the alternate
    screen, as in any terminal program; SIGCONT (``fg``) enters the screen again, draws
    all of it (Textual alone drew only what changed: the footer, over a blank screen),
    and the app runs on."""
    with wrapped_wizard(tmp_path) as term:
        pid = wizard_pid(term)
        mark = len(term.output)
        term.type(b"\x1a")  # ctrl+z
        wait_for_bytes(term, b"\x1b[?1049l", since=mark)
        wait_until_stopped(term, pid)
        mark = len(term.output)
        os.kill(pid, signal.SIGCONT)
        wait_for_bytes(term, b"\x1b[?1049h", since=mark)
        # The sidebar and the summary, not only the footer.
        term.wait_for("Authorize", "7 Revoke", "Client ID", since=mark)
        mark = len(term.output)
        term.type(pty_term().CTRL_Q)
        term.wait_for("tty-restored=", since=mark)
        report = pty_term().visible(bytes(term.output[mark:]))
    assert "exit=0 tty-restored=True" in report


def wait_for_bytes(term: Any, sequence: bytes, since: int) -> None:
    """Read the pty until ``sequence`` came after byte ``since`` (20 s at most)."""
    deadline = time.monotonic() + 20
    while sequence not in term.output[since:]:
        assert time.monotonic() < deadline, f"{sequence!r} not seen"
        term.pump(0.05)


def wait_until_stopped(term: Any, pid: int) -> None:
    """Read the pty until the process is stopped (SIGSTOP), 20 s at most."""
    deadline = time.monotonic() + 20
    while "State:\tT" not in Path(f"/proc/{pid}/status").read_text():
        assert time.monotonic() < deadline, "not stopped"
        term.pump(0.05)
