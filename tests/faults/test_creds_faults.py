"""The credentials file going wrong: at start (corrupt, unreadable, read-only folder)
and at save (read-only, disk full). The wizard opens, says what is wrong, keeps new
tokens in memory, and saves them once the user fixes the problem and presses ctrl+s.

Tests run as root, for whom permission bits do not apply, so unreadable files and
read-only folders are simulated with monkeypatch at the very calls that would fail.
"""

from __future__ import annotations

import asyncio
import errno
import gc
import os
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.app.wizard import approve_in_browser, dance_app, free_port, make_app, seed, settle
from tests.faults.faultapp import panel_text, toasts
from tui.core.flow import basic_credentials
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.refresh import RefreshScreen

SECRET = "corrupt-file-secret-0123456789"


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` takes no new file, as on a read-only mount."""
    real_mkstemp = tempfile.mkstemp

    def refuse(*args: object, dir: object = None, **kwargs: object) -> tuple[int, str]:
        if dir is not None and Path(str(dir)).resolve() == folder.resolve():
            raise OSError(errno.EROFS, "Read-only file system")
        return real_mkstemp(*args, dir=dir, **kwargs)  # type: ignore[call-overload, no-any-return]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "mkstemp", refuse)
        yield


@contextmanager
def disk_full() -> Iterator[None]:
    """Every fsync fails with ENOSPC, as it does when the disk fills mid-write."""

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fsync", full)
        yield


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


async def test_corrupt_file_at_start(isolated_environment: Path, demo_server: DemoServer) -> None:
    creds = isolated_environment
    creds.parent.mkdir(parents=True)
    creds.write_text(f'version = 1\n[demo]\nclient_secret = "{SECRET}"\nscope = "unterminated\n')
    async with make_app(creds, demo_server).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app = dance_app(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        said = " ".join(toasts(app))
        assert "is not valid TOML (line 4" in said
        assert "It was moved to" in said and "nothing is overwritten until you save" in said
        assert SECRET not in said, "the message never quotes the file"
    aside = list(creds.parent.glob("creds.toml.corrupt-*"))
    assert len(aside) == 1 and SECRET in aside[0].read_text()
    assert aside[0].stat().st_mode & 0o077 == 0


async def test_values_of_the_wrong_type_are_said_at_start_and_the_file_kept(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """A QA find: a [demo] table with `client_id = 5`, `redirect_uri = ["a"]` and
    `pkce = "yes"` opened on defaults without a word, and the file was rewritten
    without them and no copy kept."""
    creds = isolated_environment
    creds.parent.mkdir(parents=True)
    original = 'version = 1\n[demo]\nclient_id = 5\nredirect_uri = ["a"]\npkce = "yes"\n'
    creds.write_text(original)
    creds.chmod(0o600)
    async with make_app(creds, demo_server).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app = dance_app(pilot)
        said = " ".join(toasts(app))
        assert "[demo] has values of the wrong type, ignored" in said
        assert "client_id (an integer, not text)" in said
        assert "redirect_uri (an array, not text)" in said
        assert "pkce (text, not true or false)" in said
        [kept] = creds.parent.glob("creds.toml.kept-*")
        assert f"kept in {kept}" in said
        await pilot.press("enter")  # the summary: on to Authorize, which saves
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)
    assert "client_id = 5" not in creds.read_text()
    assert kept.read_text() == original


async def test_unreadable_file_at_start(
    isolated_environment: Path, demo_server: DemoServer, deny_reading: Callable[[Path], None]
) -> None:
    creds = isolated_environment
    seed(creds, "demo", client_secret=SECRET, redirect_uri="https://example.com/cb")
    before = creds.read_bytes()
    deny_reading(creds)
    async with make_app(creds, demo_server).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app = dance_app(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        assert any("permission denied" in t for t in toasts(app))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("Not saved" in t and "cannot be read" in t for t in toasts(app))
    with open(creds, "rb") as f:
        assert f.read() == before, "a file that cannot be read is never overwritten"


async def test_read_only_folder_at_start_and_at_save(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    creds = isolated_environment
    seed(creds, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    before = creds.read_bytes()
    with read_only(creds.parent):
        async with make_app(creds, demo_server).run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app = dance_app(pilot)
            assert any("Cannot write in" in t and "Read-only file system" in t for t in toasts(app))
            # The wizard goes on: Authorize opens and makes a new attempt in memory.
            assert isinstance(app.screen, AuthorizeScreen)
            assert app.session.state.state, "the attempt exists in memory"
            assert any("Not saved" in t for t in toasts(app))
            assert app.session.unsaved
    assert creds.read_bytes() == before
    assert leftovers(creds.parent) == []


async def test_a_failed_save_is_handled_once_and_leaves_no_unretrieved_future(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    """A failed save's outcome is taken once, by the app, and shown. Its exception was
    also left in a copy of the save's future, which asyncio reported when it was
    collected ("Future exception was never retrieved", on stderr at exit)."""
    creds = isolated_environment
    seed(creds, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    loop = asyncio.get_running_loop()
    reported: list[dict[str, object]] = []
    handler = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    try:
        async with make_app(creds, demo_server).run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app = dance_app(pilot)
            assert isinstance(app.screen, AuthorizeScreen)
            with read_only(creds.parent):
                await pilot.press("ctrl+s")
                await settle(pilot)
            said = [t for t in toasts(app) if "Not saved" in t]
            assert len(said) == 1 and "Read-only file system" in said[0]
            assert "Read-only file system" in panel_text(app)
            assert app.session.unsaved
        gc.collect()
    finally:
        loop.set_exception_handler(handler)
    assert reported == []


async def test_rotated_refresh_token_survives_failing_saves(isolated_environment: Path) -> None:
    creds = isolated_environment
    seed(creds, "demo", redirect_uri=f"http://127.0.0.1:{free_port()}/callback")
    with DemoServer(port=0, rotate_refresh=True) as demo:
        async with make_app(creds, demo).run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app = dance_app(pilot)
            app.session.accept_callback(
                approve_in_browser(str(app.session.authorization_request().url))
            )
            await pilot.press("3", "s")
            await settle(pilot)
            old = tomllib.loads(creds.read_text())["demo"]["refresh"]

            with disk_full():
                await pilot.press("5", "s")
                await settle(pilot)
                assert isinstance(app.screen, RefreshScreen)
                new = app.session.state.refresh
                assert new and new != old, "the server rotated the refresh token"
                assert tomllib.loads(creds.read_text())["demo"]["refresh"] == old
                panel = panel_text(app)
                assert "Not saved" in panel and "No space left on device" in panel
                assert "ctrl+s" in panel
                assert any("Not saved" in t for t in toasts(app))

                # Retrying while the disk is still full fails, and says so again.
                await pilot.press("ctrl+s")
                await settle(pilot)
                assert "No space left on device" in panel_text(app)
                # Quitting now would lose the new token: the first ctrl+q only warns.
                await pilot.press("ctrl+q")
                await settle(pilot)
                assert app.return_code is None
                assert any("ctrl+q again" in t for t in toasts(app))
                assert leftovers(creds.parent) == []

            await pilot.press("ctrl+s")
            await settle(pilot)
            assert any("Saved to" in t for t in toasts(app))
            assert "Not saved" not in panel_text(app)
            assert not app.session.unsaved

        saved = tomllib.loads(creds.read_text())["demo"]["refresh"]
        assert saved == new
        with httpx.Client(trust_env=False) as client:
            auth = {"Authorization": basic_credentials(demo.client_id, demo.client_secret)}
            url = f"{demo.base_url}/api/token"
            works = client.post(
                url, data={"grant_type": "refresh_token", "refresh_token": saved}, headers=auth
            )
            assert works.status_code == 200, works.text
            dead = client.post(
                url, data={"grant_type": "refresh_token", "refresh_token": old}, headers=auth
            )
            assert dead.status_code == 400, "the old one died at rotation: only the new one counts"
