"""Crash safety of the credentials file: a writer killed at random moments (of its own
CPU time, by a signal no code of it handles, as SIGKILL does), 200 times, never leaves a
file that does not parse, nor a temp file with secrets that others can read."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.faults.crash_saver import SECRET
from tui.core.store import CredsStore
from tui.core.store_files import temp_pattern

ROUNDS = 200
HELPER = Path(__file__).parent / "faults" / "crash_saver.py"
REPO = Path(__file__).parent.parent


def check_file(path: Path) -> str:
    """The file parses, to a whole table; returns which save it holds."""
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert doc["version"] == 1
    table = doc["crash"]
    assert table["client_secret"] == SECRET
    match = re.fullmatch(r"refresh-(\d+)-(\d+)", table["refresh"])
    assert match is not None, table["refresh"]
    assert int(match[2]) == table["count"], "the table is one save, not a mix of two"
    return str(table["refresh"])


@pytest.mark.slow
def test_sigkill_during_saves_leaves_old_or_new_never_half(isolated_environment: Path) -> None:
    path = isolated_environment
    CredsStore(path).save_provider(
        "crash",
        {
            "client_id": "crash-client",
            "client_secret": SECRET,
            "refresh": "refresh-0-0",
            "count": 0,
        },
    )
    rng = random.Random(20261129)
    states = {check_file(path)}
    leftover_seen = 0
    helper = subprocess.Popen(
        [sys.executable, str(HELPER), str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert helper.stdin is not None and helper.stdout is not None
    try:
        for _ in range(ROUNDS):
            helper.stdin.write(f"{rng.uniform(0, 0.03):.4f}\n")
            helper.stdin.flush()
            assert helper.stdout.readline() == "killed\n"
            states.add(check_file(path))
            assert not list(path.parent.glob("*.corrupt-*")), "a kill never corrupts the file"
            for stale in path.parent.glob(temp_pattern(path)):
                leftover_seen += 1
                assert stale.stat().st_mode & 0o077 == 0, f"{stale.name} is readable by others"
    finally:
        helper.stdin.close()
        helper.wait(timeout=30)
    assert helper.returncode == 0
    assert len(states) > 10, "the children did save between kills"
    assert path.stat().st_mode & 0o777 == 0o600

    # The next save clears what killed writers left behind.
    CredsStore(path).update_provider("crash", count=0, refresh="refresh-0-0")
    assert list(path.parent.glob(temp_pattern(path))) == []
    print(f"{len(states)} states seen, {leftover_seen} temp files left by kills")
