"""Profile: call the API with the bearer token; a 401 leads to Refresh."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tui.core.errors import ApiError
from tui.core.exchange import Exchange
from tui.core.steps import Step, step_info
from tui.screens.http_step import HttpStepScreen
from tui.screens.step_keys import enter_bindings

LABEL_WIDTH = 20
"""The widest label column; a longer label gets a line of its own, its value under it."""


def profile_content(rows: list[tuple[str, str]]) -> Content:
    """The key fields (made safe by the session), each shown as plain text: labels in a
    column as wide as the longest (up to ``LABEL_WIDTH``), two spaces before the values."""
    width = min(max((len(key) for key, _ in rows), default=0), LABEL_WIDTH)
    parts: list[Content | tuple[str, str] | str] = [("Profile", "bold $success")]
    for key, text in rows:
        gap = "  " if len(key) <= width else "\n" + " " * (width + 2)
        parts += ["\n", (f"{key:<{width}}", "bold"), gap, text]
    return Content.assemble(*parts)


NO_REFRESH = "There is no refresh token: press 2, then n, for a new authorization."


def expired_content(way_on: str) -> Content:
    """What a 401 means, and ``way_on``: the way on from the step that got it."""
    return Content.assemble(
        ("401: the access token is no longer good.", "bold $error"),
        "\nIt expired, was revoked, or the server restarted. ",
        way_on,
    )


class ProfileScreen(HttpStepScreen):
    STEP = Step.PROFILE
    NEXT = Step.REFRESH
    BINDINGS = enter_bindings(NEXT, "After an answer, a 401 too, with a refresh token")

    def prepare(self) -> Exchange:
        return self.session.prepare_profile()

    def dead(self) -> bool:
        """The access token held is known dead (revoked, refused, or the demo server's
        last run's): said before it is sent."""
        return bool(self.session.tokens_dead()[0])

    def next_step(self) -> Step | None:
        """Refresh, after an answer, or a 401 for an expired token; a 401 without a
        refresh token goes to Authorize, as a token known dead does before it is sent
        (``dead_step``); else enter sends."""
        if dead := self.dead_step():
            return dead
        if isinstance(self.problem, ApiError) and self.problem.token_expired:
            return self.go_on(self.NEXT)
        if self.session.can_refresh() and self.read_ok:
            return self.NEXT
        return None

    def interpret(self, exchange: Exchange) -> None:
        try:
            rows = self.session.profile_fields(exchange)
        except ApiError as err:
            if err.token_expired:
                authorize = step_info(Step.AUTHORIZE, self.session.state).title
                way_on = (
                    "Press enter to refresh it, then come back and send again."
                    if self.session.can_refresh()
                    else f"No usable refresh token is left: press enter for {authorize}, for a "
                    "new grant."
                )
                self.query_one("#result", Static).update(expired_content(way_on))
            raise
        self.query_one("#result", Static).update(profile_content(rows))

    def show_result(self, exchange: Exchange) -> None:
        if exchange.response is not None and exchange.response.is_success:
            self.interpret(exchange)
