"""Fixtures for every test: no developer config, no SSH or display leaking in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the credentials file and config dirs into the test's tmp_path."""
    creds = tmp_path / "config" / "creds.toml"
    monkeypatch.setenv("OAUTH_DANCE_CREDS", str(creds))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    for name in ("SSH_CONNECTION", "SSH_TTY", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    return creds


@pytest.fixture(scope="session")
def demo_server() -> Iterator[object]:
    """One embedded demo server on 127.0.0.1 (port 0) for the app tests."""
    from tui.demo import DemoServer

    server = DemoServer(port=0)
    server.start()
    yield server
    server.stop()
