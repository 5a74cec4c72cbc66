"""The device flow speaks of its own steps, by keys at 80x24 on the demo: the viewer's
titles and History say Device code and Poll, the palette offers them, the teaching texts
send the user to new device codes, Credentials shows what the device request uses, and
the sidebar gives RFC 8628's sections, not the redirect dance's step numbers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from tests.app.test_app_console import result_text
from tests.app.test_app_device import decide_in_browser, summary_text, to_device_code, type_text
from tests.app.test_app_leave_form import edit_client_id
from tests.app.test_app_revoke import send_and_try
from tests.app.wizard import (
    WizardFactory,
    free_port,
    make_app,
    press,
    seed,
    settle,
    wait_until,
)
from tests.screenshot import screen_text
from tui.app import OAuthDanceApp
from tui.core.har import har_text
from tui.core.transcript import markdown_text
from tui.demo import DemoServer
from tui.screens.history import HistoryScreen
from tui.screens.poll import PollScreen
from tui.widgets.error_panel import ErrorPanel
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.settings_summary import SettingsSummary


def viewer_title(app: OAuthDanceApp) -> str:
    return str(app.screen.query_one(ExchangeViewer).border_title)


async def to_tokens(app: OAuthDanceApp, pilot: Pilot[Any]) -> None:
    """From Authorize: the codes asked for, approved in a browser, polled: the tokens."""
    await to_device_code(app, pilot)
    decide_in_browser(app, "Approve")()
    await press(pilot, "3", "enter")
    assert app.session.state.token and app.session.state.refresh


async def test_the_viewer_and_history_name_the_device_flows_steps(wizard: WizardFactory) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await to_device_code(app, pilot)
        assert viewer_title(app) == "Device code · POST /api/device"
        await press(pilot, "g")
        assert viewer_title(app) == "Device code (verification page) · GET /device"
        await type_text(pilot, app.session.state.user_code)
        await press(pilot, "enter", "a", "enter")  # approved; enter polls on Poll
        assert isinstance(app.screen, PollScreen)
        assert app.session.state.token
        assert viewer_title(app) == "Poll · POST /api/token"
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History")
        await settle(pilot)
        listed = app.screen.query_one(OptionList)
        lines = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        said = [line.split(" ", 2)[2] for line in lines]  # the number and time left out
        assert said == [
            "Device code: POST /api/device → 200 OK",
            "Device code (verification page): GET /device → 200 OK",
            "Device code (verification page): POST /device → 200 OK",
            "Device code (verification page): POST /device/decision → 200 OK",
            "Poll: POST /api/token → 200 OK",
        ]
        markdown = markdown_text(app.session, datetime.now(UTC))  # the exports say so too
        assert "## Device code" in markdown and "## Poll" in markdown, markdown
        assert "## Authorize" not in markdown and "## Exchange" not in markdown, markdown
        comments = [e["comment"] for e in json.loads(har_text(app.session))["log"]["entries"]]
        assert comments[-1] == "Poll: RFC 8628 §3.4–3.5.", comments


async def test_the_palette_offers_the_device_flows_steps(wizard: WizardFactory) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await to_device_code(app, pilot)
        await pilot.press("ctrl+p", *"poll")
        await wait_until(pilot, lambda: "Go to Poll" in screen_text(app), "Go to Poll")
        assert "again and again at the interval" in screen_text(app)
        await pilot.press(*["backspace"] * 4, *"device code")
        await wait_until(pilot, lambda: "Go to Device code" in screen_text(app), "Device code")
        text = screen_text(app)
        assert "redirects back to redirect_uri" not in text, text
        assert "Go to Authorize" not in text and "Go to Exchange" not in text, text


async def test_a_refused_refresh_on_call_api_sends_the_user_to_new_device_codes(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    seed(
        isolated_environment,
        "demo",
        redirect_uri=f"http://127.0.0.1:{free_port()}/callback",
        flow="device",
        token="a-token-the-demo-never-issued",
        refresh="a-refresh-token-the-demo-never-issued",
    )
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.session.state.device_flow
        await press(pilot, "6", "enter", "enter")  # a 401, then Refresh & retry: invalid_grant
        said = " ".join(app.screen.query_one(ErrorPanel).text.split())
        assert "invalid_grant" in said, said
        assert "redirect_uri" not in said and "authorize again" not in said.lower(), said
        assert "go to Device code (2) and ask for new device codes" in said, said
        assert "new device codes on Device code (2)" in said, said


async def test_trying_a_revoked_refresh_token_sends_the_user_to_new_device_codes(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await to_tokens(app, pilot)
        await press(pilot, "7", "o")
        await send_and_try(pilot)
        said = " ".join(result_text(pilot).split())
        assert "invalid_grant: the revoked token is refused, as it should be" in said, said
        assert "Authorize again" not in said, said
        assert "new device codes on Device code (2)" in said, said


async def test_credentials_shows_only_what_the_device_request_sends(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await press(pilot, "1", "v")
        assert app.session.state.device_flow
        rows = [label for label, _value in app.screen.query_one(SettingsSummary).rows]
        for unused in ("Redirect URI", "PKCE", "show_dialog", "Extra params"):
            assert unused not in rows, rows
        said = summary_text(app)
        assert "Client ID" in said and "Scopes" in said and "Client auth" in said, said
        assert "the device flow sends none of them" in said, said
        await press(pilot, "v")  # back: the redirect flow's rows again
        rows = [label for label, _value in app.screen.query_one(SettingsSummary).rows]
        assert "Redirect URI" in rows and "PKCE" in rows, rows


async def test_the_sidebar_gives_rfc_8628_sections_not_the_redirect_dances_steps(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 40)) as (app, pilot):
        await to_device_code(app, pilot)
        text = screen_text(app)
        assert "2 Device code" in text and "step §3.1–3.3" in text, text
        assert "3 Poll" in text and "step §3.4–3.5" in text, text
        assert "step 2–6" not in text and "step 7–8" not in text, text


async def test_leaving_the_form_with_edits_names_device_code(
    isolated_environment: Path, demo_server: DemoServer
) -> None:
    seed(
        isolated_environment,
        "demo",
        client_id=demo_server.client_id,
        client_secret=demo_server.client_secret,
        redirect_uri=f"http://127.0.0.1:{free_port()}/callback",
        flow="device",
    )
    app = make_app(isolated_environment, demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "1")
        await edit_client_id(pilot)  # then 2: the question
        said = str(app.screen.query_one(Static).render())
        assert "before going to Device code," in said, said
