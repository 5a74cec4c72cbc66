"""The whole dance, at 80x24, against the embedded provider, pressing keys as a person would."""

from __future__ import annotations

import tomllib
from pathlib import Path

import httpx
import pytest

from tests.app.wizard import WizardFactory, settle
from tui.core.flow import basic_credentials
from tui.demo import DemoServer
from tui.screens.authorize import AuthorizeScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.exchange import ExchangeScreen
from tui.screens.profile import ProfileScreen
from tui.screens.refresh import RefreshScreen
from tui.widgets.exchange_viewer import ExchangeViewer


def status_of(app: object) -> str:
    viewer = app.screen.query_one(ExchangeViewer)  # type: ignore[attr-defined]
    return str(viewer.border_subtitle)


@pytest.mark.slow
async def test_whole_dance_by_keyboard(
    isolated_environment: Path, demo_server: DemoServer, wizard: WizardFactory
) -> None:
    creds = isolated_environment
    seen: dict[str, str] = {}
    async with wizard(size=(80, 24)) as (app, pilot):
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuthorizeScreen)

        await pilot.press("g")
        await settle(pilot)
        seen["consent page"] = status_of(app)
        await pilot.press("a")
        await settle(pilot)
        seen["approve"] = status_of(app)
        assert app.session.state.code

        for key, screen, step in (
            ("3", ExchangeScreen, "exchange"),
            ("4", ProfileScreen, "profile"),
            ("5", RefreshScreen, "refresh"),
        ):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen)
            await pilot.press("s")
            await settle(pilot)
            seen[step] = status_of(app)

    assert seen["consent page"].startswith("200 OK")
    assert seen["approve"].startswith("302 Found")
    assert seen["exchange"].startswith("200 OK")
    assert seen["profile"].startswith("200 OK")
    assert seen["refresh"].startswith("200 OK")

    saved = tomllib.loads(creds.read_text())["demo"]
    assert creds.stat().st_mode & 0o777 == 0o600
    with httpx.Client(trust_env=False) as client:
        me = client.get(
            f"{demo_server.base_url}/v1/me", headers={"Authorization": f"Bearer {saved['token']}"}
        )
        assert me.status_code == 200
        assert me.json()["id"]
        again = client.post(
            f"{demo_server.base_url}/api/token",
            data={"grant_type": "refresh_token", "refresh_token": saved["refresh"]},
            headers={
                "Authorization": basic_credentials(demo_server.client_id, demo_server.client_secret)
            },
        )
        assert again.status_code == 200, again.text
    assert saved["expires"].tzinfo is not None
