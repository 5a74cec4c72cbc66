"""Fixtures for every test: no developer config, no SSH, display or tmux leaking in."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the credentials file and config dirs into the test's tmp_path."""
    creds = tmp_path / "config" / "creds.toml"
    monkeypatch.setenv("OAUTH_DANCE_CREDS", str(creds))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    for name in ("SSH_CONNECTION", "SSH_TTY", "DISPLAY", "WAYLAND_DISPLAY", "TMUX"):
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


@pytest.fixture
def deny_reading(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make opening one file fail with EACCES, as mode 000 does for anyone but root.

    Simulated: the tests may run as root, for whom permission bits do not apply.
    """
    real_open = os.open

    def deny(path: Path) -> None:
        def refusing(file: object, flags: int, *args: object, **kwargs: object) -> int:
            if os.fspath(file) == os.fspath(path):  # type: ignore[call-overload]
                raise PermissionError(errno.EACCES, "Permission denied")
            return real_open(file, flags, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "open", refusing)

    return deny
