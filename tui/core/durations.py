"""A duration as a person reads it: in its largest sensible unit, rounded."""

from __future__ import annotations

DAY = 86400
"""Seconds in a day: from a day on, a countdown says days (or years), not hours."""

_UNITS = (("year", "years", 365 * DAY), ("day", "days", DAY), ("h", "h", 3600), ("min", "min", 60))
"""Each unit, one and more of it, and its size in seconds, largest first."""


def span(seconds: float) -> str:
    """``seconds`` (not negative) in its largest unit: ``45 s``, ``12 min``, ``5 h``,
    ``3 days``, ``27 years``."""
    for one, more, size in _UNITS:
        if seconds >= size:
            count = round(seconds / size)
            return f"{count} {one if count == 1 else more}"
    return f"{seconds:.0f} s"
