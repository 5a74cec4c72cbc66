"""The App: a provider's session opened and wired, the first screen, the lessons, and
the global keys and commands.

It stands on one class per concern, each in its own module: ``app_navigation``
(``go`` and the step screens), ``app_provider`` (the provider list, discovery, the
demo server), ``app_saving`` (saves reported, quitting), ``app_panels`` (the side
panels) and ``app_surfaces`` (toasts, title, screenshots and log made safe).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import constants
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.app_navigation import NavigatingApp
from tui.app_surfaces import private_log_file
from tui.core.errors import DanceError
from tui.core.providers import needs_discovery, resolve_provider
from tui.core.session import Session
from tui.core.state import DanceState
from tui.core.steps import STEPS, Step, resume_step, step_info
from tui.core.store import CredsStore
from tui.core.store_errors import StoreError, load_fate
from tui.crash_report import CrashConsole
from tui.screens.wizard import OpenProvider

if TYPE_CHECKING:
    import httpx
    from textual.driver import Driver

    from tui.core.lesson_setup import LessonRun
    from tui.demo.server import DemoServer


STEP_KEYS = Binding.Group("Steps", compact=True)


class OAuthDanceApp(NavigatingApp):
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
        # The terminal's own ctrl+z is off while the wizard reads keys raw: Textual's action.
        Binding(
            "ctrl+z", "suspend_process", "Suspend", show=False, tooltip="Back to the shell (fg)"
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
        super().__init__(store, demo, transport)
        self.error_console = CrashConsole(markup=False, highlight=False, stderr=True)
        self.initial_provider = provider
        self._private_log = private_log_file()

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver; on a Unix terminal, one that sends only the cells that changed.

        A driver named in ``TEXTUAL_DRIVER`` is used as it is. With
        ``OAUTH_DANCE_PLAIN_OUTPUT`` set, Textual's own sends every frame (resuming
        only what was suspended: `tui.terminal.driver.SuspendingDriver`).
        """
        driver_class = super().get_driver_class()
        if driver_class.__name__ == "LinuxDriver" and constants.DRIVER is None:
            from tui.terminal import driver

            return driver.DiffingDriver if driver.wanted() else driver.SuspendingDriver
        return driver_class

    def on_mount(self) -> None:
        from tui.core.store_files import check_writable

        # Back from ctrl+z (fg): the shell drew over the screen, and Textual repaints only
        # what changed since.
        self.app_resume_signal.subscribe(self, lambda _app: self.call_later(self.action_redraw))

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

    def on_unmount(self) -> None:
        self.store.flush()
        if self._own_demo and self.demo is not None:
            self.demo.stop()

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
                f"{error} {load_fate(error)}",
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
        self.workers.cancel_group(self, "discovery")  # the provider left's: its answer is moot
        self.session = session
        self.discovery_error = None
        self.show_store_notices()
        # The demo's server is this run's: the first time, it knows none of the saved codes.
        afresh = provider.is_demo and not self._demo_opened
        self._demo_opened = self._demo_opened or provider.is_demo
        if afresh:
            self._last_run_id_token = session.state.id_token
        if afresh and self._own_demo:  # a server of its own: none of the file's tokens are its
            self._last_run_grant = (session.state.token, session.state.refresh)
        if provider.is_demo:
            session.last_run_id_token = self._last_run_id_token
            session.last_run_grant = self._last_run_grant
        if note := session.drop_dead_grants(server_forgot=afresh):
            self.notify(note, title="Saved codes dropped", timeout=15, markup=False)
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

    def on_open_provider(self, message: OpenProvider) -> None:
        """Open the provider chosen; the form's unsaved edits are asked about first."""

        def go_on() -> None:
            self.open_provider(message.name, message.then, edit=message.edit)

        title = dict(self.provider_choices()).get(message.name, message.name)
        if not self.ask_before_leaving(title, go_on):
            go_on()

    def action_history(self) -> None:
        from tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen(self.session.history))

    def action_lessons(self) -> None:
        """The break-it lessons, each marked once done (the credentials file's app table)."""
        from tui.core.lesson_progress import done_keys
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
        from tui.core.lesson_progress import record_done
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

    def action_redraw(self) -> None:
        """Draw every cell again, after another program wrote over the screen.

        The diffing driver sends a frame that paints the whole screen whole.
        """
        self.refresh()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title != "Keys":  # Textual's: its panel would split the footer
                yield command
        if self.help_shown(screen):
            yield SystemCommand("Keys", "Hide the list of keys (?)", self.action_hide_help_panel)
        elif self.has_help(screen):
            yield SystemCommand(
                "Keys", "Every key that works here, in the help (?)", self.action_show_help_panel
            )
        for step in (info.step for info in STEPS):  # as the flow chosen has them
            info = step_info(step, self.session.state)
            yield SystemCommand(f"Go to {info.title}", info.summary, lambda s=step: self.go(s))
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
