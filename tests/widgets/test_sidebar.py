"""The step sidebar: what it shows, its keys and clicks, its countdown, short terminals."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from textual.app import App, ComposeResult
from textual.content import Content, Span

from tests.screenshot import screen_text
from tui.core.state import DanceState
from tui.core.steps import Step
from tui.widgets.sidebar import (
    StepList,
    StepSidebar,
    countdown,
    expiry,
    step_marks,
    step_options,
    steps_open,
)

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
SAVED = DanceState(client_id="client", redirect_uri="http://127.0.0.1:8888/callback")
WITH_CODE = replace(SAVED, code="code")
FRESH = replace(
    WITH_CODE,
    code_exchanged=True,
    token="token",
    refresh="refresh",
    expires=NOW + timedelta(minutes=59),
)
EXPIRED = replace(FRESH, expires=NOW - timedelta(seconds=5))


def test_marks_say_done_current_open_and_not_yet() -> None:
    assert step_marks(Step.AUTHORIZE, SAVED) == ("✓", "▶", " ", " ", " ", " ", " ")
    assert step_marks(Step.AUTHORIZE, WITH_CODE) == ("✓", "▶", "·", " ", " ", " ", " ")
    assert step_marks(Step.EXCHANGE, FRESH) == ("✓", "✓", "▶", "·", "·", "·", "·")


def test_profile_is_marked_done_once_the_api_has_answered() -> None:
    assert step_marks(Step.REFRESH, FRESH) == ("✓", "✓", "✓", "·", "▶", "·", "·")
    fetched = replace(FRESH, profile_fetched=True)
    assert step_marks(Step.REFRESH, fetched) == ("✓", "✓", "✓", "✓", "▶", "·", "·")


def test_revoke_opens_while_any_token_is_left() -> None:
    only_refresh = replace(FRESH, token="", expires=None)
    assert step_marks(Step.REVOKE, only_refresh)[3:] == (" ", "·", " ", "▶")


def spans(prompt: object) -> list[Span]:
    assert isinstance(prompt, Content)
    return list(prompt.spans)


def test_a_done_step_that_cannot_open_has_its_mark_dimmed_not_green() -> None:
    revoked = replace(FRESH, token="", expires=None, profile_fetched=True)
    marks, opens = step_marks(Step.REVOKE, revoked), steps_open(Step.REVOKE, revoked)
    options = step_options(Step.REVOKE, marks, opens, two_lines=False)
    profile, exchange = options[3], options[2]
    assert marks[3] == "✓" and profile.disabled
    assert not any("success" in str(span.style) for span in spans(profile.prompt))
    assert any("success" in str(span.style) for span in spans(exchange.prompt))


def test_only_this_flows_attempt_marks_authorize_and_exchange_done() -> None:
    """Tokens held from the other flow (or an ended attempt) mark neither step."""
    tokens_only = replace(SAVED, token="token", refresh="refresh")
    assert step_marks(Step.PROFILE, tokens_only)[:3] == ("✓", "·", " ")
    device = replace(tokens_only, flow="device")
    assert step_marks(Step.AUTHORIZE, device)[:3] == ("✓", "▶", " ")


class SidebarApp(App[None]):
    AUTO_FOCUS = None  # blurred until a test focuses it

    def __init__(self, state: DanceState, title: str = "Demo") -> None:
        super().__init__()
        self.state, self.title_ = state, title
        self.chosen: list[Step] = []

    def compose(self) -> ComposeResult:
        yield StepSidebar(Step.AUTHORIZE, self.title_, self.state, NOW)

    def on_step_sidebar_chosen(self, event: StepSidebar.Chosen) -> None:
        self.chosen.append(event.step)


def shown(app: App[None]) -> list[str]:
    """The sidebar's lines as the terminal shows them, its border left out."""
    return [line[:21].rstrip() for line in screen_text(app).splitlines()]


async def test_it_shows_the_provider_the_marked_steps_and_what_they_cover() -> None:
    app = SidebarApp(WITH_CODE, "Embedded demo server")
    async with app.run_test(size=(30, 22)) as pilot:
        await pilot.pause()
        assert shown(app)[:19] == [
            " Embedded demo",
            " server",
            "✓ 1 Credentials",
            "    step 1",
            "▶ 2 Authorize",
            "    step 2–6",
            "· 3 Exchange",
            "    step 7–8",
            "  4 Profile",
            "    step API",
            "  5 Refresh",
            "    step §6",
            "  6 Call API",
            "    step API",
            "  7 Revoke",
            "    step RFC 7009",
            "",
            " No access token",
            " yet.",
        ]
        steps = app.query_one(StepList)
        assert [option.disabled for option in steps.options] == [False] * 3 + [True] * 4
        assert steps.highlighted == 1, "the step shown is highlighted"


async def test_keys_move_over_the_open_steps_and_enter_opens_one() -> None:
    app = SidebarApp(WITH_CODE)
    async with app.run_test(size=(30, 20)) as pilot:
        steps = app.query_one(StepList)
        steps.focus()
        await pilot.press("down")  # Exchange is open
        assert steps.highlighted == 2
        await pilot.press("down")  # the steps after it are not: round to Credentials
        assert steps.highlighted == 0
        await pilot.press("up", "end")
        assert steps.highlighted == 2
        await pilot.press("home", "enter")
        await pilot.press("down", "enter")  # Authorize: the step shown stays as it is
        await pilot.pause()
        assert app.chosen == [Step.CREDENTIALS]


async def test_a_click_opens_an_open_step_and_not_a_closed_one() -> None:
    app = SidebarApp(WITH_CODE)
    async with app.run_test(size=(30, 20)) as pilot:
        await pilot.click(offset=(3, 6))  # Exchange's second line
        await pilot.click(offset=(3, 7))  # Profile: not open yet
        await pilot.click(offset=(3, 16))  # the countdown
        await pilot.click(offset=(3, 3))  # Authorize, the step shown
        await pilot.pause()
        assert app.chosen == [Step.EXCHANGE]


async def test_a_change_of_state_shows_new_marks_and_the_countdown_ticks() -> None:
    app = SidebarApp(SAVED)
    async with app.run_test(size=(30, 20)) as pilot:
        sidebar = app.query_one(StepSidebar)
        sidebar.show_state("Demo", FRESH, NOW)
        await pilot.pause()
        after = shown(app)
        assert after[5].startswith("✓ 3 Exchange") and after[7].startswith("· 4 Profile")
        assert after[16:18] == [" Access token", " 59:00 left"]
        assert app.query_one("#expiry").has_class("-fresh")
        sidebar.tick(FRESH, NOW + timedelta(seconds=1))
        await pilot.pause()
        assert shown(app)[17] == " 58:59 left"
        sidebar.tick(EXPIRED, NOW)
        await pilot.pause()
        assert shown(app)[17] == " expired 0:05 ago"
        assert app.query_one("#expiry").has_class("-expired")


class PremadeApp(App[None]):
    def __init__(self, sidebar: StepSidebar) -> None:
        super().__init__()
        self.sidebar = sidebar

    def compose(self) -> ComposeResult:
        yield self.sidebar


async def test_a_state_told_before_the_sidebar_composed_is_shown_once_it_has() -> None:
    """A screen's one-second timer can tick between the sidebar's creation and its compose."""
    sidebar = StepSidebar(Step.AUTHORIZE, "Demo", SAVED, NOW)
    sidebar.show_state("Other", FRESH, NOW)
    sidebar.tick(FRESH, NOW + timedelta(seconds=1))
    app = PremadeApp(sidebar)
    async with app.run_test(size=(30, 20)) as pilot:
        await pilot.pause()
        lines = shown(app)
        assert lines[0] == " Other"
        assert lines[5].startswith("✓ 3 Exchange")
        assert " 58:59 left" in lines


async def test_a_short_sidebar_gives_each_step_one_line_and_keeps_the_countdown() -> None:
    app = SidebarApp(FRESH)
    async with app.run_test(size=(30, 12)) as pilot:
        await pilot.pause()
        assert shown(app)[:11] == [
            " Demo",
            "✓ 1 Credentials",
            "▶ 2 Authorize",
            "✓ 3 Exchange",
            "· 4 Profile",
            "· 5 Refresh",
            "· 6 Call API",
            "· 7 Revoke",
            "",
            " Access token",
            " 59:00 left",
        ]
        await pilot.click(offset=(3, 4))  # Profile, one line each
        await pilot.pause()
        assert app.chosen == [Step.PROFILE]
        await pilot.resize_terminal(30, 20)  # tall again: two lines a step
        await pilot.pause()
        assert shown(app)[3:5] == ["▶ 2 Authorize", "    step 2–6"]


def test_a_countdown_ticks_in_seconds_under_a_day_and_in_days_or_years_beyond() -> None:
    day = timedelta(days=1)
    assert countdown(NOW + day - timedelta(seconds=1), NOW) == "23:59:59 left"
    assert countdown(NOW + day, NOW) == "1 day left"
    assert countdown(NOW - 3 * day, NOW) == "expired 3 days ago"
    assert countdown(datetime(1999, 1, 1, tzinfo=UTC), NOW) == "expired 28 years ago"


def test_a_refused_token_is_said_so_unless_its_expiry_says_it_already() -> None:
    why = "refused by the provider"
    refused = f"Access token {why}", "-expired"
    assert expiry(FRESH, NOW, dead=why) == refused
    assert expiry(replace(FRESH, expires=None), NOW, dead=why) == refused
    assert expiry(EXPIRED, NOW, dead=why) == ("Access token\nexpired 0:05 ago", "-expired")
    assert expiry(FRESH, NOW) == ("Access token\n59:00 left", "-fresh")


def test_a_dead_refresh_token_is_said_so_too() -> None:
    """Known dead, the refresh token is named under the access token; both dead alike
    (a grant revoked), in one line."""
    assert expiry(FRESH, NOW, refresh_dead="revoked") == (
        "Access token\n59:00 left\nRefresh token revoked",
        "-fresh",
    )
    assert expiry(FRESH, NOW, dead="revoked", refresh_dead="revoked") == (
        "Access and refresh tokens revoked",
        "-expired",
    )
    assert expiry(FRESH, NOW, dead="refused by the provider", refresh_dead="revoked") == (
        "Access token refused by the provider\nRefresh token revoked",
        "-expired",
    )
