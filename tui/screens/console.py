"""Call API: any request with the Bearer token; a 401 offers a refresh, then the call again."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Input, Label, Select, Static, TextArea

from tui.core.console import METHODS, ApiCall
from tui.core.errors import ApiError, DanceError
from tui.core.exchange import Exchange
from tui.core.steps import Step
from tui.core.urls import MAX_URL_CHARS
from tui.screens.http_step import HttpStepScreen
from tui.screens.profile import NO_REFRESH, expired_content
from tui.screens.refresh import change_content
from tui.widgets.bounded_input import BoundedInput
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.scroll_area import ScrollArea

RETRY = "Press enter to refresh it and send this call again."


class ConsoleScreen(HttpStepScreen):
    """A form (method, URL, extra headers, body) above the exchange viewer.

    ``enter`` sends what the form says at once: the request is built from the
    form, shown, and that same object sent. In the URL field, ``enter`` sends
    too; the text boxes take ``enter`` as a new line (``tab`` leaves them).
    """

    STEP = Step.CONSOLE
    BINDINGS = [
        Binding(
            "enter",
            "refresh_retry",
            "Refresh & retry",
            tooltip="After a 401: refresh the access token, then send the call again",
        ),
        Binding("enter", "send", "Send", tooltip="Send the call the form sets up"),
    ]

    def compose_step(self) -> ComposeResult:
        call = self.session.default_api_call()
        with ScrollArea(id="step", classes="console"):
            with Horizontal(id="line"):
                yield Select(
                    [(m, m) for m in METHODS],
                    value=call.method,
                    allow_blank=False,
                    compact=True,
                    id="method",
                )
                yield BoundedInput(
                    call.url, "https://…", max_length=MAX_URL_CHARS, id="api-url", compact=True
                )
            yield Label("Extra headers: Name: value, one a line")
            yield TextArea(
                call.headers, compact=True, placeholder="Accept: text/plain", id="api-headers"
            )
            yield Label("Body")
            yield TextArea(call.body, compact=True, placeholder="(no body)", id="api-body")
            yield Static(id="result")
        yield ExchangeViewer()

    def call(self) -> ApiCall:
        """The call as the form sets it up."""
        method = self.query_one("#method", Select).value
        return ApiCall(
            method=str(method),
            url=self.query_one("#api-url", Input).value,
            headers=self.query_one("#api-headers", TextArea).text,
            body=self.query_one("#api-body", TextArea).text,
        )

    def prepare(self) -> Exchange:
        return self.session.prepare_api_call(self.call())

    def action_send(self) -> None:
        """Build the call from the form, show it, and send that same request."""
        if self.in_flight():
            self.notify("A request is in flight: wait for it, or press x to cancel it.")
            return
        if not self.prepare_fresh() or self.refuse_if_held():
            return
        assert self.exchange is not None
        self.send_exchange(self.exchange)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_send()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "refresh_retry":
            return self.retry_offered()
        return super().check_action(action, parameters)

    def retry_offered(self) -> bool:
        """A 401 came, and there is a refresh token to get a new access token with."""
        expired = isinstance(self.problem, ApiError) and self.problem.token_expired
        return expired and bool(self.session.state.refresh) and not self.in_flight()

    def action_refresh_retry(self) -> None:
        if self.retry_offered():
            self.refresh_and_retry()

    @work(exclusive=True, group="http", description="refresh, then send the call again")
    async def refresh_and_retry(self) -> None:
        """The refresh request, shown and sent; once it worked, the call again."""
        try:
            self.exchange = self.session.prepare_refresh()
        except DanceError as err:
            self.show_error(err)
            return
        await self.send_and_show(self.exchange)
        if self.problem is None and self.prepare_fresh():
            assert self.exchange is not None
            await self.send_and_show(self.exchange)

    def interpret(self, exchange: Exchange) -> None:
        result = self.query_one("#result", Static)
        if exchange.step is Step.REFRESH:
            result.update(change_content(self.session.finish_refresh(exchange)))
            return
        try:
            summary = self.session.finish_api_call(exchange)
        except ApiError as err:
            if err.token_expired:
                result.update(expired_content(RETRY if self.session.state.refresh else NO_REFRESH))
            raise
        result.update(Content.assemble(("Answered", "bold $success"), "\n", summary))

    def show_result(self, exchange: Exchange) -> None:
        self.interpret(exchange)
