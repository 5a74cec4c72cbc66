"""The credentials file on disk: the real path behind a symlink, reading it (its mode
tightened), writing it atomically 0600, its folders made 0700 and watched, a broken
file moved aside, and the lock every writer of every process takes."""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import stat
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from tui.core.store_errors import (
    RefusedFileError,
    StoreError,
    StoreWriteError,
    os_reason,
)
from tui.core.store_files import (
    FileRefused,
    kind_of,
    open_regular,
    read_limited,
    write_private,
)
from tui.core.store_toml import at_line

_FILE_MODE = 0o600
_DIR_MODE = 0o700


class CredsFile:
    """The file at ``path`` and its folder, as :class:`~tui.core.store.CredsStore` uses them.

    Attributes:
        path: The credentials file as given (a symlink to a regular file is followed).
        notices: Messages the user should see, e.g. permissions that were tightened;
            each is added once. Saves in the writer thread add theirs too: read them
            with :meth:`take_notices`.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.notices: list[str] = []
        self._said: set[str] = set()
        self._notices_lock = threading.Lock()
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
                self.path, f"it is a symbolic link to {real}, which cannot be used ({os_reason(e)})"
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
                self.path,
                f"it is a symbolic link to {real}, which is not valid TOML{at_line(line)}",
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
            raise StoreError(f"Could not read {self.path}: {os_reason(e)}.") from None
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
                    f"{os_reason(e)}."
                ) from None
        if not self.path.parent.is_dir():
            raise StoreWriteError(
                f"Could not save {self.path}: {self.path.parent} is not a folder, nor a "
                f"link to one."
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
                f"be tightened: {os_reason(e)}."
            )
            return
        self._notice(f"Tightened permissions of {real} from {current:04o} to {_FILE_MODE:04o}.")

    def _move_aside(self, real: Path) -> Path | None:
        """Rename an unparsable file to ``<name>.corrupt-<UTC stamp>``; None on failure."""
        target = _aside_path(real, "corrupt")
        try:
            os.rename(real, target)
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.chmod(target, _FILE_MODE)
        _fsync_dir(real.parent)
        return target

    def _copy_aside(self, real: Path, raw: bytes, tag: str) -> Path | None:
        """Keep ``raw`` (the file as read) in ``<name>.<tag>-<UTC stamp>``, 0600, beside
        it, unless an earlier copy there holds the same bytes (then that one); None on
        failure."""
        for earlier in sorted(real.parent.glob(f"{glob.escape(real.name)}.{tag}-*")):
            with contextlib.suppress(OSError, FileRefused), open_regular(earlier) as fd:
                if read_limited(fd) == raw:
                    return earlier
        target = _aside_path(real, tag)
        try:
            write_private(target, raw)
        except OSError:
            return None
        _fsync_dir(real.parent)
        return target

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


def _aside_path(real: Path, tag: str) -> Path:
    """A free name beside ``real`` for a copy of it: ``<name>.<tag>-<UTC stamp>``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = real.with_name(f"{real.name}.{tag}-{stamp}")
    n = 1
    while target.exists():
        target = real.with_name(f"{real.name}.{tag}-{stamp}-{n}")
        n += 1
    return target


def _fsync_dir(folder: Path) -> None:
    # Makes the rename durable. Some filesystems refuse fsync on a directory; the data
    # is already safely in place by then, so that is not worth failing the save for.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
