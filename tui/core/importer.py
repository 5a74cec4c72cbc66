"""Import the course notebook's ``creds.json`` into the TOML credentials store."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.core import jsonsafe
from tui.core.store import CredsStore
from tui.core.store_errors import StoreError
from tui.core.store_files import FileRefused, read_regular

# The keys the notebook's util.read_creds/update_creds use for one provider entry.
NOTEBOOK_KEYS = (
    "client_id",
    "client_secret",
    "redirect_uri",
    "state",
    "code",
    "token",
    "refresh",
    "scope",
    "expires",
)


def parse_notebook_expires(value: str) -> datetime | None:
    """Parse the notebook's ``str(datetime.now() + timedelta(...))`` as aware UTC.

    The notebook wrote a naive local time, so a naive value is read as local time.

    Returns:
        The instant in UTC, or None when ``value`` is not a date and time (e.g. the
        "1:00:00" that ``str(+timedelta(seconds=3600))`` gives).
    """
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    # astimezone() on a naive datetime assumes the system's local time zone.
    return parsed.astimezone(UTC)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _convert_entry(
    json_path: Path, name: str, entry: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Turn one notebook entry into store changes, plus notices about what was skipped."""
    changes: dict[str, Any] = {}
    notices: list[str] = []
    for key, value in entry.items():
        # Empty strings and nulls mean "not set yet" in the notebook; leaving them out
        # keeps whatever the TOML table already has (never deletes a refresh token).
        if value is None or value == "":
            continue
        if key == "expires":
            when = parse_notebook_expires(value) if isinstance(value, str) else None
            if when is None:
                notices.append(
                    f"Skipped {name}.expires from {json_path}: it is not a date and time."
                )
                continue
            changes[key] = when
        elif _is_scalar(value):
            changes[key] = value
        else:
            notices.append(
                f"Skipped {name}.{key} from {json_path}: only text, numbers and "
                "true/false are imported."
            )
    return changes, notices


def import_creds_json(json_path: Path, store: CredsStore) -> list[str]:
    """Merge every provider entry of a notebook ``creds.json`` into ``store``.

    Each entry is merged over the provider's existing table. Nothing is written unless
    the whole file is valid. Skipped values are reported in ``store.notices``.

    Returns:
        The names of the imported providers, in file order.

    Raises:
        StoreError: The file cannot be read (or is not a regular file of at most
            ``MAX_FILE_BYTES``), is not JSON, or is not an object of provider objects
            (StoreWriteError if saving fails).
    """
    json_path = Path(json_path)
    try:
        raw = read_regular(json_path)
    except FileRefused as e:
        raise StoreError(f"Could not read {json_path}: {e}.") from None
    except OSError as e:
        reason = e.strerror or type(e).__name__
        raise StoreError(f"Could not read {json_path}: {reason}.") from None
    try:
        data = jsonsafe.loads(raw)
    except json.JSONDecodeError as e:
        # Only the position is reported: the message could echo secret text.
        raise StoreError(f"{json_path} is not valid JSON (line {e.lineno}).") from None
    except jsonsafe.JsonTooDeepError as e:
        raise StoreError(f"{json_path} is not a notebook creds.json: {e}.") from None
    except ValueError:
        raise StoreError(f"{json_path} is not valid JSON (it is not UTF-8 text).") from None
    if not isinstance(data, dict):
        raise StoreError(
            f"{json_path} is not a notebook creds.json: expected an object of providers, "
            'like {"spotify": {"client_id": "..."}}.'
        )
    converted: list[tuple[str, dict[str, Any]]] = []
    for name, entry in data.items():
        if not isinstance(entry, dict):
            raise StoreError(
                f"{json_path}: the entry {name!r} is not an object of credentials; "
                "nothing was imported."
            )
        if not name.strip() or name == "version":
            raise StoreError(
                f"{json_path}: {name!r} cannot be used as a provider name; nothing was imported."
            )
        changes, notices = _convert_entry(json_path, name, entry)
        store.notices.extend(notices)
        converted.append((name, changes))
    for name, changes in converted:
        store.update_provider(name, **changes)
    return [name for name, _ in converted]
