"""Sizes for a person: a limit reads whole ("1 MiB"), any other size with a decimal."""

from __future__ import annotations

import pytest

from tui.core.sizes import size_text


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (300, "300 bytes"),
        (1023, "1,023 bytes"),
        (1024, "1 KiB"),
        (1536, "1.5 KiB"),
        (16 * 1024, "16 KiB"),
        (1 << 20, "1 MiB"),
        ((1 << 20) + 1, "1.0 MiB"),
        (50 * (1 << 20) + 300_000, "50.3 MiB"),
    ],
)
def test_size_text(size: int, text: str) -> None:
    assert size_text(size) == text
