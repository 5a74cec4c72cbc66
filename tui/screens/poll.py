"""Poll (the device flow's Exchange, RFC 8628 §3.4–3.5): ask the token endpoint until the
user has answered.

Each poll is a real exchange, in the viewer and the history, and each answer
is taught: ``authorization_pending`` (wait the interval), ``slow_down`` (5 s
more, from now on), ``expired_token`` and ``access_denied`` (polling ends).
The wait between polls is the session's ``sleep``, in the polling worker:
``x`` (or leaving the step) cancels it.
"""

from __future__ import annotations

from textual import work
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static
from textual.worker import Worker

from tui.core.device import POLL_ANSWERS
from tui.core.errors import CodesExpiredError, DanceError, OAuthError
from tui.core.exchange import Exchange
from tui.core.explain import explain_error
from tui.core.steps import Step
from tui.screens.http_step import HttpStepScreen
from tui.screens.step_keys import enter_bindings
from tui.screens.token_summary import token_summary
from tui.widgets.exchange_viewer import ExchangeViewer


class PollScreen(HttpStepScreen):
    STEP = Step.EXCHANGE
    FLOW = True
    NEXT = Step.PROFILE
    BINDINGS = [
        Binding(
            "enter",
            "go('authorize')",
            "New codes",
            tooltip="Once the codes expired: go to Device code, to ask for new ones",
        ),
        *enter_bindings(
            NEXT,
            sends="The poll shown below, then again every interval until the user "
            "answers (not while polling: x stops it)",
        ),
        Binding("x", "cancel", "Stop", tooltip="While polling: stop polling"),
    ]

    polls = 0
    """Polls sent since enter started polling (shown with each answer)."""
    left_polling = False
    """Poll was left while polling: the return says that is why polling stopped."""

    def prepare(self) -> Exchange:
        try:
            return self.session.prepare_poll()
        except CodesExpiredError:  # forgotten now: no ✓ on Device code
            self.refresh_sidebar()
            raise

    def next_step(self) -> Step | None:
        """Profile once the tokens came; Device code once the codes are over (expired,
        or forgotten after a refusal that ends them); else enter polls."""
        if self.read_ok:
            return self.go_on(self.NEXT)
        if not self.session.state.device_code or self.session.device_seconds_left() <= 0:
            return Step.AUTHORIZE
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send":  # no poll with codes over (enter goes for new ones), nor twice
            return self.next_step() is None and not self.in_flight()
        if action == "cancel":
            return self.in_flight()
        return super().check_action(action, parameters)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Polling started or ended: the footer's keys follow (x while polling, else ⏎)."""
        self.refresh_bindings()

    def way_on(self) -> str:
        if self.next_step() is Step.AUTHORIZE:
            return (
                "These codes are over. Press enter for Device code, then enter again for new codes."
            )
        return super().way_on()

    def last_exchange(self) -> Exchange | None:
        """The last poll with this attempt's device code, if any; once the codes are
        spent (and forgotten), the poll that brought the tokens."""
        state = self.session.state
        for exchange in reversed(self.session.history):
            if exchange.purpose != "poll":
                continue
            answer = exchange.response
            if state.device_code:
                if exchange.form_value("device_code") == state.device_code:
                    return exchange
            elif state.code_exchanged and answer is not None and answer.is_success:
                return exchange
        return None

    def show_step(self) -> None:
        super().show_step()
        if self.exchange is not None and self.exchange.response is None:
            self.say(
                "The POST below asks the token endpoint whether the user has approved. Press "
                f"enter to poll, every {self.session.state.poll_interval} s until there is an "
                "answer; x stops."
            )

    def say(self, text: str) -> None:
        self.query_one("#result", Static).update(Content(text))

    def action_send(self) -> None:
        if self.refuse_if_held():
            return
        self.wizard.dismiss_toasts(self)  # "Polling stopped" is over, and so on
        self.polls = 0
        self.poll()

    @work(exclusive=True, group="http", description="poll the token endpoint")
    async def poll(self) -> None:
        """Poll until the tokens come or polling must end; wait the interval between."""
        viewer = self.query_one(ExchangeViewer)
        while True:
            try:
                self.session.check_codes_alive()
            except DanceError as err:  # the countdown is over: no poll can succeed now
                self.codes_expired(err, "Polling stopped: the codes expired.")
                return
            exchange = self.exchange
            if exchange is None or exchange.response is not None or exchange.error is not None:
                if not self.prepare_fresh():
                    return
                exchange = self.exchange
                assert exchange is not None
            self.polls += 1
            viewer.show(exchange, sending=True)
            self.mark(read_ok=False)
            await self.session.send(exchange)
            viewer.show(exchange)
            try:
                answer = self.session.finish_poll(exchange)
            except DanceError as err:
                self.show_fault(exchange, err)
                self.show_hold(exchange)
                self.refresh_sidebar()
                if self.next_step() is Step.AUTHORIZE:  # the "press enter to poll" is over
                    self.say("Polling ended: the answer above ended these codes.")
                return
            self.show_error(None)
            self.refresh_sidebar()
            if answer.tokens is not None:
                self.show_result(exchange)
                self.mark(read_ok=True)
                self.notify("Saved. Press enter to call the profile API.", title="Tokens received")
                return
            wait = self.session.poll_wait(answer.interval)
            self.say(self.not_yet(answer.waiting, wait))
            await self.session.sleep(wait)

    def codes_expired(self, err: DanceError, said: str) -> None:
        """The codes' countdown ended (they are forgotten): said, and enter goes for new ones."""
        self.say(said)
        self.show_error(err)
        self.mark(read_ok=False, problem=err)
        self.refresh_sidebar()

    def tick(self) -> None:
        """The countdown; codes that expire while not polling are forgotten too (polling
        checks them itself before each poll)."""
        super().tick()
        if not self.is_current or self.in_flight() or not self.session.state.device_code:
            return  # a tick queued before Poll was left is not Poll's to act on
        try:
            self.session.check_codes_alive()
        except DanceError as err:
            self.codes_expired(err, "The codes expired.")

    def not_yet(self, waiting: str, wait: int) -> str:
        """What a "not yet" answer means, and when the next poll goes (``wait``: the
        seconds waited, the interval or less)."""
        meaning = explain_error(waiting).meaning
        grown = " The interval grows by 5 s (RFC 8628 §3.5)." if waiting == "slow_down" else ""
        when = f"in {wait} s" if wait else "at once"
        return f"Poll {self.polls}: {waiting}. {meaning}{grown} Next poll {when}; x stops."

    def show_result(self, exchange: Exchange) -> None:
        if exchange.response is not None:
            self.query_one("#result", Static).update(token_summary(self.session, exchange))

    def show_last_result(self, exchange: Exchange) -> None:
        """On return: the tokens, or, when the last answer was "not yet" (slow_down
        too: not a refusal), that polling stopped and enter polls again."""
        problem = self.session.answer_problem(exchange)
        if isinstance(problem, OAuthError) and problem.code in POLL_ANSWERS:
            why = "when you left Poll" if self.left_polling else "since"
            self.say(
                f"The last poll's answer was {problem.code}: not yet. Polling stopped {why}: "
                "press enter to poll again."
            )
            self.left_polling = False
            return
        super().show_last_result(exchange)

    def leave(self) -> None:
        """Leaving stops polling: said now, and again on return."""
        self.left_polling = self.in_flight()
        super().leave()
        if self.left_polling:  # about Poll: goes if the flow is switched away from it
            self.wizard.notify(
                "You left Poll. On Poll (3), enter polls again.",
                title="Polling stopped",
                screen=self,
                lasting=True,
            )

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "http")
        self.say("Polling stopped. Press enter to poll again.")
        self.notify("Polling stopped.")
