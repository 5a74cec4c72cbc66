"""The App's side of reaching the provider: the providers to pick from, discovery of
a provider's endpoints, and the embedded demo server, started once it is needed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from tui.app_saving import SavingApp
from tui.core.errors import DanceError
from tui.core.providers import PRESETS, needs_discovery, with_endpoints
from tui.core.steps import Step
from tui.core.store_errors import StoreError
from tui.core.textsafe import clean
from tui.screens.wizard import RetryDiscovery

if TYPE_CHECKING:
    import httpx

    from tui.core.store import CredsStore
    from tui.demo.server import DemoServer
    from tui.screens.credentials import CredentialsScreen


class ProviderApp(SavingApp):
    """The provider list, discovery's state, and the demo server the App owns."""

    def __init__(
        self,
        store: CredsStore,
        demo: DemoServer | None,
        transport: httpx.AsyncBaseTransport | None,
    ) -> None:
        super().__init__(store)
        self.demo = demo
        self._own_demo = False
        self._demo_opened = False
        """The demo provider was opened in this run: what its server issued since is known
        to it (before, the file's codes came from an earlier run's server)."""
        self._last_run_id_token = ""
        """The ID token the file held when the demo provider was first opened in this run:
        the demo server's last run issued it, and its keys went with it."""
        self._last_run_grant = ("", "")
        """The access and refresh tokens the file held then, when the demo server is the
        app's own: its last run issued them, and this run's server refuses them."""
        self._shown = False
        """The first frame is out: an own demo server may start serving."""
        self._step: Step | None = None
        """The step shown (under History or the QR view, if those are open)."""
        self.transport = transport
        self.discovery_error: DanceError | None = None
        """Why the provider's discovery failed; None while it runs, or when it is done."""

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
        # Toasts about Credentials: they go as the user leaves it, and the outcome
        # replaces the toast saying discovery runs.
        about = self._credentials_shown()
        self.notify(f"Discovering the endpoints of {provider.issuer}…", markup=False, screen=about)
        try:
            async with new_client(self.transport, url=provider.issuer) as client:
                endpoints = await discover(client, provider.issuer)
        except DanceError as err:
            self.discovery_error = err
            if about is not None:
                self.dismiss_toasts(about)  # the error panel says why, until it is fixed
        else:
            self.session.provider = with_endpoints(provider, endpoints)
            self.notify("Endpoints found by discovery.", markup=False, screen=about)
        self._discovery_changed()

    def action_retry_discovery(self) -> None:
        if needs_discovery(self.session.provider) and self.discovery_error is not None:
            self.discover_endpoints()

    def _credentials_shown(self) -> CredentialsScreen | None:
        """The Credentials screen shown (under History, too), if it is."""
        from tui.screens.credentials import CredentialsScreen

        return next(
            (s for s in self.screen_stack if isinstance(s, CredentialsScreen) and not s.emptied),
            None,
        )

    def _discovery_changed(self) -> None:
        """Let the Credentials screen show discovery's news."""
        screen = self._credentials_shown()
        if screen is not None:
            # Queued: a screen just pushed may not have finished mounting.
            screen.call_later(screen.show_discovery)

    def discovery_note(self) -> str | None:
        """Why the steps after Credentials are closed, or None when they are not."""
        if not needs_discovery(self.session.provider):
            return None
        if self.discovery_error is not None:
            return "Discovery failed, so the endpoints are unknown: press ctrl+r to try again."
        return "Discovery is still looking for the endpoints: wait for it to finish."

    def on_retry_discovery(self, message: RetryDiscovery) -> None:
        self.action_retry_discovery()
