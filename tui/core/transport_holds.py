"""Endpoints put on hold: a server that asks us to wait (429 or 503 with ``Retry-After``).

Nothing is sent to a held endpoint until the wait is over, and nothing is
ever retried by itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

MAX_HOLD = 3600.0
"""The longest wait a Retry-After may impose: a hostile or broken date in the
year 2100 must not lock the step for ever."""

HOLD_STATUSES = frozenset({429, 503})


def retry_after(response: httpx.Response, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Holds:
    """Endpoints that asked us to wait, and until when.

    Keyed by scheme, host, port and path: Exchange and Refresh share the token
    endpoint, so a 429 on one holds the other too. ``clock`` is monotonic
    seconds (injectable for tests).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._until: dict[str, float] = {}

    def note(self, response: httpx.Response) -> float | None:
        """Hold the endpoint of a 429 or 503 that carries a usable Retry-After.

        Returns:
            The seconds to wait, or None when the answer asks for no wait.
        """
        if response.status_code not in HOLD_STATUSES:
            return None
        wait = retry_after(response)
        if wait is None:
            return None
        wait = min(wait, MAX_HOLD)
        self._until[_endpoint(response.request.url)] = self.clock() + wait
        return wait

    def remaining(self, url: httpx.URL) -> float:
        """Seconds left before ``url``'s endpoint may be sent to again (0: free)."""
        until = self._until.get(_endpoint(url))
        return max(0.0, until - self.clock()) if until is not None else 0.0


def _endpoint(url: httpx.URL) -> str:
    return str(url.copy_with(query=None, fragment=None))
