"""Credentials (dance step 1): the client the provider registered, and how it authenticates."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from tui.core.errors import ConfigError
from tui.core.providers import AUTH_LABELS, ClientAuth
from tui.core.redirect_uri import Verdict, check_redirect_uri
from tui.core.state import format_extra_params, parse_extra_params
from tui.core.steps import Step
from tui.core.store import StoreError
from tui.screens.base import StepScreen
from tui.widgets.secret_input import SecretInput

VERDICT_STYLE = {Verdict.OK: "$success", Verdict.WARN: "$warning", Verdict.REFUSED: "$error"}


class CredentialsScreen(StepScreen):
    STEP = Step.CREDENTIALS
    AUTO_FOCUS = ""  # on_mount focuses the client ID: see StepScreen.focus_now

    BINDINGS = [Binding("ctrl+s", "save", "Save & next", tooltip="Save, then go to Authorize")]

    def compose_step(self) -> ComposeResult:
        state = self.session.state
        provider = self.session.provider
        known = {s.name for s in provider.scopes}
        requested = state.scope.split()
        with VerticalScroll(id="step", classes="form"):
            yield Label("Provider")
            yield Select(
                [(title, name) for name, title in self.dance_app.provider_choices()],
                value=provider.name,
                allow_blank=False,
                id="provider",
                compact=True,
            )
            yield Label("Client ID")
            yield Input(
                state.client_id,
                placeholder="from the provider's dashboard",
                id="client_id",
                compact=True,
            )
            yield Label("Client secret")
            yield SecretInput(
                state.client_secret, placeholder="hidden", id="client_secret", compact=True
            )
            yield Label("Redirect URI")
            yield Input(state.redirect_uri, id="redirect_uri", compact=True)
            yield Static(id="redirect_check")
            yield Label("Scopes")
            yield SelectionList[str](
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
            yield Input(
                " ".join(s for s in requested if s not in known),
                placeholder="more scopes, space-separated",
                id="scope_extra",
                compact=True,
            )
            yield Label("Client authentication")
            yield Select(
                [(AUTH_LABELS[m], m.value) for m in ClientAuth],
                value=state.auth_method.value,
                allow_blank=False,
                id="auth_method",
                compact=True,
            )
            yield Checkbox("Use PKCE (S256), as RFC 9700 recommends", state.pkce, id="pkce")
            yield Checkbox(
                "Ask for consent again even if approved before (show_dialog)",
                state.show_dialog,
                id="show_dialog",
            )
            yield Label("Extra authorization parameters")
            yield Input(
                format_extra_params(state.extra_params),
                placeholder="name=value ..., e.g. prompt=consent",
                id="extra_params",
                compact=True,
            )
            yield Button("Save and authorize  ctrl+s", variant="primary", id="save")

    def on_mount(self) -> None:
        super().on_mount()
        self._show_redirect_check(self.session.state.redirect_uri)
        self.focus_now(self.query_one("#client_id", Input))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "redirect_uri":
            self._show_redirect_check(event.value)

    def _show_redirect_check(self, uri: str) -> None:
        check = check_redirect_uri(uri)
        mark = {Verdict.OK: "✓", Verdict.WARN: "!", Verdict.REFUSED: "✗"}[check.verdict]
        self.query_one("#redirect_check", Static).update(
            Content.assemble((f"{mark} ", f"bold {VERDICT_STYLE[check.verdict]}"), check.reason)
        )

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "provider" and event.value != self.session.provider.name:
            self.dance_app.open_provider(str(event.value), then=Step.CREDENTIALS)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()

    def action_save(self) -> None:
        redirect = self.query_one("#redirect_uri", Input).value.strip()
        check = check_redirect_uri(redirect)
        if not check.ok:
            self.notify(check.reason, title="Redirect URI refused", severity="error", markup=False)
            self.query_one("#redirect_uri", Input).focus()
            return
        try:
            extra = parse_extra_params(self.query_one("#extra_params", Input).value)
        except ConfigError as err:
            self.notify(err.message, title=err.title, severity="error", markup=False)
            self.query_one("#extra_params", Input).focus()
            return
        scopes = list(self.query_one("#scopes", SelectionList).selected)
        scopes += [
            s for s in self.query_one("#scope_extra", Input).value.split() if s not in scopes
        ]
        try:
            self.session.update(
                client_id=self.query_one("#client_id", Input).value.strip(),
                client_secret=self.query_one("#client_secret", Input).value.strip(),
                redirect_uri=redirect,
                scope=" ".join(scopes),
                auth_method=ClientAuth(str(self.query_one("#auth_method", Select).value)),
                pkce=self.query_one("#pkce", Checkbox).value,
                show_dialog=self.query_one("#show_dialog", Checkbox).value,
                extra_params=extra,
            )
        except StoreError as err:
            self.save_failed(err)
        else:
            self.notify(f"Saved to {self.session.store.path}.", markup=False)
            self.dance_app.go(Step.AUTHORIZE)
            return
        self.refresh_sidebar()
