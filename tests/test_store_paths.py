"""The credentials path off the happy path: too large, not a regular file, symlinks that
lead elsewhere or nowhere, folders the store did not create, saves in the writer thread."""

from __future__ import annotations

import os
import re
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.core.store import CredsStore
from tui.core.store_errors import CorruptCredsError, RefusedFileError, StoreError, StoreWriteError
from tui.core.store_files import MAX_FILE_BYTES


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry of ``folder``: its mode, size and modification time (links not followed)."""
    return {
        p.name: (os.lstat(p).st_mode, os.lstat(p).st_size, os.lstat(p).st_mtime_ns)
        for p in folder.iterdir()
    }


@pytest.fixture
def creds(tmp_path: Path) -> Path:
    folder = tmp_path / "conf"
    folder.mkdir(mode=0o700)
    return folder / "creds.toml"


@pytest.fixture
def unix_socket(creds: Path) -> Iterator[Path]:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(creds))
        yield creds


def test_a_file_over_the_cap_is_refused_unread_and_left_untouched(creds: Path) -> None:
    with open(creds, "wb") as f:
        f.truncate(50 << 20)  # 50 MB of NUL bytes, sparse: made at once
    creds.chmod(0o644)
    before = os.lstat(creds)
    store = CredsStore(creds)
    started = time.perf_counter()
    with pytest.raises(RefusedFileError) as info:
        store.load()
    assert time.perf_counter() - started < 0.5, "refused from its size, not read"
    assert str(info.value) == (
        f"Could not use {creds}: it is 50 MiB, more than the 1 MiB this program reads. "
        "It is left as it is; pass --creds with another path."
    )
    with pytest.raises(StoreWriteError, match=re.escape("50 MiB")) as saving:
        store.save_provider("demo", {"client_id": "a"})
    assert "in memory" not in str(saving.value), "the store holds no tokens: a session says so"
    after = os.lstat(creds)
    assert (after.st_ino, after.st_mode, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_mode,
        before.st_size,
        before.st_mtime_ns,
    ), "not replaced, not chmod-ed"
    assert list(creds.parent.glob("*.corrupt-*")) == [], "not moved aside"


def test_a_file_just_under_the_cap_is_read(creds: Path) -> None:
    head = b'version = 1\n[demo]\npadding = "'
    creds.write_bytes(head + b"p" * (MAX_FILE_BYTES - len(head) - 2) + b'"\n')
    assert len(CredsStore(creds).load_provider("demo")["padding"]) > 1_000_000


def test_a_save_that_would_pass_the_cap_is_refused(creds: Path) -> None:
    store = CredsStore(creds)
    store.save_provider("demo", {"client_id": "a"})
    before = creds.read_bytes()
    with pytest.raises(
        StoreWriteError, match=re.escape("it would be 1.0 MiB, more than the 1 MiB")
    ):
        store.save_provider("other", {"padding": "p" * MAX_FILE_BYTES})
    assert creds.read_bytes() == before


def test_a_fifo_is_refused_without_waiting_for_a_writer(creds: Path) -> None:
    os.mkfifo(creds, 0o644)
    store = CredsStore(creds)
    outcome: list[BaseException | None] = []

    def load_and_save() -> None:
        try:
            store.load()
        except StoreError as err:
            outcome.append(err)
        try:
            store.save_provider("demo", {"client_id": "a"})
        except StoreError as err:
            outcome.append(err)

    reader = threading.Thread(target=load_and_save, daemon=True)
    reader.start()
    reader.join(timeout=5)
    if reader.is_alive():  # release the blocked open before failing
        os.close(os.open(creds, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("opening the FIFO waited for a writer")
    loaded, saved = outcome
    assert isinstance(loaded, RefusedFileError)
    assert "it is a named pipe (FIFO), not a regular file" in str(loaded)
    assert isinstance(saved, StoreWriteError)
    assert f"Not saving to {creds}: it is a named pipe (FIFO)" in str(saved)
    assert stat.S_ISFIFO(os.lstat(creds).st_mode), "never replaced by a file"
    assert mode_of(creds) == 0o644, "never chmod-ed"


@pytest.mark.parametrize("kind", ["folder", "socket"])
def test_a_folder_or_socket_is_refused_and_never_chmodded(
    creds: Path, kind: str, request: pytest.FixtureRequest
) -> None:
    if kind == "folder":
        creds.mkdir()
        creds.chmod(0o755)
    else:
        request.getfixturevalue("unix_socket")
    mode = mode_of(creds)
    store = CredsStore(creds)
    with pytest.raises(RefusedFileError, match=f"it is a {kind}, not a regular file"):
        store.load()
    with pytest.raises(StoreWriteError, match=f"it is a {kind}, not a regular file"):
        store.save_provider("demo", {"client_id": "a"})
    assert mode_of(creds) == mode
    assert list(creds.parent.glob("*.corrupt-*")) == []


def test_a_symlink_to_a_file_that_is_not_toml_is_refused_and_nothing_moves(
    tmp_path: Path, creds: Path
) -> None:
    notes_dir = tmp_path / "notes"
    notes_dir.mkdir()
    notes_dir.chmod(0o755)
    notes = notes_dir / "todo.txt"
    notes.write_text("buy milk\n")
    notes.chmod(0o600)
    creds.symlink_to(notes)
    before = snapshot(notes_dir)
    store = CredsStore(creds)
    with pytest.raises(RefusedFileError) as info:
        store.load()
    assert not isinstance(info.value, CorruptCredsError)
    assert f"it is a symbolic link to {notes}, which is not valid TOML (line 1)" in str(info.value)
    with pytest.raises(StoreWriteError, match="which is not valid TOML"):
        store.save_provider("demo", {"client_id": "a"})
    assert creds.is_symlink() and notes.read_text() == "buy milk\n"
    assert snapshot(notes_dir) == before, "not renamed, not replaced, its folder not chmod-ed"
    assert store.moved_aside == []


@pytest.mark.parametrize("target", ["nowhere/deeper/creds.toml", "a-folder", "a-fifo"])
def test_a_symlink_to_anything_but_a_regular_file_is_refused(
    tmp_path: Path, creds: Path, target: str
) -> None:
    (tmp_path / "a-folder").mkdir()
    os.mkfifo(tmp_path / "a-fifo")
    creds.symlink_to(tmp_path / target)
    before = snapshot(tmp_path)
    store = CredsStore(creds)
    with pytest.raises(RefusedFileError, match=f"it is a symbolic link to {tmp_path / target}"):
        store.load()
    with pytest.raises(StoreWriteError, match="it is a symbolic link"):
        store.save_provider("demo", {"client_id": "a"})
    assert snapshot(tmp_path) == before, "no folder created through the link"
    assert creds.is_symlink()


def test_a_folder_symlink_to_nowhere_creates_nothing(tmp_path: Path) -> None:
    link = tmp_path / "conf"
    link.symlink_to(tmp_path / "gone" / "conf")
    store = CredsStore(link / "creds.toml")
    with pytest.raises(StoreWriteError, match="is not a folder, nor a link to one"):
        store.save_provider("demo", {"client_id": "a"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conf"]


def test_only_folders_the_store_creates_are_made_0700(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    store = CredsStore(shared / "new" / "deeper" / "creds.toml")
    store.save_provider("demo", {"client_id": "a"})
    assert mode_of(shared) == 0o755
    assert mode_of(shared / "new") == 0o700
    assert mode_of(shared / "new" / "deeper") == 0o700
    assert store.notices == []


def test_every_file_moved_aside_is_recorded(creds: Path) -> None:
    creds.write_bytes(b"version = 1\n\x00\xff")
    store = CredsStore(creds)
    with pytest.raises(CorruptCredsError) as info:
        store.load()
    assert info.value.moved_to is not None
    assert store.moved_aside == [str(info.value)]
    assert str(info.value.moved_to) in store.moved_aside[0]

    creds.write_bytes(b'scope = "unterminated\n')
    store.save_provider("demo", {"client_id": "a"})
    assert len(store.moved_aside) == 2
    assert "was not valid TOML (line 1); it was moved to" in store.moved_aside[1]
    assert store.moved_aside[1] in store.take_notices()


def test_saves_in_the_writer_thread_run_in_order_and_report_failures(creds: Path) -> None:
    store = CredsStore(creds)
    futures = [store.save_provider_soon("demo", {"count": n}) for n in range(20)]
    store.flush()
    assert all(f.done() and f.exception() is None for f in futures)
    assert store.load_provider("demo") == {"count": 19}

    creds.chmod(0o600)
    creds.parent.chmod(0o700)
    blocker = creds.parent / "blocked"
    blocker.write_text("")
    failing = CredsStore(blocker / "creds.toml").save_provider_soon("demo", {"count": 0})
    assert isinstance(failing.exception(timeout=10), StoreWriteError)
