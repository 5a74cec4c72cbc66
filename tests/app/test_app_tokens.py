"""What the token steps say: the first exchange, each kind of refresh, and no refresh token."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from tests.app.wizard import (
    MovedClock,
    WizardFactory,
    advance_to,
    dance_app,
    demo_wizard,
    free_port,
    make_app,
    seed,
    settle,
    wait_until,
)
from tui.core.session_tokens import RefreshChange
from tui.core.steps import Step
from tui.core.tokens import RefreshOutcome
from tui.demo import DemoServer
from tui.screens.profile import ProfileScreen
from tui.screens.refresh import RefreshScreen, change_content
from tui.widgets.error_panel import ErrorPanel


def result_text(app: object) -> str:
    return str(app.screen.query_one("#result", Static).render())  # type: ignore[attr-defined]


async def dance_to_refresh(pilot: Pilot[None]) -> tuple[str, str]:
    """Authorize on the demo consent page, exchange, refresh; the exchange's summary and
    the refresh token it brought."""
    app = dance_app(pilot)
    await advance_to(pilot, Step.EXCHANGE)
    await pilot.press("s")
    await settle(pilot)
    summary, first_refresh = result_text(app), app.session.state.refresh
    for key in ("5", "s"):
        await pilot.press(key)
        await settle(pilot)
    assert isinstance(app.screen, RefreshScreen)
    return summary, first_refresh


@pytest.fixture
def rotating_demo() -> Iterator[DemoServer]:
    server = DemoServer(port=0, rotate_refresh=True)
    server.start()
    yield server
    server.stop()


async def test_the_first_exchange_says_received_and_a_refresh_without_one_says_kept(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(100, 40)) as (app, pilot):
        summary, first_refresh = await dance_to_refresh(pilot)
        assert "Refresh token received" in " ".join(summary.split())
        assert "kept" not in summary
        said = " ".join(result_text(app).split())
        assert "none came back, so the old one is kept (RFC 6749 §6)" in said
        assert app.session.state.refresh == first_refresh


async def test_a_rotated_refresh_token_is_said_rotated(
    isolated_environment: Path, rotating_demo: DemoServer
) -> None:
    async with demo_wizard(isolated_environment, rotating_demo, size=(100, 40)) as (app, pilot):
        _summary, first_refresh = await dance_to_refresh(pilot)
        assert "rotated: a new one came" in " ".join(result_text(app).split())
        assert app.session.state.refresh != first_refresh


@pytest.mark.parametrize(
    ("outcome", "said"),
    [
        (RefreshOutcome.ROTATED, "rotated"),
        (RefreshOutcome.SAME, "the same one came back"),
        (RefreshOutcome.KEPT, "none came back"),
    ],
)
def test_each_refresh_outcome_is_said(outcome: RefreshOutcome, said: str) -> None:
    text = change_content(RefreshChange(True, outcome, None, None)).plain
    assert said in text
    others = {"rotated", "the same one came back", "none came back"} - {said}
    assert not any(other in text for other in others)


@pytest.mark.parametrize(
    ("provider", "table", "advice"),
    [
        ("github", {}, "GitHub OAuth apps get no refresh token"),
        ("google", {}, "access_type=offline"),
        (
            "corp",
            {
                "issuer": "https://id.corp.example",
                "authorize_endpoint": "https://id.corp.example/authorize",
                "token_endpoint": "https://id.corp.example/token",
            },
            "offline_access",
        ),
    ],
)
async def test_no_refresh_token_is_explained_for_the_provider(
    isolated_environment: Path,
    demo_server: DemoServer,
    provider: str,
    table: dict[str, str],
    advice: str,
) -> None:
    seed(
        isolated_environment,
        provider,
        client_id="cid",
        client_secret="secret-value",
        redirect_uri=f"http://127.0.0.1:{free_port()}/callback",
        token="an-access-token",
        **table,
    )
    app = make_app(isolated_environment, demo_server, provider)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        said = [n.message for n in app.toasts]
        assert any("brought no refresh token" in m and advice in m for m in said), said


async def test_the_sidebar_counts_down_on_the_sessions_clock(wizard: WizardFactory) -> None:
    """Time passes at once for a test: the session's clock is moved, not waited for."""
    async with wizard(size=(100, 40)) as (app, pilot):
        await advance_to(pilot, Step.EXCHANGE)
        await pilot.press("s")
        await settle(pilot)
        expiry = app.screen.query_one("#expiry", Static)
        assert app.session.state.expires is not None
        assert app.session.state.expires - app.session.clock() > timedelta(minutes=50)
        assert "left" in str(expiry.render())
        later = app.session.state.expires + timedelta(seconds=5)
        app.session.clock = lambda: later
        await wait_until(pilot, lambda: "expired 0:05 ago" in str(expiry.render()), "the tick")
        assert expiry.has_class("-expired")


async def test_an_expiry_long_past_or_far_off_is_said_in_days_or_years(
    wizard: WizardFactory,
) -> None:
    """``expires = 1999-01-01T00:00:00Z`` in the file: years ago, not 244859 hours."""
    async with wizard(token="an-access-token", expires=datetime(1999, 1, 1, tzinfo=UTC)) as (
        app,
        pilot,
    ):
        expiry = app.screen.query_one("#expiry", Static)
        app.session.clock = lambda: datetime(2026, 3, 1, tzinfo=UTC)
        await wait_until(pilot, lambda: "27 years" in str(expiry.render()), "the tick")
        assert str(expiry.render()) == "Access token\nexpired 27 years ago"
        assert expiry.has_class("-expired")
        app.session.clock = lambda: datetime(1998, 12, 28, 23, 0, tzinfo=UTC)
        await wait_until(pilot, lambda: "days" in str(expiry.render()), "the tick")
        assert str(expiry.render()) == "Access token\n3 days left"


async def test_the_error_panel_says_that_enter_goes_to_refresh_after_a_401(
    isolated_environment: Path, short_lived_demo: DemoServer, moved_clock: MovedClock
) -> None:
    async with demo_wizard(isolated_environment, short_lived_demo) as (app, pilot):
        await advance_to(pilot, Step.PROFILE)
        moved_clock.advance(61)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.active_bindings["enter"].binding.description == "Refresh"
        said = " ".join(app.screen.query_one(ErrorPanel).text.split())
        assert "→ Press enter to go on to Refresh." in said
        assert "fresh request" not in said
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RefreshScreen)
