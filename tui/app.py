"""The App: provider and session wiring, navigation between steps, global keys."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import constants, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.core.errors import DanceError
from tui.core.providers import PRESETS, needs_discovery, resolve_provider, with_endpoints
from tui.core.session import Session
from tui.core.state import DanceState
from tui.core.steps import BY_STEP, STEPS, Step, available, resume_step
from tui.core.store import CredsStore, StoreError
from tui.crash_report import CrashConsole

if TYPE_CHECKING:
    import httpx
    from textual.driver import Driver

    from tui.demo.server import DemoServer


STEP_KEYS = Binding.Group("Steps", compact=True)


class OAuthDanceApp(App[None]):
    """The wizard. One screen per step; the session holds the state between them."""

    CSS_PATH = "app.tcss"
    TITLE = "OAuth Dance"
    BINDINGS = [
        *[
            Binding(info.key, f"go('{info.step.value}')", info.title, group=STEP_KEYS)
            for info in STEPS
        ],
        Binding("h", "history", "History", tooltip="Every exchange of this session"),
        Binding("question_mark", "toggle_explain", "Explain", tooltip="What is happening"),
        Binding("ctrl+t", "toggle_sidebar", "Sidebar", tooltip="Fold the step list"),
        Binding(
            "ctrl+l", "redraw", "Redraw", show=False, tooltip="Draw every cell of the screen again"
        ),
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

        for notice in self.store.notices:
            self.notify(notice, title="Credentials file", markup=False)
        problem = check_writable(self.store.path)
        if problem:
            self.notify(problem, title="Credentials file", severity="warning", markup=False)
        if constants.LOG_FILE or self.devtools is not None:
            # Textual logs every key and paste by value; nothing here can mask those.
            self.notify(
                "Textual's debug log is on: it records every key and paste, so a secret "
                "typed or pasted here ends up in it.",
                title="Debug log",
                severity="warning",
                markup=False,
            )
        self.open_provider(self.initial_provider)

    async def action_quit(self) -> None:
        """Quit; but when the last save failed, warn once first: quitting loses those tokens."""
        session = getattr(self, "session", None)
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
        if self._own_demo and self.demo is not None:
            self.demo.stop()

    def provider_choices(self) -> list[tuple[str, str]]:
        """(name, title) of every provider the user can pick."""
        choices = [("demo", "Embedded demo server"), *((p.name, p.title) for p in PRESETS.values())]
        try:
            custom = [name for name in self.store.load() if name not in dict(choices)]
        except StoreError:
            custom = []
        if self.session.provider.name not in dict(choices) | dict.fromkeys(custom):
            custom.append(self.session.provider.name)
        return choices + [(name, f"{name} (custom)") for name in custom]

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
            self.notify(err.message, title=err.title, severity="error", markup=False)
            if not hasattr(self, "session"):
                self.open_provider("demo")
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
        self.session = session
        if needs_discovery(provider):
            self.discover_endpoints()
            then = Step.CREDENTIALS
        step = then or (resume_step(session.state) if table else Step.CREDENTIALS)
        self.go(step, force=True, edit=edit)

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

    def _serve_demo(self) -> None:
        """Start our demo server once the first frame is out and a step that talks to it shows.

        Its web stack (uvicorn, Starlette, oauthlib) is about 8 MB. Credentials
        sends nothing, so a user filling it in, or using another provider, does
        not pay for it; every later step does, from the Authorize URL on.
        """
        if not (self._shown and self._own_demo and self.demo is not None):
            return
        if self._step not in (None, Step.CREDENTIALS) and not self.demo.running:
            self.demo.start(wait=False)

    @work(exclusive=True, group="discovery")
    async def discover_endpoints(self) -> None:
        from tui.core.discovery import discover
        from tui.core.transport import new_client

        provider = self.session.provider
        assert provider.issuer is not None
        self.notify(f"Discovering the endpoints of {provider.issuer}…", markup=False)
        try:
            async with new_client(self.transport, url=provider.issuer) as client:
                endpoints = await discover(client, provider.issuer)
        except DanceError as err:
            self.notify(err.message, title="Discovery failed", severity="error", markup=False)
            return
        self.session.provider = with_endpoints(provider, endpoints)
        self.notify("Endpoints found by discovery.", markup=False)

    def screen_for(self, step: Step, *, edit: bool = False) -> Screen[None]:
        # Import only the step's own screen: the first frame needs one, and the
        # others bring the exchange viewer, the QR encoder, the listener...
        if step is Step.CREDENTIALS:
            from tui.screens.credentials import CredentialsScreen

            return CredentialsScreen(edit=edit)
        if step is Step.AUTHORIZE:
            from tui.screens.authorize import AuthorizeScreen

            return AuthorizeScreen()
        if step is Step.EXCHANGE:
            from tui.screens.exchange import ExchangeScreen

            return ExchangeScreen()
        if step is Step.PROFILE:
            from tui.screens.profile import ProfileScreen

            return ProfileScreen()
        from tui.screens.refresh import RefreshScreen

        return RefreshScreen()

    def go(self, step: Step | str, force: bool = False, *, edit: bool = False) -> None:
        """Open a step, if its inputs exist; otherwise say what is missing.

        ``edit`` opens Credentials as the form even when its settings are complete.
        """
        step = Step(step)
        if not force and not available(step, self.session.state):
            self.notify(_MISSING[step], title=f"{BY_STEP[step].title} is not open yet")
            return
        screen = self.screen_for(step, edit=edit)
        while len(self.screen_stack) > 2:
            # History (or the QR view) sits on top of a step: leave it, so the step
            # below is replaced and its workers (the listener) stop, not left running.
            self.pop_screen()
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self._step = step
        self._serve_demo()

    def action_go(self, step: str) -> None:
        self.go(step)

    def action_history(self) -> None:
        from tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen(self.session.history))

    def action_toggle_explain(self) -> None:
        self.show_explain = not self.explain_wanted()
        self._apply_panels()

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
            "Explain", "Show or hide 'what is happening'", self.action_toggle_explain
        )


_MISSING = {
    Step.CREDENTIALS: "",
    Step.AUTHORIZE: "Save a client id and a redirect URI on Credentials first.",
    Step.EXCHANGE: "Get a code on Authorize first.",
    Step.PROFILE: "Exchange a code for an access token first.",
    Step.REFRESH: "There is no refresh token yet: exchange a code first.",
}
