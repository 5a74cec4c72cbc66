"""A step that sends one request: prepare it, show it, send it on a key, show the answer."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.core.errors import CancelledError, DanceError
from tui.core.exchange import Exchange
from tui.core.store import StoreError
from tui.screens.base import StepScreen
from tui.widgets.exchange_viewer import ExchangeViewer


class HttpStepScreen(StepScreen):
    """Subclasses say how to prepare the request and how to read its answer."""

    BINDINGS = [
        Binding("s", "send", "Send", tooltip="Send the request shown below"),
        Binding("x", "cancel", "Cancel", tooltip="Cancel the request in flight"),
        Binding("ctrl+s", "save", "Save again", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.exchange: Exchange | None = None

    def compose_step(self) -> ComposeResult:
        with VerticalScroll(id="step"):
            yield Static(id="result")
        yield ExchangeViewer()

    def on_mount(self) -> None:
        super().on_mount()
        last = self.last_exchange()
        if last is not None:
            self.exchange = last
            self.query_one(ExchangeViewer).show(last)
            self.show_result(last)
        else:
            self.prepare_fresh()
        self.query_one(ExchangeViewer).focus()

    def last_exchange(self) -> Exchange | None:
        """This step's latest exchange in the session, to show on return."""
        for exchange in reversed(self.session.history):
            if exchange.step == self.STEP.title():
                return exchange
        return None

    def prepare(self) -> Exchange:
        """Build the step's request (not sent)."""
        raise NotImplementedError

    def interpret(self, exchange: Exchange) -> None:
        """Read the answer, save, and show the result. May raise DanceError."""
        raise NotImplementedError

    def show_result(self, exchange: Exchange) -> None:
        """Show what an earlier exchange produced, when returning to the step."""

    def prepare_fresh(self) -> bool:
        """Prepare a new request and show it; False when its inputs are missing."""
        try:
            self.exchange = self.prepare()
        except DanceError as err:
            self.exchange = None
            self.query_one(ExchangeViewer).show(None)
            self.show_error(err, toast=False)
            return False
        self.query_one(ExchangeViewer).show(self.exchange)
        self.show_error(None)
        return True

    def action_send(self) -> None:
        """Send the shown request; after an answer, prepare and show a fresh one first."""
        if self.exchange is None or self.exchange.response or self.exchange.error:
            if not self.prepare_fresh():
                return
            if self.exchange is not None and self.exchange.response is None:
                self.notify("A fresh request is shown. Press s again to send it.")
                return
        assert self.exchange is not None
        self.send_exchange(self.exchange)

    @work(exclusive=True, group="http")
    async def send_exchange(self, exchange: Exchange) -> None:
        viewer = self.query_one(ExchangeViewer)
        viewer.show(exchange, sending=True)
        await self.session.send(exchange)
        viewer.show(exchange)
        try:
            self.interpret(exchange)
        except StoreError as err:
            self.save_failed(err)
        except DanceError as err:
            self.show_error(err)
        else:
            self.show_error(None)
        self.refresh_sidebar()

    def action_cancel(self) -> None:
        if not self.workers.cancel_group(self, "http"):
            return
        if self.exchange is not None and self.exchange.response is None:
            self.exchange.error = CancelledError(
                "Cancelled before an answer came. The server may still act on the request."
            )
            self.query_one(ExchangeViewer).show(self.exchange)
        self.notify("Request cancelled.")

    def action_save(self) -> None:
        try:
            self.session.save()
        except StoreError as err:
            self.save_failed(err)
        else:
            self.notify("Saved.")
