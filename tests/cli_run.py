"""Running ``oauth-dance`` in a subprocess, as a shell would, for the command-line tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ESCAPES = "\x1b]52;c;cHduZWQ=\x07\x1b[2J"
"""OSC 52 (set the clipboard) and a screen clear."""
SHOWN = "\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J"


def run_cli(
    *args: str,
    env_creds: Path,
    stdin: int | None = None,
    timeout: float = 60,
    creds_variable: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """``oauth-dance ARGS`` with ``OAUTH_DANCE_CREDS`` set to ``env_creds`` (or to
    ``creds_variable`` when given), and HOME next to it."""
    env = {
        "PATH": "/usr/bin:/bin",
        "OAUTH_DANCE_CREDS": str(env_creds) if creds_variable is None else creds_variable,
        "HOME": str(env_creds.parent),
    }
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        stdin=stdin,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def assert_shown_not_sent(done: subprocess.CompletedProcess[str], *where: str) -> None:
    """The escapes reached neither stdout nor stderr; their visible form did, in ``where``."""
    for stream in (done.stdout, done.stderr):
        assert "\x1b" not in stream and "\x07" not in stream, stream
    for name in where:
        assert SHOWN in getattr(done, name), (name, done.stdout, done.stderr)
