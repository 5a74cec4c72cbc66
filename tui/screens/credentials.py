"""Credentials (dance step 1): the client the provider registered, and how it authenticates.

Complete settings open as a summary (enter goes on, e edits them); anything
less opens the form. The form is built only then: this is the wizard's first
screen, and each widget is styled and laid out before the first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Input

from tui.core.providers import AUTH_LABELS
from tui.core.state import DanceState, format_extra_params
from tui.core.steps import BY_STEP, Step, settings_complete, step_info
from tui.core.textsafe import clean
from tui.screens.base import StepScreen
from tui.screens.wizard import GoTo, OpenProvider, RetryDiscovery
from tui.widgets.redirect_verdict import redirect_verdict
from tui.widgets.settings_summary import SettingsSummary

if TYPE_CHECKING:
    from textual.widgets import Button, Select

    from tui.core.providers import Provider
    from tui.screens.credentials_form import CredentialsForm
    from tui.screens.wizard import Wizard


FLOWS = {
    False: "authorization code (the browser and a redirect): v switches to the device flow",
    True: "device (RFC 8628): v switches back to the redirect flow",
}
"""The Flow row of a provider with the device flow, by whether it is on."""


def summary_rows(
    state: DanceState, provider: Provider, *, device_offered: bool
) -> list[tuple[str, Content]]:
    """The settings, a row each; the secret masked as the form masks it. The flow's
    row, with the key that switches it, where the provider has the device flow.

    Values are the user's (typed, or read from the file), shown as text on one
    line each: a control character in them could not move the cursor.
    """

    def value(text: str) -> Content:
        return Content(clean(text, keep_newlines=False))

    secret = "•" * len(state.client_secret) or "none: a public client"
    authorize = step_info(Step.AUTHORIZE, state).title
    keys = Content.assemble(
        ("enter", "bold $accent"), f" goes on to {authorize}; ", ("e", "bold $accent"), " edits."
    )
    client = [
        ("Provider", value(provider.title)),
        ("Client ID", value(state.client_id)),
        ("Client secret", value(secret)),
    ]
    end = [("", Content("")), ("", keys)]
    if state.device_flow:  # the device request sends the client and the scope only
        from tui.core.device import device_state  # brings httpx: not at the first frame

        unused = ", ".join(["redirect URI", "PKCE", *(["show_dialog"] * provider.show_dialog)])
        auth = device_state(provider, state).auth_method
        return [
            *client,
            ("Scopes", value(state.scope or "none")),
            ("Client auth", value(AUTH_LABELS[auth])),
            ("Flow", value(FLOWS[True])),
            ("Not used", value(f"{unused}, extra params: the device flow sends none of them")),
            *end,
        ]
    redirect = state.redirect_uri
    return [
        *client,
        ("Redirect URI", value(redirect) + Content("\n") + redirect_verdict(redirect, provider)),
        ("Scopes", value(state.scope or "none")),
        ("Client auth", value(AUTH_LABELS[state.auth_method])),
        ("PKCE", value("S256" if state.uses_pkce else "off")),
        *(
            [("show_dialog", value("true" if state.show_dialog else "not sent"))]
            if provider.show_dialog
            else []
        ),
        ("Extra params", value(format_extra_params(state.extra_params) or "none")),
        *([("Flow", value(FLOWS[False]))] if device_offered else []),
        *end,
    ]


class CredentialsScreen(StepScreen):
    STEP = Step.CREDENTIALS
    AUTO_FOCUS = ""  # on_mount focuses the summary or the client ID: see StepScreen.focus_now

    BINDINGS = [
        # The summary's keys first: the footer shows an action's first key.
        Binding(
            "enter,ctrl+s",
            "next",
            BY_STEP[Step.AUTHORIZE].title,
            tooltip="Summary: go on with these settings",
        ),
        Binding("e", "edit", "Edit", tooltip="Summary: change the settings in the form"),
        Binding("ctrl+s", "save", "Save & next", tooltip="Form: save, then go to Authorize"),
        Binding(
            "ctrl+r", "retry_discovery", "Retry discovery", tooltip="Look for the endpoints again"
        ),
        # One key, two bindings: the one check_action allows runs, and the footer shows it.
        Binding(
            "v",
            "device_flow(True)",
            "Device flow",
            tooltip="Summary: switch to the device flow (RFC 8628): a user code typed in "
            "any browser, no redirect (where the provider has it)",
        ),
        Binding(
            "v",
            "device_flow(False)",
            "Redirect flow",
            tooltip="Summary: switch back to the authorization code flow: the browser and "
            "the redirect",
        ),
    ]

    def __init__(self, wizard: Wizard, *, edit: bool = False) -> None:
        super().__init__(wizard)
        self.editing = edit
        """The form shows (else the summary): asked for, or the settings are incomplete."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return self.editing
        if action == "next":
            # Shown but disabled until discovery has found the endpoints.
            return None if self.wizard.discovery_note() else not self.editing
        if action == "edit":
            return not self.editing
        if action == "retry_discovery":
            return self.wizard.discovery_error is not None
        if action == "device_flow":  # the switch to the other flow
            on = self.session.state.device_flow
            offered = on or self.session.device_offered
            return not self.editing and offered and parameters[0] is not on
        return True

    async def action_device_flow(self, on: bool) -> None:
        """Switch to the device flow (``on``) or back to the authorization code flow;
        the summary says which. Said before the save's outcome can come: a failure's
        toast then replaces this one, not the other way round."""
        self.session.use_device_flow(on)
        self.wizard.dismiss_other_flow_toasts()  # "On Poll (3)..." is of the other flow
        self.notify(
            "Device flow (RFC 8628): enter asks for a user code to type in any browser."
            if on
            else "Authorization code flow: the browser and the redirect again."
        )
        summary = self.query_one(SettingsSummary)
        await summary.remove()
        fresh = SettingsSummary(self.summary_rows())
        self.refresh_bindings()
        await self.query_one("#main").mount(fresh)
        fresh.focus()
        self.refresh_sidebar()

    def summary_rows(self) -> list[tuple[str, Content]]:
        session = self.session
        offered = session.device_offered
        return summary_rows(session.state, session.provider, device_offered=offered)

    def compose_step(self) -> ComposeResult:
        session = self.session
        self.editing = self.editing or not settings_complete(session.state)
        if self.editing:
            yield self.form()
        else:
            yield SettingsSummary(self.summary_rows())

    def form(self) -> CredentialsForm:
        from tui.screens.credentials_form import CredentialsForm

        session = self.session
        return CredentialsForm(session.state, session.provider, self.wizard.provider_choices())

    def on_mount(self) -> None:
        super().on_mount()
        if self.editing:
            self.focus_now(self.query_one("#client_id", Input))
        else:
            self.focus_now(self.query_one(SettingsSummary))
        if self.wizard.discovery_error is not None:
            self.show_discovery()

    def show_discovery(self) -> None:
        """Say why discovery failed, in the error panel until it is fixed; or hide that."""
        error = self.wizard.discovery_error
        if error is not None:
            self.error_panel().show_error(
                error,
                advice=[
                    "Press ctrl+r to try discovery again.",
                    "Until it succeeds Authorize stays closed: without the endpoints "
                    "its URL would have no host.",
                    "Check the issuer in this provider's table of the credentials file.",
                ],
            )
        else:
            self.show_error(None)
        self.refresh_bindings()

    def action_retry_discovery(self) -> None:
        self.post_message(RetryDiscovery())

    async def action_edit(self) -> None:
        """Put the form in the summary's place, the client ID focused."""
        self.editing = True
        # Blurred first: removed with the focus, Textual would focus the step list.
        self.set_focus(None)
        await self.query_one(SettingsSummary).remove()
        await self.query_one("#main").mount(self.form())
        self.steady_cursors()
        # Not scrolled into view: it is near the top, and before the form's first
        # layout Textual would scroll it to the very top, the provider out of sight.
        self.query_one("#client_id", Input).focus(scroll_visible=False)
        self.refresh_bindings()

    def action_next(self) -> None:
        """Save the settings shown (a fresh file holds none yet) and go to Authorize."""
        self.session.save()
        self.post_message(GoTo(Step.AUTHORIZE))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "provider" and event.value != self.session.provider.name:
            self.post_message(OpenProvider(str(event.value), Step.CREDENTIALS, edit=True))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()

    def stayed(self) -> None:
        """Staying on the form: its provider menu shows the session's provider again
        (it may show the one chosen, which is not opened)."""
        from textual.widgets import Select

        from tui.screens.credentials_form import CredentialsForm

        if self.editing:
            menu = self.query_one(CredentialsForm).query_one("#provider", Select)
            menu.value = self.session.provider.name

    def unsaved_edits(self) -> bool:
        from tui.screens.credentials_form import CredentialsForm

        return self.editing and self.query_one(CredentialsForm).edited()

    def action_save(self) -> None:
        if self.save_settings():
            self.post_message(GoTo(Step.AUTHORIZE))

    def save_settings(self) -> bool:
        """Save the form's settings; False, said and the field focused, if they cannot be."""
        from tui.screens.credentials_form import CredentialsForm, FieldError

        form = self.query_one(CredentialsForm)
        try:
            changes = form.settings()
        except FieldError as err:
            self.show_error(err)
            self.query_one(f"#{err.field}", Input).focus()
            return False
        self.wizard.confirm_next_save()
        self.session.change_settings(**changes)
        form.mark_saved()
        return True
