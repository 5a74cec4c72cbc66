"""Authorize (dance steps 2–6): the URL, the QR code, and the two ways back.

With pushed authorization requests on (RFC 9126, ``u`` where the provider has
a PAR endpoint), the parameters go first in a POST, and the URL shrinks to
``client_id`` and the ``request_uri`` that answer gave.

`AuthorizeScreen` holds the step's keys, what ``enter`` does when, PAR, the
URL's uses and a new attempt. It stands on `AuthorizeConsentPart`
(`authorize_consent.py`: the demo's consent page), on `AuthorizeCallbackPart`
(`authorize_callback.py`: the listener and the paste field), on
`AuthorizeRequestPart` (`authorize_request.py`: the widgets and the request
shown).
"""

from __future__ import annotations

from textual import work
from textual.binding import Binding
from textual.widgets import Input, Static

from tui.core.environment import can_open_browser, clipboard_note
from tui.core.errors import DanceError
from tui.core.exchange import Exchange
from tui.core.steps import BY_STEP, Step
from tui.screens.authorize_consent import AuthorizeConsentPart
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.qr import QRCode
from tui.widgets.qr_screen import QRScreen


class AuthorizeScreen(AuthorizeConsentPart):
    STEP = Step.AUTHORIZE
    FLOW = False

    AUTO_FOCUS = ""  # on_mount focuses the viewer: see StepScreen.focus_now

    # enter does the obvious next thing: the first of its bindings whose action
    # check_action allows. Those listed first in the footer show their key as ⏎.
    BINDINGS = [
        Binding("enter", "decide('Approve')", "Approve", tooltip="On the consent page: Approve"),
        Binding(
            "enter",
            f"go('{Step.EXCHANGE.value}')",
            BY_STEP[Step.EXCHANGE].title,
            tooltip="Once a code is here: go on to Exchange",
        ),
        Binding(
            "enter",
            "new_attempt('over')",
            "New attempt",
            tooltip="Once the code is spent, refused, or the settings changed since it came, "
            "or the provider refused the request: start over with a fresh state and PKCE",
        ),
        Binding("enter", "push", "Push", tooltip="PAR on: push the parameters first (RFC 9126)"),
        Binding("enter", "consent", "Consent", tooltip="Demo, before that: the consent page"),
        Binding("enter", "open_browser", "Open", tooltip="Else: open the URL in a local browser"),
        Binding("g", "consent", "Consent", tooltip="Demo: play the browser in the terminal"),
        Binding("a", "decide('Approve')", "Approve"),
        Binding("d", "decide('Deny')", "Deny"),
        Binding("y", "copy_url", "Copy", tooltip="Copy the URL (OSC 52 works over SSH)"),
        Binding("o", "open_browser", "Open", tooltip="Open the URL in a local browser"),
        Binding("f", "qr", "QR", show=False, tooltip="Show the QR code full-screen"),
        Binding("p", "paste", "Paste", show=False, tooltip="Paste the code or the redirect URL"),
        Binding(
            "u",
            "par",
            "PAR",
            show=False,
            tooltip="Pushed authorization request (RFC 9126) on or off, where the provider has it",
        ),
        Binding(
            "escape",
            "leave_field",
            "Leave field",
            tooltip="Out of the paste field, to the exchange below: the step's keys work again",
        ),
        # Elsewhere (a button, the list of methods): to the exchange too, not in the footer.
        Binding("escape", "leave_field('any')", "Leave field", show=False),
        Binding(
            "n", "new_attempt", "New", show=False, tooltip="Start over with a fresh state and PKCE"
        ),
        Binding("ctrl+s", "save", "Save again", show=False),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show the browser's keys only where they apply."""
        if action == "consent":
            return self.session.provider.is_demo and not self.session.push_due
        if action == "par":
            return self.session.par_offered
        if action == "push":
            return self.session.push_due
        if action == "decide":
            return self.consent is not None
        if action == "leave_field" and not parameters:  # in the footer only in a field
            return isinstance(self.focused, Input)
        if action == "go":  # enter, once a code is here
            return self.session.code_usable()
        if action == "new_attempt" and parameters:  # enter, once the attempt is over
            return self.code_spent()
        return True

    def on_mount(self) -> None:
        super().on_mount()
        self.show_step()

    def revisit(self) -> None:
        """Start over as a new screen would: the attempt's request, masked, listening
        again; no consent page, pasted text or earlier problem."""
        super().revisit()
        self.exchange, self.push = None, None
        self.forget_consent()
        self.query_one("#ssh").display = False
        self.query_one("#paste", Input).value = ""
        self.query_one(ExchangeViewer).forget()
        self.show_error(None)
        self.show_step()
        self.refresh_bindings()

    def show_step(self) -> None:
        """Show this attempt's request (a new one if there is none), and listen (unless
        its code is spent)."""
        try:
            if not self.session.state.state:
                self.session.begin_authorization()
            self.session.forget_stale_push()
            self.prepare_request()
        except DanceError as err:
            for shown in ("#status", "#listener", "#params", "#pkce", "#url"):
                self.query_one(shown, Static).update("")
            self.query_one(QRCode).data = ""
            self.query_one(ExchangeViewer).show(None)
            self.show_error(err, toast=False)
            return
        self.show_request()
        self.focus_now(self.query_one(ExchangeViewer))
        self.listen()

    def action_par(self) -> None:
        """PAR on (the POST to push is shown, enter sends it) or off (the whole URL)."""
        on = not self.session.state.par
        self.session.use_par(on)
        self.push = None
        try:
            self.prepare_request()
        except DanceError as err:
            self.show_error(err)
            return
        self.show_error(None)
        self.show_request()  # its status says what PAR's being on or off means now
        self.refresh_bindings()

    def action_consent(self) -> None:
        """The consent page. Once the attempt is over (refused, as after Deny, or its code
        spent: see `code_spent`), its state is not to be approved again, and with PAR its
        request_uri is spent (one use, RFC 9126 §4): a new attempt first, as enter starts,
        its parameters pushed before the page is asked for."""
        if self.code_spent():
            self.action_new_attempt()
            if self.code_spent():  # not started: its error is shown
                return
        if self.session.push_due:
            self.action_push(then_consent=True)
        else:
            super().action_consent()

    def action_push(self, then_consent: bool = False) -> None:
        try:
            self.push = self.session.prepare_push()
        except DanceError as err:
            self.show_error(err)
            return
        self.send_push(self.push, then_consent)

    @work(exclusive=True, group="http", description="POST the pushed authorization request")
    async def send_push(self, exchange: Exchange, then_consent: bool = False) -> None:
        """Push the parameters; the answer's request_uri makes the short URL, whose
        consent page is asked for next if ``then_consent``."""
        viewer = self.query_one(ExchangeViewer)
        viewer.show(exchange, sending=True)
        await self.session.send(exchange)
        viewer.show(exchange)
        try:
            self.session.finish_push(exchange)
            self.prepare_request()
        except DanceError as err:
            self.show_error(err)
            return
        self.show_error(None)
        self.show_request()
        self.refresh_bindings()
        if then_consent and self.exchange is not None:
            await self.show_consent_page(
                self.session.prepare(Step.AUTHORIZE, self.exchange.request)
            )

    def action_copy_url(self) -> None:
        if self.exchange is not None:
            self.app.copy_to_clipboard(str(self.exchange.request.url))
            self.notify(clipboard_note("the authorization URL"))

    def action_open_browser(self) -> None:
        if self.exchange is None:
            return
        if not (self.app.is_web or can_open_browser()):
            self.notify(
                "No display, or an SSH session: copy the URL with y, or press f for the QR code.",
                title="No local browser",
                severity="warning",
            )
            return
        self.app.open_url(str(self.exchange.request.url))  # served: the user's browser

    def action_qr(self) -> None:
        if self.exchange is not None:
            self.app.push_screen(QRScreen(str(self.exchange.request.url)))

    def action_leave_field(self, _where: str = "") -> None:
        self.query_one(ExchangeViewer).focus()

    def action_paste(self) -> None:
        self.query_one("#paste", Input).focus()

    def action_new_attempt(self, _over: str = "") -> None:  # enter's: see check_action
        # A request of the last attempt still on its way (the consent page, a push, a
        # decision) is let go: its answer would land over the new attempt.
        self.workers.cancel_group(self, "http")
        try:
            self.session.begin_authorization()
            self.push = None
            self.prepare_request()
        except DanceError as err:
            self.show_error(err)
            return
        self.query_one("#paste", Input).value = ""  # the last attempt's paste is not this one's
        self.forget_consent()  # the last attempt's page too: its form carries its state
        self.show_error(None)
        self.show_request()
        self.start_listener()
        self.refresh_bindings()
        self.notify("New attempt: fresh state and PKCE verifier.")
