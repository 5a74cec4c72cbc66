"""The TOML credentials file: one table per provider, kept 0600 in a 0700 folder.

Every write re-reads the file under an exclusive lock and atomically replaces only one
provider's table; a file that does not parse is moved aside (and reported), never
overwritten. Only a regular file of at most ``MAX_FILE_BYTES`` is read or replaced, and a
symlink is followed only to one. Saves can run in the store's own writer thread
(:meth:`CredsStore.save_provider_soon`), one at a time, so a UI never waits for the disk.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import stat
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.store_files import (
    MAX_FILE_BYTES,
    FileRefused,
    kind_of,
    open_regular,
    read_limited,
    remove_stale_temps,
    size_text,
)

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

# tempfile, concurrent.futures and platformdirs are imported where used (about 50 ms
# together): `oauth-dance token --creds PATH` with a token that has time left only reads.

FORMAT_VERSION = 1
ENV_VAR = "OAUTH_DANCE_CREDS"
APP_TABLE = "app"
"""The table of the app's own settings and progress (not a provider's): e.g. the
break-it lessons done. No provider can be called this."""

_FILE_MODE = 0o600
_DIR_MODE = 0o700
_KEEP_HINT = "Your tokens are still in memory; fix the problem and save again."


def default_path() -> Path:
    """Return ``$OAUTH_DANCE_CREDS`` if set, else ``creds.toml`` in the user config dir."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_config_path("oauth-dance") / "creds.toml"


def resolve_path(flag: str | Path | None) -> Path:
    """Pick the credentials path: the ``--creds`` flag, then the env var, then the default."""
    if flag is not None and str(flag).strip():
        return Path(flag).expanduser()
    return default_path()


class StoreError(Exception):
    """A problem with the credentials file; the message is safe to show (no secrets)."""


class CorruptCredsError(StoreError):
    """The credentials file does not parse; it has been moved aside when possible.

    Attributes:
        path: The file that failed to parse.
        line: The 1-based line of the first error, when known.
        moved_to: Where the file now lives, or None if it could not be moved.
    """

    def __init__(
        self, message: str, *, path: Path, line: int | None, moved_to: Path | None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.moved_to = moved_to


class UnsupportedVersionError(StoreError):
    """The file was written in a format newer than this program understands."""


class StoreWriteError(StoreError):
    """A save failed; the file on disk is as it was before the save."""


class RefusedFileError(StoreError):
    """The path is not a regular file (a folder, a FIFO...), is too large, or is a symlink
    to anything but a regular TOML file. It is left as it is: never read, moved or changed.

    Attributes:
        reason: Why, as the end of "Could not use PATH: ..." (no secrets).
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"Could not use {path}: {reason}. It is left as it is; pass --creds with another path."
        )
        self.reason = reason


@dataclass(frozen=True)
class _Unparsable:
    """The bytes on disk are not valid TOML (or not UTF-8), and where."""

    line: int | None
    column: int | None


_COORD_RE = re.compile(r"at line (\d+), column (\d+)")


def _parse(raw: bytes) -> dict[str, Any] | _Unparsable:
    # Returned, not raised, so no later StoreError carries the decode error (and the
    # frames holding the file's bytes) in its __context__. Only the line and column are
    # kept: tomllib's messages can quote characters of the file, which holds secrets.
    # Imported here: a first start, with no file to read, does without it.
    import tomllib

    from tui.core.jsonsafe import MAX_DEPTH, nesting_depth

    # tomllib recurses once per level of arrays and inline tables, as json does: a
    # file nested 100,000 deep would end the app with a RecursionError.
    if nesting_depth(raw, stop_at=MAX_DEPTH) > MAX_DEPTH:
        return _Unparsable(None, None)
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        return _Unparsable(raw[: e.start].count(b"\n") + 1, None)
    except tomllib.TOMLDecodeError as e:
        match = _COORD_RE.search(str(e))
        return _Unparsable(int(match[1]), int(match[2])) if match else _Unparsable(None, None)


def _version_problem(doc: Mapping[str, Any]) -> str | None:
    """Return why this program must not use ``doc``, or None when its version is fine."""
    version = doc.get("version", FORMAT_VERSION)
    if isinstance(version, bool) or not isinstance(version, int):
        return "its 'version' is not a whole number"
    if version > FORMAT_VERSION:
        return (
            f"it uses format version {version}, but this OAuth Dance only understands "
            f"up to version {FORMAT_VERSION}; upgrade oauth-dance or use another file"
        )
    return None


def _clean(value: Any) -> Any:
    """Drop None (TOML has no null) and normalise aware datetimes to UTC."""
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value if v is not None]
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            # A naive time is ambiguous once written; refuse it loudly rather than guess.
            raise ValueError("credentials datetimes must be timezone-aware")
        return value.astimezone(UTC)
    return value


def _reason(err: OSError) -> str:
    return err.strerror or type(err).__name__


class CredsStore:
    """Reads and writes the credentials file at ``path``.

    Attributes:
        path: The credentials file as given (a symlink to a regular file is followed).
        notices: Messages the user should see, e.g. permissions that were tightened;
            each is added once. Saves in the writer thread add theirs too: read them
            with :meth:`take_notices`.
        moved_aside: What was said of each file moved aside as corrupt, to say again
            on stderr at exit.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.notices: list[str] = []
        self.moved_aside: list[str] = []
        self._said: set[str] = set()
        self._notices_lock = threading.Lock()
        self._writer: ThreadPoolExecutor | None = None
        self._file_lock = threading.RLock()
        """Held with the file's lock: another thread of this process waits here."""
        self._file_lock_depth = 0
        """How many sections of the thread holding the file's lock are inside it."""

    def take_notices(self) -> list[str]:
        """The notices not taken yet, oldest first."""
        with self._notices_lock:
            taken, self.notices = self.notices, []
        return taken

    def _notice(self, message: str) -> None:
        with self._notices_lock:
            if message not in self._said:
                self._said.add(message)
                self.notices.append(message)

    def load(self) -> dict[str, dict[str, Any]]:
        """Return every provider table (not the app's); {} when the file does not exist.

        Raises:
            CorruptCredsError: The file does not parse (it has been moved aside).
            UnsupportedVersionError: The file is from a newer format version.
            RefusedFileError: Not a regular file, too large, or a symlink to neither.
            StoreError: The file cannot be read.
        """
        return {k: v for k, v in self._tables().items() if k != APP_TABLE}

    def _tables(self) -> dict[str, dict[str, Any]]:
        """Every table of the file, the app's too."""
        real = self._real_path()
        raw = self._read_raw(real)
        if raw is None:
            return {}
        doc = _parse(raw)
        if isinstance(doc, _Unparsable):
            self._refuse_linked(real, doc.line)
            doc = self._quarantine_locked(real)
        problem = _version_problem(doc)
        if problem:
            raise UnsupportedVersionError(f"Cannot use {self.path}: {problem}.")
        return {k: v for k, v in doc.items() if isinstance(v, dict)}

    def load_app(self) -> dict[str, Any]:
        """The app's own table (``[app]``), or {} when it is absent.

        Raises:
            StoreError: as :meth:`load`.
        """
        return self._tables().get(APP_TABLE, {})

    def update_app(self, **changes: Any) -> dict[str, Any]:
        """Merge ``changes`` into the app's table, as :meth:`update_provider` does.

        Raises:
            StoreWriteError: The save failed; the file on disk is untouched.
        """
        return self.update_provider(APP_TABLE, **changes)

    def load_provider(self, name: str) -> dict[str, Any]:
        """Return one provider's table, or {} when it is absent."""
        return self.load().get(name, {})

    def save_provider(self, name: str, table: Mapping[str, Any]) -> None:
        """Replace ``name``'s table with ``table`` (None values are dropped).

        Raises:
            StoreWriteError: The save failed; the file on disk is untouched.
        """
        new = _clean(table)
        self._mutate(name, lambda _old: new)

    def save_provider_soon(self, name: str, table: Mapping[str, Any]) -> Future[dict[str, Any]]:
        """:meth:`save_provider` in the store's writer thread, after every save asked before.

        The table is checked and copied now. Call :meth:`flush` before the program ends.

        Returns:
            The save's future: its exception is the StoreWriteError of a failed save.
        """
        new = _clean(table)
        if self._writer is None:
            from concurrent.futures import ThreadPoolExecutor

            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="creds-save")
        return self._writer.submit(self._mutate, name, lambda _old: new)

    def flush(self) -> None:
        """Wait until every save handed to the writer thread is done."""
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the file's lock across a read, a slow step and a save.

        Every save of every process takes the same lock, so nothing changes the
        file in between; the saves made inside (by this thread) do not wait for it.
        ``oauth-dance token`` re-reads and refreshes under it, so two processes
        never spend one refresh token twice.

        Raises:
            StoreError: the lock file next to the credentials file cannot be opened.
        """
        real = self._real_path()
        self._ensure_folder()
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(self._locked(real))
            except OSError as e:
                raise StoreError(f"Could not lock {self.path}: {_reason(e)}.") from None
            yield

    def update_provider(self, name: str, **changes: Any) -> dict[str, Any]:
        """Merge ``changes`` into ``name``'s table (None deletes a key), save, return it.

        Raises:
            StoreWriteError: The save failed; the file on disk is untouched.
        """
        cleaned = _clean({k: v for k, v in changes.items() if v is not None})
        removed = {k for k, v in changes.items() if v is None}

        def merge(old: dict[str, Any]) -> dict[str, Any]:
            merged = {k: v for k, v in old.items() if k not in removed}
            merged.update(cleaned)
            return merged

        return self._mutate(name, merge)

    def _mutate(
        self, name: str, change: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> dict[str, Any]:
        if not name or name == "version":
            raise ValueError(f"invalid provider name {name!r}")
        try:
            real = self._real_path()
            if os.path.islink(self.path):
                # Checked before the lock file is made next to someone's other file.
                self._read_for_write(real)
            self._ensure_folder()
            with self._locked(real):
                remove_stale_temps(real)
                doc = self._read_for_write(real)
                table = change(dict(doc.get(name) or {}))
                doc[name] = table
                out: dict[str, Any] = {"version": FORMAT_VERSION}
                out.update({k: v for k, v in doc.items() if k != "version"})
                # Serialise before touching the disk so a bad value cannot leave a stub.
                import tomli_w  # here: only a save needs it, never the first frame

                data = tomli_w.dumps(out).encode("utf-8")
                if len(data) > MAX_FILE_BYTES:
                    raise StoreWriteError(
                        f"Not saving to {self.path}: it would be {size_text(len(data))}, more "
                        f"than the {size_text(MAX_FILE_BYTES)} this program reads. {_KEEP_HINT}"
                    )
                self._write_atomic(real, data)
            self._check_folder(real.parent)
        except RefusedFileError as err:
            raise StoreWriteError(
                f"Not saving to {self.path}: {err.reason}; it is left as it is. {_KEEP_HINT}"
            ) from None
        except OSError as e:
            raise StoreWriteError(
                f"Could not save {self.path}: {_reason(e)}. {_KEEP_HINT}"
            ) from None
        return table

    def _read_for_write(self, real: Path) -> dict[str, Any]:
        """Re-read the file inside the lock; refuse to overwrite what we cannot parse."""
        try:
            raw = self._read_raw(real)
        except RefusedFileError:
            raise
        except StoreError:
            raise StoreWriteError(
                f"Could not save {self.path}: it exists but cannot be read, and saving "
                f"would discard the other providers in it. {_KEEP_HINT}"
            ) from None
        if raw is None:
            return {}
        doc = _parse(raw)
        if isinstance(doc, _Unparsable):
            self._refuse_linked(real, doc.line)
            moved = self._move_aside(real)
            if moved is None:
                raise StoreWriteError(
                    f"Not saving to {self.path}: it is not valid TOML{_at(doc.line)} and "
                    f"could not be moved aside. {_KEEP_HINT}"
                )
            report = (
                f"{self.path} was not valid TOML{_at(doc.line)}; it was moved to {moved} "
                "and a fresh file was written."
            )
            self.moved_aside.append(report)
            self._notice(report)
            return {}
        problem = _version_problem(doc)
        if problem:
            raise StoreWriteError(f"Not saving to {self.path}: {problem}. {_KEEP_HINT}")
        return doc

    def _write_atomic(self, real: Path, data: bytes) -> None:
        # mkstemp creates the file 0600 with O_EXCL, so the secret is never readable by
        # others, not even for the moment before the rename.
        import tempfile

        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                os.fchmod(f.fileno(), _FILE_MODE)
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, real)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _fsync_dir(real.parent)

    def _real_path(self) -> Path:
        """The file to read and replace: the path, or the regular file its symlink points to.

        Following the link keeps a dotfiles-managed link a link after ``os.replace``.
        A link to anything else, or to nothing, is refused: nothing is created
        through it.

        Raises:
            RefusedFileError: A dangling link, or one to something not a regular file.
        """
        real = Path(os.path.realpath(self.path))
        if not os.path.islink(self.path):
            return real
        try:
            mode = os.stat(real).st_mode
        except OSError as e:
            raise RefusedFileError(
                self.path, f"it is a symbolic link to {real}, which cannot be used ({_reason(e)})"
            ) from None
        if not stat.S_ISREG(mode):
            raise RefusedFileError(
                self.path, f"it is a symbolic link to {real}, which is {kind_of(mode)}"
            )
        return real

    def _refuse_linked(self, real: Path, line: int | None) -> None:
        """A symlinked file that does not parse is someone's other file: never move it."""
        if os.path.islink(self.path):
            raise RefusedFileError(
                self.path, f"it is a symbolic link to {real}, which is not valid TOML{_at(line)}"
            )

    def _read_raw(self, real: Path) -> bytes | None:
        """Return the file's bytes (tightening a loose mode first), or None if absent.

        Raises:
            RefusedFileError: Not a regular file, or too large: it was not opened, or
                opened without waiting and closed unread.
            StoreError: It cannot be read.
        """
        try:
            with open_regular(real) as fd:
                self._tighten_file(fd, real)
                raw = read_limited(fd)
        except FileNotFoundError:
            return None
        except FileRefused as e:
            raise RefusedFileError(self.path, str(e)) from None
        except PermissionError:
            raise StoreError(
                f"Could not read {self.path}: permission denied. Check that the file "
                "belongs to you, or pass --creds with another path."
            ) from None
        except OSError as e:
            raise StoreError(f"Could not read {self.path}: {_reason(e)}.") from None
        self._check_folder(real.parent)
        return raw

    def _ensure_folder(self) -> None:
        """Create the missing folders of the path as given, each 0700.

        Created one by one along the path as given, never through a symlink: a link
        to a folder that does not exist makes the save fail, it creates nothing.
        """
        folder = self.path.parent
        missing: list[Path] = []
        while not os.path.lexists(folder) and folder != folder.parent:
            missing.append(folder)
            folder = folder.parent
        for created in reversed(missing):
            try:
                os.mkdir(created, _DIR_MODE)
                os.chmod(created, _DIR_MODE)  # mkdir's mode is cut by the umask
            except OSError as e:
                # A folder made since we looked, by another process saving at the same
                # time, is gone on in; anything else there (a link) is not gone through.
                made = isinstance(e, FileExistsError) and created.is_dir()
                if made and not created.is_symlink():
                    continue
                raise StoreWriteError(
                    f"Could not save {self.path}: cannot create the folder {created}: "
                    f"{_reason(e)}. {_KEEP_HINT}"
                ) from None
        if not self.path.parent.is_dir():
            raise StoreWriteError(
                f"Could not save {self.path}: {self.path.parent} is not a folder, nor a "
                f"link to one. {_KEEP_HINT}"
            )

    def _check_folder(self, folder: Path) -> None:
        """Warn when others can write in the folder (so replace or remove the file).

        A folder the store did not create is never changed: it may be shared on
        purpose, as /tmp is (its sticky bit keeps others off our file, so no warning).
        """
        with contextlib.suppress(OSError):
            mode = os.stat(folder).st_mode
            if mode & 0o022 and not mode & stat.S_ISVTX:
                self._notice(
                    f"Other users can write in the folder {folder} "
                    f"({stat.S_IMODE(mode):04o}), so they could replace or remove "
                    f"{self.path.name}. It is left as it is: 'chmod go-w {folder}' "
                    "closes it."
                )

    def _tighten_file(self, fd: int, real: Path) -> None:
        """Make the open file 0600 if group/other have any access and it is ours; say so."""
        st = os.fstat(fd)
        current = stat.S_IMODE(st.st_mode)
        if not current & 0o077:
            return
        if st.st_uid != os.getuid():
            self._notice(
                f"The file {real} is open to other users ({current:04o}) and belongs to "
                "another user: it is left as it is."
            )
            return
        try:
            os.fchmod(fd, _FILE_MODE)
        except OSError as e:
            self._notice(
                f"The file {real} is open to other users ({current:04o}) and could not "
                f"be tightened: {_reason(e)}."
            )
            return
        self._notice(f"Tightened permissions of {real} from {current:04o} to {_FILE_MODE:04o}.")

    def _move_aside(self, real: Path) -> Path | None:
        """Rename an unparsable file to ``<name>.corrupt-<UTC stamp>``; None on failure."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = real.with_name(f"{real.name}.corrupt-{stamp}")
        n = 1
        while target.exists():
            target = real.with_name(f"{real.name}.corrupt-{stamp}-{n}")
            n += 1
        try:
            os.rename(real, target)
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.chmod(target, _FILE_MODE)
        _fsync_dir(real.parent)
        return target

    def _quarantine_locked(self, real: Path) -> dict[str, Any]:
        """Under the lock, re-check an unparsable file and move it aside.

        Returns the parsed document if another process fixed the file meanwhile;
        otherwise raises CorruptCredsError.
        """
        with contextlib.ExitStack() as stack:
            # A read-only folder cannot hold the lock file; then we cannot move the file
            # aside either, but the error below must still be raised.
            with contextlib.suppress(OSError):
                stack.enter_context(self._locked(real))
            raw = self._read_raw(real)
            if raw is None:
                return {}
            doc = _parse(raw)
            if not isinstance(doc, _Unparsable):
                return doc
            self._refuse_linked(real, doc.line)
            line, column = doc.line, doc.column
            moved = self._move_aside(real)
        where = _at(line) + (f", column {column}" if line and column else "")
        fate = (
            f"It was moved to {moved}; starting with no saved credentials."
            if moved
            else "It could not be moved aside; fix or remove it, or pass --creds with another path."
        )
        message = f"{self.path} is not valid TOML{where}. {fate}"
        if moved:
            self.moved_aside.append(message)
        raise CorruptCredsError(message, path=self.path, line=line, moved_to=moved)

    @contextlib.contextmanager
    def _locked(self, real: Path) -> Iterator[None]:
        """Hold an exclusive flock on ``<name>.lock`` next to the file.

        Re-entrant in the thread that holds it (a save inside :meth:`locked`): a
        second flock of the same file by this process would wait for ever.
        """
        with self._file_lock:
            if self._file_lock_depth:
                self._file_lock_depth += 1
                try:
                    yield
                finally:
                    self._file_lock_depth -= 1
                return
            lock_path = real.with_name(f"{real.name}.lock")
            flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
            fd = os.open(lock_path, flags, _FILE_MODE)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                self._file_lock_depth = 1
                yield
            finally:
                self._file_lock_depth = 0
                # Closing the descriptor releases the flock.
                os.close(fd)


def _at(line: int | None) -> str:
    return f" (line {line})" if line else ""


def _fsync_dir(folder: Path) -> None:
    # Makes the rename durable. Some filesystems refuse fsync on a directory; the data
    # is already safely in place by then, so that is not worth failing the save for.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
