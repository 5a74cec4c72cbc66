"""Authorize (dance steps 2–6): the URL, the QR code, and the two ways back.

With pushed authorization requests on (RFC 9126, ``u`` where the provider has
a PAR endpoint), the parameters go first in a POST, and the URL shrinks to
``client_id`` and the ``request_uri`` that answer gave.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Input, Static

from tui.core.callback import MAX_PASTE, Callback
from tui.core.consent import ConsentForm, decision_request, read_consent_page
from tui.core.environment import (
    can_open_browser,
    clipboard_note,
    ssh_tunnel_line,
)
from tui.core.errors import DanceError, ResponseFormatError
from tui.core.exchange import Exchange
from tui.core.listener import CallbackListener, ListenerAnswer, ListenerError, listen_address
from tui.core.pkce import CHALLENGE_FORMULA
from tui.core.steps import BY_STEP, Step
from tui.core.textsafe import clean
from tui.screens.base import StepScreen
from tui.widgets.callback_input import CallbackInput
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.qr import QRCode
from tui.widgets.qr_screen import QRScreen
from tui.widgets.scroll_area import ScrollArea

if TYPE_CHECKING:
    from tui.screens.wizard import Wizard


class AuthorizeScreen(StepScreen):
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
            tooltip="Once the code is spent, or the settings changed since it came: start "
            "over with a fresh state and PKCE",
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

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        self.exchange: Exchange | None = None
        """The authorization request (the URL); None while the parameters wait to be pushed."""
        self.push: Exchange | None = None
        """The pushed authorization request (RFC 9126), once PAR is on."""
        self.consent: ConsentForm | None = None

    def compose_step(self) -> ComposeResult:
        with ScrollArea(id="step"):
            yield Static(id="status")
            yield Static(id="consent")
            with Horizontal(id="decision"):
                yield Button("Approve  a", variant="success", id="approve")
                yield Button("Deny  d", variant="error", id="deny")
            yield CallbackInput(
                placeholder="paste the code or the whole redirect URL, then Enter",
                max_length=MAX_PASTE,
                id="paste",
                compact=True,
            )
            yield Static(id="listener")
            yield Static(id="ssh")
            yield Static(id="params")
            yield Static(id="pkce")
            yield Static(id="url")
            yield QRCode(id="qr")
        yield ExchangeViewer()

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
        state = self.session.state
        over = state.code_exchanged or state.code_stale
        if action == "go":  # enter, once a code is here
            return bool(state.code) and not over
        if action == "new_attempt" and parameters:  # enter, once the code is done with
            return bool(state.code) and over
        return True

    def on_mount(self) -> None:
        super().on_mount()
        self.show_step()

    def revisit(self) -> None:
        """Start over as a new screen would: the attempt's request, masked, listening
        again; no consent page, pasted text or earlier problem."""
        super().revisit()
        self.exchange, self.push, self.consent = None, None, None
        for hidden in ("#consent", "#decision", "#ssh"):
            self.query_one(hidden).display = False
        self.query_one("#paste", Input).value = ""
        self.query_one(ExchangeViewer).forget()
        self.show_error(None)
        self.show_step()
        self.refresh_bindings()

    def show_step(self) -> None:
        """Show this attempt's request (a new one if there is none), and listen."""
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
        self.start_listener()

    def prepare_request(self) -> None:
        """The attempt's URL, or, while PAR waits, the POST that pushes its parameters.

        Raises:
            DanceError: a setting the request needs is missing.
        """
        if self.session.push_due:
            self.exchange, self.push = None, self.session.prepare_push()
        else:
            request = self.session.authorization_request()
            self.exchange = self.session.prepare(Step.AUTHORIZE, request)

    def show_request(self) -> None:
        """Fill the parameter table, the URL, the QR code and the viewer."""
        pushing = self.session.par_offered and self.session.state.par
        rows: list[Content | tuple[str, str] | str] = [("Query parameters", "bold")]
        if self.exchange is None:
            rows.append("\nnone yet: push first (enter), then the URL carries two.")
        else:
            rows += _rows(self.exchange.request.url.params.multi_items(), "")
        if pushing:
            rows += ["\n\n", ("Sent in the POST, not in the URL (RFC 9126 §2.1)", "bold")]
            rows += _rows(self.session.pushed_params(), " Sent in the POST.")
        self.query_one("#params", Static).update(Content.assemble(*rows))
        viewer = self.query_one(ExchangeViewer)
        viewer.show(self.push if pushing and self.push is not None else self.exchange)
        if self.exchange is None:
            self.query_one("#url", Static).update(
                Content.assemble(
                    ("Authorization URL\n", "bold"),
                    "Not yet: press enter to push the parameters in a POST; the answer's "
                    "request_uri makes the URL.",
                )
            )
            self.query_one(QRCode).data = ""
            self.show_status(
                Content("PAR is on: press enter to push the parameters first (u turns it off).")
            )
            return
        url = str(self.exchange.request.url)
        if self.session.state.uses_pkce:
            self.query_one("#pkce", Static).update(
                Content.assemble(
                    ("PKCE  ", "bold"), CHALLENGE_FORMULA, "; the verifier stays here."
                )
            )
        self.query_one("#url", Static).update(
            Content.assemble(("Authorization URL\n", "bold"), (url, f"link {url}"))
        )
        self.query_one(QRCode).data = url
        state = self.session.state
        status = "Open the URL in a browser, scan the QR code, or paste the answer below."
        if self.session.provider.is_demo:
            status = "Press g to play the browser here: the consent page, then Approve or Deny."
        if state.request_uri:
            status = (
                "Pushed: the URL carries only client_id and request_uri, which works once "
                f"and soon expires. {status}"
            )
        elif self.session.par_offered:
            status += " u pushes the parameters first instead (PAR, RFC 9126)."
        if state.code and state.code_exchanged:
            status = "This attempt's code was exchanged already: press enter for a new attempt."
        elif state.code and state.code_stale:
            status = (
                "This attempt's code was asked with the settings before your change: press "
                "enter for a new attempt (3 still sends it, to see the provider refuse it)."
            )
        elif state.code:
            status = (
                "A code from this attempt is waiting: press enter to exchange it, "
                "or n to start over."
            )
        self.show_status(Content(status))

    def show_status(self, status: Content) -> None:
        """Say where the attempt stands, at the top of the step, and scroll it into sight
        (after Approve, say, the step was scrolled down to the buttons)."""
        line = self.query_one("#status", Static)
        line.update(status)
        line.scroll_visible(animate=False)

    @work(exclusive=True, group="listener")
    async def start_listener(self) -> None:
        """Listen on the redirect URI until a callback comes or the screen goes."""
        widget = self.query_one("#listener", Static)
        address = listen_address(self.session.state.redirect_uri)
        if address is None:
            widget.update(Content("The redirect goes to a web server, not here: paste the code."))
            return
        listener = CallbackListener(address, check=self.session.check_callback)
        try:
            await listener.start()
        except ListenerError as err:
            widget.update(Content.assemble(("Listener: ", "bold $warning"), err.message))
            return
        try:
            widget.update(
                Content.assemble(
                    ("Listening ", "bold $success"),
                    f"on {self.session.state.redirect_uri} for the browser's redirect.",
                )
            )
            tunnel = ssh_tunnel_line(address.port)
            if tunnel:
                ssh = self.query_one("#ssh", Static)
                ssh.update(
                    Content.assemble(("Over SSH, run on your own machine:\n", "bold"), tunnel)
                )
                ssh.display = True
            url = await listener.wait()
        finally:
            await listener.close()
        self.accept(url, source="the loopback listener", answer=listener.answer)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "paste":
            self.accept(event.value, source="the pasted value")

    def on_callback_input_several_lines(self, event: CallbackInput.SeveralLines) -> None:
        self.accept(event.text, source="the pasted value")

    def accept(self, text: str, source: str, answer: ListenerAnswer | None = None) -> None:
        """Check a callback (``answer``: the listener's page for it); keep its code,
        or explain why not."""
        try:
            callback = self.session.take_callback(text, answer)
        except DanceError as err:
            self.show_error(err)
            self.show_status(Content.assemble(("Not accepted: ", "bold $error"), err.message))
            return
        self.workers.cancel_group(self, "listener")
        self.code_received(self.callback_note(callback), source)
        self.session.save()

    @staticmethod
    def callback_note(callback: Callback) -> str:
        if callback.state_checked:
            return "state checked ✓"
        return (
            "state NOT checked: a bare code carries no state (nor iss), so a forged one "
            "can't be told apart"
        )

    def code_received(self, note: str, source: str) -> None:
        self.show_error(None)
        self.query_one("#listener", Static).update(
            Content("Listener stopped: this attempt has its code.")
        )
        self.query_one("#paste", Input).value = ""
        self.query_one(ExchangeViewer).focus()
        self.show_status(
            Content.assemble(
                ("Code received ", "bold $success"),
                f"from {source}; {note}. Press enter to exchange it for tokens.",
            )
        )
        self.refresh_sidebar()
        self.refresh_bindings()

    def action_consent(self) -> None:
        if self.exchange is not None:
            self.browse(self.session.prepare(Step.AUTHORIZE, self.exchange.request))

    @work(exclusive=True, group="http", description="GET the consent page")
    async def browse(self, exchange: Exchange) -> None:
        """GET the consent page, as a browser would, and show its form."""
        viewer = self.query_one(ExchangeViewer)
        viewer.show(exchange, sending=True)
        await self.session.send(exchange)
        viewer.show(exchange)
        location = exchange.response.headers.get("location") if exchange.response else None
        if exchange.response is not None and exchange.response.is_redirect and location:
            # No consent page: the provider refused the request at once, on the redirect.
            self.accept(location, source="the provider's redirect")
            return
        try:
            if exchange.error is not None:
                raise exchange.error
            assert exchange.response is not None
            self.consent = read_consent_page(exchange.response)
        except DanceError as err:
            self.show_error(err)
            return
        consent = self.query_one("#consent", Static)
        consent.update(Content.assemble(("Consent page\n", "bold"), "\n".join(self.consent.text)))
        consent.display = True
        self.query_one("#decision").display = True
        self.query_one("#approve", Button).focus()
        self.refresh_bindings()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id in ("approve", "deny"):
            self.action_decide("Approve" if event.button.id == "approve" else "Deny")

    def action_decide(self, choice: str) -> None:
        if self.consent is None:
            return
        button = next((b for b in self.consent.buttons if b[1] == choice), None)
        if button is None:
            self.show_error(ResponseFormatError(f"The consent page has no {choice} button."))
            return
        self.submit(self.session.prepare(Step.AUTHORIZE, decision_request(self.consent, button)))

    @work(exclusive=True, group="http", description="POST the consent decision")
    async def submit(self, exchange: Exchange) -> None:
        """POST the decision; the 302's Location is the callback."""
        viewer = self.query_one(ExchangeViewer)
        viewer.show(exchange, sending=True)
        await self.session.send(exchange)
        viewer.show(exchange)
        self.consent = None
        self.query_one("#consent").display = False
        self.query_one("#decision").display = False
        self.refresh_bindings()
        if exchange.error is not None:
            self.show_error(exchange.error)
            return
        assert exchange.response is not None
        location = exchange.response.headers.get("location")
        if not location:
            self.show_error(
                ResponseFormatError("The consent answer did not redirect: it has no Location.")
            )
            return
        self.accept(location, source="the provider's redirect")

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

    def action_push(self) -> None:
        try:
            self.push = self.session.prepare_push()
        except DanceError as err:
            self.show_error(err)
            return
        self.send_push(self.push)

    @work(exclusive=True, group="http", description="POST the pushed authorization request")
    async def send_push(self, exchange: Exchange) -> None:
        """Push the parameters; the answer's request_uri makes the short URL."""
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
        try:
            self.session.begin_authorization()
            self.push = None
            self.prepare_request()
        except DanceError as err:
            self.show_error(err)
            return
        self.show_error(None)
        self.show_request()
        self.start_listener()
        self.refresh_bindings()
        self.notify("New attempt: fresh state and PKCE verifier.")


_WHY = {
    "client_id": "Which app asks (§2.2).",
    "redirect_uri": "Where the browser returns (§3.1.2).",
    "scope": "What the app asks to do (§3.3).",
    "show_dialog": "Spotify: ask again even if approved before.",
    "access_type": "Google: offline gets a refresh token.",
    "prompt": "consent: ask again, so a refresh token comes again.",
    "request_uri": "Stands for the parameters pushed in the POST: one use, short-lived "
    "(RFC 9126 §4).",
    "nonce": "OpenID Connect: found again in the ID token, stops replay (OIDC §3.1.2.1).",
}


def _rows(params: Iterable[tuple[str, str]], note: str) -> list[Content | tuple[str, str] | str]:
    """The parameter table's rows: each name, its value, and what it is for."""
    meanings = dict(BY_STEP[Step.AUTHORIZE].parameters)
    rows: list[Content | tuple[str, str] | str] = []
    for name, value in params:
        why = meanings.get(name) or meanings.get(f"{name}=code") or _WHY.get(name, "")
        shown = clean(value, keep_newlines=False)
        rows += [
            "\n",
            (name, "bold $secondary"),
            " = ",
            shown,
            "\n  ",
            ((why + note).strip(), "dim"),
        ]
    return rows
