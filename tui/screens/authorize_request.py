"""The Authorize step's layout and its request shown: the parameters, PKCE, the URL, its QR code.

While pushed authorization requests wait (RFC 9126), the request shown is the
POST that pushes the parameters, and the URL waits for its ``request_uri``.
`AuthorizeRequestPart` is the first part of the Authorize screen; the ways
back (`authorize_callback`), the consent page (`authorize_consent`) and the
keys (`authorize`) stand on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Static

from tui.core.callback import MAX_PASTE
from tui.core.exchange import Exchange
from tui.core.pkce import CHALLENGE_FORMULA
from tui.core.steps import BY_STEP, Step
from tui.core.textsafe import clean
from tui.screens.base import StepScreen
from tui.widgets.callback_input import CallbackInput
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.qr import QRCode
from tui.widgets.scroll_area import ScrollArea

if TYPE_CHECKING:
    from tui.screens.wizard import Wizard


class ApproveButton(Button, inherit_bindings=False):
    """The consent page's Approve, focused when the page comes. Its enter is the
    screen's, which approves while the page is shown: a button's own enter, never in
    the footer, would hide ``⏎ Approve`` there. (Deny keeps its own: enter denies.)"""


class AuthorizeRequestPart(StepScreen):
    """The Authorize step's widgets, and the attempt's request shown in them."""

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        self.exchange: Exchange | None = None
        """The authorization request (the URL); None while the parameters wait to be pushed."""
        self.push: Exchange | None = None
        """The pushed authorization request (RFC 9126), once PAR is on."""

    def compose_step(self) -> ComposeResult:
        with ScrollArea(id="step"):
            yield Static(id="status")
            yield Static(id="consent")
            with Horizontal(id="decision"):
                yield ApproveButton("Approve  a", variant="success", id="approve")
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
            push = "PAR is on: press enter to push the parameters first (u turns it off)."
            self.show_status(Content(self.code_status() or push))
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
        self.show_status(Content(self.code_status() or status))

    def code_status(self) -> str:
        """What enter does with the attempt's code, if there is one (it goes before
        pushing or opening the URL), or that the provider refused the attempt; "" else."""
        state = self.session.state
        if self.session.attempt_refused():
            return "The provider refused this attempt: press enter for a new attempt."
        if state.code and state.code_exchanged:
            return "This attempt's code was exchanged already: press enter for a new attempt."
        if state.code and state.code_stale:
            return (
                "This attempt's code was asked with the settings before your change: press "
                "enter for a new attempt (3 still sends it, to see the provider refuse it)."
            )
        if state.code and state.code == self.session.refused_code:
            return (
                "The provider refused this attempt's code (invalid_grant): press enter for "
                "a new attempt."
            )
        if state.code and not self.session.code_usable():
            return (
                "This attempt's code has no PKCE verifier, which its exchange needs: press "
                "enter for a new attempt."
            )
        if state.code:
            return (
                "A code from this attempt is waiting: press enter to exchange it, "
                "or n to start over."
            )
        return ""

    def show_status(self, status: Content) -> None:
        """Say where the attempt stands, at the top of the step, and scroll it into sight
        (after Approve, say, the step was scrolled down to the buttons)."""
        line = self.query_one("#status", Static)
        line.update(status)
        line.scroll_visible(animate=False)


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
