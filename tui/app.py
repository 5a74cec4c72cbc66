"""The App: provider and session wiring, navigation between steps, global keys."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import httpx
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.core.discovery import discover
from tui.core.errors import DanceError
from tui.core.providers import PRESETS, needs_discovery, resolve_provider, with_endpoints
from tui.core.session import Session
from tui.core.state import DanceState
from tui.core.steps import BY_STEP, STEPS, Step, available, resume_step
from tui.core.store import CredsStore, StoreError
from tui.core.transport import new_client

if TYPE_CHECKING:
    from tui.demo.server import DemoServer


STEP_KEYS = Binding.Group("Steps", compact=True)


class OAuthDanceApp(App[None]):
    """The wizard. One screen per step; the session holds the state between them."""

    CSS_PATH = "app.tcss"
    TITLE = "OAuth Dance"
    BINDINGS = [
        *[Binding(info.key, f"go('{info.step.value}')", info.title, show=False) for info in STEPS],
        Binding("h", "history", "History", tooltip="Every exchange of this session"),
        Binding("question_mark", "toggle_explain", "Explain", tooltip="What is happening"),
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
        self.store = store
        self.initial_provider = provider
        self.demo = demo
        self._own_demo = False
        self.transport = transport
        self.sidebar_folded = False
        self.show_explain: bool | None = None
        """None until the user toggles: then wide terminals show the panel."""
        self.session: Session

    def on_mount(self) -> None:
        for notice in self.store.notices:
            self.notify(notice, title="Credentials file", markup=False)
        self.open_provider(self.initial_provider)

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

    def open_provider(self, name: str, then: Step | None = None) -> None:
        """Make ``name`` the current provider and open its resume step (or ``then``)."""
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
        self.go(then or (resume_step(session.state) if table else Step.CREDENTIALS), force=True)

    def _demo_url(self) -> str:
        if self.demo is None:
            from tui.demo.server import DemoServer

            self.demo = DemoServer()
            self.demo.start()
            self._own_demo = True
        return self.demo.base_url

    @work(exclusive=True, group="discovery")
    async def discover_endpoints(self) -> None:
        provider = self.session.provider
        assert provider.issuer is not None
        self.notify(f"Discovering the endpoints of {provider.issuer}…", markup=False)
        try:
            async with new_client(self.transport) as client:
                endpoints = await discover(client, provider.issuer)
        except DanceError as err:
            self.notify(err.message, title="Discovery failed", severity="error", markup=False)
            return
        self.session.provider = with_endpoints(provider, endpoints)
        self.notify("Endpoints found by discovery.", markup=False)

    def screen_for(self, step: Step) -> Screen[None]:
        from tui.screens.authorize import AuthorizeScreen
        from tui.screens.credentials import CredentialsScreen
        from tui.screens.exchange import ExchangeScreen
        from tui.screens.profile import ProfileScreen
        from tui.screens.refresh import RefreshScreen

        screens: dict[Step, type[Screen[None]]] = {
            Step.CREDENTIALS: CredentialsScreen,
            Step.AUTHORIZE: AuthorizeScreen,
            Step.EXCHANGE: ExchangeScreen,
            Step.PROFILE: ProfileScreen,
            Step.REFRESH: RefreshScreen,
        }
        return screens[step]()

    def go(self, step: Step | str, force: bool = False) -> None:
        """Open a step, if its inputs exist; otherwise say what is missing."""
        step = Step(step)
        if not force and not available(step, self.session.state):
            self.notify(_MISSING[step], title=f"{BY_STEP[step].title} is not open yet")
            return
        screen = self.screen_for(step)
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def action_go(self, step: str) -> None:
        self.go(step)

    def action_history(self) -> None:
        from tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen(self.session.history))

    def action_toggle_explain(self) -> None:
        panel = self.screen.query("#explain")
        if panel:
            self.show_explain = not panel.first().display
            panel.first().display = self.show_explain

    def action_toggle_sidebar(self) -> None:
        self.sidebar_folded = not self.sidebar_folded
        for sidebar in self.screen.query("StepSidebar"):
            sidebar.display = not self.sidebar_folded

    def explain_wanted(self) -> bool:
        """Whether a new screen shows its panel: the user's choice, else if wide."""
        return self.size.width >= 110 if self.show_explain is None else self.show_explain

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
