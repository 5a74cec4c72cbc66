"""Checks and clean-up around the credentials file's folder.

The store writes through a temp file and an atomic rename. A writer killed
between the two leaves its temp file behind (mode 0600, but holding secrets);
the next save removes it. And a folder that takes no new file is reported at
start, before the user has tokens that cannot be saved.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from pathlib import Path


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
        fd, probe = tempfile.mkstemp(prefix=".oauth-dance-probe.", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        return (
            f"Cannot write in {folder}: {e.strerror or type(e).__name__}. The wizard works, "
            "but saves will fail: new tokens will stay in memory only until this is fixed."
        )
    return None
