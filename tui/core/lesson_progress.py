"""The lessons done: their keys, kept in the credentials file's app table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from tui.core.lessons import LESSONS

if TYPE_CHECKING:
    from tui.core.store import CredsStore

PROGRESS_KEY = "lessons_done"
"""The app table's key (credentials file) listing the lessons done, by key."""


def done_keys(app_table: Mapping[str, object]) -> list[str]:
    """The keys of the lessons done, from the app table (a wrong type counts as none)."""
    value = app_table.get(PROGRESS_KEY)
    if not isinstance(value, list):
        return []
    return [key for key in value if isinstance(key, str)]


def record_done(store: CredsStore, key: str) -> list[str]:
    """Add ``key`` to the lessons done in the credentials file's app table.

    Returns:
        The keys of every lesson done, in the order of :data:`LESSONS`.

    Raises:
        StoreError: the file could not be read or written.
    """
    done = set(done_keys(store.load_app())) | {key}
    keys = [lesson.key for lesson in LESSONS if lesson.key in done]
    keys += sorted(done - set(keys))  # a later version's lessons are kept
    store.update_app(**{PROGRESS_KEY: keys})
    return keys
