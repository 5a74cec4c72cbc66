"""Device code (the device flow's Authorize, RFC 8628 §3.1–3.3): the codes, and the user's part.

The POST to the device authorization endpoint is shown, then sent by enter.
Its answer's user code is shown large with the verification URI, a QR code of
``verification_uri_complete`` when the provider gives one, and a countdown to
its expiry. On the demo provider ``g`` plays the browser: the verification
page, the user code typed, Approve or Deny, each a real exchange in the viewer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Input, Static

from tui.core.consent import ConsentForm, decision_request, read_page_text
from tui.core.device import MAX_USER_CODE_CHARS
from tui.core.environment import clipboard_note
from tui.core.errors import DanceError, ResponseFormatError
from tui.core.exchange import Exchange
from tui.core.lesson_setup import SETUP
from tui.core.steps import Step
from tui.core.textsafe import clean
from tui.screens.base import StepScreen
from tui.screens.wizard import GoTo
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.qr import QRCode
from tui.widgets.qr_screen import QRScreen
from tui.widgets.scroll_area import ScrollArea
from tui.widgets.sidebar import countdown

if TYPE_CHECKING:
    from tui.screens.wizard import Wizard


class DeviceScreen(StepScreen):
    STEP = Step.AUTHORIZE
    FLOW = True
    AUTO_FOCUS = ""  # on_mount focuses the viewer: see StepScreen.focus_now

    BINDINGS = [
        Binding("enter", "decide('Approve')", "Approve", tooltip="On the device page: Approve"),
        Binding(
            "enter",
            "poll",
            "Poll",
            tooltip="Once the codes are here: go on to Poll, and poll at once",
        ),
        Binding("enter", "send", "Send", tooltip="The POST that asks for the codes"),
        Binding(
            "g", "browse", "Browser", tooltip="Demo: play the browser on the verification page"
        ),
        Binding("a", "decide('Approve')", "Approve"),
        Binding("d", "decide('Deny')", "Deny"),
        Binding("y", "copy", "Copy", tooltip="Copy the verification URI (OSC 52 works over SSH)"),
        Binding("f", "qr", "QR", show=False, tooltip="Show the QR code full-screen"),
        Binding("n", "new_codes", "New codes", show=False, tooltip="Ask for new codes"),
        Binding(
            "escape",
            "leave_field",
            "Leave field",
            tooltip="Out of the user code field, to the exchange below: the step's keys work again",
        ),
        Binding("ctrl+s", "save", "Save again", show=False),
    ]

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        self.exchange: Exchange | None = None
        self.page: ConsentForm | None = None
        """The verification page's form the terminal shows (the user code, or Approve/Deny)."""

    def compose_step(self) -> ComposeResult:
        with ScrollArea(id="step"):
            yield Static(id="user-code")
            yield Static(id="device-expiry")
            yield Static(id="status")
            yield Static(id="page")
            yield Input(
                placeholder="type the user code, then Enter",
                max_length=MAX_USER_CODE_CHARS,
                id="typed-code",
                compact=True,
            )
            with Horizontal(id="decision"):
                yield Button("Approve  a", variant="success", id="approve")
                yield Button("Deny  d", variant="error", id="deny")
            yield QRCode(id="qr")
        yield ExchangeViewer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide":
            return self.page is not None and not self.page.inputs
        if action == "poll":
            return self.has_codes()
        if action == "browse":
            return self.session.provider.is_demo and self.has_codes()
        if action in ("copy", "qr"):
            return self.has_codes()
        if action == "leave_field":  # in the footer only in a field
            return isinstance(self.focused, Input)
        return True

    def has_codes(self) -> bool:
        return bool(self.session.state.device_code) and self.session.device_seconds_left() > 0

    def on_mount(self) -> None:
        super().on_mount()
        self.expiry_ticker = self.set_interval(1.0, self.tick_expiry)
        self.show_step()

    def revisit(self) -> None:
        super().revisit()
        self.expiry_ticker.resume()
        self.exchange, self.page = None, None
        self.query_one(ExchangeViewer).forget()
        self.show_error(None)
        self.show_step()
        self.refresh_bindings()

    def show_step(self) -> None:
        """The codes when this attempt has them; else the POST that asks for them
        (expired codes forgotten first, as a refusal that ends them is)."""
        self.hide_page()
        if self.has_codes():
            last = self.last_exchange()
            self.query_one(ExchangeViewer).show(last)
            self.show_codes()
        else:
            self.prepare_fresh(expired=self.session.forget_expired_codes())
            self.refresh_sidebar()
        self.focus_now(self.query_one(ExchangeViewer))

    def last_exchange(self) -> Exchange | None:
        """The request that brought the codes: the step's own, or a lesson's setup's
        (the one device flow request it sends at this step)."""
        for exchange in reversed(self.session.history):
            if (
                exchange.step is Step.AUTHORIZE
                and exchange.device_flow
                and exchange.purpose in ("device code", SETUP)
            ):
                return exchange
        return None

    def prepare_fresh(self, *, expired: bool = False) -> None:
        """The POST that asks for codes, shown; ``expired``: said to be why."""
        for shown in ("#user-code", "#device-expiry"):
            self.query_one(shown, Static).update("")
        self.query_one(QRCode).data = ""
        try:
            self.exchange = self.session.prepare_device_authorization()
        except DanceError as err:
            self.exchange = None
            self.query_one(ExchangeViewer).show(None)
            self.show_error(err, toast=False)
            return
        self.query_one(ExchangeViewer).show(self.exchange)
        why = "The codes expired, and are forgotten. " if expired else ""
        self.show_status(
            f"{why}The POST below asks for a device code and a user code. Press enter to send it."
        )

    def show_status(self, text: str) -> None:
        line = self.query_one("#status", Static)
        line.update(Content(text))
        line.scroll_visible(animate=False)

    def show_codes(self) -> None:
        """The user code large, where to type it, the QR code, and the countdown."""
        state = self.session.state
        spaced = " ".join(clean(state.user_code, keep_newlines=False))
        uri = clean(state.verification_uri, keep_newlines=False)
        self.query_one("#user-code", Static).update(
            Content.assemble(
                ("User code\n", "bold"),
                (f" {spaced} ", "bold reverse $accent"),
                "\n\nOn any device, open ",
                (uri, f"link {uri}" if uri == state.verification_uri else ""),
                " and type it.",
            )
        )
        complete = state.verification_uri_complete
        self.query_one(QRCode).data = complete
        self.tick_expiry()
        status = "Then press enter to poll for the tokens."
        if complete:
            status = "Or scan the QR code: it carries the code. " + status
        if self.session.provider.is_demo:
            status += " g plays the browser here."
        self.show_status(status)

    def tick_expiry(self) -> None:
        """The countdown; once it ends, the codes forgotten and the POST for new ones shown."""
        expires = self.session.state.device_expires
        if expires is None or not self.session.state.device_code:
            return
        if self.session.forget_expired_codes():
            self.codes_gone(expired=True)
            return
        left = countdown(expires, self.session.clock())
        for line in self.query("#device-expiry").results(Static):
            line.update(Content(f"The codes: {left}"))

    def leave(self) -> None:
        super().leave()
        self.expiry_ticker.pause()

    def action_poll(self) -> None:
        """Poll, polling at once: the user may have answered already."""
        self.post_message(GoTo(Step.EXCHANGE, then="send"))

    # Asking for the codes.

    def action_send(self) -> None:
        if self.exchange is None or self.exchange.response or self.exchange.error:
            self.prepare_fresh()
        if self.exchange is not None:
            self.send_request(self.exchange)

    def action_new_codes(self) -> None:
        """Forget the codes (in memory and in the file), and show the POST for new ones;
        the old attempt's toasts go with it."""
        self.session.forget_device_codes()
        self.wizard.dismiss_toasts(self)
        self.codes_gone()

    def codes_gone(self, *, expired: bool = False) -> None:
        """The codes are forgotten: the POST for new ones shown, nothing of the old ones;
        a request of theirs still on its way (the verification page, say) is let go, so
        its answer cannot land over the new state."""
        self.workers.cancel_group(self, "http")
        self.show_error(None)
        self.hide_page()
        self.prepare_fresh(expired=expired)
        self.refresh_sidebar()
        self.refresh_bindings()

    @work(exclusive=True, group="http", description="POST the device authorization request")
    async def send_request(self, exchange: Exchange) -> None:
        viewer = self.query_one(ExchangeViewer)
        viewer.show(exchange, sending=True)
        await self.session.send(exchange)
        viewer.show(exchange)
        try:
            grant = self.session.finish_device_authorization(exchange)
        except DanceError as err:
            self.show_error(err)
            self.refresh_bindings()
            return
        self.show_error(None)
        self.hide_page()
        self.show_codes()
        self.refresh_sidebar()
        self.refresh_bindings()
        self.notify(
            f"They live {grant.expires_in} s; poll every {grant.interval} s.",
            title="Codes received",
        )

    # Playing the browser (the demo's verification page).

    def action_browse(self) -> None:
        try:
            exchange = self.session.prepare_verification_page()
        except DanceError as err:
            self.show_error(err)
            return
        self.browse(exchange)

    @work(exclusive=True, group="http", description="the verification page")
    async def browse(self, exchange: Exchange) -> None:
        """Send a browser's request; show the page it answers: a form, or the last words."""
        viewer = self.query_one(ExchangeViewer)
        viewer.show(exchange, sending=True)
        await self.session.send(exchange)
        viewer.show(exchange)
        self.hide_page()
        try:
            if exchange.error is not None:
                raise exchange.error
            assert exchange.response is not None
            response = exchange.response
            try:
                self.page = self.session.read_consent_page(response)
            except ResponseFormatError:
                if not response.is_success:
                    raise
                # No form: the page after the decision, which sends nothing back.
                self.show_page(read_page_text(response), None)
                self.show_status("Answered in the browser. Press enter to poll for the tokens.")
                return
        except DanceError as err:
            self.show_error(err)
            return
        self.show_error(None)
        self.show_page(self.page.text, self.page)

    def show_page(self, text: list[str], form: ConsentForm | None) -> None:
        page = self.query_one("#page", Static)
        page.update(Content.assemble(("The browser shows\n", "bold"), "\n".join(text)))
        page.display = True
        if form is not None and form.inputs:
            field = self.query_one("#typed-code", Input)
            field.value = ""
            field.display = True
            field.focus()
            # Shown just now: in view once laid out, and once the area's border (it
            # overflows now) is drawn.
            self.call_after_refresh(self.call_after_refresh, field.scroll_visible, animate=False)
        elif form is not None:
            self.query_one("#decision").display = True
            self.query_one("#approve", Button).focus()
        self.refresh_bindings()

    def hide_page(self) -> None:
        self.page = None
        for hidden in ("#page", "#typed-code", "#decision"):
            self.query_one(hidden).display = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        page = self.page
        if event.input.id != "typed-code" or page is None or not page.buttons:
            return
        typed = {name: event.value for name in page.inputs}
        request = decision_request(page, page.buttons[0], typed)
        self.query_one(ExchangeViewer).focus()
        self.browse(self.session.prepare(Step.AUTHORIZE, request, purpose="verification page"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id in ("approve", "deny"):
            self.action_decide("Approve" if event.button.id == "approve" else "Deny")

    def action_decide(self, choice: str) -> None:
        page = self.page
        if page is None or page.inputs:
            return
        button = next((b for b in page.buttons if b[1] == choice), None)
        if button is None:
            self.show_error(ResponseFormatError(f"The page has no {choice} button."))
            return
        self.query_one(ExchangeViewer).focus()
        request = decision_request(page, button)
        self.browse(self.session.prepare(Step.AUTHORIZE, request, purpose="verification page"))

    # The codes elsewhere.

    def action_copy(self) -> None:
        state = self.session.state
        self.app.copy_to_clipboard(state.verification_uri_complete or state.verification_uri)
        self.notify(clipboard_note("the verification URI"))

    def action_qr(self) -> None:
        state = self.session.state
        self.app.push_screen(QRScreen(state.verification_uri_complete or state.verification_uri))

    def action_leave_field(self) -> None:
        self.query_one(ExchangeViewer).focus()
