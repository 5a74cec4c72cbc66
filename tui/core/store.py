"""The TOML credentials file: one table per provider, kept 0600 in a 0700 folder.

Every write re-reads the file under an exclusive lock and atomically replaces only one
provider's table; a file that does not parse is moved aside (and reported), or left where
it is by a store that only reads (``moves_corrupt``), never overwritten. Only a regular
file of at most ``MAX_FILE_BYTES`` is read or replaced, and a
symlink is followed only to one. Saves can run in the store's own writer thread
(:meth:`CredsStore.save_provider_soon`), one at a time, so a UI never waits for the disk.

The file's errors are in ``store_errors``, its TOML in ``store_toml``, and what is done
on disk (paths, modes, the lock, atomic writes) in ``store_disk``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.sizes import size_text
from tui.core.store_disk import CredsFile
from tui.core.store_errors import (
    CorruptCredsError,
    RefusedFileError,
    StoreError,
    StoreWriteError,
    UnsupportedVersionError,
    os_reason,
)
from tui.core.store_files import MAX_FILE_BYTES, remove_stale_temps
from tui.core.store_toml import FORMAT_VERSION, Unparsable, at_line, clean, parse, version_problem

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

# tempfile (in store_disk), concurrent.futures and platformdirs are imported where used
# (about 50 ms together): `oauth-dance token --creds PATH` with a token that has time left
# only reads.

ENV_VAR = "OAUTH_DANCE_CREDS"
APP_TABLE = "app"
"""The table of the app's own settings and progress (not a provider's): e.g. the
break-it lessons done. No provider can be called this."""


def default_path() -> Path:
    """Return ``$OAUTH_DANCE_CREDS`` if set, else ``creds.toml`` in the user config dir.

    Raises:
        ValueError: the variable is set but empty or blank. It names no file, and taking
            it for unset would read and write the default file unasked.
    """
    env = os.environ.get(ENV_VAR)
    if env is not None:
        if not env.strip():
            raise ValueError(
                f"{ENV_VAR} is set but empty ({env!r}): set it to the credentials file's "
                "path, or unset it"
            )
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_config_path("oauth-dance") / "creds.toml"


def resolve_path(flag: str | Path | None) -> Path:
    """Pick the credentials path: the ``--creds`` flag, then the env var, then the default.

    Raises:
        ValueError: no flag, and the env var set but empty (see :func:`default_path`).
    """
    if flag is not None:
        return Path(flag).expanduser()
    return default_path()


LEFT_AS_IS = (
    "It is left as it is: fix it, or run the wizard, which moves it aside and starts "
    "with no saved credentials."
)
"""What becomes of a file that does not parse, for a command that only reads it."""


class CredsStore(CredsFile):
    """Reads and writes the credentials file at ``path``: its tables, one per provider.

    Args:
        moves_corrupt: Whether a file that does not parse is moved aside (the wizard,
            which then starts afresh) or left where it is (a command that only reads).

    Attributes:
        moved_aside: What was said of each file moved aside as corrupt, to say again
            on stderr at exit.
    """

    def __init__(self, path: Path, *, moves_corrupt: bool = True) -> None:
        super().__init__(path)
        self.moves_corrupt = moves_corrupt
        self.moved_aside: list[str] = []
        self._writer: ThreadPoolExecutor | None = None
        self._kept_for: set[str] = set()
        """The problems a copy of the file was kept for (:meth:`keep_original`)."""

    def load(self) -> dict[str, dict[str, Any]]:
        """Return every provider table (not the app's); {} when the file does not exist.

        Raises:
            CorruptCredsError: The file does not parse (it has been moved aside, unless
                ``moves_corrupt`` is false).
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
        doc = parse(raw)
        if isinstance(doc, Unparsable):
            self._refuse_linked(real, doc.line)
            if not self.moves_corrupt:
                raise self._corrupt(doc, LEFT_AS_IS, moved=None)
            doc = self._quarantine_locked(real)
        problem = version_problem(doc)
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

    def keep_original(self, problem: str) -> None:
        """Keep a copy of the file as it is now beside it (``<name>.kept-<UTC stamp>``,
        0600) before a save rewrites the part ``problem`` describes, and say so in a
        notice, and again at exit; once per problem.

        Args:
            problem: what a save will drop, as a sentence (safe to show).
        """
        if problem in self._kept_for:
            return
        self._kept_for.add(problem)
        kept: Path | None = None
        try:
            real = self._real_path()
            with self._locked(real):
                raw = self._read_raw(real)
                if raw is not None:
                    kept = self._copy_aside(real, raw, "kept")
        except (StoreError, OSError):
            kept = None
        fate = (
            f"The file as it was is kept in {kept}; the next save rewrites it without them. "
            "The copy holds your secrets and tokens too: delete it once the values are fixed."
            if kept
            else "No copy of it could be kept: fix them in the file by hand, or the next "
            "save rewrites it without them."
        )
        report = f"In {self.path}, {problem} {fate}"
        self.moved_aside.append(report)
        self._notice(report)

    def load_provider(self, name: str) -> dict[str, Any]:
        """Return one provider's table, or {} when it is absent."""
        return self.load().get(name, {})

    def save_provider(self, name: str, table: Mapping[str, Any]) -> None:
        """Replace ``name``'s table with ``table`` (None values are dropped).

        Raises:
            StoreWriteError: The save failed; the file on disk is untouched.
        """
        new = clean(table)
        self._mutate(name, lambda _old: new)

    def save_provider_soon(self, name: str, table: Mapping[str, Any]) -> Future[dict[str, Any]]:
        """:meth:`save_provider` in the store's writer thread, after every save asked before.

        The table is checked and copied now. Call :meth:`flush` before the program ends.

        Returns:
            The save's future: its exception is the StoreWriteError of a failed save.
        """
        new = clean(table)
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
                raise StoreError(f"Could not lock {self.path}: {os_reason(e)}.") from None
            yield

    def update_provider(self, name: str, **changes: Any) -> dict[str, Any]:
        """Merge ``changes`` into ``name``'s table (None deletes a key), save, return it.

        Raises:
            StoreWriteError: The save failed; the file on disk is untouched.
        """
        cleaned = clean({k: v for k, v in changes.items() if v is not None})
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
                        f"than the {size_text(MAX_FILE_BYTES)} this program reads."
                    )
                self._write_atomic(real, data)
            self._check_folder(real.parent)
        except RefusedFileError as err:
            raise StoreWriteError(
                f"Not saving to {self.path}: {err.reason}; it is left as it is."
            ) from None
        except OSError as e:
            raise StoreWriteError(f"Could not save {self.path}: {os_reason(e)}.") from None
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
                f"would discard the other providers in it."
            ) from None
        if raw is None:
            return {}
        doc = parse(raw)
        if isinstance(doc, Unparsable):
            self._refuse_linked(real, doc.line)
            moved = self._move_aside(real)
            if moved is None:
                raise StoreWriteError(
                    f"Not saving to {self.path}: it is not valid TOML{at_line(doc.line)} and "
                    f"could not be moved aside."
                )
            report = (
                f"{self.path} was not valid TOML{at_line(doc.line)}; it was moved to {moved} "
                "and a fresh file was written."
            )
            self.moved_aside.append(report)
            self._notice(report)
            return {}
        problem = version_problem(doc)
        if problem:
            raise StoreWriteError(f"Not saving to {self.path}: {problem}.")
        return doc

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
            doc = parse(raw)
            if not isinstance(doc, Unparsable):
                return doc
            self._refuse_linked(real, doc.line)
            moved = self._move_aside(real)
        fate = (
            f"It was moved to {moved}; starting with no saved credentials."
            if moved
            else "It could not be moved aside; fix or remove it, or pass --creds with another path."
        )
        error = self._corrupt(doc, fate, moved=moved)
        if moved:
            self.moved_aside.append(str(error))
        raise error

    def _corrupt(self, doc: Unparsable, fate: str, moved: Path | None) -> CorruptCredsError:
        """The error for a file that does not parse: where, then ``fate``."""
        where = at_line(doc.line) + (f", column {doc.column}" if doc.line and doc.column else "")
        message = f"{self.path} is not valid TOML{where}. {fate}"
        return CorruptCredsError(message, path=self.path, line=doc.line, moved_to=moved)
