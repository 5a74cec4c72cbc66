"""What the credentials file holds, provider by provider, without a secret
(``oauth-dance status``): which tokens exist, when the access token expires, the scopes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tui.core.providers import EMBEDDED_DEMO
from tui.core.state import DanceState


@dataclass(frozen=True)
class Holding:
    """One provider's tokens, told without their values."""

    provider: str
    access_token: bool
    expires: datetime | None
    refresh_token: bool
    id_token: bool
    scope: str
    """The scope granted with the tokens, else the one the settings ask for."""
    scope_granted: bool
    secrets: frozenset[str]
    """The table's secrets, to mask in whatever is shown of it."""
    embedded_demo: bool = False
    """The tokens came from the demo server inside a wizard: they end with it, whatever
    their expiry says."""


def inventory(tables: Mapping[str, Mapping[str, Any]]) -> list[Holding]:
    """One :class:`Holding` per provider table, in the file's order."""
    rows = []
    for name, table in tables.items():
        state = DanceState.from_table(table, DanceState())
        rows.append(
            Holding(
                provider=name,
                access_token=bool(state.token),
                expires=state.expires if state.token else None,
                refresh_token=bool(state.refresh),
                id_token=bool(state.id_token),
                scope=" ".join((state.granted_scope or state.scope).split()),
                scope_granted=bool(state.granted_scope),
                secrets=state.secrets(),
                embedded_demo=name == EMBEDDED_DEMO,
            )
        )
    return rows
