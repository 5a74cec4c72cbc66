"""The App's saves: each one waited for in a worker and reported (on the step shown,
or in a toast), the store's notices toasted, and quitting that waits for a save under
way or warns once when the last one failed."""

from __future__ import annotations

import asyncio
import contextlib
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from tui.app_panels import PanelsApp

if TYPE_CHECKING:
    from tui.core.session import Session
    from tui.core.store import CredsStore


class SavingApp(PanelsApp):
    """The App's saves, waited for in a worker and reported."""

    def __init__(self, store: CredsStore) -> None:
        super().__init__()
        self.store = store
        self.session: Session
        self._quit_warned_for: object = None
        """The unsaved state the user was warned about on quit (warn once per state)."""
        self._confirm_save = False
        """The next save was asked for by the user: say when it is written."""
        self._quit_when_saved = False
        """ctrl+q came while a save was under way: quit once it is written."""

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

        # Shielded: cancelling this worker (the app exiting) must not cancel the save. The
        # outcome is taken once, below (``session.saved``); the exception raised here is
        # that of the copy asyncio makes of ``future``, seen so that it goes unreported.
        with contextlib.suppress(Exception):
            await asyncio.shield(asyncio.wrap_future(future))
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
