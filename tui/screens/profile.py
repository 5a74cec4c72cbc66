"""Profile: call the API with the bearer token; a 401 leads to Refresh."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from tui.core.errors import ApiError
from tui.core.exchange import Exchange
from tui.core.steps import Step
from tui.screens.http_step import HttpStepScreen


def profile_content(rows: list[tuple[str, str]]) -> Content:
    """The key fields (made safe by the session), each shown as plain text."""
    parts: list[Content | tuple[str, str] | str] = [("Profile", "bold $success")]
    for key, text in rows:
        parts += ["\n", (f"{key:<14}", "bold"), text]
    return Content.assemble(*parts)


class ProfileScreen(HttpStepScreen):
    STEP = Step.PROFILE

    BINDINGS = [Binding("5", "app.go('refresh')", "Refresh token", tooltip="Go to Refresh")]

    def prepare(self) -> Exchange:
        return self.session.prepare_profile()

    def interpret(self, exchange: Exchange) -> None:
        try:
            rows = self.session.profile_fields(exchange)
        except ApiError as err:
            if err.token_expired:
                way_on = (
                    "Press 5 to refresh it, then come back and send again."
                    if self.session.state.refresh
                    else "There is no refresh token: press 2, then n, for a new authorization."
                )
                self.query_one("#result", Static).update(
                    Content.assemble(
                        ("401: the access token is no longer good.", "bold $error"),
                        "\nIt expired, was revoked, or the server restarted. ",
                        way_on,
                    )
                )
            raise
        self.query_one("#result", Static).update(profile_content(rows))

    def show_result(self, exchange: Exchange) -> None:
        if exchange.response is not None and exchange.response.is_success:
            self.interpret(exchange)
