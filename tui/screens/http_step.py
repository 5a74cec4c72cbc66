"""A step that sends one request: prepare it, show it, send it on a key, show the answer.

Every fault ends here as a message and a way to retry, never a traceback:
the core turns network faults and bad answers into ``DanceError``s, and this
screen explains them in the error panel with what to do next. A server that
asks to wait (429/503 with Retry-After) gets a countdown, and the send key is
refused until it ends; nothing is ever retried by itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from tui.core.errors import CancelledError, DanceError, OAuthError
from tui.core.exchange import Exchange
from tui.core.lessons import INVALID_GRANT
from tui.core.steps import Step, available, step_info
from tui.core.textsafe import clean
from tui.core.transport import describe_answer
from tui.core.transport_errors import NetworkError
from tui.screens.base import StepScreen
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.retry_countdown import RetryCountdown
from tui.widgets.scroll_area import ScrollArea

if TYPE_CHECKING:
    from tui.screens.wizard import Wizard

RETRY = "Press enter (or s) for a fresh request, then again to send it."
UNSAVED = "The last save failed: the newest values are in memory only; ctrl+s saves them."
HELD = "The server asked to wait: the countdown below says until when."
CODE_MAYBE_SPENT = (
    "The code may already be spent: the server may have redeemed it before the fault. "
    "If sending it again fails with invalid_grant, press 2 and n for a new attempt."
)


class HttpStepScreen(StepScreen):
    """Subclasses say how to prepare the request and how to read its answer, and
    where ``enter`` goes once it is read (``NEXT``, with ``enter_bindings(NEXT)``)."""

    NEXT: ClassVar[Step]
    ENTER_KEYS: ClassVar[str] = "enter"
    """The key the way on names for ``enter``'s action: a step whose text fields take
    ``enter`` names the one that does it there too."""
    AUTO_FOCUS = ""  # on_mount focuses the viewer: see StepScreen.focus_now
    BINDINGS = [
        # A subclass's enter_bindings take this one's place, first: the footer shows
        # an action's first key, so ⏎ Send rather than s Send.
        Binding("enter", "send", "Send", tooltip="Send the request shown below"),
        Binding("s", "send", "Send", tooltip="Send the request shown below"),
        Binding("x", "cancel", "Cancel", tooltip="Cancel the request in flight"),
        Binding(
            "i",
            "id_token",
            "ID token",
            tooltip="The ID token decoded and checked (OpenID Connect), a JWT access token decoded",
        ),
        Binding("i", "no_id_token", "ID token", show=False, tooltip="Why there is none"),
        Binding("ctrl+s", "save", "Save again", show=False),
    ]

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        self.exchange: Exchange | None = None
        self.read_ok = False
        """The exchange shown was answered, and the answer read without a problem."""
        self.problem: DanceError | None = None
        """What went wrong with the exchange shown, if anything."""

    def compose_step(self) -> ComposeResult:
        with ScrollArea(id="step"):
            yield Static(id="result")
        yield ExchangeViewer()

    def on_mount(self) -> None:
        super().on_mount()
        self.show_step()

    def leave(self) -> None:
        super().leave()
        for countdown in self.query(RetryCountdown):
            countdown.hide()

    def revisit(self) -> None:
        """Start over as a new screen would: the step's last exchange, or a fresh
        request; masked, the result and any earlier problem cleared."""
        super().revisit()
        self.exchange, self.problem, self._unsaved_shown = None, None, False
        self.query_one(ExchangeViewer).forget()
        self.query_one("#result", Static).update("")
        self.show_error(None)
        self.show_step()

    def show_step(self) -> None:
        """Show the step's last exchange and its result, or prepare a fresh request;
        the viewer focused."""
        last = self.last_exchange()
        if last is not None:
            self.exchange = last
            self.query_one(ExchangeViewer).show(last)
            self.show_last_result(last)
            self.show_hold(last)
        elif self.dead():
            self.show_dead()
        else:
            self.prepare_fresh()
        self.focus_now(self.query_one(ExchangeViewer))

    def dead(self) -> bool:
        """The token this step sends is known dead (see ``Session.tokens_dead``), and no
        lesson means it to be sent: nothing is prepared (``show_dead``)."""
        return False

    def show_dead(self) -> None:
        """Say the token is dead before anything is sent: enter goes for new tokens
        (``dead_step``), s sends it anyway, to see it refused."""
        self.exchange = None
        self.query_one(ExchangeViewer).show(None)
        self.mark(read_ok=False)
        why = self.session.tokens_dead_said()
        self.query_one("#result", Static).update(
            Content(f"{why}: sent, it is refused. {self.way_on()} s sends it anyway.")
        )

    def dead_step(self) -> Step | None:
        """Where enter goes while ``show_dead`` shows: Refresh while a usable refresh
        token is held, else Authorize; None otherwise."""
        return self.go_on(Step.REFRESH) if self.exchange is None and self.dead() else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go":  # enter, once the answer is read
            return self.next_step() is Step(str(parameters[0]))
        if action == "id_token":  # shown once there is a token to decode
            return self.session.has_jwt()
        if action == "no_id_token":  # until then, i says why nothing opens
            return not self.session.has_jwt()
        return True

    def next_step(self) -> Step | None:
        """Where ``enter`` goes now; None while it sends. Once the provider refused the
        grant the request carried (``grant_refused``), Authorize: sending it again
        would get the same answer."""
        if self.read_ok:
            return self.go_on(self.NEXT)
        if dead := self.dead_step():
            return dead
        return Step.AUTHORIZE if self.grant_refused() else None

    def grant_refused(self) -> bool:
        """The answer shown is ``invalid_grant``: the code or refresh token sent is
        spent, revoked or not this client's, and only a new authorization helps."""
        return isinstance(self.problem, OAuthError) and self.problem.code == INVALID_GRANT

    def go_on(self, step: Step) -> Step:
        """``step``, or, when it cannot open (a revocation closed it, or it is Refresh
        with a refresh token the provider refused), where enter works instead: Refresh
        while a usable refresh token is held, else Authorize (for a new grant). Profile
        with an access token known dead cannot open either."""
        dead = step is Step.PROFILE and self.session.tokens_dead()[0]
        if step is not Step.REFRESH and available(step, self.session.state) and not dead:
            return step
        return Step.REFRESH if self.session.can_refresh() else Step.AUTHORIZE

    def mark(self, *, read_ok: bool, problem: DanceError | None = None) -> None:
        """Say how the exchange shown turned out; ``enter``'s meaning follows."""
        self.read_ok, self.problem = read_ok, problem
        self.refresh_bindings()

    def last_exchange(self) -> Exchange | None:
        """This step's latest exchange in the session, to show on return (not one
        sent for another purpose, such as the ID token's keys); None when it is
        no longer ``current``: then a fresh request."""
        for exchange in reversed(self.session.history):
            if exchange.step is self.STEP and not exchange.purpose:
                return exchange if self.current(exchange) else None
        return None

    def current(self, exchange: Exchange) -> bool:
        """Whether the step's last exchange still tells the session as it is: not once
        the tokens changed since (a new dance, a refresh, a revocation)."""
        return self.session.is_current(exchange)

    def prepare(self) -> Exchange:
        """Build the step's request (not sent)."""
        raise NotImplementedError

    def interpret(self, exchange: Exchange) -> None:
        """Read the answer, save, and show the result. May raise DanceError."""
        raise NotImplementedError

    def show_result(self, exchange: Exchange) -> None:
        """Show what an earlier exchange produced, when returning to the step."""

    def show_last_result(self, exchange: Exchange) -> None:
        """On return to the step: the earlier result, or its problem explained again."""
        problem = self.session.answer_problem(exchange)
        if problem is not None:
            self.show_fault(exchange, problem, toast=False)
            return
        try:
            self.show_result(exchange)
        except DanceError as err:
            self.show_fault(exchange, err, toast=False)
        else:
            self.mark(read_ok=True)

    def prepare_fresh(self, *, keep_shown: bool = False) -> bool:
        """Prepare a new request and show it, without the last one's result; False when
        its inputs are missing: said in the error panel, or, with ``keep_shown``, in a
        toast, the exchange and the result shown staying (``s`` after an answer)."""
        try:
            fresh = self.prepare()
        except DanceError as err:
            if keep_shown:
                self.notify(err.message, title=err.title, severity="warning", markup=False)
                return False
            self.query_one("#result", Static).update("")
            self.exchange = None
            self.query_one(ExchangeViewer).show(None)
            self.show_error(err, toast=False)
            return False
        self.query_one("#result", Static).update("")
        self.exchange = fresh
        self.query_one(ExchangeViewer).show(self.exchange)
        self.show_error(None)
        self.mark(read_ok=False)
        return True

    def action_send(self) -> None:
        """Send the shown request; after an answer, prepare and show a fresh one first.

        Refused while a request is in flight (a second send of a single-use
        code would spend it twice) and while the endpoint is on hold.
        """
        if self.in_flight():
            self.notify("A request is in flight: wait for it, or press x to cancel it.")
            return
        if self.refuse_if_held():
            return
        if self.exchange is None or self.exchange.response or self.exchange.error:
            warned = self.exchange is None and self.dead()  # s sends it anyway, at once
            if not self.prepare_fresh(keep_shown=self.exchange is not None):
                return
            if not warned and self.exchange is not None and self.exchange.response is None:
                self.notify("A fresh request is shown. Press enter or s again to send it.")
                return
        assert self.exchange is not None
        self.send_exchange(self.exchange)

    def action_id_token(self) -> None:
        from tui.screens.id_token import IdTokenScreen

        self.app.push_screen(IdTokenScreen(self.session))

    def action_no_id_token(self) -> None:
        self.notify(
            "No ID token, nor a JWT access token, to decode: an OpenID provider returns an "
            "ID token when the scope has openid (add it on Credentials: 1, then e).",
            title="No ID token",
        )

    def in_flight(self) -> bool:
        return any(w.group == "http" and not w.is_finished for w in self.workers if w.node is self)

    def refuse_if_held(self) -> bool:
        """Refuse to send while the server's Retry-After runs; say how long is left."""
        if self.exchange is None:
            return False
        left = self.session.holds.remaining(self.exchange.request.url)
        if left <= 0:
            return False
        self.notify(
            f"The server asked to wait: {left:.0f} s left. Nothing is sent before that.",
            title="Held by Retry-After",
            severity="warning",
        )
        return True

    # The description replaces the default, the repr of the arguments: Textual logs it,
    # and an Exchange's repr holds the secrets it knows.
    @work(exclusive=True, group="http", description="send the step's request")
    async def send_exchange(self, exchange: Exchange) -> None:
        await self.send_and_show(exchange)

    async def send_and_show(self, exchange: Exchange) -> None:
        """Send ``exchange``, show the answer, and interpret it (in a worker of the
        ``http`` group: ``send_exchange``, or a step's own that sends more than one)."""
        viewer = self.query_one(ExchangeViewer)
        viewer.show(exchange, sending=True)
        self.mark(read_ok=False)
        result = self.query_one("#result", Static)
        # The result goes while the request is out, but keeps its height until the
        # answer: the viewer below does not move (a layout and a repaint of the
        # main column) at the send, only at the answer if its height changes.
        result.styles.min_height = result.size.height
        result.update("")
        for countdown in self.query(RetryCountdown):
            countdown.hide()
        try:
            await self.session.send(exchange)
        finally:
            result.styles.min_height = None
        viewer.show(exchange)
        try:
            self.interpret(exchange)
        except DanceError as err:
            self.show_fault(exchange, err)
        else:
            self.show_error(None)
            self.mark(read_ok=True)
        self.show_hold(exchange)
        self.refresh_sidebar()

    def show_fault(self, exchange: Exchange, error: DanceError, *, toast: bool = True) -> None:
        """Explain a fault or a bad answer: the answer's status line, and how to go on."""
        answer = None
        if exchange.response is not None:
            answer = self.session.mask(describe_answer(exchange.response))
        self.mark(read_ok=False, problem=error)  # first: what enter does follows
        advice: list[str] = []
        if self.session.holds.remaining(exchange.request.url) > 0:
            advice.append(HELD)
        elif isinstance(error, NetworkError | CancelledError) or (
            exchange.response is not None and not exchange.response.is_success
        ):
            advice.append(self.way_on())
        if isinstance(error, NetworkError) and error.maybe_sent and self.STEP is Step.EXCHANGE:
            advice.append(CODE_MAYBE_SPENT)
        if self.session.unsaved:
            advice.append(UNSAVED)
        self.unsaved_shown = False
        self.error_panel().show_error(error, answer=answer, advice=advice)
        if toast:
            self.notify(error.message, title=error.title, severity="error", markup=False)

    def way_on(self) -> str:
        """After a failed exchange: what ``enter`` does now, as the error panel says it."""
        step = self.next_step()
        if step is Step.AUTHORIZE:
            state = self.session.state
            again = "ask for new device codes" if state.device_flow else "authorize again"
            title = step_info(step, state).title
            return (
                f"No usable token is left: press {self.ENTER_KEYS} to go to {title} (2) "
                f"and {again}."
            )
        if step is not None:
            title = step_info(step, self.session.state).title
            return f"Press {self.ENTER_KEYS} to go on to {title}."
        return RETRY

    def show_hold(self, exchange: Exchange) -> None:
        """Start the countdown when the answer's endpoint is on hold."""
        if exchange.response is None:
            return
        url = exchange.request.url
        if self.session.holds.remaining(url) > 0:
            status = f"{exchange.response.status_code} {exchange.response.reason_phrase}"
            shown = clean(status.strip(), keep_newlines=False)
            self.countdown().start(shown, lambda: self.session.holds.remaining(url))

    def countdown(self) -> RetryCountdown:
        """The wait's countdown, above the result."""
        return self.mounted_on_demand(
            RetryCountdown, "#step", lambda: RetryCountdown(id="countdown")
        )

    def action_cancel(self) -> None:
        if not self.in_flight():
            self.notify("Nothing to cancel: no request is in flight.")
            return
        self.workers.cancel_group(self, "http")
        if self.exchange is not None and self.exchange.response is None:
            self.exchange.error = CancelledError()
            self.query_one(ExchangeViewer).show(self.exchange)
            self.show_fault(self.exchange, self.exchange.error, toast=False)
        self.notify("Request cancelled.")

    def save_worked(self) -> None:
        """The failed save's message goes: the result (or fault) it covered shows again."""
        covered = self.unsaved_shown
        super().save_worked()
        if covered and self.exchange is not None:
            self.show_last_result(self.exchange)
