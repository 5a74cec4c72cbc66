"""The Credentials form: every setting as a field, read back as the session's changes.

Imported when the form is first shown: complete settings open as a summary,
and the first frame then needs none of these widgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from tui.core.errors import ConfigError
from tui.core.providers import AUTH_LABELS, ClientAuth, Provider
from tui.core.redirect_uri import check_redirect_uri
from tui.core.state import DanceState, format_extra_params, parse_extra_params
from tui.core.textsafe import clean
from tui.widgets.bounded_input import BoundedInput
from tui.widgets.redirect_verdict import redirect_verdict
from tui.widgets.secret_input import SecretInput

MAX_ID = 512
"""Client IDs are tens of characters; some (Google's) near a hundred."""
MAX_SECRET = 2048
"""Secrets are short, but some are signed JWTs (Apple's) of near a kilobyte."""
MAX_URI = 2048
"""Browsers and servers handle URLs of 2 KB everywhere; a redirect URI is far shorter."""
MAX_LIST = 2048
"""Extra scopes, extra parameters."""

_TEXT_FIELDS = ("client_id", "client_secret", "redirect_uri", "scope_extra", "extra_params")


class FieldError(ConfigError):
    """A field's value cannot be saved; ``field`` is its widget's id."""

    def __init__(self, field: str, title: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.title = title


class FormSelect(Select[str], inherit_bindings=False):
    """A Select whose menu opens with enter or space: Up and Down move through the form."""

    BINDINGS = [Binding("enter,space", "show_overlay", "Show menu", show=False)]


class ScopeList(SelectionList[str]):
    """The scopes: Down past the last (Up past the first) goes on to the next (previous)
    field, as everywhere in the form."""

    def action_cursor_down(self) -> None:
        if self.highlighted == self.option_count - 1:
            self.screen.focus_next()
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.highlighted == 0:
            self.screen.focus_previous()
        else:
            super().action_cursor_up()


class CredentialsForm(VerticalScroll):
    """The provider, the client's registration, the scopes and how the client authenticates.

    Up and Down move from field to field (the form scrolls to follow), not the form.
    """

    BINDINGS = [
        Binding("down", "app.focus_next", "Next field", show=False),
        Binding("up", "app.focus_previous", "Previous field", show=False),
    ]

    def __init__(
        self, state: DanceState, provider: Provider, choices: Sequence[tuple[str, str]]
    ) -> None:
        super().__init__(id="step", classes="form")
        self.state = state
        self.provider = provider
        self.choices = choices
        """(name, title) of every provider the form offers."""
        self.loaded: dict[str, str] = {}
        """Each text field's value as loaded, before its control characters were made visible."""
        self.saved: tuple[object, ...] = ()
        """The fields' values when loaded or last saved (see :meth:`edited`)."""

    def compose(self) -> ComposeResult:
        state, provider = self.state, self.provider
        known = {s.name for s in provider.scopes}
        requested = state.scope.split()
        yield Label("Provider")
        yield FormSelect(
            [(Text(title), name) for name, title in self.choices],  # a name is the file's
            value=provider.name,
            allow_blank=False,
            id="provider",
            compact=True,
        )
        yield Label("Client ID")
        yield self.text_field("client_id", state.client_id, MAX_ID, "from the provider's dashboard")
        yield Label("Client secret")
        yield SecretInput(
            state.client_secret,
            placeholder="hidden",
            max_length=MAX_SECRET,
            id="client_secret",
            compact=True,
        )
        yield Label("Redirect URI")
        yield self.text_field("redirect_uri", state.redirect_uri, MAX_URI)
        yield Static(redirect_verdict(state.redirect_uri, provider), id="redirect_check")
        yield Label("Scopes")
        yield ScopeList(
            *[
                Selection(
                    Content.assemble((s.name, "bold"), f"  {s.meaning}"),
                    s.name,
                    s.name in requested,
                )
                for s in provider.scopes
            ],
            id="scopes",
        )
        yield Static(id="scope_meaning")
        yield self.text_field(
            "scope_extra",
            " ".join(s for s in requested if s not in known),
            MAX_LIST,
            "more scopes, space-separated",
        )
        yield Label("Client authentication")
        yield FormSelect(
            [(AUTH_LABELS[m], m.value) for m in ClientAuth],
            value=state.auth_method.value,
            allow_blank=False,
            id="auth_method",
            compact=True,
        )
        yield Checkbox("Use PKCE (S256), as RFC 9700 recommends", state.pkce, id="pkce")
        if provider.show_dialog:  # Spotify's own parameter
            yield Checkbox(
                "Ask for consent again (show_dialog)", state.show_dialog, id="show_dialog"
            )
            yield Static("Even if the user approved this client before.", classes="note")
        yield Label("Extra authorization parameters")
        yield self.text_field(
            "extra_params",
            format_extra_params(state.extra_params),
            MAX_LIST,
            "name=value ..., e.g. prompt=consent",
        )
        yield Button("Save and authorize  ctrl+s", variant="primary", id="save")

    def on_mount(self) -> None:
        self.saved = self.snapshot()
        self.show_meaning(0)

    def on_selection_list_selection_highlighted(
        self, event: SelectionList.SelectionHighlighted[str]
    ) -> None:
        self.show_meaning(event.selection_index)

    def show_meaning(self, index: int) -> None:
        """The highlighted scope's meaning in full, below the list (its row may cut it)."""
        if index >= len(self.provider.scopes):
            return
        scope = self.provider.scopes[index]
        self.query_one("#scope_meaning", Static).update(
            Content.assemble((scope.name, "bold"), ": ", scope.meaning)
        )

    def snapshot(self) -> tuple[object, ...]:
        """Every field's value, as the user left it."""
        return (
            *(self.query_one(f"#{f}", Input).value for f in _TEXT_FIELDS),
            frozenset(self.query_one("#scopes", SelectionList).selected),
            self.query_one("#auth_method", Select).value,
            self.query_one("#pkce", Checkbox).value,
            self.show_dialog(),
        )

    def show_dialog(self) -> bool:
        """The show_dialog box's value; the state's where the provider has none."""
        boxes = self.query("#show_dialog").results(Checkbox)
        return next((box.value for box in boxes), self.state.show_dialog)

    def edited(self) -> bool:
        """Whether a field differs from what was loaded or last saved."""
        return self.snapshot() != self.saved

    def mark_saved(self) -> None:
        self.saved = self.snapshot()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "redirect_uri":
            verdict = redirect_verdict(event.value, self.provider)
            self.query_one("#redirect_check", Static).update(verdict)

    def text_field(self, field: str, value: str, limit: int, placeholder: str = "") -> Input:
        """A field showing ``value`` with its control characters made visible (it may come
        from the file); left as shown, it keeps the value as loaded."""
        self.loaded[field] = value
        return BoundedInput(
            clean(value, keep_newlines=False),
            placeholder=placeholder,
            max_length=limit,
            id=field,
            compact=True,
        )

    def value(self, field: str) -> str:
        text = self.query_one(f"#{field}", Input).value
        loaded = self.loaded.get(field)
        if loaded is not None and text == clean(loaded, keep_newlines=False):
            text = loaded
        return text.strip()

    def settings(self) -> dict[str, Any]:
        """The fields as ``Session.update``'s changes.

        Raises:
            FieldError: a field a provider would refuse, or the extras cannot be read.
        """
        redirect = self.value("redirect_uri")
        check = check_redirect_uri(redirect, self.provider)
        if not check.ok:
            raise FieldError("redirect_uri", "Redirect URI refused", check.reason)
        try:
            extra = parse_extra_params(self.value("extra_params"))
        except ConfigError as err:
            raise FieldError("extra_params", err.title, err.message) from err
        scopes = list(self.query_one("#scopes", SelectionList).selected)
        scopes += [s for s in self.value("scope_extra").split() if s not in scopes]
        return {
            "client_id": self.value("client_id"),
            "client_secret": self.value("client_secret"),
            "redirect_uri": redirect,
            "scope": " ".join(scopes),
            "auth_method": ClientAuth(str(self.query_one("#auth_method", Select).value)),
            "pkce": self.query_one("#pkce", Checkbox).value,
            "show_dialog": self.show_dialog(),
            "extra_params": extra,
        }
