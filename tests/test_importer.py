"""Importing the course notebook's creds.json into the TOML store."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tui.core.importer import import_creds_json, parse_notebook_expires
from tui.core.store import CredsStore
from tui.core.store_errors import StoreError


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # A fixed non-UTC local zone, so "naive means local time" is really exercised.
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def store(tmp_path: Path) -> CredsStore:
    return CredsStore(tmp_path / "conf" / "creds.toml")


def write_json(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "creds.json"
    path.write_text(json.dumps(data, indent=2))
    return path


NOTEBOOK_ENTRY = {
    "client_id": "0123456789abcdef0123456789abcdef",
    "client_secret": "fedcba9876543210fedcba9876543210",
    "redirect_uri": "http://127.0.0.1:8888/callback",
    "state": "xyzzy",
    "code": "",
    "token": "BQC5xOg",
    "refresh": "AQCbIFI",
    "scope": "",
    "expires": "2020-10-01 12:34:56.789012",
}


def test_notebook_creds_json_imports_with_aware_expires(
    tmp_path: Path, store: CredsStore, new_york: None
) -> None:
    path = write_json(tmp_path, {"spotify": NOTEBOOK_ENTRY})
    assert import_creds_json(path, store) == ["spotify"]
    table = CredsStore(store.path).load_provider("spotify")
    # 12:34 in New York (EDT, UTC-4, on 1 Oct 2020) is 16:34 UTC.
    assert table["expires"] == datetime(2020, 10, 1, 16, 34, 56, 789012, tzinfo=UTC)
    assert table["expires"].tzinfo is not None
    assert table == {
        "client_id": "0123456789abcdef0123456789abcdef",
        "client_secret": "fedcba9876543210fedcba9876543210",
        "redirect_uri": "http://127.0.0.1:8888/callback",
        "state": "xyzzy",
        "token": "BQC5xOg",
        "refresh": "AQCbIFI",
        "expires": datetime(2020, 10, 1, 16, 34, 56, 789012, tzinfo=UTC),
    }
    assert "code" not in table and "scope" not in table


def test_import_merges_over_existing_table_and_keeps_other_providers(
    tmp_path: Path, store: CredsStore
) -> None:
    store.save_provider("spotify", {"refresh": "keep-me", "extra_params": {"a": "b"}})
    store.save_provider("github", {"client_id": "gh"})
    path = write_json(
        tmp_path,
        {"spotify": {"client_id": "id", "refresh": ""}, "yelp": {"client_id": "y"}},
    )
    assert import_creds_json(path, store) == ["spotify", "yelp"]
    assert store.load() == {
        "spotify": {"refresh": "keep-me", "extra_params": {"a": "b"}, "client_id": "id"},
        "github": {"client_id": "gh"},
        "yelp": {"client_id": "y"},
    }


def test_unknown_scalars_carried_non_scalars_skipped_with_notice(
    tmp_path: Path, store: CredsStore
) -> None:
    path = write_json(
        tmp_path,
        {"spotify": {"client_id": "id", "port": 8888, "pkce": True, "nested": {"x": 1}}},
    )
    import_creds_json(path, store)
    assert store.load_provider("spotify") == {"client_id": "id", "port": 8888, "pkce": True}
    assert any("spotify.nested" in n for n in store.notices)


def test_expires_that_is_not_a_datetime_is_skipped_with_notice(
    tmp_path: Path, store: CredsStore
) -> None:
    # The notebook's own cell writes str(+timedelta(seconds=3600)), i.e. "1:00:00".
    path = write_json(tmp_path, {"spotify": {"client_id": "id", "expires": "1:00:00"}})
    import_creds_json(path, store)
    assert store.load_provider("spotify") == {"client_id": "id"}
    assert any("spotify.expires" in n and str(path) in n for n in store.notices)


def test_aware_expires_is_converted_to_utc() -> None:
    parsed = parse_notebook_expires("2020-10-01T12:00:00+02:00")
    assert parsed == datetime(2020, 10, 1, 10, 0, tzinfo=UTC)
    assert parsed is not None and parsed.utcoffset() is not None
    assert parse_notebook_expires("not a date") is None


@pytest.mark.parametrize(
    "content",
    ['{"spotify": {"client_id": "abc",}', "", "not json at all", '{"a": 1'],
)
def test_bad_json_is_a_store_error_naming_the_file(
    tmp_path: Path, store: CredsStore, content: str
) -> None:
    path = tmp_path / "creds.json"
    path.write_text(content)
    with pytest.raises(StoreError, match="not valid JSON") as info:
        import_creds_json(path, store)
    assert str(path) in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert not store.path.exists()


def test_non_utf8_json_is_a_store_error(tmp_path: Path, store: CredsStore) -> None:
    path = tmp_path / "creds.json"
    path.write_bytes(b'{"spotify": {"client_id": "\xff"}}')
    with pytest.raises(StoreError, match=re.escape(str(path))):
        import_creds_json(path, store)


@pytest.mark.parametrize(
    "data", [["spotify"], "spotify", {"spotify": "abc"}, {"spotify": {}, "github": [1, 2]}]
)
def test_wrong_shape_is_a_store_error_and_nothing_is_written(
    tmp_path: Path, store: CredsStore, data: Any
) -> None:
    path = write_json(tmp_path, data)
    with pytest.raises(StoreError) as info:
        import_creds_json(path, store)
    assert str(path) in str(info.value)
    assert not store.path.exists()


def test_missing_json_file_is_a_store_error(tmp_path: Path, store: CredsStore) -> None:
    path = tmp_path / "nope.json"
    with pytest.raises(StoreError, match="Could not read") as info:
        import_creds_json(path, store)
    assert str(path) in str(info.value)
