"""Refresh (RFC 6749 §6): a new access token from the refresh token."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tui.core.exchange import Exchange
from tui.core.session_tokens import RefreshChange
from tui.core.steps import Step
from tui.core.tokens import RefreshOutcome
from tui.screens.http_step import HttpStepScreen
from tui.screens.step_keys import enter_bindings
from tui.screens.token_summary import token_summary


def change_content(change: RefreshChange) -> Content:
    """What changed: access token, refresh token (rotated, the same, or kept), expiry."""

    def when(value: object) -> str:
        return value.strftime("%H:%M:%S UTC") if hasattr(value, "strftime") else "unknown"

    refresh = _REFRESH_OUTCOMES[change.refresh]
    return Content.assemble(
        ("Refreshed and saved", "bold $success"),
        "\n",
        ("Access token  ", "bold"),
        "new" if change.new_access_token else "unchanged",
        "\n",
        ("Refresh token ", "bold"),
        refresh,
        "\n",
        ("Expiry        ", "bold"),
        f"{when(change.old_expires)} → {when(change.new_expires)}",
    )


class RefreshScreen(HttpStepScreen):
    STEP = Step.REFRESH
    NEXT = Step.PROFILE
    BINDINGS = enter_bindings(NEXT)

    def prepare(self) -> Exchange:
        return self.session.prepare_refresh()

    def dead(self) -> bool:
        """The refresh token held is known dead, and no lesson means it to be sent:
        enter goes for new tokens, s still sends it, to see it refused."""
        return not (self.session.can_refresh() or self.session.lesson_armed_on(self.STEP))

    def interpret(self, exchange: Exchange) -> None:
        change = self.session.finish_refresh(exchange)
        self.query_one("#result", Static).update(change_content(change))
        self.notify("New access token saved. Press enter to call the profile API with it.")

    def show_result(self, exchange: Exchange) -> None:
        if exchange.response is not None and exchange.response.is_success:
            summary = token_summary(self.session, exchange, refresh="held")
            self.query_one("#result", Static).update(summary)


_REFRESH_OUTCOMES = {
    RefreshOutcome.ROTATED: "rotated: a new one came, the old one is now dead",
    RefreshOutcome.SAME: "the same one came back: it stays valid (no rotation)",
    RefreshOutcome.KEPT: "none came back, so the old one is kept (RFC 6749 §6)",
}
