"""The step sidebar: the cells of Textual's widgets, an option list's keys and mouse, one widget."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from rich.style import Style
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tests.widgets.test_footer import seen
from tui.core.state import DanceState
from tui.core.steps import STEPS, Step
from tui.widgets.sidebar import StepSidebar, expiry, step_marks, step_prompts

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
SAVED = DanceState(client_id="client", redirect_uri="http://127.0.0.1:8888/callback")
WITH_CODE = replace(SAVED, code="code")
FRESH = replace(WITH_CODE, token="token", refresh="refresh", expires=NOW + timedelta(minutes=59))
EXPIRED = replace(FRESH, expires=NOW - timedelta(seconds=5))


def test_marks_say_done_current_open_and_not_yet() -> None:
    assert step_marks(Step.AUTHORIZE, SAVED) == ("✓", "▶", " ", " ", " ")
    assert step_marks(Step.AUTHORIZE, WITH_CODE) == ("✓", "▶", "·", " ", " ")
    assert step_marks(Step.EXCHANGE, FRESH) == ("✓", "✓", "▶", "·", "·")


class Reference(Vertical):
    """The sidebar as it was: Textual's Static, OptionList and Static."""

    DEFAULT_CSS = """
    Reference {
        width: 22;
        height: 1fr;
        border-right: tall $panel;
        OptionList {
            height: auto;
            max-height: 1fr;
            border: none;
            padding: 0;
            background: $surface;
        }
        OptionList:focus { border: none; }  /* it drew a box when focused: not kept */
        #provider { color: $text-muted; padding: 0 1; }
        #expiry { padding: 0 1; margin-top: 1; }
        #expiry.-expired { color: $error; }
        #expiry.-fresh { color: $success; }
    }
    """

    def __init__(self, current: Step, title: str, state: DanceState, now: datetime) -> None:
        super().__init__()
        self.current, self.title, self.state, self.now = current, title, state, now

    def compose(self) -> ComposeResult:
        marks = step_marks(self.current, self.state)
        text, state_class = expiry(self.state, self.now)
        yield Static(Content(self.title), id="provider")
        yield OptionList(
            *[
                Option(prompt, disabled=mark == " ")
                for prompt, mark in zip(step_prompts(self.current, marks), marks, strict=True)
            ]
        )
        yield Static(Content(text), id="expiry", classes=state_class)

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = [i.step for i in STEPS].index(self.current)


class SidebarApp(App[None]):
    AUTO_FOCUS = None  # blurred until a test focuses it

    def __init__(self, sidebar: type[Widget], state: DanceState, title: str = "Demo") -> None:
        super().__init__()
        self.sidebar, self.state, self.title_ = sidebar, state, title
        self.chosen: list[Step] = []

    def compose(self) -> ComposeResult:
        yield self.sidebar(Step.AUTHORIZE, self.title_, self.state, NOW)

    def on_step_sidebar_chosen(self, event: StepSidebar.Chosen) -> None:
        self.chosen.append(event.step)


async def cells(
    sidebar: type[Widget],
    state: DanceState,
    *,
    theme: str = "textual-dark",
    focus: bool = False,
    hover: tuple[int, int] | None = None,
    title: str = "Embedded demo server",
) -> list[list[tuple[str, Style | None]]]:
    app = SidebarApp(sidebar, state, title)
    async with app.run_test(size=(30, 20)) as pilot:
        app.theme = theme
        if focus:
            app.screen.query_one(OptionList if sidebar is Reference else StepSidebar).focus()
        await pilot.pause()
        if hover is not None:
            await pilot.hover(offset=hover)
            await pilot.pause()
        strips = app.screen._compositor.render_strips()
        return [[seen(c, seg.style) for seg in strip for c in seg.text][:22] for strip in strips]


def text(rows: list[list[tuple[str, Style | None]]]) -> list[str]:
    return ["".join(char for char, _style in row).rstrip() for row in rows]


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "ansi-dark"])
@pytest.mark.parametrize("focus", [False, True], ids=["blurred", "focused"])
async def test_the_sidebar_draws_the_cells_of_textuals_widgets(theme: str, focus: bool) -> None:
    ours = await cells(StepSidebar, WITH_CODE, theme=theme, focus=focus)
    assert ours == await cells(Reference, WITH_CODE, theme=theme, focus=focus)
    if focus:
        assert ours != await cells(StepSidebar, WITH_CODE, theme=theme), "focus shows"
    assert text(ours)[:8] == [
        " Embedded demo       ▎",
        " server              ▎",
        "✓ 1 Credentials      ▎",
        "    step 1           ▎",
        "▶ 2 Authorize        ▎",
        "    step 2–6         ▎",
        "· 3 Exchange         ▎",
        "    step 7–8         ▎",
    ]


@pytest.mark.parametrize("state", [FRESH, EXPIRED], ids=["fresh", "expired"])
async def test_the_countdown_looks_as_before(state: DanceState) -> None:
    ours = await cells(StepSidebar, state, title="Demo")
    assert ours == await cells(Reference, state, title="Demo")
    assert text(ours)[12:14] == [" Access token        ▎", f" {expiry(state, NOW)[0][13:]:<20}▎"]


@pytest.mark.parametrize(
    ("y", "changes"),
    [(1, True), (6, True), (3, False), (7, False), (12, False)],
    ids=["open step", "its second line", "highlighted step", "closed step", "below them"],
)
async def test_a_hovered_step_looks_as_in_an_option_list(y: int, changes: bool) -> None:
    ours = await cells(StepSidebar, WITH_CODE, hover=(3, y), title="Demo")
    assert ours == await cells(Reference, WITH_CODE, hover=(3, y), title="Demo")
    assert (ours != await cells(StepSidebar, WITH_CODE, title="Demo")) is changes


async def test_keys_move_over_the_open_steps_and_enter_opens_one() -> None:
    app = SidebarApp(StepSidebar, WITH_CODE)
    async with app.run_test(size=(30, 20)) as pilot:
        sidebar = app.query_one(StepSidebar)
        sidebar.focus()
        await pilot.press("down")  # Exchange is open
        assert sidebar.highlighted == 2
        await pilot.press("down")  # Profile and Refresh are not: round to Credentials
        assert sidebar.highlighted == 0
        await pilot.press("up", "end")
        assert sidebar.highlighted == 2
        await pilot.press("home", "enter")
        await pilot.press("down", "enter")  # Authorize: the step shown stays as it is
        await pilot.pause()
        assert app.chosen == [Step.CREDENTIALS]


async def test_a_click_opens_an_open_step_and_not_a_closed_one() -> None:
    app = SidebarApp(StepSidebar, WITH_CODE, title="Demo")
    async with app.run_test(size=(30, 20)) as pilot:
        await pilot.click(offset=(3, 6))  # Exchange's second line
        await pilot.click(offset=(3, 7))  # Profile: not open yet
        await pilot.click(offset=(3, 14))  # the countdown
        await pilot.click(offset=(3, 3))  # Authorize, the step shown
        await pilot.pause()
        assert app.chosen == [Step.EXCHANGE]
        assert app.query_one(StepSidebar).highlighted == 1  # the last open step clicked


async def test_a_change_of_state_redraws_the_marks_and_the_countdown() -> None:
    app = SidebarApp(StepSidebar, SAVED, title="Demo")
    async with app.run_test(size=(30, 20)) as pilot:
        sidebar = app.query_one(StepSidebar)
        sidebar.show_state("Demo", FRESH, NOW)
        await pilot.pause()
        after = await_text(app)
        assert after[5].startswith("✓ 3 Exchange") and after[7].startswith("· 4 Profile")
        assert after[12:14] == ["Access token", "59:00 left"]
        sidebar.tick(FRESH, NOW + timedelta(seconds=1))
        await pilot.pause()
        assert await_text(app)[13] == "58:59 left"


def await_text(app: App[None]) -> list[str]:
    strips = app.screen._compositor.render_strips()
    return ["".join(seg.text for seg in strip)[:21].strip() for strip in strips]


async def test_a_short_sidebar_gives_each_step_one_line_and_keeps_the_countdown() -> None:
    app = SidebarApp(StepSidebar, FRESH, title="Demo")
    async with app.run_test(size=(30, 12)) as pilot:
        await pilot.pause()
        assert await_text(app)[:9] == [
            "Demo",
            "✓ 1 Credentials",
            "▶ 2 Authorize",
            "✓ 3 Exchange",
            "· 4 Profile",
            "· 5 Refresh",
            "",
            "Access token",
            "59:00 left",
        ]
        await pilot.click(offset=(3, 4))  # Profile, one line each
        await pilot.pause()
        assert app.chosen == [Step.PROFILE]
