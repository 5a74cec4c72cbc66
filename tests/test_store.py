"""The TOML credentials store: round-trips, modes, atomicity, locking, corruption."""

from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import platformdirs
import pytest

from tui.core.store import ENV_VAR, CredsStore, default_path, resolve_path
from tui.core.store_errors import CorruptCredsError, StoreError, StoreWriteError
from tui.core.store_toml import FORMAT_VERSION

TESTS_DIR = Path(__file__).resolve().parent
EXPIRES = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _never_the_real_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Anything that falls back to the default path lands in tmp, never in ~/.config.
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env-default" / "creds.toml"))


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def creds(tmp_path: Path) -> Path:
    return tmp_path / "conf" / "creds.toml"


def test_round_trip_keeps_aware_datetime_and_nested_table_and_drops_none(creds: Path) -> None:
    saved = {
        "client_id": "abc",
        "client_secret": "shh",
        "expires": EXPIRES,
        "extra_params": {"show_dialog": "true", "nested": {"n": 1}},
        "scopes": ["user-read-private", "user-read-email"],
        "pkce": True,
        "port": 8888,
    }
    CredsStore(creds).save_provider("spotify", {**saved, "refresh": None})
    table = CredsStore(creds).load_provider("spotify")
    assert table == saved
    assert table["expires"].tzinfo is not None
    assert table["expires"].utcoffset() == timedelta(0)
    text = creds.read_text()
    assert text.startswith(f"version = {FORMAT_VERSION}\n")
    assert "[spotify]" in text
    assert "refresh" not in text


def test_offset_datetime_is_stored_as_utc(creds: Path) -> None:
    store = CredsStore(creds)
    plus2 = datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    store.save_provider("p", {"expires": plus2})
    loaded = store.load_provider("p")["expires"]
    assert loaded == plus2
    assert loaded.utcoffset() == timedelta(0)


def test_naive_datetime_is_refused_before_anything_is_written(creds: Path) -> None:
    store = CredsStore(creds)
    with pytest.raises(ValueError, match="timezone-aware"):
        store.save_provider("p", {"expires": datetime(2026, 1, 1)})
    assert not creds.exists()


def test_missing_file_loads_empty(creds: Path) -> None:
    store = CredsStore(creds)
    assert store.load() == {}
    assert store.load_provider("spotify") == {}
    assert not creds.parent.exists()


def test_update_provider_merges_deletes_and_keeps_other_providers(creds: Path) -> None:
    store = CredsStore(creds)
    store.save_provider("github", {"client_id": "gh"})
    store.save_provider("spotify", {"client_id": "a", "refresh": "r1", "state": "s"})
    new = store.update_provider("spotify", token="t2", state=None)
    assert new == {"client_id": "a", "refresh": "r1", "token": "t2"}
    assert store.load() == {"github": {"client_id": "gh"}, "spotify": new}


def test_save_provider_replaces_the_whole_table(creds: Path) -> None:
    store = CredsStore(creds)
    store.save_provider("spotify", {"client_id": "a", "token": "old"})
    store.save_provider("spotify", {"client_id": "b"})
    assert store.load_provider("spotify") == {"client_id": "b"}


def test_unknown_top_level_keys_survive_a_save(creds: Path) -> None:
    creds.parent.mkdir(mode=0o700)
    creds.write_text('version = 1\nnote = "hand-written"\n[github]\nclient_id = "gh"\n')
    creds.chmod(0o600)
    store = CredsStore(creds)
    store.save_provider("spotify", {"client_id": "a"})
    assert store.load() == {"github": {"client_id": "gh"}, "spotify": {"client_id": "a"}}
    assert 'note = "hand-written"' in creds.read_text()


def test_modes_under_umask_022(tmp_path: Path, umask_022: None) -> None:
    creds = tmp_path / "deep" / "er" / "creds.toml"
    store = CredsStore(creds)
    store.save_provider("spotify", {"client_id": "a"})
    assert mode_of(creds) == 0o600
    assert mode_of(creds.parent) == 0o700
    assert mode_of(creds.with_name("creds.toml.lock")) == 0o600
    # Only the file and its lock: no temp file is left behind.
    assert sorted(p.name for p in creds.parent.iterdir()) == ["creds.toml", "creds.toml.lock"]


def test_loose_file_is_tightened_but_a_folder_the_store_did_not_create_is_left_alone(
    creds: Path, umask_022: None
) -> None:
    creds.parent.mkdir()
    creds.parent.chmod(0o775)
    creds.write_text('version = 1\n[github]\nclient_id = "gh"\n')
    creds.chmod(0o644)
    store = CredsStore(creds)
    store.save_provider("spotify", {"client_id": "a"})
    assert mode_of(creds) == 0o600
    assert mode_of(creds.parent) == 0o775, "a folder it did not create is never chmod-ed"
    assert store.take_notices() == [
        f"Tightened permissions of {creds} from 0644 to 0600.",
        f"Other users can write in the folder {creds.parent} (0775), so they could replace "
        f"or remove creds.toml. It is left as it is: 'chmod go-w {creds.parent}' closes it.",
    ]
    assert store.load_provider("github") == {"client_id": "gh"}
    assert store.take_notices() == [], "each notice is given once"


def test_a_folder_only_others_can_read_is_not_warned_about(creds: Path, umask_022: None) -> None:
    creds.parent.mkdir(mode=0o755)
    store = CredsStore(creds)
    store.save_provider("spotify", {"client_id": "a"})
    assert store.load_provider("spotify") == {"client_id": "a"}
    assert mode_of(creds.parent) == 0o755
    assert store.notices == []


def test_loose_file_is_tightened_on_load_with_notice(creds: Path) -> None:
    creds.parent.mkdir(mode=0o700)
    creds.write_text('version = 1\n[github]\nclient_id = "gh"\n')
    creds.chmod(0o640)
    store = CredsStore(creds)
    assert store.load() == {"github": {"client_id": "gh"}}
    assert mode_of(creds) == 0o600
    assert store.notices == [f"Tightened permissions of {creds} from 0640 to 0600."]


def test_shared_sticky_folder_is_not_chmodded(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    store = CredsStore(shared / "creds.toml")
    store.save_provider("p", {"a": "b"})
    assert mode_of(shared) == 0o1777
    assert mode_of(shared / "creds.toml") == 0o600


def test_crash_between_write_and_rename_keeps_old_file(
    creds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = CredsStore(creds)
    store.save_provider("spotify", {"client_id": "a", "token": "old-token"})
    before = creds.read_bytes()

    def boom(src: object, dst: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(StoreWriteError) as info:
        store.update_provider("spotify", token="new-token")
    message = str(info.value)
    assert str(creds) in message
    assert "Input/output error" in message
    assert "new-token" not in message
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__
    assert creds.read_bytes() == before
    assert sorted(p.name for p in creds.parent.iterdir()) == ["creds.toml", "creds.toml.lock"]


def test_uncreatable_folder_is_a_store_write_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    store = CredsStore(blocker / "creds.toml")
    with pytest.raises(StoreWriteError, match=re.escape(str(blocker / "creds.toml"))):
        store.save_provider("p", {"client_id": "a"})


def test_unreadable_file_is_a_clear_error_and_is_not_moved(
    creds: Path, monkeypatch: pytest.MonkeyPatch, deny_reading: Callable[[Path], None]
) -> None:
    store = CredsStore(creds)
    store.save_provider("spotify", {"client_id": "a"})
    before = creds.read_bytes()
    deny_reading(creds)
    with pytest.raises(StoreError, match="permission denied") as info:
        store.load()
    assert str(creds) in str(info.value)
    with pytest.raises(StoreWriteError, match="cannot be read"):
        store.save_provider("github", {"client_id": "gh"})
    monkeypatch.undo()
    assert creds.read_bytes() == before
    assert list(creds.parent.glob("*.corrupt-*")) == []


def test_two_processes_saving_different_providers_lose_nothing(tmp_path: Path) -> None:
    creds = tmp_path / "conf" / "creds.toml"
    script = str(TESTS_DIR / "store_writer.py")
    procs = [
        subprocess.Popen(
            [sys.executable, script, str(creds), name, "200"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in ("alpha", "beta")
    ]
    for proc in procs:  # both ready, then both go at once
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(b"go\n")
        proc.stdin.flush()
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    tables = CredsStore(creds).load()
    assert tables == {
        "alpha": {"client_id": "id-alpha", "client_secret": "secret-alpha", "count": 199},
        "beta": {"client_id": "id-beta", "client_secret": "secret-beta", "count": 199},
    }


def test_a_folder_another_process_made_first_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two first saves at once: the one whose mkdir comes second goes on in the folder."""
    creds = tmp_path / "conf" / "creds.toml"
    real_mkdir = os.mkdir

    def beaten_to_it(path: str | Path, mode: int = 0o777) -> None:
        real_mkdir(path, 0o700)  # the other process, between our look and our mkdir
        raise FileExistsError(errno.EEXIST, "File exists", str(path))

    monkeypatch.setattr(os, "mkdir", beaten_to_it)
    CredsStore(creds).save_provider("alpha", {"client_id": "a"})
    assert CredsStore(creds).load() == {"alpha": {"client_id": "a"}}


CORRUPT = 'version = 1\n[spotify]\nclient_secret = "s3cr3t\ntoken = "x"\n'


def test_corrupt_file_is_moved_aside_and_reported(creds: Path) -> None:
    creds.parent.mkdir(mode=0o700)
    creds.write_text(CORRUPT)
    creds.chmod(0o644)
    store = CredsStore(creds)
    with pytest.raises(CorruptCredsError) as info:
        store.load()
    err = info.value
    assert str(creds) in str(err)
    assert "line 3" in str(err)
    assert "s3cr3t" not in str(err)
    assert err.__context__ is None and err.__cause__ is None
    assert err.path == creds
    assert err.line == 3
    assert err.moved_to is not None
    assert str(err.moved_to) in str(err)
    assert re.fullmatch(r"creds\.toml\.corrupt-\d{8}T\d{6}Z", err.moved_to.name)
    assert err.moved_to.parent == creds.parent
    assert err.moved_to.read_text() == CORRUPT
    assert mode_of(err.moved_to) == 0o600
    assert not creds.exists()

    # The app can carry on: the store is empty, and a save makes a fresh file.
    assert store.load() == {}
    store.save_provider("spotify", {"client_id": "fresh"})
    assert store.load_provider("spotify") == {"client_id": "fresh"}
    assert err.moved_to.read_text() == CORRUPT


def test_a_file_nested_100000_deep_is_corrupt_not_a_recursion_error(creds: Path) -> None:
    """tomllib recurses per level, as json does: the depth is checked before it reads."""
    creds.parent.mkdir(mode=0o700)
    deep = "version = 1\nx = " + "[" * 100_000 + "]" * 100_000 + "\n"
    creds.write_text(deep)
    creds.chmod(0o600)
    with pytest.raises(CorruptCredsError) as info:
        CredsStore(creds).load()
    assert info.value.moved_to is not None
    assert info.value.moved_to.read_text() == deep
    assert "not valid TOML" in str(info.value)


def test_corrupt_file_found_while_saving_is_moved_aside_not_overwritten(creds: Path) -> None:
    store = CredsStore(creds)
    store.save_provider("spotify", {"client_id": "a"})
    creds.write_text(CORRUPT)
    store.save_provider("spotify", {"client_id": "b"})
    moved = list(creds.parent.glob("creds.toml.corrupt-*"))
    assert len(moved) == 1
    assert moved[0].read_text() == CORRUPT
    assert store.load() == {"spotify": {"client_id": "b"}}
    assert any(str(moved[0]) in n and "line 3" in n for n in store.notices)


def test_corrupt_file_that_cannot_be_moved_is_never_overwritten(
    creds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    creds.parent.mkdir(mode=0o700)
    creds.write_text(CORRUPT)

    def denied(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "rename", denied)
    store = CredsStore(creds)
    with pytest.raises(CorruptCredsError, match="could not be moved aside") as info:
        store.load()
    assert info.value.moved_to is None
    with pytest.raises(StoreWriteError, match="line 3"):
        store.save_provider("spotify", {"client_id": "b"})
    assert creds.read_text() == CORRUPT


def test_two_corruptions_in_the_same_second_do_not_collide(creds: Path) -> None:
    store = CredsStore(creds)
    for text in ("a = \n", "b = \n"):
        creds.parent.mkdir(mode=0o700, exist_ok=True)
        creds.write_text(text)
        with pytest.raises(CorruptCredsError):
            store.load()
    moved = sorted(p.read_text() for p in creds.parent.glob("creds.toml.corrupt-*"))
    assert moved == ["a = \n", "b = \n"]


def test_non_utf8_file_is_corrupt(creds: Path) -> None:
    creds.parent.mkdir(mode=0o700)
    creds.write_bytes(b'version = 1\n\n[p]\na = "\xff"\n')
    with pytest.raises(CorruptCredsError) as info:
        CredsStore(creds).load()
    assert info.value.line == 4
    assert not creds.exists()


def test_newer_version_refuses_to_load_and_to_save(creds: Path) -> None:
    creds.parent.mkdir(mode=0o700)
    text = f'version = {FORMAT_VERSION + 1}\n[spotify]\nclient_id = "a"\n'
    creds.write_text(text)
    creds.chmod(0o600)
    store = CredsStore(creds)
    with pytest.raises(StoreError, match=f"version {FORMAT_VERSION + 1}") as info:
        store.load()
    assert not isinstance(info.value, CorruptCredsError)
    assert str(creds) in str(info.value)
    with pytest.raises(StoreWriteError, match="upgrade oauth-dance"):
        store.save_provider("spotify", {"client_id": "b"})
    with pytest.raises(StoreWriteError):
        store.update_provider("github", client_id="gh")
    assert creds.read_text() == text
    assert list(creds.parent.glob("*.corrupt-*")) == []


def test_missing_version_is_read_as_version_1(creds: Path) -> None:
    creds.parent.mkdir(mode=0o700)
    creds.write_text('[spotify]\nclient_id = "a"\n')
    creds.chmod(0o600)
    store = CredsStore(creds)
    assert store.load() == {"spotify": {"client_id": "a"}}
    store.update_provider("spotify", token="t")
    assert creds.read_text().startswith("version = 1\n")


def test_symlinked_file_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "creds.toml"
    store = CredsStore(real)
    store.save_provider("p", {"a": "1"})
    link_dir = tmp_path / "conf"
    link_dir.mkdir(mode=0o700)
    link = link_dir / "creds.toml"
    link.symlink_to(real)
    CredsStore(link).update_provider("p", b="2")
    assert link.is_symlink()
    assert CredsStore(real).load_provider("p") == {"a": "1", "b": "2"}


def test_resolve_path_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    # Point the platform config dir into tmp so even the default is never the real one.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    default = platformdirs.user_config_path("oauth-dance") / "creds.toml"
    assert default.is_relative_to(tmp_path)
    assert default_path() == default
    assert resolve_path(None) == default

    env = tmp_path / "env" / "creds.toml"
    monkeypatch.setenv(ENV_VAR, str(env))
    assert default_path() == env
    assert resolve_path(None) == env

    flag = tmp_path / "flag.toml"
    assert resolve_path(flag) == flag
    assert resolve_path(str(flag)) == flag


@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_env_var_names_no_file_and_is_refused(
    empty: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It was taken for unset: the default file was read and written unasked."""
    monkeypatch.setenv(ENV_VAR, empty)
    with pytest.raises(ValueError, match=re.escape(f"{ENV_VAR} is set but empty ({empty!r})")):
        resolve_path(None)
    flag = tmp_path / "flag.toml"
    assert resolve_path(flag) == flag, "--creds still wins"


def test_store_module_does_not_import_textual() -> None:
    code = "import sys, tui.core.store, tui.core.importer; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_saves_inside_locked_do_not_wait_and_other_threads_saves_do(creds: Path) -> None:
    """``locked`` holds the file across a read, a slow step and a save (``oauth-dance
    token``'s refresh): its own saves go through, another thread's wait until it ends."""
    import threading

    store = CredsStore(creds)
    other = CredsStore(creds)
    saved = threading.Event()

    def save_elsewhere() -> None:
        other.save_provider("beta", {"client_id": "b"})
        saved.set()

    with store.locked():
        store.save_provider("alpha", {"client_id": "a"})
        store.update_provider("alpha", scope="s")  # re-entrant: a second flock would hang
        thread = threading.Thread(target=save_elsewhere)
        thread.start()
        assert not saved.wait(0.3), "another store's save waits for the lock"
        assert store.load() == {"alpha": {"client_id": "a", "scope": "s"}}
    thread.join(10)
    assert saved.is_set()
    assert store.load() == {"alpha": {"client_id": "a", "scope": "s"}, "beta": {"client_id": "b"}}


def test_locked_in_an_unwritable_place_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with (
        pytest.raises(StoreError, match="Could not save"),
        CredsStore(tmp_path / "file" / "creds.toml").locked(),
    ):
        pass


def test_the_app_table_is_kept_apart_from_the_providers(tmp_path: Path) -> None:
    from tui.core.lesson_progress import done_keys, record_done

    store = CredsStore(tmp_path / "creds.toml")
    store.save_provider("demo", {"client_id": "a"})
    assert record_done(store, "iss") == ["iss"]
    assert record_done(store, "state") == ["state", "iss"]  # in the lessons' order
    assert record_done(store, "state") == ["state", "iss"]
    assert store.load() == {"demo": {"client_id": "a"}}
    assert store.load_provider("app") == {}
    assert done_keys(store.load_app()) == ["state", "iss"]
    assert done_keys({"lessons_done": "state"}) == []  # a wrong type counts as none
