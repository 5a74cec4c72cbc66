"""Checks and clean-up around the credentials file's folder.

The store writes through a temp file and an atomic rename. A writer killed
between the two leaves its temp file behind (mode 0600, but holding secrets);
the next save removes it. A folder that takes no new file is reported at
start, before the user has tokens that cannot be saved. And a file is read
only when it is a regular file of a sane size: a FIFO, a device or a
50 MB file given as the credentials file is refused, not read.
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from tui.core.sizes import size_text


def temp_pattern(real: Path) -> str:
    """The glob of the store's temp files for ``real`` (as ``tempfile.mkstemp`` names them)."""
    return f".{glob.escape(real.name)}.*.tmp"


def remove_stale_temps(real: Path) -> None:
    """Delete temp files that killed writers left next to ``real``.

    Call it only under the store's lock: every writer holds the lock while its
    temp file exists, so any temp file seen then belongs to a writer that died.
    """
    for stale in real.parent.glob(temp_pattern(real)):
        with contextlib.suppress(OSError):
            stale.unlink()


def check_writable(path: Path) -> str | None:
    """Why a save of ``path`` would fail now (its folder takes no new file), or None.

    Tried with the very call a save makes (``mkstemp`` in the folder), on the
    nearest folder that exists, since a save creates the missing ones.
    """
    folder = Path(os.path.realpath(path)).parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        import tempfile

        fd, probe = tempfile.mkstemp(prefix=".oauth-dance-probe.", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        return (
            f"Cannot write in {folder}: {e.strerror or type(e).__name__}. The wizard works, "
            "but saves will fail: new tokens will stay in memory only until this is fixed."
        )
    return None


MAX_FILE_BYTES = 1 << 20
"""The largest credentials file (or notebook ``creds.json``) read: 1 MiB.

A real one holds a few providers in a few kilobytes. A bigger file is refused
before it is read, so a wrong path cannot stall the start or fill memory.
"""


class FileRefused(Exception):
    """The path is not something to read as a credentials file; the message says why
    (it completes "Could not use PATH: ...")."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words: "a folder", "a named pipe (FIFO)", ..."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _refuse_unless_regular(st: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(f"it is {kind_of(st.st_mode)}, not a regular file")
    if st.st_size > limit:
        raise _too_large(st.st_size, limit)


def _too_large(size: int, limit: int) -> FileRefused:
    return FileRefused(
        f"it is {size_text(size)}, more than the {size_text(limit)} this program reads"
    )


@contextlib.contextmanager
def open_regular(path: Path, limit: int = MAX_FILE_BYTES) -> Iterator[int]:
    """Open ``path`` for reading, only if it is a regular file of at most ``limit`` bytes.

    Checked with ``stat`` before opening, since opening a FIFO waits for a writer
    (and a device may act on being opened); opened non-blocking and checked again,
    in case the path changed in between.

    Yields:
        The file descriptor.

    Raises:
        FileRefused: Not a regular file, or too large.
        OSError: As ``os.stat`` and ``os.open`` raise them (FileNotFoundError...).
    """
    _refuse_unless_regular(os.stat(path), limit)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        _refuse_unless_regular(os.fstat(fd), limit)
        yield fd
    finally:
        os.close(fd)


def read_limited(fd: int, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read ``fd`` to its end, refusing (FileRefused) past ``limit`` bytes: a file can
    grow after its size was checked."""
    chunks: list[bytes] = []
    total = 0
    while chunk := os.read(fd, min(1 << 16, limit + 1 - total)):
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise _too_large(total, limit)
    return b"".join(chunks)


def read_regular(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file ``path`` (see :func:`open_regular`)."""
    with open_regular(path, limit) as fd:
        return read_limited(fd, limit)


PRIVATE_MODE = 0o600
"""The mode of every file the app writes: only its owner reads it."""


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file of mode 0600 (a screenshot, an export).

    Created exclusively, never through a symlink: an existing file or a link
    planted at ``path`` makes it fail rather than be written over.

    Raises:
        OSError: It exists already, or cannot be written.
    """
    fd = os.open(
        path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, PRIVATE_MODE
    )
    try:
        os.fchmod(fd, PRIVATE_MODE)  # the umask may have taken more away
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def make_private(path: Path) -> str:
    """Make the log file ``path`` mode 0600: created so if absent, tightened if it is
    a regular file of the user's; anything else is left as it is.

    Returns:
        What was done, as a sentence to show.
    """
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, PRIVATE_MODE)
    except OSError as e:
        return f"{path} could not be made private: {e.strerror or type(e).__name__}."
    try:
        st = os.fstat(fd)
        mode = stat.S_IMODE(st.st_mode)
        if not stat.S_ISREG(st.st_mode):
            return f"{path} is {kind_of(st.st_mode)}, left as it is."
        if not mode & 0o077:
            return f"Only you can read {path} (mode {mode:04o})."
        if st.st_uid != os.getuid():
            return f"{path} belongs to another user and others can read it ({mode:04o})."
        os.fchmod(fd, PRIVATE_MODE)
        return f"{path} was open to other users ({mode:04o}); now only you can read it (0600)."
    except OSError as e:
        return f"{path} could not be made private: {e.strerror or type(e).__name__}."
    finally:
        os.close(fd)
