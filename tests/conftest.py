"""Fixtures for every test: no developer config, no SSH, display or tmux leaking in, no
animation."""

from __future__ import annotations

import errno
import functools
import gc
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.app.wizard import MovedClock, WizardFactory
    from tui.demo import DemoServer


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the credentials file and config dirs into the test's tmp_path."""
    creds = tmp_path / "config" / "creds.toml"
    monkeypatch.setenv("OAUTH_DANCE_CREDS", str(creds))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    for name in ("SSH_CONNECTION", "SSH_TTY", "DISPLAY", "WAYLAND_DISPLAY", "TMUX"):
        monkeypatch.delenv(name, raising=False)
    return creds


@pytest.fixture(autouse=True)
def still_textual(monkeypatch: pytest.MonkeyPatch) -> None:
    """No animations: a test sees end states at once, and screenshots do not depend on when
    they are taken. Through Textual's public setting, for apps made in this process, and
    its environment variable, for the wizards tests start in a subprocess or a pty.

    (The wizard's text fields do not blink anyway: every step screen turns that off.)
    """
    import textual.constants

    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    """One embedded demo server on 127.0.0.1 (port 0) for the app tests (one per worker)."""
    from tui.demo import DemoServer

    server = DemoServer(port=0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def own_demo() -> Iterator[DemoServer]:
    """A demo server of the test's own, which it may stop (``demo_server`` is shared by
    every test of a worker: stopped, it would be gone for the ones after)."""
    from tui.demo import DemoServer

    server = DemoServer(port=0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def moved_clock() -> MovedClock:
    from tests.app.wizard import MovedClock

    return MovedClock()


@pytest.fixture
def short_lived_demo(moved_clock: MovedClock) -> Iterator[DemoServer]:
    """A demo server whose access tokens live 60 s of ``moved_clock``."""
    from tui.demo import DemoServer

    server = DemoServer(port=0, token_ttl=60, clock=moved_clock)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def wizard(isolated_environment: Path, demo_server: DemoServer) -> WizardFactory:
    """``async with wizard(size=(80, 24)) as (app, pilot):`` the wizard on the demo
    provider with complete settings, started and settled (tests/app/wizard.py)."""
    from tests.app.wizard import demo_wizard

    return functools.partial(demo_wizard, isolated_environment, demo_server)


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


def pytest_configure(config: pytest.Config) -> None:
    """Collect cyclic garbage as the wizard command does (``tune_gc``): the Pilot tests run
    the app in this process, and with Python's default young threshold (700) its many
    short-lived objects made the collector about 30% of their CPU time, most of it full
    collections of a heap that Textual's bounded render caches keep large."""
    from tui.__main__ import tune_gc

    tune_gc()


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is loaded by now (modules, classes, the collected tests) lives until the
    process ends: no full collection needs to look through it again."""
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` (seconds of their own: a subprocess, a pty, a whole dance) run
    first, so that under pytest-xdist they overlap the many short ones instead of ending
    the run alone. The order is otherwise kept, and is the same in every worker."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
