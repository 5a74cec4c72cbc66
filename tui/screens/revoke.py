"""Revoke (RFC 7009): kill a token at the provider, then see what a call with it gets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import RadioButton, RadioSet, Static

from tui.core.errors import ApiError, DanceError
from tui.core.exchange import Exchange
from tui.core.revocation import TokenKind, revoked_kind
from tui.core.steps import Step
from tui.screens.http_step import HttpStepScreen, enter_bindings
from tui.widgets.error_panel import Parts, explanation_parts
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.scroll_area import ScrollArea

if TYPE_CHECKING:
    from tui.screens.wizard import Wizard


GO_REFRESH, SEND = enter_bindings(
    Step.REFRESH, "Once the revoked token was tried, with a refresh token"
)


class RevokeScreen(HttpStepScreen):
    """Which token to revoke above the exchange viewer.

    ``enter`` sends the revocation; once the token is revoked, it tries the
    token on the profile endpoint (the 401 a revoked token gets); then it goes
    on to Refresh, or to Authorize when no refresh token is left.
    """

    STEP = Step.REVOKE
    BINDINGS = [
        Binding(
            "enter",
            "try_revoked",
            "Try it",
            tooltip="Once revoked: call the profile API with the revoked token",
        ),
        GO_REFRESH,
        Binding(
            "enter",
            "go('authorize')",
            "Authorize",
            tooltip="Once the revoked token was tried, without a refresh token: go on to Authorize",
        ),
        SEND,
        Binding("o", "other_token", "Other token", tooltip="Revoke the other token"),
    ]

    DEFAULT_CSS = """
    RevokeScreen #which { width: 100%; height: auto; }
    """

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        self.revoked: Exchange | None = None
        """The revocation that worked, until its token was tried."""
        self.tried = False
        """The revoked token was tried on the profile endpoint."""

    def compose_step(self) -> ComposeResult:
        with ScrollArea(id="step"):
            with RadioSet(id="which"):
                for kind in TokenKind:
                    yield RadioButton(
                        self.label(kind), value=kind is self.first_kind(), name=kind.value
                    )
            yield Static(id="result")
        yield ExchangeViewer()

    def label(self, kind: TokenKind) -> str:
        """The token's choice, saying when none is saved."""
        state = self.session.state
        saved = state.token if kind is TokenKind.ACCESS else state.refresh
        return kind.label if saved else f"{kind.label} (none saved)"

    def label_choices(self) -> None:
        for button in self.query(RadioButton):
            button.label = self.label(TokenKind(str(button.name)))

    def first_kind(self) -> TokenKind:
        """The access token if there is one, else the refresh token."""
        return TokenKind.ACCESS if self.session.state.token else TokenKind.REFRESH

    def kind(self) -> TokenKind:
        pressed = self.query_one(RadioSet).pressed_button
        return TokenKind(str(pressed.name)) if pressed is not None else self.first_kind()

    def prepare(self) -> Exchange:
        return self.session.prepare_revocation(self.kind())

    def revisit(self) -> None:
        self.revoked, self.tried = None, False
        self.label_choices()
        super().revisit()

    def action_other_token(self) -> None:
        buttons = list(self.query(RadioButton))
        other = next(b for b in buttons if b.name != self.kind().value)
        other.value = True

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """Another token chosen: its revocation request, fresh."""
        event.stop()
        if not self.in_flight():
            self.revoked, self.tried = None, False
            self.query_one("#result", Static).update("")
            self.prepare_fresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "try_revoked":
            return self.revoked is not None and not self.tried
        return super().check_action(action, parameters)

    def next_step(self) -> Step | None:
        """After the revoked token was tried: Refresh if a refresh token is left, else
        Authorize."""
        if not self.tried:
            return None
        return Step.REFRESH if self.session.state.refresh else Step.AUTHORIZE

    def action_try_revoked(self) -> None:
        """A profile call with the revoked token (or its grant's access token), shown and sent."""
        if self.revoked is None or self.in_flight():
            return
        try:
            self.exchange = self.session.prepare_revoked_check(self.revoked)
        except DanceError as err:
            self.show_error(err)
            return
        self.query_one(ExchangeViewer).show(self.exchange)
        self.send_exchange(self.exchange)

    def interpret(self, exchange: Exchange) -> None:
        result = self.query_one("#result", Static)
        if exchange.step is Step.PROFILE:
            self.tried = True
            try:
                self.session.finish_revoked_check(exchange)
            except ApiError as err:  # what a revoked token should get: taught, not a fault
                result.update(refused_content(err))
            else:
                result.update(still_accepted_content())
            return
        kind = self.session.finish_revocation(exchange)
        self.revoked, self.tried = exchange, False
        self.label_choices()
        result.update(revoked_content(kind))

    def show_result(self, exchange: Exchange) -> None:
        if exchange.response is not None and exchange.response.is_success:
            kind = revoked_kind(exchange)
            self.query_one("#result", Static).update(revoked_content(kind, tried=True))


def revoked_content(kind: TokenKind, *, tried: bool = False) -> Content:
    """The revocation worked: what it means, and (until it was tried) the way on."""
    grant = (
        "\nA server should revoke the access tokens of its grant with it (RFC 7009 §2.1)."
        if kind is TokenKind.REFRESH
        else "\nThe refresh token, if any, is untouched: the server may revoke it too, or not."
    )
    parts: Parts = [
        (f"Revoked: the {kind.label}", "bold $success"),
        f"\nThe provider answered 200, and the {kind.label} is gone from the credentials file.",
        grant,
    ]
    if not tried:
        parts.append("\nPress enter to call the profile API with it and see what it gets now.")
    return Content.assemble(*parts)


def refused_content(error: ApiError) -> Content:
    """The profile call after a revocation was refused, as a revoked token should be; what
    the refusal means, from the API's teaching text."""
    parts: Parts = [
        (f"HTTP {error.status}: the revoked token is refused, as it should be.", "bold $success"),
        "\n",
        error.message,
    ]
    if error.explanation is not None:
        parts += explanation_parts(error.explanation)
    return Content.assemble(*parts)


def still_accepted_content() -> Content:
    """The profile call after a revocation worked: the server did not revoke it at once."""
    return Content.assemble(
        ("The API still accepts it.", "bold $warning"),
        "\nThis server does not revoke access tokens at once (RFC 7009 §2: it may not "
        "support it, or the API caches tokens). It lives until it expires.",
    )
