"""The credentials file's errors: each message safe to show (no secret in it)."""

from __future__ import annotations

from pathlib import Path

KEEP_HINT = "Fix the problem and save again."
"""The end of a failed save's message in the wizard (a session holding tokens adds that
they are still in memory: see ``SessionBase.saved``)."""

TOKENS_KEPT = "Your tokens are still in memory."
"""Added to a failed save's message when the session holds tokens."""


def os_reason(err: OSError) -> str:
    return err.strerror or type(err).__name__


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
    """A save failed; the file on disk is as it was before the save.

    Attributes:
        problem: What went wrong. The message adds ``hint``, what the wizard's user does
            about it (save again); a command line, with no save key, says its own.
        hint: The end of the message.
    """

    def __init__(self, problem: str, hint: str = KEEP_HINT) -> None:
        super().__init__(f"{problem} {hint}")
        self.problem = problem
        self.hint = hint


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


def load_fate(err: StoreError) -> str:
    """What follows for the wizard when the file could not be loaded because of ``err``."""
    if isinstance(err, CorruptCredsError) and err.moved_to is not None:
        return "The wizard starts from defaults; nothing is overwritten until you save."
    return (
        "The wizard starts from defaults; saves to this file are refused until that is "
        "fixed, so nothing in it is overwritten."
    )
