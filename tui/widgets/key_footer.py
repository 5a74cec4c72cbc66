"""The footer: Textual's compact one, built again only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's ``Footer(compact=True)``, recomposed only when its keys change.

    Textual's footer recomposes (removes its keys, then mounts and styles
    them again, each twice) whenever the screen's bindings may have changed:
    the screen resumed, a focus change, any ``refresh_bindings``. That came
    three times before each step's first frame, and after most keys in a step,
    for the same few keys. This one compares the screen's active bindings
    with those it shows, and skips a recompose that would show the same.
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self.shown: tuple[Any, ...] | None = None
        """The active bindings, as the last recompose saw them."""

    def active(self) -> tuple[Any, ...]:
        """What the footer is built from: every active binding, whether it is enabled,
        its tooltip, and how its key is displayed."""
        app = self.app
        return tuple(
            (key, binding, enabled, tooltip, app.get_key_display(binding) if binding.show else "")
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
        )

    async def recompose(self) -> None:
        if not self.is_attached:  # removed with its screen meanwhile: as Textual's, do nothing
            return
        active = self.active()
        if active != self.shown:
            self.shown = active
            await super().recompose()
