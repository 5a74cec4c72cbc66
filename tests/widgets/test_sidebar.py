"""The step sidebar: marks from the state, redrawn only when they change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from textual.app import App, ComposeResult

from tui.core.state import DanceState
from tui.core.steps import Step
from tui.widgets.sidebar import StepList, StepSidebar, step_marks

SAVED = DanceState(client_id="client", redirect_uri="http://127.0.0.1:8888/callback")


def test_marks_say_done_current_open_and_not_yet() -> None:
    assert step_marks(Step.AUTHORIZE, SAVED) == ("✓", "▶", " ", " ", " ")
    with_code = replace(SAVED, code="code")
    assert step_marks(Step.AUTHORIZE, with_code) == ("✓", "▶", "·", " ", " ")
    with_tokens = replace(with_code, token="token", refresh="refresh")
    assert step_marks(Step.EXCHANGE, with_tokens) == ("✓", "✓", "▶", "·", "·")


class SidebarApp(App[None]):
    def compose(self) -> ComposeResult:
        yield StepSidebar(Step.AUTHORIZE, "Demo", SAVED, datetime.now(UTC))


async def test_the_steps_are_redrawn_only_when_their_marks_change() -> None:
    app = SidebarApp()
    async with app.run_test(size=(40, 20)) as pilot:
        sidebar = app.query_one(StepSidebar)
        steps = app.query_one(StepList)
        steps.highlighted = 0
        first = steps.get_option_at_index(0)
        sidebar.show_state("Demo", SAVED, datetime.now(UTC))  # after a request: same marks
        await pilot.pause()
        assert steps.get_option_at_index(0) is first, "options kept, not set again"

        sidebar.show_state("Demo", replace(SAVED, code="code"), datetime.now(UTC))
        await pilot.pause()
        exchange = steps.get_option_at_index(2)
        assert str(exchange.prompt).startswith("· 3 Exchange") and not exchange.disabled
        assert steps.get_option_at_index(0) is not first
        assert steps.highlighted == 0, "the highlight stays where it was"
