"""The wizard with odd files around it: a slow disk, a FIFO or a loose file as the
credentials file, a corrupt file for a custom provider, the palette's screenshot and
Textual's debug log. The wizard stays responsive, says what it found, and writes
nothing others can read."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import textual.constants

from tests.app.wizard import dance_app, free_port, make_app, seed, settle, wait_until
from tests.faults.faultapp import toasts
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.credentials import CredentialsScreen
from tui.widgets.explain_panel import ExplainPanel


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


async def test_a_slow_disk_never_holds_the_ui(
    isolated_environment: Path, demo_server: DemoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    creds = isolated_environment
    seed(creds, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    disk = threading.Event()
    writing = threading.Event()
    written = threading.Event()
    real_fsync = os.fsync

    def slow_fsync(fd: int) -> None:
        writing.set()
        disk.wait(timeout=30)
        real_fsync(fd)
        written.set()

    async with make_app(creds, demo_server).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app = dance_app(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
        first = app.session.state.state
        monkeypatch.setattr(os, "fsync", slow_fsync)
        await pilot.press("n")  # a new attempt, saved at once
        assert writing.wait(timeout=5), "the save reached the disk"
        shown = app.screen.query_one(ExplainPanel).display
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query_one(ExplainPanel).display is not shown, "keys still work"
        assert not written.is_set(), "no key waited for the disk"
        assert not disk.is_set() and app.session.saving, "the save is still under way"
        disk.set()
        await settle(pilot)
        assert not app.session.unsaved and app.session.saving is None
    saved = tomllib.loads(creds.read_text())["demo"]["state"]
    assert saved == app.session.state.state != first


async def test_ctrl_q_during_a_save_quits_once_it_is_written(
    isolated_environment: Path, demo_server: DemoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    creds = isolated_environment
    seed(creds, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    disk = threading.Event()
    real_fsync = os.fsync

    def slow_fsync(fd: int) -> None:
        disk.wait(timeout=5)
        real_fsync(fd)

    async with make_app(creds, demo_server).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app = dance_app(pilot)
        monkeypatch.setattr(os, "fsync", slow_fsync)
        await pilot.press("n", "ctrl+q")
        await pilot.pause()
        assert app.is_running, "it waits for the save"
        assert not any("Not saved" in t for t in toasts(app)), "a save under way is no failure"
        disk.set()
        await settle(pilot)
        assert not app.is_running
    assert tomllib.loads(creds.read_text())["demo"]["state"] == app.session.state.state


async def test_a_fifo_as_the_credentials_file_is_explained_and_ctrl_q_quits(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    creds = isolated_environment
    creds.parent.mkdir(parents=True)
    os.mkfifo(creds, 0o644)
    stop = threading.Event()

    def writer() -> None:
        # Were the FIFO opened for reading, the app would wait for a writer: be one.
        while not stop.wait(0.1):
            with contextlib.suppress(OSError):  # ENXIO: nobody reads it, as it should be
                os.close(os.open(creds, os.O_WRONLY | os.O_NONBLOCK))

    threading.Thread(target=writer, daemon=True).start()
    try:
        async with make_app(creds, demo_server).run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app = dance_app(pilot)
            assert isinstance(app.screen, CredentialsScreen)
            said = " ".join(toasts(app))
            assert f"Could not use {creds}: it is a named pipe (FIFO), not a regular file" in said
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert not app.is_running
    finally:
        stop.set()
    assert stat.S_ISFIFO(os.lstat(creds).st_mode) and stat.S_IMODE(os.lstat(creds).st_mode) == 0o644


async def test_a_50_mb_credentials_file_is_refused_at_start_and_keys_still_work(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """A tester's 50 MB credentials file was read and written back whole on every save,
    holding the UI. Now it is refused from its size, saves refuse to replace it, and
    the keys get their answer (the file is never read, nor written: below)."""
    creds = isolated_environment
    creds.parent.mkdir(parents=True)
    line = "# " + "x" * 1021 + "\n"
    creds.write_text("version = 1\n[demo]\nclient_id = 'mine'\n" + line * 50 * 1024)
    creds.chmod(0o600)
    before = os.lstat(creds)
    app = make_app(creds, demo_server)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        said = " ".join(toasts(app))
        assert "it is 50.0 MiB, more than the 1 MiB this program reads" in said
        # A QA find: the toast promised "nothing is overwritten until you save", but a
        # save is refused; and the refusal spoke of tokens where there were none.
        assert "nothing is overwritten until you save" not in said
        assert "saves to this file are refused until that is fixed" in said
        await pilot.press("enter")  # on to Authorize: its new attempt is saved
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
        assert app.session.unsaved, "the save was refused, the attempt kept in memory"
        refusals = [t for t in toasts(app) if t.startswith("Not saved")]
        assert refusals and not any("in memory" in t for t in refusals), "there are no tokens"
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
    after = os.lstat(creds)
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    ), "left as it was"


async def test_a_loose_file_found_at_start_is_tightened_and_said_on_screen(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    creds = isolated_environment
    seed(creds, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    creds.chmod(0o644)
    async with make_app(creds, demo_server).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert any(
            f"Tightened permissions of {creds} from 0644 to 0600." in t for t in toasts(pilot.app)
        )
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600


async def test_a_corrupt_file_is_reported_even_when_its_provider_cannot_open(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    creds = isolated_environment
    creds.parent.mkdir(parents=True)
    creds.write_bytes(b'version = 1\n[mine]\nclient_id = "a\x00\xff"\n')
    app = make_app(creds, demo_server, provider="mine")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        said = " ".join(toasts(app))
        (aside,) = creds.parent.glob("creds.toml.corrupt-*")
        assert f"{creds} is not valid TOML (line 3). It was moved to {aside}" in said
    assert app.store.moved_aside and str(aside) in app.store.moved_aside[0]


async def test_the_palettes_screenshot_is_readable_only_by_you(
    isolated_environment: Path,
    demo_server: DemoServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    umask_022: None,
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    downloads = tmp_path / "home" / "Downloads"
    downloads.mkdir(parents=True)
    async with make_app(isolated_environment, demo_server).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"screenshot")
        await pilot.press("enter")
        await wait_until(pilot, lambda: list(downloads.glob("*.svg")), "the screenshot")
        (shot,) = downloads.glob("*.svg")
        assert stat.S_IMODE(shot.stat().st_mode) == 0o600
        await pilot.pause()
        assert any(f"Saved to {shot}." in t for t in toasts(pilot.app))


@pytest.mark.parametrize("existing", [True, False])
async def test_the_debug_log_is_made_private_and_the_warning_says_so(
    isolated_environment: Path,
    demo_server: DemoServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    umask_022: None,
    existing: bool,
) -> None:
    log = tmp_path / "textual.log"
    if existing:
        log.write_text("an earlier run\n")
    monkeypatch.setattr(textual.constants, "LOG_FILE", str(log))
    async with make_app(isolated_environment, demo_server).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        said = " ".join(toasts(pilot.app))
    assert "Textual's debug log is on: it records every key and paste" in said
    if existing:
        assert f"{log} was open to other users (0644); now only you can read it (0600)." in said
    else:
        assert f"Only you can read {log} (mode 0600)." in said
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert "Writing logs to" in log.read_text(), "Textual went on writing to it"


async def test_a_failed_save_without_tokens_does_not_say_tokens_are_kept(
    tmp_path: Path, demo_server: DemoServer
) -> None:
    """``oauth-dance --creds FOLDER``, then ``v``: the toast said "Your tokens are still
    in memory" with no token held. (That text was right already; but the failure's
    toast was replaced by the one naming the flow, which came after it.)"""
    async with make_app(tmp_path, demo_server).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app = dance_app(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        assert not (app.session.state.token or app.session.state.refresh)
        before = len(toasts(app))
        await pilot.press("v")
        await settle(pilot)
        await wait_until(pilot, lambda: "Not saving" in " ".join(toasts(app)), "the save's toast")
        said = " ".join(toasts(app)[before:])
        assert f"Not saving to {tmp_path}: it is a folder" in said
        assert "still in memory" not in said
