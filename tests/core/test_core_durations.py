"""Durations said in their largest sensible unit."""

from __future__ import annotations

import pytest

from tui.core.durations import span

DAY = 86400


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (0, "0 s"),
        (59, "59 s"),
        (60, "1 min"),
        (3599, "60 min"),
        (3600, "1 h"),
        (DAY, "1 day"),
        (3 * DAY, "3 days"),
        (364 * DAY, "364 days"),
        (365 * DAY, "1 year"),
        (9922 * DAY, "27 years"),
    ],
)
def test_a_span_is_said_in_its_largest_unit(seconds: float, said: str) -> None:
    assert span(seconds) == said
