"""The Authorize step's two ways back: the loopback listener and the paste field.

Both hand the callback to the session, which checks it (state, issuer, error)
before its code is kept; the first accepted stops the other.
"""

from __future__ import annotations

from textual import work
from textual.content import Content
from textual.widgets import Input, Static

from tui.core.callback import Callback
from tui.core.environment import ssh_tunnel_line
from tui.core.errors import DanceError, NotThisAttemptError, OAuthError
from tui.core.listener import CallbackListener, ListenerAnswer, ListenerError
from tui.core.listener_address import listen_address
from tui.screens.authorize_request import AuthorizeRequestPart
from tui.widgets.callback_input import CallbackInput
from tui.widgets.exchange_viewer import ExchangeViewer

NOT_LISTENING = (
    "Not listening: this attempt is over, so no redirect can match its state. "
    "Press enter for a new attempt."
)
CAUGHT = (
    "Listener stopped: it took this attempt's one redirect (see above). n starts a new attempt."
)
REFUSED = "Listener stopped: the provider refused this attempt; press enter for a new attempt."


class AuthorizeCallbackPart(AuthorizeRequestPart):
    """The Authorize screen catching the redirect, or taking it pasted."""

    def code_spent(self) -> bool:
        """The attempt is over: the provider refused it, or its code cannot go to Exchange
        (exchanged, refused, asked before a settings change); enter starts a new one."""
        session = self.session
        return session.attempt_refused() or (bool(session.state.code) and not session.code_usable())

    def listen(self) -> None:
        """Listen for the attempt's redirect, unless it is over: then no redirect is
        taken for it, and the line says what to do instead."""
        if self.code_spent():
            self.workers.cancel_group(self, "listener")
            self.listener_stopped(REFUSED if self.session.attempt_refused() else NOT_LISTENING)
        else:
            self.start_listener()

    @work(exclusive=True, group="listener")
    async def start_listener(self) -> None:
        """Listen on the redirect URI until a callback comes or the screen goes."""
        widget = self.query_one("#listener", Static)
        self.query_one("#ssh").display = False  # until listening: the tunnel is to the listener
        address = listen_address(self.session.state.redirect_uri)
        if address is None:
            widget.update(Content("The redirect goes to a web server, not here: paste the code."))
            return
        listener = CallbackListener(
            address, check=self.session.check_callback, on_refused=self.redirect_refused
        )
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
            tunnel = ssh_tunnel_line(address)
            if tunnel:
                ssh = self.query_one("#ssh", Static)
                ssh.update(
                    Content.assemble(("Over SSH, run on your own machine:\n", "bold"), tunnel)
                )
                ssh.display = True
            url = await listener.wait()
        finally:
            await listener.close()
        self.listener_stopped(CAUGHT)
        self.accept(url, source="the loopback listener", answer=listener.answer)

    def redirect_refused(self, err: NotThisAttemptError) -> None:
        """The listener refused a redirect as not this attempt's (another state, or a
        possible mix-up) and goes on listening: the panel says so, one request from
        anyone who saw the URL ends nothing."""
        self.show_error(
            type(err)(
                f"The listener refused a redirect: {err.message} It was ignored: this "
                "attempt goes on, and the listener still waits for its redirect."
            ),
            toast=False,
        )

    def listener_stopped(self, why: str) -> None:
        """Say the listener no longer listens, and why; the SSH tunnel to it is not
        needed any more."""
        self.query_one("#listener", Static).update(Content(why))
        self.query_one("#ssh").display = False

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
            self.show_error(err, toast=False)  # the panel holds the details, not a toast
            why = err.message if err.message.endswith((".", "?", "!")) else f"{err.message}."
            again = ""
            if isinstance(err, OAuthError):  # the provider's own refusal ends the attempt
                self.workers.cancel_group(self, "listener")
                self.listener_stopped(REFUSED)
                again = " Press enter for a new attempt."
            elif isinstance(err, NotThisAttemptError):
                again = " It was ignored: this attempt goes on."
                if answer is not None:  # the listener took it, and stopped: it waits again
                    self.listen()
            if self.session.attempt_refused():  # over: enter starts a new one, not the field's
                self.query_one(ExchangeViewer).focus()
            said = Content.assemble(("Not accepted: ", "bold $error"), why, again)
            self.show_status(said)
            self.notify(
                f"Not accepted: the panel says why.{again}", title=err.title, severity="error"
            )
            self.refresh_bindings()
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
        self.listener_stopped("Listener stopped: this attempt has its code.")
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
