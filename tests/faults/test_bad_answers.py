"""Bad answers from a server that does answer: error pages, non-JSON, redirects,
rate limits, large bodies. Each is explained, none is followed or retried by itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from tests.app.wizard import settle
from tests.faults import badserver
from tests.faults.badserver import BadServer
from tests.faults.faultapp import bad_app, panel_text, subtitle, toasts, viewer_texts
from tui.core.rawhttp import MAX_BODY_CHARS
from tui.core.transport import MAX_ANSWER_BYTES
from tui.screens.http_step import HELD, RETRY
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.retry_countdown import RetryCountdown

NGINX_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n"
    b"</body>\r\n</html>\r\n" + b"<!-- padding -->\r\n" * 40
)


@pytest.mark.parametrize("key", ["3", "4", "5"], ids=["exchange", "profile", "refresh"])
async def test_html_502_shows_status_type_and_a_clean_excerpt(
    key: str, isolated_environment: Path
) -> None:
    behaviour = badserver.answer("502 Bad Gateway", NGINX_502, content_type="text/html")
    async with BadServer(behaviour) as server:
        app = bad_app(isolated_environment, server.base_url)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press(key, "s")
            await settle(pilot)
            panel = panel_text(app)
            assert subtitle(app).startswith("502 Bad Gateway")
            assert f"HTTP 502 Bad Gateway · text/html · {len(NGINX_502):,} bytes" in panel
            assert "502 Bad Gateway" in panel and "nginx/1.25.3" in panel
            assert "<h1>" not in panel and "\r" not in panel, "an excerpt, not the page"
            assert "padding" not in panel, "a short excerpt"
            assert RETRY in panel


@pytest.mark.parametrize(
    ("body", "said"),
    [(b"Service is up!\n", "Service is up!"), (b"", "(empty body)")],
    ids=["text", "empty"],
)
async def test_200_that_is_not_json(body: bytes, said: str, isolated_environment: Path) -> None:
    behaviour = badserver.answer("200 OK", body, content_type="text/plain")
    async with BadServer(behaviour) as server:
        app = bad_app(isolated_environment, server.base_url)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("3", "s")
            await settle(pilot)
            panel = panel_text(app)
            assert "Unexpected answer" in panel
            assert "not JSON (Content-Type: text/plain)" in panel
            assert said in panel
            assert app.session.state.token != "", "the saved token is kept"
            # Going away and back re-reads the answer: explained again, not raised.
            await pilot.press("4")
            await settle(pilot)
            await pilot.press("3")
            await settle(pilot)
            assert "Unexpected answer" in panel_text(app)


async def test_profile_200_that_is_not_json_survives_a_return_to_the_screen(
    isolated_environment: Path,
) -> None:
    behaviour = badserver.answer("200 OK", b"<p>maintenance</p>", content_type="text/html")
    async with BadServer(behaviour) as server:
        app = bad_app(isolated_environment, server.base_url)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            assert "The profile is not JSON: maintenance" in panel_text(app)
            await pilot.press("5")
            await settle(pilot)
            await pilot.press("4")
            await settle(pilot)
            assert "The profile is not JSON: maintenance" in panel_text(app)


async def test_redirect_from_the_token_endpoint_is_not_followed(
    isolated_environment: Path,
) -> None:
    async with BadServer(badserver.answer("200 OK", b"{}")) as elsewhere:
        redirect = badserver.answer("302 Found", location=f"{elsewhere.base_url}/steal?x=1")
        async with BadServer(redirect) as server:
            app = bad_app(isolated_environment, server.base_url)
            async with app.run_test(size=(80, 24)) as pilot:
                await settle(pilot)
                await pilot.press("3", "s")
                await settle(pilot)
                assert subtitle(app).startswith("302 Found")
                panel = panel_text(app)
                assert "The token endpoint redirected (HTTP 302" in panel
                assert "a token endpoint must answer directly" in panel
    assert len(server.seen) == 1
    assert elsewhere.seen == [], "the code and the secret never went to the Location"


def in_90_seconds() -> str:
    return format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)


@pytest.mark.parametrize(
    ("status", "retry_after", "shown"),
    [
        ("429 Too Many Requests", lambda: "120", "wait 2:00"),
        ("503 Service Unavailable", in_90_seconds, "wait 1:"),
    ],
    ids=["429-seconds", "503-http-date"],
)
async def test_retry_after_holds_the_send_key_and_never_retries_by_itself(
    status: str, retry_after: Callable[[], str], shown: str, isolated_environment: Path
) -> None:
    # The date is made when the test runs, not when it is collected minutes earlier.
    behaviour = badserver.answer(
        status,
        b'{"error":"slow_down"}',
        content_type="application/json",
        retry_after=retry_after(),
    )
    async with BadServer(behaviour) as server:
        app = bad_app(isolated_environment, server.base_url)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("5")
            await settle(pilot)
            assert not app.screen.query(RetryCountdown), "mounted only when a server asks to wait"
            await pilot.press("s")
            await settle(pilot)
            countdown = app.screen.query_one(RetryCountdown)
            assert countdown.display
            assert app.screen.query_one("#step").children[0] is countdown, "above the result"
            assert f"{status}: {shown}" in str(countdown.render())
            assert HELD in panel_text(app)

            # Refused, with a reason, as often as the key is pressed.
            for _ in range(3):
                await pilot.press("s")
                await settle(pilot)
            assert len(server.seen) == 1
            assert any("Held by Retry-After" in t for t in toasts(app))

            # The token endpoint is held for the Exchange step too.
            await pilot.press("3", "s", "s")
            await settle(pilot)
            assert len(server.seen) == 1

            # Time passes (the hold's clock is moved, not waited for): the wait
            # ends, it says so, and still nothing is sent until the user asks.
            await pilot.press("5")
            await settle(pilot)
            holds = app.session.holds
            now = holds.clock()
            holds.clock = lambda: now + 3600
            countdown = app.screen.query_one(RetryCountdown)
            countdown.update_countdown()
            await settle(pilot)
            assert "The wait is over" in str(countdown.render())
            assert len(server.seen) == 1
            await pilot.press("s", "s")
            await settle(pilot)
            assert len(server.seen) == 2


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/html", b"<p>" + b"all work and no play " * 49_000 + b"</p>"),
        ("application/json", b'{"filler": "' + b"x" * 1_040_000 + b'"}'),
    ],
    ids=["html", "json"],
)
async def test_a_body_of_a_megabyte_is_cut_in_the_view_and_the_ui_responds(
    content_type: str, body: bytes, isolated_environment: Path
) -> None:
    assert 1_000_000 < len(body) <= MAX_ANSWER_BYTES, "the largest answer read"
    behaviour = badserver.answer("200 OK", body, content_type=content_type)
    async with BadServer(behaviour) as server:
        app = bad_app(isolated_environment, server.base_url)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            assert subtitle(app).startswith("200 OK"), panel_text(app)
            _, response = viewer_texts(app)
            assert len(response) < MAX_BODY_CHARS + 2_000
            assert "more characters not shown" in response
            assert len(panel_text(app)) < 1_000
            # Keys still work: switch panes, toggle raw, switch back.
            viewer = app.screen.query_one(ExchangeViewer)
            await pilot.press("v")
            assert viewer.pane == "request"
            await pilot.press("t")  # raw JSON; an HTML page has no pretty view to leave
            await settle(pilot)
            assert viewer.pretty is (content_type != "application/json")
            assert "more characters not shown" in viewer_texts(app)[1]
