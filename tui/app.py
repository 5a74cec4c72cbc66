"""The App: provider and session wiring, navigation between steps, global keys."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from concurrent.futures import Future
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import constants, work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.app_surfaces import SafeSurfaces, private_log_file
from tui.core.errors import DanceError
from tui.core.providers import PRESETS, needs_discovery, resolve_provider, with_endpoints
from tui.core.session import Session
from tui.core.state import DanceState
from tui.core.steps import BY_STEP, STEPS, Step, available, resume_step, step_info
from tui.core.store import CredsStore, StoreError
from tui.core.textsafe import clean
from tui.crash_report import CrashConsole
from tui.screens.wizard import GoTo, OpenProvider, RetryDiscovery

if TYPE_CHECKING:
    import httpx
    from textual.driver import Driver

    from tui.core.lessons import LessonRun
    from tui.demo.server import DemoServer
    from tui.screens.base import StepScreen


STEP_KEYS = Binding.Group("Steps", compact=True)


class OAuthDanceApp(SafeSurfaces):
    """The wizard. One screen per step; the session holds the state between them."""

    CSS_PATH = "app.tcss"
    TITLE = "OAuth Dance"
    BINDINGS = [
        *[
            Binding(info.key, f"go('{info.step.value}')", info.title, group=STEP_KEYS, show=False)
            for info in STEPS
        ],
        Binding("h", "history", "History", show=False, tooltip="Every exchange of this session"),
        Binding("l", "lessons", "Lessons", show=False, tooltip="Break-it lessons on the demo"),
        Binding(
            "question_mark", "toggle_explain", "Help", tooltip="What is happening, and every key"
        ),
        Binding("ctrl+t", "toggle_sidebar", "Sidebar", show=False, tooltip="Fold the step list"),
        Binding(
            "ctrl+l", "redraw", "Redraw", show=False, tooltip="Draw every cell of the screen again"
        ),
        # Textual's own quit binding, shown: the footer holds what matters most.
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="Quit the wizard"),
    ]

    def __init__(
        self,
        store: CredsStore,
        provider: str = "demo",
        *,
        demo: DemoServer | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__()
        self.error_console = CrashConsole(markup=False, highlight=False, stderr=True)
        self.store = store
        self.initial_provider = provider
        self.demo = demo
        self._own_demo = False
        self._shown = False
        """The first frame is out: an own demo server may start serving."""
        self._step: Step | None = None
        """The step shown (under History or the QR view, if those are open)."""
        self.transport = transport
        self.sidebar_folded = False
        self.show_explain: bool | None = None
        """None until the user toggles: then wide terminals show the panel."""
        self.session: Session
        self._quit_warned_for: object = None
        """The unsaved state the user was warned about on quit (warn once per state)."""
        self.discovery_error: DanceError | None = None
        """Why the provider's discovery failed; None while it runs, or when it is done."""
        self._confirm_save = False
        """The next save was asked for by the user: say when it is written."""
        self._quit_when_saved = False
        """ctrl+q came while a save was under way: quit once it is written."""
        self._private_log = private_log_file()
        self._kept: dict[Step, StepScreen] = {}
        """The session's step screens once built, kept to return to (Credentials excepted)."""
        self._kept_for: Session | None = None
        self._first: Screen[None] | None = None
        """Credentials as the first screen, while ``get_default_screen`` builds it."""
        self._opening = False
        """``get_default_screen`` runs: the first step is returned or left for on_mount."""
        self._first_step: tuple[Step, bool] | None = None
        """(step, edit) of a first step other than Credentials, pushed at mount."""

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver; on a Unix terminal, one that sends only the cells that changed.

        A driver named in ``TEXTUAL_DRIVER`` is used as it is, and so is
        Textual's own when ``OAUTH_DANCE_PLAIN_OUTPUT`` is set.
        """
        driver_class = super().get_driver_class()
        if driver_class.__name__ == "LinuxDriver" and constants.DRIVER is None:
            from tui.terminal import driver

            if driver.wanted():
                return driver.DiffingDriver
        return driver_class

    def on_mount(self) -> None:
        from tui.core.store_files import check_writable

        problem = check_writable(self.store.path)
        if problem:
            self.notify(problem, title="Credentials file", severity="warning", markup=False)
        if constants.LOG_FILE or self.devtools is not None:
            # Textual logs every key and paste by value; nothing here can mask those.
            self.notify(
                "Textual's debug log is on: it records every key and paste, so a secret "
                f"typed or pasted here ends up in it.{self._private_log}",
                title="Debug log",
                severity="warning",
                timeout=30,
                markup=False,
            )
        if self._first_step is not None:
            step, edit = self._first_step
            self._first_step = None
            self.go(step, force=True, edit=edit)

    def get_default_screen(self) -> Screen[Any]:
        """The bottom screen of the stack: Credentials, when the wizard opens on it.

        Textual's own default screen is an empty one under the first pushed
        screen, composed, styled and laid out for nothing at the first frame.
        Textual's ``switch_screen`` cannot replace the bottom screen, so the
        steps after Credentials are pushed above it and switched there, and
        the bottom Credentials is emptied as it is left (Credentials is built
        anew each time it is shown). A first step kept for the session
        (Authorize or later, on a restart) goes over Textual's default screen
        as before: kept at the bottom, it would lie directly under every later
        step, and Textual repaints the top screen wherever the screen under it
        changes (more full frames in a dance than the first frame saves).
        """
        self._opening = True
        try:
            self.open_provider(self.initial_provider)
        finally:
            self._opening = False
        first, self._first = self._first, None
        return first if first is not None else super().get_default_screen()

    def show_store_notices(self) -> None:
        """Toast what the credentials store has to say (permissions, files moved aside)."""
        for notice in self.store.take_notices():
            self.notify(
                notice, title="Credentials file", severity="warning", timeout=15, markup=False
            )

    def confirm_next_save(self) -> None:
        """The next save is the user's own (ctrl+s): a toast will say where it went."""
        self._confirm_save = True

    def _save_started(self, session: Session, future: Future[Any]) -> None:
        """Wait for a save in the store's writer thread (the UI goes on), then report it."""
        confirm, self._confirm_save = self._confirm_save, False
        self.run_worker(
            self._save_finished(session, future, confirm),
            group="save",
            description="save the credentials file",
        )

    async def _save_finished(self, session: Session, future: Future[Any], confirm: bool) -> None:
        from tui.screens.base import StepScreen

        await asyncio.wait([asyncio.wrap_future(future)])
        self.show_store_notices()
        if future is not session.saving:
            return  # a newer save holds all this one's state, and will say how it went
        error = session.saved(future)
        if error is None and confirm:
            self.notify(f"Saved to {self.store.path}.", markup=False)
        # A step screen just switched to may not be composed yet: it will show the
        # session as it is then, so only a toast can tell of a failure now.
        step = self.screen
        shown = step if isinstance(step, StepScreen) and step.is_mounted else None
        if shown is None or session is not self.session:
            if error is not None:
                self.notify(str(error), title="Not saved", severity="error", markup=False)
        elif error is None:
            shown.save_worked()
        else:
            shown.save_failed(error)
        if shown is not None:
            shown.refresh_sidebar()
        if self._quit_when_saved:
            self._quit_when_saved = False
            await self.action_quit()

    async def action_quit(self) -> None:
        """Quit once the save under way is written; but when the last save failed, warn
        once first: quitting loses those tokens."""
        session = getattr(self, "session", None)
        if session is not None and session.saving is not None:
            self._quit_when_saved = True
            return
        if session is not None and session.unsaved and self._quit_warned_for is not session.state:
            self._quit_warned_for = session.state
            self.notify(
                "The last save failed, so the newest tokens exist only in memory. Press "
                "ctrl+s on a step to save them, or ctrl+q again to quit and lose them.",
                title="Not saved",
                severity="error",
                timeout=20,
                markup=False,
            )
            return
        await super().action_quit()

    def on_unmount(self) -> None:
        self.store.flush()
        if self._own_demo and self.demo is not None:
            self.demo.stop()

    def provider_choices(self) -> list[tuple[str, str]]:
        """(name, title) of every provider the user can pick."""
        choices = [("demo", "Embedded demo server"), *((p.name, p.title) for p in PRESETS.values())]
        try:
            custom = [name for name in self.store.load() if name not in dict(choices)]
        except StoreError:
            custom = []
        self.show_store_notices()
        if self.session.provider.name not in dict(choices) | dict.fromkeys(custom):
            custom.append(self.session.provider.name)
        return choices + [(name, f"{clean(name, keep_newlines=False)} (custom)") for name in custom]

    def open_provider(self, name: str, then: Step | None = None, *, edit: bool = False) -> None:
        """Make ``name`` the current provider and open its resume step (or ``then``);
        ``edit`` opens Credentials as the form, not the summary."""
        try:
            table = self.store.load_provider(name)
            load_error: StoreError | None = None
        except StoreError as err:
            table, load_error = {}, err
        try:
            provider = resolve_provider(name, table, self._demo_url() if name == "demo" else None)
        except DanceError as err:
            if load_error is not None:  # e.g. the file was moved aside: say so first
                self.notify(
                    str(load_error),
                    title="Credentials file",
                    severity="error",
                    timeout=15,
                    markup=False,
                )
            # A provider that cannot be used (a malformed URL in its table): say so on
            # Credentials, the demo's when the wizard has just started.
            self.notify(err.message, title=err.title, severity="error", markup=False)
            if not hasattr(self, "session"):
                self.open_provider("demo", Step.CREDENTIALS)
            self.show_on_screen(err)
            return
        defaults = DanceState.for_provider(provider)
        if provider.is_demo and self.demo is not None:
            defaults = DanceState(
                client_id=self.demo.client_id,
                client_secret=self.demo.client_secret,
                redirect_uri=defaults.redirect_uri,
                scope=defaults.scope,
                auth_method=defaults.auth_method,
            )
        session, error = Session.open(provider, self.store, defaults, self.transport)
        error = error or load_error
        if error is not None:
            self.notify(
                f"{error} The wizard starts from defaults; nothing is overwritten until you save.",
                title="Credentials file",
                severity="error",
                timeout=15,
                markup=False,
            )
        session.on_save = partial(self._save_started, session)
        session.on_tokens_taken = partial(
            self.notify,
            "The credentials file held newer tokens (another oauth-dance saved them, "
            "such as 'oauth-dance token'): the wizard uses those now.",
            title="Newer tokens",
            markup=False,
        )
        session.on_lesson = self._lesson_ended
        self.session = session
        self.discovery_error = None
        self.show_store_notices()
        if needs_discovery(provider):
            self.discover_endpoints()
            then = Step.CREDENTIALS
        step = then or (resume_step(session.state) if table else Step.CREDENTIALS)
        self.go(step, force=True, edit=edit)

    def show_on_screen(self, error: DanceError) -> None:
        """Explain ``error`` in the error panel of the step shown, once it is mounted."""
        from tui.screens.base import StepScreen

        screen = self._first if self._opening else self.screen
        if isinstance(screen, StepScreen):
            screen.call_later(screen.show_error, error, toast=False)

    def _demo_url(self) -> str:
        if self.demo is None:
            from tui.demo.server import DemoServer

            # Bind the port now (the base URL is needed at once); import the web
            # stack and serve later (see _serve_demo). Requests made before that
            # wait in the socket's backlog.
            self.demo = DemoServer()
            self.demo.listen()
            self._own_demo = True
        return self.demo.base_url

    def on_ready(self) -> None:
        self._shown = True
        # Ready comes with the first frame, before Textual's restyled redraw of it.
        self.call_after_refresh(self._serve_demo)

    def _serve_demo(self, *, needed: bool = False) -> None:
        """Start our demo server once the first frame is out and a step that talks to it
        shows, or when it is ``needed`` at once (a lesson's setup talks to it).

        Its web stack (uvicorn, Starlette, oauthlib) is about 8 MB. Credentials
        sends nothing, so a user filling it in, or using another provider, does
        not pay for it; every later step does, from the Authorize URL on.
        """
        if not (self._shown and self._own_demo and self.demo is not None):
            return
        talks = needed or self._step not in (None, Step.CREDENTIALS)
        if talks and not self.demo.running:
            self.demo.start(wait=False)

    @work(exclusive=True, group="discovery")
    async def discover_endpoints(self) -> None:
        """Find the provider's endpoints. Until they are found, only Credentials opens:
        an Authorize URL without them would have no host."""
        from tui.core.discovery import discover
        from tui.core.transport import new_client

        provider = self.session.provider
        assert provider.issuer is not None
        self.discovery_error = None
        self._discovery_changed()
        self.notify(f"Discovering the endpoints of {provider.issuer}…", markup=False)
        try:
            async with new_client(self.transport, url=provider.issuer) as client:
                endpoints = await discover(client, provider.issuer)
        except DanceError as err:
            self.discovery_error = err
        else:
            self.session.provider = with_endpoints(provider, endpoints)
            self.notify("Endpoints found by discovery.", markup=False)
        self._discovery_changed()

    def action_retry_discovery(self) -> None:
        if needs_discovery(self.session.provider) and self.discovery_error is not None:
            self.discover_endpoints()

    def _discovery_changed(self) -> None:
        """Let the Credentials screen show discovery's news (under History, too)."""
        from tui.screens.credentials import CredentialsScreen

        for screen in self.screen_stack:
            if isinstance(screen, CredentialsScreen) and not screen.emptied:
                # Queued: a screen just pushed may not have finished mounting.
                screen.call_later(screen.show_discovery)

    def discovery_note(self) -> str | None:
        """Why the steps after Credentials are closed, or None when they are not."""
        if not needs_discovery(self.session.provider):
            return None
        if self.discovery_error is not None:
            return "Discovery failed, so the endpoints are unknown: press ctrl+r to try again."
        return "Discovery is still looking for the endpoints: wait for it to finish."

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
        self, step: Step | str, force: bool = False, *, edit: bool = False, asked: bool = False
    ) -> None:
        """Open a step, if its inputs exist; otherwise say what is missing.

        ``edit`` opens Credentials as the form even when its settings are complete.
        Leaving unsaved edits asks first, unless ``force`` (a provider switch) or
        ``asked`` (the answer was to leave).
        """
        step = Step(step)
        blocked = self.discovery_note() if step is not Step.CREDENTIALS else None
        if blocked is not None:
            title = step_info(step, self.session.state).title
            self.notify(blocked, title=f"{title} is not open yet", markup=False)
            return
        if not force and not available(step, self.session.state):
            self.notify(
                self._missing(step),
                title=f"{step_info(step, self.session.state).title} is not open yet",
                timeout=10,
                markup=False,
            )
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
        if shown in forgotten:
            self.uninstall_screen(shown)  # off the stack now: Textual removes it
        self._step = step
        self._serve_demo()

    def _ask_before_leaving(self, step: Step, edit: bool) -> bool:
        """Whether the step shown has unsaved edits: then ask save, discard or stay,
        and go on to ``step`` as the answer says."""
        from tui.screens.base import StepScreen
        from tui.screens.leave_form import Choice, LeaveFormScreen

        if isinstance(self.screen, LeaveFormScreen):
            return True  # a step key while asking: the question stands
        shown = next((s for s in reversed(self.screen_stack) if isinstance(s, StepScreen)), None)
        if shown is None or not shown.unsaved_edits():
            return False

        def answered(choice: Choice | None) -> None:
            if choice == "discard" or (choice == "save" and shown.save_settings()):
                self.go(step, edit=edit, asked=True)

        self.push_screen(LeaveFormScreen(BY_STEP[step].title), answered)
        return True

    def _missing(self, step: Step) -> str:
        """What a step still needs; for Refresh, why there is no refresh token."""
        if step is Step.REFRESH:
            from tui.core.explain import no_refresh_token

            return no_refresh_token(self.session.provider, exchanged=bool(self.session.state.token))
        if step is Step.EXCHANGE and self.session.state.device_flow:
            return "Ask for a device code on Device code (2) first."
        return _MISSING[step]

    def action_go(self, step: str) -> None:
        self.go(step)

    def on_go_to(self, message: GoTo) -> None:
        self.go(message.step, edit=message.edit)

    def on_open_provider(self, message: OpenProvider) -> None:
        self.open_provider(message.name, message.then, edit=message.edit)

    def on_retry_discovery(self, message: RetryDiscovery) -> None:
        self.action_retry_discovery()

    def action_history(self) -> None:
        from tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen(self.session.history))

    def action_lessons(self) -> None:
        """The break-it lessons, each marked once done (the credentials file's app table)."""
        from tui.core.lessons import done_keys
        from tui.screens.lessons import LessonsScreen

        try:
            done = done_keys(self.store.load_app())
        except StoreError as err:
            self.notify(str(err), title="Credentials file", severity="error", markup=False)
            done = []
        self._serve_demo(needed=True)  # lessons set up on the demo, from any step
        self.push_screen(LessonsScreen(self, done))

    def _lesson_ended(self, run: LessonRun) -> None:
        """A lesson's error came back (done: saved as such), or its step worked (missed);
        the step shown says so in its lesson panel (a toast only when no step shows)."""
        from tui.core.lessons import record_done
        from tui.screens.base import StepScreen

        title = run.lesson.title
        if run.caught is not None:
            try:
                record_done(self.store, run.lesson.key)
            except StoreError as err:
                self.notify(str(err), title="Lesson not saved", severity="error", markup=False)
        step = self.screen
        if isinstance(step, StepScreen) and step.is_mounted:
            step.show_lesson()  # its panel says it: no toast to pile on the step's own
        elif run.caught is None:
            self.notify(
                "The step worked instead of failing: press l to start the lesson again.",
                title=f"Lesson missed: {title}",
                severity="warning",
                markup=False,
            )
        else:
            self.notify(
                "The panel above the step says which rule caught it.",
                title=f"Lesson done ✓ {title}",
                markup=False,
            )

    def action_export(self) -> None:
        """Ask where to write the session's transcript (HAR and Markdown), and write it."""
        if not self.session.history:
            self.notify("No exchange to export yet.", title="Export", markup=False)
            return
        from tui.screens.export import ExportScreen

        self.push_screen(ExportScreen(self.session))

    def action_toggle_explain(self) -> None:
        """A step's side panel, shown or hidden; on another screen, its help."""
        from tui.screens.base import StepScreen

        screen = self.screen
        if not isinstance(screen, StepScreen):
            found: tuple[str, str] | None = getattr(screen, "SCREEN_HELP", None)
            if found is not None:
                from tui.screens.help import HelpScreen

                self.push_screen(HelpScreen(screen, *found))
            return
        self.show_explain = not self.explain_wanted()
        self._apply_panels()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``?`` is offered only where it shows something: a step, or a screen with help."""
        if action == "toggle_explain":
            from tui.screens.base import StepScreen

            screen = self.screen
            return (
                isinstance(screen, StepScreen) or getattr(screen, "SCREEN_HELP", None) is not None
            )
        return True

    def _apply_panels(self) -> None:
        from tui.screens.base import StepScreen

        if isinstance(self.screen, StepScreen):
            self.screen.apply_panels()

    def action_redraw(self) -> None:
        """Draw every cell again, after another program wrote over the screen.

        The diffing driver sends a frame that paints the whole screen whole.
        """
        self.refresh()

    def action_toggle_sidebar(self) -> None:
        self.sidebar_folded = not self.sidebar_folded
        self._apply_panels()

    def explain_wanted(self) -> bool:
        """Whether a new screen shows its panel: the user's choice, else if wide."""
        from tui.screens.base import NARROW

        return self.size.width >= NARROW if self.show_explain is None else self.show_explain

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for info in STEPS:
            yield SystemCommand(f"Go to {info.title}", info.summary, lambda s=info.step: self.go(s))
        yield SystemCommand("History", "Every exchange of this session", self.action_history)
        yield SystemCommand(
            "Lessons",
            "Break it on the demo provider, and see which rule catches it (l)",
            self.action_lessons,
        )
        yield SystemCommand(
            "Export transcript",
            "This session's exchanges as HAR and Markdown files, secrets masked",
            self.action_export,
        )
        yield SystemCommand(
            "Help", "What is happening, and every key (?)", self.action_toggle_explain
        )


_MISSING: dict[Step, str] = {
    Step.CREDENTIALS: "",
    Step.AUTHORIZE: "Save a client id and a redirect URI on Credentials first.",
    Step.EXCHANGE: "Get a code on Authorize first.",
    Step.PROFILE: "Exchange a code for an access token first.",
    Step.CONSOLE: "Exchange a code for an access token first.",
    Step.REVOKE: "There is no token to revoke: exchange a code for tokens first.",
}
