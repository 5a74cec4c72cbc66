"""At the byte level: nothing from the credentials file reaches the terminal as an escape.

The wizard runs in a real pty, on a credentials file whose table name and
client id hold OSC 52 (set the clipboard) and ``ESC [2J`` (clear the screen).
Everything it writes is recorded: the sequences from the file never appear in
it, their visible form does. With the app's own driver and Textual's stock one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.faults.test_hostile_text import HOSTILE_TABLE, seed_hostile
from tests.terminal.test_driver import PLAIN_DRIVER, pty_term

BIN = Path(sys.executable).parent


@pytest.mark.parametrize("driver", [None, PLAIN_DRIVER], ids=["own driver", "stock driver"])
def test_no_escape_from_the_creds_file_reaches_the_terminal(
    driver: str | None, isolated_environment: Path
) -> None:
    seed_hostile(isolated_environment)
    env = {"OAUTH_DANCE_CREDS": str(isolated_environment)}
    if driver is not None:
        env["TEXTUAL_DRIVER"] = driver
    command = [str(BIN / "oauth-dance"), "--provider", HOSTILE_TABLE]
    with pty_term().PtyApp(command, env, columns=160, lines=40) as app:
        app.wait_for("Query parameters", "client_id")
        mark = len(app.output)
        app.type(b"1")
        app.wait_for("Client ID", "Client auth", since=mark)
    output = bytes(app.output)
    assert app.returncode == 0, output[-500:]
    assert b"\x1b]52" not in output, "the clipboard was written"
    assert b"cHduZWQ=\x07" not in output
    assert b"\x1b[2J[bold]" not in output and b"corp\x1b" not in output, "the screen cleared"
    # Sent as text instead: in the header, Authorize's parameters and the summary.
    shown = pty_term().visible(output)
    assert "corp\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J" in shown
    assert "id\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J[bold]b[/]" in shown
