"""Revoke (RFC 7009): kill a token at the provider, then see what a call with it gets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import RadioButton, RadioSet, Static

from tui.core.errors import ApiError, DanceError, OAuthError
from tui.core.exchange import Exchange
from tui.core.revocation import TokenKind, revoked_kind
from tui.core.session_revoke import REVOKED_CHECK
from tui.core.steps import Step, step_info
from tui.screens.http_step import HttpStepScreen
from tui.screens.step_keys import enter_bindings
from tui.widgets.error_panel import Parts, explanation_parts
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.scroll_area import ScrollArea

if TYPE_CHECKING:
    from tui.screens.wizard import Wizard


GO_REFRESH, SEND = enter_bindings(
    Step.REFRESH, "Once the revoked token was tried, with a refresh token", closed=False
)

CHOSEN, NOT_CHOSEN = "●", " "
"""A choice's dot: shown only on the token chosen, not told by its colour alone."""


class TokenChoice(RadioButton):
    """One token to revoke; its dot shows only while it is the one chosen. Disabled
    while no such token is saved."""

    def __init__(self, label: str, *, value: bool, name: str, disabled: bool) -> None:
        super().__init__(label, value=value, name=name, disabled=disabled)
        self.BUTTON_INNER = CHOSEN if value else NOT_CHOSEN

    def watch_value(self) -> None:
        self.BUTTON_INNER = CHOSEN if self.value else NOT_CHOSEN
        super().watch_value()


class RevokeScreen(HttpStepScreen):
    """Which token to revoke above the exchange viewer: the access token, at each
    visit and after each revocation, while there is one; ``o`` picks the other, while
    it is held. A token not held cannot be chosen, nor its revocation sent.

    ``enter`` sends the revocation; once the token is revoked, it tries it: an
    access token on the profile endpoint (the 401 a revoked token gets), a
    refresh token in a refresh (the ``invalid_grant``); then it goes on to
    Refresh, or to Authorize when no refresh token is left (the result says so
    when no token at all is left to revoke).
    """

    STEP = Step.REVOKE
    BINDINGS = [
        Binding(
            "enter",
            "try_revoked",
            "Try it",
            tooltip="Once revoked: try the revoked token (an access token on the profile "
            "API, a refresh token in a refresh)",
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
    RevokeScreen #which RadioButton.-on { text-style: bold; }
    """

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        self.revoked: Exchange | None = None
        """The revocation that worked, until its token was tried."""
        self.tried = False
        """The revoked token was tried."""
        self.chosen = self.first_kind()
        """The token to revoke."""

    def compose_step(self) -> ComposeResult:
        with ScrollArea(id="step"):
            with RadioSet(id="which"):
                for kind in TokenKind:
                    yield TokenChoice(
                        self.label(kind),
                        value=kind is self.chosen,
                        name=kind.value,
                        disabled=not self.held(kind),
                    )
            yield Static(self.choice_content(), id="choice")
            yield Static(id="result")
        yield ExchangeViewer()

    def choice_content(self) -> Content:
        """The token chosen, in words; ``o`` named only while the other one is held."""
        if not self.held(self.chosen):
            return Content.assemble(("Will revoke: ", "bold"), "nothing: no token is saved.")
        other = " (o: the other one)" if self.held(self.other_kind()) else ""
        return Content.assemble(("Will revoke: ", "bold"), f"the {self.chosen.label}{other}")

    def held(self, kind: TokenKind) -> bool:
        """Whether a token of ``kind`` is saved: one to revoke."""
        state = self.session.state
        return bool(state.token if kind is TokenKind.ACCESS else state.refresh)

    def label(self, kind: TokenKind) -> str:
        """The token's choice, saying when none is saved."""
        return kind.label if self.held(kind) else f"{kind.label} (none saved)"

    def label_choices(self) -> None:
        """Each choice's label, disabled while no such token is saved; the row the
        choices' own keys (enter, space) act on moved off a disabled one, which they
        would choose."""
        for button in self.query(RadioButton):
            kind = TokenKind(str(button.name))
            button.label, button.disabled = self.label(kind), not self.held(kind)
        if not all(self.held(kind) for kind in TokenKind):
            self.query_one(RadioSet).action_next_button()  # to the one held, if any

    def other_kind(self) -> TokenKind:
        return next(kind for kind in TokenKind if kind is not self.chosen)

    def first_kind(self) -> TokenKind:
        """The access token if there is one, else the refresh token."""
        return TokenKind.ACCESS if self.session.state.token else TokenKind.REFRESH

    def prepare(self) -> Exchange:
        return self.session.prepare_revocation(self.chosen)

    def last_exchange(self) -> Exchange | None:
        """The last revocation, while it is of the token chosen; else a fresh request
        (back after the access token was revoked: the refresh token's)."""
        last = super().last_exchange()
        if last is None or revoked_kind(last) is not self.chosen:
            return None
        return last

    def prepare_fresh(self, *, keep_shown: bool = False) -> bool:
        """The chosen token's revocation, fresh, and what enter does with it."""
        if not super().prepare_fresh(keep_shown=keep_shown):
            return False
        self.revoked, self.tried = None, False  # what enter does now: send it
        self.query_one("#result", Static).update(
            Content(f"The POST below revokes the {self.chosen.label}: press enter to send it.")
        )
        return True

    def revisit(self) -> None:
        """As a new screen: the access token chosen again (if there is one)."""
        self.revoked, self.tried = None, False
        self.label_choices()
        self.choose(self.first_kind())
        super().revisit()

    def choose(self, kind: TokenKind) -> None:
        """Choose ``kind`` without the fresh request a choice by the user makes (the
        caller shows what is due)."""
        self.chosen = kind
        self.query_one("#choice", Static).update(self.choice_content())
        with self.prevent(RadioSet.Changed):
            for button in self.query(TokenChoice):
                if button.name == kind.value:
                    button.value = True

    def action_other_token(self) -> None:
        other = self.other_kind()
        if self.held(other):  # else the key is not offered
            next(b for b in self.query(TokenChoice) if b.name == other.value).value = True

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """Another token chosen: its revocation request, fresh."""
        event.stop()
        self.chosen = TokenKind(str(event.pressed.name))
        self.query_one("#choice", Static).update(self.choice_content())
        if not self.in_flight():
            self.query_one("#result", Static).update("")
            if not self.prepare_fresh():
                self.revoked, self.tried = None, False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "try_revoked":
            return self.revoked is not None and not self.tried
        if action == "send":  # only a token held is revoked
            return self.held(self.chosen)
        if action == "other_token":
            return self.held(self.other_kind())
        return super().check_action(action, parameters)

    def next_step(self) -> Step | None:
        """After the revoked token was tried: Refresh if a refresh token is left, else
        Authorize."""
        if not self.tried:
            return None
        return Step.REFRESH if self.session.state.refresh else Step.AUTHORIZE

    def action_try_revoked(self) -> None:
        """The revoked token tried (a profile call, or a refresh), shown and sent."""
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
        if exchange.purpose == REVOKED_CHECK:
            self.tried = True
            try:
                self.session.finish_revoked_check(exchange)
            except (ApiError, OAuthError) as err:  # what a revoked token gets: taught
                said = refused_content(err)
            else:
                said = still_accepted_content(exchange.step)
            result.update(said + self.nothing_left())
            return
        kind = self.session.finish_revocation(exchange)
        self.revoked, self.tried = exchange, False
        self.label_choices()
        self.choose(self.first_kind())  # the token left, as on coming back to the step
        result.update(revoked_content(kind))

    def nothing_left(self) -> Content:
        """Once no token is held: nothing to revoke, and where enter goes for new ones."""
        if any(self.held(kind) for kind in TokenKind):
            return Content()
        title = step_info(Step.AUTHORIZE, self.session.state).title
        return Content.assemble(
            ("\nNothing is left to revoke: ", "bold"),
            f"press enter to go to {title} (2) for new tokens.",
        )

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
        parts.append(f"\nPress enter to {TRIES[kind]} and see what it gets now.")
    return Content.assemble(*parts)


TRIES = {
    TokenKind.ACCESS: "call the profile API with it",
    TokenKind.REFRESH: "ask for a new access token with it (grant_type=refresh_token)",
}
"""How ``enter`` tries a revoked token, by its kind."""


def refused_content(error: ApiError | OAuthError) -> Content:
    """The revoked token's try was refused, as it should be; what the refusal means,
    from the teaching text of the API's status or of the OAuth error code."""
    said = f"HTTP {error.status}" if isinstance(error, ApiError) else error.code
    parts: Parts = [
        (f"{said}: the revoked token is refused, as it should be.", "bold $success"),
        "\n",
        error.message,
    ]
    if error.explanation is not None:
        parts += explanation_parts(error.explanation)
    return Content.assemble(*parts)


def still_accepted_content(step: Step) -> Content:
    """The revoked token's try worked: the server did not revoke it at once."""
    if step is Step.REFRESH:
        return Content.assemble(
            ("The token endpoint still accepts it.", "bold $warning"),
            "\nIt answered the refresh with tokens (not kept here): this server did not "
            "revoke the refresh token (RFC 7009 §2.2 answers 200 either way).",
        )
    return Content.assemble(
        ("The API still accepts it.", "bold $warning"),
        "\nThis server does not revoke access tokens at once (RFC 7009 §2: it may not "
        "support it, or the API caches tokens). It lives until it expires.",
    )
