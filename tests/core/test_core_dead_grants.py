"""What a restart lets go of (Session.drop_dead_grants): device codes past their lifetime
from any provider, and, from a server that forgot what it issued (the embedded demo,
started afresh), the device codes, an unredeemed code and a pushed request_uri. Spent
codes and tokens stay: sending them shows the provider's refusal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.app.wizard import seed
from tui.core.errors import CodesExpiredError
from tui.core.providers import demo_provider
from tui.core.session import Session
from tui.core.state import DEVICE_FLOW
from tui.core.store import CredsStore

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CODES = {
    "flow": DEVICE_FLOW,
    "device_code": "device-code-of-the-last-run",
    "user_code": "BCDF-GHJK",
    "verification_uri": "http://127.0.0.1:44715/device",
    "device_expires": NOW + timedelta(minutes=9),
    "poll_interval": 5,
}


def session(tmp_path: Path, **saved: Any) -> Session:
    """The demo's session as a start opens it: from a file that holds ``saved``."""
    creds = tmp_path / "creds.toml"
    seed(creds, "demo", client_id="demo-client", client_secret="s", **saved)
    opened, error = Session.open(demo_provider("http://127.0.0.1:1"), CredsStore(creds))
    assert error is None
    opened.clock = lambda: NOW
    return opened


def filed(opened: Session) -> dict[str, Any]:
    return opened.store.load_provider("demo")


def test_live_codes_stay_while_the_server_remembers_them(tmp_path: Path) -> None:
    opened = session(tmp_path, **CODES)
    assert opened.drop_dead_grants(server_forgot=False) == ""
    assert opened.state.device_code == CODES["device_code"]


def test_a_restarted_demo_drops_the_device_codes_and_says_so(tmp_path: Path) -> None:
    opened = session(tmp_path, token="kept-token", refresh="kept-refresh", **CODES)
    note = opened.drop_dead_grants(server_forgot=True)
    assert "started afresh" in note and "device codes" in note, note
    assert "Device code asks for new ones" in note, note
    assert not opened.state.device_code and not opened.state.verification_uri
    assert opened.state.device_expires is None
    assert (opened.state.token, opened.state.refresh) == ("kept-token", "kept-refresh")
    assert "device_code" not in filed(opened) and filed(opened)["token"] == "kept-token"


def test_a_restarted_demo_drops_an_unredeemed_code_and_its_attempt(tmp_path: Path) -> None:
    opened = session(
        tmp_path,
        state="s-1",
        code_verifier="v" * 43,
        request_uri="urn:ietf:params:oauth:request_uri:old",
        request_uri_expires=NOW + timedelta(seconds=50),
        code="code-of-the-last-run",
    )
    note = opened.drop_dead_grants(server_forgot=True)
    assert "authorization code and pushed request_uri" in note, note
    assert "Authorize starts a new attempt" in note, note
    state = opened.state
    assert (state.code, state.state, state.code_verifier, state.request_uri) == ("", "", "", "")
    assert "code" not in filed(opened)


def test_a_spent_code_stays_after_a_restart(tmp_path: Path) -> None:
    opened = session(tmp_path, code="spent-code", code_exchanged=True, token="t")
    assert opened.drop_dead_grants(server_forgot=True) == ""
    assert opened.state.code == "spent-code" and opened.state.code_exchanged


def test_a_pushed_request_uri_alone_is_pushed_again(tmp_path: Path) -> None:
    opened = session(tmp_path, state="s-1", code_verifier="v" * 43, request_uri="urn:x:old")
    note = opened.drop_dead_grants(server_forgot=True)
    assert "pushed request_uri" in note and "Authorize pushes again" in note, note
    assert not opened.state.request_uri and opened.state.state == "s-1"


@pytest.mark.parametrize("server_forgot", [False, True])
def test_expired_codes_are_dropped_from_any_provider(tmp_path: Path, server_forgot: bool) -> None:
    opened = session(tmp_path, **{**CODES, "device_expires": NOW - timedelta(seconds=1)})
    note = opened.drop_dead_grants(server_forgot=server_forgot)
    assert note and not opened.state.device_code
    assert "device_code" not in filed(opened)


def test_a_poll_check_after_the_countdown_forgets_the_codes(tmp_path: Path) -> None:
    opened = session(tmp_path, **CODES)
    opened.clock = lambda: NOW + timedelta(minutes=9)
    with pytest.raises(CodesExpiredError):
        opened.check_codes_alive()
    assert not opened.state.device_code and "device_code" not in filed(opened)
