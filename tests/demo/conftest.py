"""Fixtures for the demo provider tests: a real DemoServer on 127.0.0.1, port 0."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from demo_dance import Dance, FakeClock

from tui.demo import DemoServer


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_dance() -> Iterator[Callable[..., Dance]]:
    """Start a DemoServer (port 0) with the given options; stopped after the test."""
    started: list[tuple[DemoServer, httpx.Client]] = []

    def make(**options: Any) -> Dance:
        server = DemoServer(port=0, **options)
        server.start()
        http = httpx.Client(timeout=10, follow_redirects=False, trust_env=False)
        started.append((server, http))
        return Dance(server, http)

    yield make
    for server, http in started:
        http.close()
        server.stop()


@pytest.fixture
def dance(make_dance: Callable[..., Dance]) -> Dance:
    return make_dance()
