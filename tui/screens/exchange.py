"""Exchange (dance steps 7–8): trade the code for tokens at the token endpoint."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tui.core.exchange import Exchange
from tui.core.steps import Step
from tui.screens.http_step import HttpStepScreen, enter_bindings
from tui.screens.token_summary import token_summary


class ExchangeScreen(HttpStepScreen):
    STEP = Step.EXCHANGE
    FLOW = False
    NEXT = Step.PROFILE
    BINDINGS = enter_bindings(NEXT)

    def prepare(self) -> Exchange:
        return self.session.prepare_token_exchange()

    def current(self, exchange: Exchange) -> bool:
        """The last exchange is shown until a new code comes (a refresh or a revocation
        since changes the tokens, not what this step did)."""
        return exchange.form_value("code") == self.session.state.code

    def show_step(self) -> None:
        super().show_step()
        if self.exchange is not None and self.exchange.response is None:
            self.query_one("#result", Static).update(
                Content(
                    "The POST below is built but not sent. Read it, then press enter to send it. "
                    "The code is single-use: a second exchange of it fails."
                )
            )

    def interpret(self, exchange: Exchange) -> None:
        tokens = self.session.finish_token_exchange(exchange)
        self.show_result(exchange)
        check = "Press i to see the ID token checked, or" if tokens.id_token else "Press"
        self.notify(f"Saved. {check} enter to call the profile API.", title="Tokens received")

    def show_result(self, exchange: Exchange) -> None:
        if exchange.response is not None:
            self.query_one("#result", Static).update(token_summary(self.session, exchange))
