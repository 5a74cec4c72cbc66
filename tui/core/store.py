"""The TOML credentials file: one table per provider, kept 0600 in a 0700 folder.

Every write re-reads the file under an exclusive lock and atomically replaces only one
provider's table; a file that does not parse is moved aside, never overwritten.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from tui.core.store_files import remove_stale_temps

FORMAT_VERSION = 1
ENV_VAR = "OAUTH_DANCE_CREDS"

_FILE_MODE = 0o600
_DIR_MODE = 0o700
_KEEP_HINT = "Your tokens are still in memory; fix the problem and save again."


def default_path() -> Path:
    """Return ``$OAUTH_DANCE_CREDS`` if set, else ``creds.toml`` in the user config dir."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
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
        path: The credentials file as given (symlinks are followed when writing).
        notices: Messages the user should see, e.g. permissions that were tightened.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.notices: list[str] = []

    def load(self) -> dict[str, dict[str, Any]]:
        """Return every provider table; {} when the file does not exist.

        Raises:
            CorruptCredsError: The file does not parse (it has been moved aside).
            UnsupportedVersionError: The file is from a newer format version.
            StoreError: The file cannot be read.
        """
        real = self._real_path()
        raw = self._read_raw(real)
        if raw is None:
            return {}
        doc = _parse(raw)
        if isinstance(doc, _Unparsable):
            doc = self._quarantine_locked(real)
        problem = _version_problem(doc)
        if problem:
            raise UnsupportedVersionError(f"Cannot use {self.path}: {problem}.")
        return {k: v for k, v in doc.items() if isinstance(v, dict)}

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
        real = self._real_path()
        self._ensure_folder(real.parent)
        try:
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
                self._write_atomic(real, data)
        except OSError as e:
            raise StoreWriteError(
                f"Could not save {self.path}: {_reason(e)}. {_KEEP_HINT}"
            ) from None
        return table

    def _read_for_write(self, real: Path) -> dict[str, Any]:
        """Re-read the file inside the lock; refuse to overwrite what we cannot parse."""
        try:
            raw = self._read_raw(real)
        except StoreError:
            raise StoreWriteError(
                f"Could not save {self.path}: it exists but cannot be read, and saving "
                f"would discard the other providers in it. {_KEEP_HINT}"
            ) from None
        if raw is None:
            return {}
        doc = _parse(raw)
        if isinstance(doc, _Unparsable):
            moved = self._move_aside(real)
            if moved is None:
                raise StoreWriteError(
                    f"Not saving to {self.path}: it is not valid TOML{_at(doc.line)} and "
                    f"could not be moved aside. {_KEEP_HINT}"
                )
            self.notices.append(
                f"{self.path} was not valid TOML{_at(doc.line)}; it was moved to {moved} "
                "and a fresh file was written."
            )
            return {}
        problem = _version_problem(doc)
        if problem:
            raise StoreWriteError(f"Not saving to {self.path}: {problem}. {_KEEP_HINT}")
        return doc

    def _write_atomic(self, real: Path, data: bytes) -> None:
        # mkstemp creates the file 0600 with O_EXCL, so the secret is never readable by
        # others, not even for the moment before the rename.
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
        # Follow symlinks so a dotfiles-managed link stays a link after os.replace.
        return Path(os.path.realpath(self.path))

    def _read_raw(self, real: Path) -> bytes | None:
        """Return the file's bytes (tightening loose modes first), or None if absent."""
        try:
            self._tighten(real, _FILE_MODE, "file")
            self._tighten_folder(real.parent)
            return real.read_bytes()
        except FileNotFoundError:
            return None
        except PermissionError:
            raise StoreError(
                f"Could not read {self.path}: permission denied. Check that the file "
                "belongs to you, or pass --creds with another path."
            ) from None
        except OSError as e:
            raise StoreError(f"Could not read {self.path}: {_reason(e)}.") from None

    def _ensure_folder(self, folder: Path) -> None:
        if folder.is_dir():
            self._tighten_folder(folder)
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            os.chmod(folder, _DIR_MODE)
        except OSError as e:
            raise StoreWriteError(
                f"Could not save {self.path}: cannot create the folder {folder}: "
                f"{_reason(e)}. {_KEEP_HINT}"
            ) from None

    def _tighten_folder(self, folder: Path) -> None:
        # Only our own private folders are tightened: chmod-ing a shared (sticky) dir such
        # as /tmp, or the home directory, would break other programs. The 0600 file still
        # protects the secrets there.
        with contextlib.suppress(OSError):
            st = folder.stat()
            # expanduser returns "~" unchanged when there is no home: that matches nothing.
            home = os.path.realpath(os.path.expanduser("~"))
            if st.st_uid == os.getuid() and not st.st_mode & stat.S_ISVTX and str(folder) != home:
                self._tighten(folder, _DIR_MODE, "folder")

    def _tighten(self, path: Path, mode: int, what: str) -> None:
        """Set ``mode`` if group/other have any access, and record a notice."""
        current = stat.S_IMODE(path.stat().st_mode)
        if not current & 0o077:
            return
        try:
            os.chmod(path, mode)
        except OSError as e:
            self.notices.append(
                f"The {what} {path} is open to other users ({current:04o}) and could not "
                f"be tightened: {_reason(e)}."
            )
            return
        self.notices.append(f"Tightened permissions of {path} from {current:04o} to {mode:04o}.")

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
            line, column = doc.line, doc.column
            moved = self._move_aside(real)
        where = _at(line) + (f", column {column}" if line and column else "")
        fate = (
            f"It was moved to {moved}; starting with no saved credentials."
            if moved
            else "It could not be moved aside; fix or remove it, or pass --creds with another path."
        )
        message = f"{self.path} is not valid TOML{where}. {fate}"
        raise CorruptCredsError(message, path=self.path, line=line, moved_to=moved)

    @contextlib.contextmanager
    def _locked(self, real: Path) -> Iterator[None]:
        """Hold an exclusive flock on ``<name>.lock`` next to the file."""
        lock_path = real.with_name(f"{real.name}.lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, _FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
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
