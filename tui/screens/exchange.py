"""Exchange (dance steps 7–8): trade the code for tokens at the token endpoint."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tui.core.exchange import Exchange
from tui.core.steps import Step, step_info
from tui.screens.http_step import HttpStepScreen
from tui.screens.step_keys import enter_bindings
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
        if self.spent():
            title = step_info(self.go_on(self.NEXT), self.session.state).title
            dead = self.session.tokens_dead_said()
            self.query_one("#result", Static).update(
                Content(
                    "This code was exchanged already: the tokens came for it"
                    f"{'. ' + dead if dead else ''}. Press enter to "
                    f"go on to {title}; for a new attempt, press 2, then n. s sends the code "
                    "again anyway, to see a second exchange refused."
                )
            )
        elif self.exchange is not None and self.exchange.response is None:
            self.query_one("#result", Static).update(
                Content(
                    "The POST below is built but not sent. Read it, then press enter to send it. "
                    "The code is single-use: a second exchange of it fails."
                )
            )

    def spent(self) -> bool:
        """The request shown is not sent, and its code was exchanged already (before a
        restart: nothing of it to show): enter goes on rather than spend it twice; s
        still sends it, as the "Reuse a code" lesson's enter does."""
        exchange = self.exchange
        return (
            self.session.state.code_exchanged
            and not self.session.lesson_armed_on(self.STEP)
            and exchange is not None
            and exchange.response is None
            and exchange.error is None
        )

    def next_step(self) -> Step | None:
        """After the spent code, on; with a code whose request cannot be built (no PKCE
        verifier), to Authorize for a new attempt; else as any step."""
        if self.spent():
            return self.go_on(self.NEXT)
        if self.exchange is None and not self.session.code_usable():
            return Step.AUTHORIZE
        return super().next_step()

    def way_on(self) -> str:
        if self.grant_refused():
            title = step_info(Step.AUTHORIZE, self.session.state).title
            return (
                f"This code cannot be used again: press enter to go to {title} (2) "
                "for a new attempt."
            )
        return super().way_on()

    def interpret(self, exchange: Exchange) -> None:
        tokens = self.session.finish_token_exchange(exchange)
        self.show_result(exchange)
        check = "Press i to see the ID token checked, or" if tokens.id_token else "Press"
        self.notify(f"Saved. {check} enter to call the profile API.", title="Tokens received")

    def show_result(self, exchange: Exchange) -> None:
        if exchange.response is not None:
            self.query_one("#result", Static).update(token_summary(self.session, exchange))
