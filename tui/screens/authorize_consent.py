"""The demo's consent page, played in the terminal: fetched, read, and answered.

``g`` GETs the authorization URL as a browser would, the consent page's form
is read by the core and shown with Approve and Deny; the decision is POSTed,
and the 302's ``Location`` is the callback, accepted as any other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.content import Content
from textual.widgets import Button, Static

from tui.core.consent import ConsentForm, decision_request
from tui.core.errors import DanceError, ResponseFormatError
from tui.core.exchange import Exchange
from tui.core.steps import Step
from tui.screens.authorize_callback import AuthorizeCallbackPart
from tui.widgets.exchange_viewer import ExchangeViewer

if TYPE_CHECKING:
    from tui.screens.wizard import Wizard


class AuthorizeConsentPart(AuthorizeCallbackPart):
    """The Authorize screen playing the browser on the demo's consent page."""

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        self.consent: ConsentForm | None = None
        """The consent page's form, while it is shown."""

    def action_consent(self) -> None:
        if self.exchange is not None:
            self.browse(self.session.prepare(Step.AUTHORIZE, self.exchange.request))

    @work(exclusive=True, group="http", description="GET the consent page")
    async def browse(self, exchange: Exchange) -> None:
        await self.show_consent_page(exchange)

    async def show_consent_page(self, exchange: Exchange) -> None:
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
            self.consent = self.session.read_consent_page(exchange.response)
        except DanceError as err:
            self.show_error(err)
            return
        self.show_error(None)  # an earlier refusal is not this page's
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

    def forget_consent(self) -> None:
        """No consent page any more: it is answered, or its attempt is over (its form
        carries that attempt's state). Focus leaves its buttons for the exchange below."""
        self.consent = None
        decision = self.query_one("#decision")
        if self.focused is not None and decision in self.focused.ancestors:
            self.query_one(ExchangeViewer).focus()
        self.query_one("#consent").display = False
        decision.display = False
        self.refresh_bindings()

    @work(exclusive=True, group="http", description="POST the consent decision")
    async def submit(self, exchange: Exchange) -> None:
        """POST the decision; the 302's Location is the callback."""
        viewer = self.query_one(ExchangeViewer)
        viewer.show(exchange, sending=True)
        await self.session.send(exchange)
        viewer.show(exchange)
        viewer.focus()  # the step's enter works again
        self.forget_consent()
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
