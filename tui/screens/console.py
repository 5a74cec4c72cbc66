"""Call API: any request with the Bearer token; a 401 offers a refresh, then the call again."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from tui.core.console import MAX_BODY_BYTES, MAX_HEADERS_BYTES, METHODS, ApiCall
from tui.core.errors import ApiError, DanceError, OAuthError
from tui.core.exchange import Exchange
from tui.core.steps import Step
from tui.core.urls import MAX_URL_CHARS
from tui.screens.http_step import HttpStepScreen
from tui.screens.profile import NO_REFRESH, expired_content
from tui.screens.refresh import change_content
from tui.screens.step_keys import AUTHORIZE_AGAIN
from tui.widgets.bounded_input import BoundedInput, BoundedTextArea
from tui.widgets.error_panel import ErrorPanel
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.scroll_area import ScrollArea

ENTER = "enter (ctrl+s in the headers or body box)"
"""The keys that do what the panel's way on says: ``enter``, and ``ctrl+s`` in the text
boxes, where ``enter`` is typed. (In the URL field both do it.)"""

RETRY = f"Press {ENTER} to refresh it and send this call again."

FIELD = "field"
"""The parameter of the actions ``ctrl+s`` runs: the focus is in a text field, where
``s`` is typed (and, in a box, ``enter``)."""

GO_AUTHORIZE = f"screen.go('{Step.AUTHORIZE.value}', '{FIELD}')"
REFRESH_RETRY = f"screen.refresh_retry('{FIELD}')"
SEND = f"screen.send('{FIELD}')"
"""The screen's actions ``ctrl+s`` runs from a text field, as ``UrlInput``'s ``enter``
runs them too: one action, so the footer shows one key for it (``enter`` there)."""


class UrlInput(BoundedInput):
    """The call's URL, one line: ``enter`` in it does what ``ctrl+s`` does in a text
    field (send; after a 401, refresh and retry; with no usable token, Authorize), and
    the footer says which."""

    BINDINGS = [
        Binding("enter", GO_AUTHORIZE, "Authorize", tooltip="No usable token: authorize again"),
        Binding(
            "enter",
            REFRESH_RETRY,
            "Refresh & retry",
            tooltip="After a 401: refresh the access token, then send the call again",
        ),
        Binding("enter", SEND, "Send", tooltip="Send the call the form sets up"),
    ]


class ConsoleScreen(HttpStepScreen):
    """A form (method, URL, extra headers, body) above the exchange viewer.

    ``enter`` sends what the form says at once: the request is built from the
    form, shown, and that same object sent; after a 401 it refreshes the token and
    sends the call again. In the URL field ``enter`` does the same; the text boxes
    take ``enter`` as a new line (``tab`` or ``esc`` leaves them), and ``ctrl+s``
    does it from any text field. The footer shows the key that does it where the
    focus is.
    """

    STEP = Step.CONSOLE
    ENTER_KEYS = ENTER
    BINDINGS = [
        AUTHORIZE_AGAIN,
        Binding(
            "enter",
            "refresh_retry",
            "Refresh & retry",
            tooltip="After a 401: refresh the access token, then send the call again",
        ),
        Binding("enter", "send", "Send", tooltip="Send the call the form sets up"),
        # ctrl+s replaces HttpStepScreen's: save again first, after a failed save.
        Binding(
            "ctrl+s", "save", "Save again", show=False, tooltip="After a failed save: save again"
        ),
        Binding(
            "ctrl+s",
            GO_AUTHORIZE,
            "Authorize",
            tooltip="In a text field, when no usable token is left: go and authorize again",
        ),
        Binding(
            "ctrl+s",
            REFRESH_RETRY,
            "Refresh & retry",
            tooltip="In a text field, after a 401: refresh the access token, then send the "
            "call again",
        ),
        Binding(
            "ctrl+s",
            SEND,
            "Send",
            tooltip="In a text field (a box takes enter as a new line): send the call",
        ),
        Binding(
            "escape",
            "leave_field",
            "Leave field",
            tooltip="Out of the text field, to the exchange below: the step's keys work again",
        ),
        # Elsewhere (a button, the list of methods): to the exchange too, not in the footer.
        Binding("escape", "leave_field('any')", "Leave field", show=False),
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
                yield UrlInput(
                    call.url, "https://…", max_length=MAX_URL_CHARS, id="api-url", compact=True
                )
            yield Label("Extra headers: Name: value, one a line")
            yield BoundedTextArea(
                call.headers,
                max_bytes=MAX_HEADERS_BYTES,
                compact=True,
                placeholder="Accept: text/plain",
                id="api-headers",
            )
            yield Label("Body")
            yield BoundedTextArea(
                call.body,
                max_bytes=MAX_BODY_BYTES,
                compact=True,
                placeholder="(no body)",
                id="api-body",
            )
            yield Static(id="result")
        yield ExchangeViewer()

    def error_panel(self) -> ErrorPanel:
        """The error panel, in the form's scroll area: above it, the panel and the form
        together would leave the viewer no rows at 80x24.

        It goes right under the part of the form that has the focus (first in the area
        when the focus is elsewhere), and, once shown, its first lines are scrolled into
        view with that part: at 80x24 the area shows 11 rows, too few for a panel at its
        top and the body box at its bottom.
        """
        area = self.query_one("#step", ScrollArea)
        panel = self.mounted_on_demand(ErrorPanel, "#step", lambda: ErrorPanel(id="error"))
        part = self.focused_part()
        if part is None and area.children[0] is not panel:
            area.move_child(panel, before=0)
        elif part is not None and area.children[area.children.index(part) + 1] is not panel:
            area.move_child(panel, after=part)
        self.call_after_refresh(self.show_panel_and_focus, panel)
        return panel

    def focused_part(self) -> Widget | None:
        """The part of the form the focus is in: the request line, or a text box."""
        focused = self.focused
        if focused is None:
            return None
        parts = [self.query_one(f"#{name}") for name in ("line", "api-headers", "api-body")]
        return next((part for part in parts if part in focused.ancestors_with_self), None)

    def show_panel_and_focus(self, panel: ErrorPanel) -> None:
        """The panel's first lines on screen if it is shown, then the focused widget
        (last, so it stays on screen whatever the panel's height)."""
        if panel.has_class("-shown"):
            panel.scroll_visible(animate=False)
        if self.focused is not None:
            self.focused.scroll_visible(animate=False)

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

    def action_send(self, where: str = "") -> None:
        """Build the call from the form, show it, and send that same request."""
        if self.in_flight():
            self.notify("A request is in flight: wait for it, or press x to cancel it.")
            return
        if not self.prepare_fresh():
            self.notify(
                "Nothing was sent: the panel in the form says why.",
                title="Not sent",
                severity="warning",
            )
            return
        if self.refuse_if_held():
            return
        assert self.exchange is not None
        self.send_exchange(self.exchange)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("send", "refresh_retry", "go"):
            # enter and s where they are not typed; ctrl+s where they are.
            in_field = isinstance(self.focused, Input | TextArea)
            if in_field != (FIELD in parameters):
                return False
        if action == "leave_field" and not parameters:  # in the footer only in a field
            return isinstance(self.focused, Input | TextArea)
        if action == "refresh_retry":
            return self.retry_offered() and not self.in_flight()
        if action == "save":  # ctrl+s sends, but saves again after a failed save
            return self.session.unsaved
        return super().check_action(action, parameters)

    def retry_offered(self) -> bool:
        """A 401 came, and there is a refresh token to get a new access token with."""
        expired = isinstance(self.problem, ApiError) and self.problem.token_expired
        return expired and self.session.can_refresh()

    def dead(self) -> bool:
        """The access token held is known dead, and no refresh token can replace it:
        said before the call is sent."""
        return bool(self.session.tokens_dead()[0]) and not self.session.can_refresh()

    def next_step(self) -> Step | None:
        """Authorize, once no usable token is left: after a 401 without a refresh token
        to retry with, or after the provider refused the refresh token, or before a
        token known dead is sent (``dead_step``)."""
        if dead := self.dead_step():
            return dead
        expired = isinstance(self.problem, ApiError) and self.problem.token_expired
        refused = isinstance(self.problem, OAuthError) and not self.session.can_refresh()
        return Step.AUTHORIZE if (expired and not self.session.can_refresh()) or refused else None

    def way_on(self) -> str:
        if self.retry_offered():
            return RETRY
        if self.next_step() is not None:
            return super().way_on()
        return f"Press {ENTER} to send the call again."

    def action_go(self, step: str, _where: str = "") -> None:
        super().action_go(step)

    def action_leave_field(self, _where: str = "") -> None:
        self.query_one(ExchangeViewer).focus()

    def action_refresh_retry(self, where: str = "") -> None:
        if self.retry_offered() and not self.in_flight():
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
                result.update(expired_content(RETRY if self.session.can_refresh() else NO_REFRESH))
            raise
        result.update(Content.assemble(("Answered", "bold $success"), "\n", summary))

    def show_result(self, exchange: Exchange) -> None:
        self.interpret(exchange)
