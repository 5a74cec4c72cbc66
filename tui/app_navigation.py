"""The App's navigation between steps: ``go`` (which asks before leaving unsaved
edits), each step's screen built or kept for the session, and what a step that is
not open yet still needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.screen import Screen

from tui.app_provider import ProviderApp
from tui.core.steps import Step, available, step_info
from tui.screens.wizard import GoTo

if TYPE_CHECKING:
    import httpx

    from tui.core.session import Session
    from tui.core.store import CredsStore
    from tui.demo.server import DemoServer
    from tui.screens.base import StepScreen


class NavigatingApp(ProviderApp):
    """Step screens, kept for the session (Credentials excepted), and ``go``."""

    def __init__(
        self,
        store: CredsStore,
        demo: DemoServer | None,
        transport: httpx.AsyncBaseTransport | None,
    ) -> None:
        super().__init__(store, demo, transport)
        self._kept: dict[Step, StepScreen] = {}
        """The session's step screens once built, kept to return to (Credentials excepted)."""
        self._kept_for: Session | None = None
        self._first: Screen[None] | None = None
        """Credentials as the first screen, while ``get_default_screen`` builds it."""
        self._opening = False
        """``get_default_screen`` runs: the first step is returned or left for on_mount."""
        self._first_step: tuple[Step, bool] | None = None
        """(step, edit) of a first step other than Credentials, pushed at mount."""

    def _forget_screens(self) -> list[StepScreen]:
        """The kept step screens, if of an earlier session: forgotten, and removed
        unless on the stack (Textual removes that one once it is replaced)."""
        if self._kept_for is self.session:
            return []
        old = list(self._kept.values())
        self._kept.clear()
        self._kept_for = self.session
        for screen in old:
            if screen not in self.screen_stack:
                self.uninstall_screen(screen)
                screen.remove()
        return old

    def _step_screen(self, step: Step, *, edit: bool) -> Screen[None]:
        """The step's screen: the one kept, brought up to date, or a new one.

        Building a screen costs the styling, layout and rendering of all its
        widgets; a kept one is only restyled. Credentials is built each time:
        it opens as the summary or the form.
        """
        kept = self._kept.get(step)
        if kept is not None and kept.FLOW not in (None, self.session.state.device_flow):
            # The flow was switched on Credentials: this step's screen is the other flow's.
            del self._kept[step]
            if kept not in self.screen_stack:  # else go lets it go once replaced
                self.uninstall_screen(kept)
                kept.remove()
        elif kept is not None:
            kept.revisit()
            return kept
        screen = self.screen_for(step, edit=edit)
        if step is not Step.CREDENTIALS:
            from tui.screens.base import StepScreen

            assert isinstance(screen, StepScreen)
            self.install_screen(screen, f"{step.value} {id(screen)}")
            self._kept[step] = screen
        return screen

    def screen_for(self, step: Step, *, edit: bool = False) -> Screen[None]:
        # Import only the step's own screen: the first frame needs one, and the
        # others bring the exchange viewer, the QR encoder, the listener...
        if step is Step.CREDENTIALS:
            from tui.screens.credentials import CredentialsScreen

            return CredentialsScreen(self, edit=edit)
        if step in (Step.AUTHORIZE, Step.EXCHANGE) and self.session.state.device_flow:
            from tui.screens.device import DeviceScreen
            from tui.screens.poll import PollScreen

            return DeviceScreen(self) if step is Step.AUTHORIZE else PollScreen(self)
        if step is Step.AUTHORIZE:
            from tui.screens.authorize import AuthorizeScreen

            return AuthorizeScreen(self)
        if step is Step.EXCHANGE:
            from tui.screens.exchange import ExchangeScreen

            return ExchangeScreen(self)
        if step is Step.PROFILE:
            from tui.screens.profile import ProfileScreen

            return ProfileScreen(self)
        if step is Step.CONSOLE:
            from tui.screens.console import ConsoleScreen

            return ConsoleScreen(self)
        if step is Step.REVOKE:
            from tui.screens.revoke import RevokeScreen

            return RevokeScreen(self)
        from tui.screens.refresh import RefreshScreen

        return RefreshScreen(self)

    def go(
        self,
        step: Step | str,
        force: bool = False,
        *,
        edit: bool = False,
        asked: bool = False,
        then: str = "",
    ) -> None:
        """Open a step, if its inputs exist; otherwise say what is missing.

        ``edit`` opens Credentials as the form even when its settings are complete.
        Leaving unsaved edits asks first, unless ``force`` (a provider switch) or
        ``asked`` (the answer was to leave). ``then`` is an action of the step's
        screen, run once it shows.
        """
        step = Step(step)
        blocked = self.discovery_note() if step is not Step.CREDENTIALS else None
        if blocked is not None:
            self._not_open(step, blocked)
            return
        if not force and not available(step, self.session.state):
            self._not_open(step, self._missing(step), timeout=10)
            return
        if not (force or asked) and self._ask_before_leaving(step, edit):
            return
        if self._opening:  # see get_default_screen
            if step is Step.CREDENTIALS:
                self._first = self._step_screen(step, edit=edit)
                self._step = step
            else:
                self._first_step = step, edit
            return
        from tui.screens.base import StepScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, StepScreen):
            # History (or the QR view) sits on top of a step: leave it, so the step
            # below is replaced and its workers (the listener) stop, not left running.
            self.pop_screen()
        shown = self.screen if isinstance(self.screen, StepScreen) else None
        if shown is not None:
            shown.leave()
        self.dismiss_other_flow_toasts()  # a lesson switched the flow: what leave said too
        forgotten = self._forget_screens()
        screen = self._step_screen(step, edit=edit)
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        if shown is self.screen_stack[0]:
            # Credentials as the first screen (see get_default_screen): it stays at
            # the bottom, under the steps, and is never shown again.
            shown.empty()
        if shown is not None and (shown in forgotten or self._other_flows(shown)):
            self.uninstall_screen(shown)  # off the stack now: Textual removes it
        self._step = step
        self._serve_demo()
        if then:
            self.call_after_refresh(self.run_action, then, screen)

    def _not_open(self, step: Step, why: str, timeout: float | None = None) -> None:
        """Say that ``step`` cannot open yet, and why: a toast about the step shown, so
        that it goes once that step is left (as it is when ``step`` opens), rather than
        an app's toast that outlives what made it true."""
        self.notify(
            why,
            title=f"{step_info(step, self.session.state).title} is not open yet",
            timeout=timeout,
            markup=False,
            screen=self._step_shown(),
        )

    def _step_shown(self) -> StepScreen | None:
        """The step screen shown, or under what is shown (History, a question)."""
        from tui.screens.base import StepScreen

        return next((s for s in reversed(self.screen_stack) if isinstance(s, StepScreen)), None)

    def dismiss_other_flow_toasts(self) -> None:
        """Take away the toasts about the kept step screens of the flow not chosen (the
        flow was switched, on Credentials or by a lesson), lasting ones too: "On Poll
        (3), enter polls again" is untrue once step 3 is Exchange."""
        flow = self.session.state.device_flow
        for screen in self._kept.values():
            if screen.FLOW not in (None, flow):
                self.dismiss_toasts(screen)

    def _other_flows(self, screen: StepScreen) -> bool:
        """A step screen of the flow not chosen (a lesson switched it), no longer kept."""
        flow = self.session.state.device_flow
        return screen.FLOW not in (None, flow) and screen not in self._kept.values()

    def _ask_before_leaving(self, step: Step, edit: bool) -> bool:
        """Whether the step shown has unsaved edits: then ask save, discard or stay,
        and go on to ``step`` as the answer says."""
        return self.ask_before_leaving(
            step_info(step, self.session.state).title,
            lambda: self.go(step, edit=edit, asked=True),
        )

    def ask_before_leaving(self, where: str, go_on: Callable[[], None]) -> bool:
        """Whether the step shown has unsaved edits: then ask save, discard or stay
        before going to ``where``; ``go_on`` goes there once they are saved or
        discarded, and staying tells the step (:meth:`StepScreen.stayed`)."""
        from tui.screens.leave_form import Choice, LeaveFormScreen

        if isinstance(self.screen, LeaveFormScreen):
            return True  # a step key while asking: the question stands
        shown = self._step_shown()
        if shown is None or not shown.unsaved_edits():
            return False

        def answered(choice: Choice | None) -> None:
            if choice == "discard" or (choice == "save" and shown.save_settings()):
                go_on()
            else:
                shown.stayed()

        self.push_screen(LeaveFormScreen(where), answered)
        return True

    def _missing(self, step: Step) -> str:
        """What a step still needs; for Refresh, why there is no refresh token."""
        if step is Step.REFRESH:
            from tui.core.provider_advice import no_refresh_token

            return no_refresh_token(self.session.provider, exchanged=bool(self.session.state.token))
        state = self.session.state
        if step is Step.EXCHANGE and state.device_flow:
            return "Ask for a device code on Device code (2) first."
        if step in (Step.PROFILE, Step.CONSOLE) and state.refresh:
            gone = "was revoked" if state.access_token_revoked else "is not held"
            return f"The access token {gone}: get a new one with the refresh token on Refresh (5)."
        return _MISSING[step]

    def action_go(self, step: str) -> None:
        self.go(step)

    def on_go_to(self, message: GoTo) -> None:
        self.go(message.step, edit=message.edit, then=message.then)


_MISSING: dict[Step, str] = {
    Step.CREDENTIALS: "",
    Step.AUTHORIZE: "Save a client id and a redirect URI on Credentials first.",
    Step.EXCHANGE: "Get a code on Authorize first.",
    Step.PROFILE: "Exchange a code for an access token first.",
    Step.CONSOLE: "Exchange a code for an access token first.",
    Step.REVOKE: "There is no token to revoke: exchange a code for tokens first.",
}
