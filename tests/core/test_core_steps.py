"""When the Credentials step's settings are complete enough to open as a summary."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tui.core.providers import ClientAuth
from tui.core.state import DanceState
from tui.core.steps import settings_complete

COMPLETE = DanceState(
    client_id="cid",
    client_secret="s3cret",
    redirect_uri="http://127.0.0.1:8888/callback",
    auth_method=ClientAuth.BASIC,
)


def test_a_client_id_a_secret_and_an_accepted_redirect_uri_are_complete() -> None:
    assert settings_complete(COMPLETE)


@pytest.mark.parametrize(
    "changes",
    [
        {"client_id": ""},
        {"client_secret": ""},
        {"client_secret": "", "auth_method": ClientAuth.POST},
        {"redirect_uri": ""},
        {"redirect_uri": "http://example.com/callback"},  # plain http off loopback: refused
    ],
    ids=["no client id", "basic without secret", "post without secret", "no redirect", "refused"],
)
def test_anything_less_is_not(changes: dict[str, Any]) -> None:
    assert not settings_complete(replace(COMPLETE, **changes))


def test_a_public_client_needs_no_secret() -> None:
    public = replace(COMPLETE, client_secret="", auth_method=ClientAuth.NONE)
    assert settings_complete(public)


def test_a_redirect_uri_providers_only_warn_about_is_complete() -> None:
    localhost = replace(COMPLETE, redirect_uri="http://localhost:8888/cb")
    assert settings_complete(localhost)
