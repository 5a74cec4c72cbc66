"""The footer: Textual's compact one, built again only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's ``Footer(compact=True)``, recomposed only when its keys change.

    Textual's footer recomposes (removes its keys, then mounts and styles
    them again) whenever the screen's bindings may have changed: the screen
    resumed, a focus change, any ``refresh_bindings``, a binding's action
    enabled or disabled. That came three times before each step's first
    frame, and after most keys in a step, for the same few keys. This one
    compares what it would show with what it shows, and skips a recompose
    that would show the same. Each key also comes compact from the start:
    Textual's key turns compact once mounted, and that styled it twice.
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self.shown: tuple[Any, ...] | None = None
        """What the footer was last composed from (see ``keys``)."""

    def keys(self) -> tuple[Any, ...]:
        """What the footer is composed from: each binding shown (and the command
        palette's), whether it is enabled, its tooltip, and how its key is displayed."""
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding, enabled, tooltip, app.get_key_display(binding))
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if hasattr(widget, "key_display"):  # a key (its label and group have none)
                widget.add_class("-compact")
            yield widget

    async def recompose(self) -> None:
        if not self.is_attached:  # removed with its screen meanwhile: as Textual's, do nothing
            return
        keys = self.keys()
        if keys != self.shown:
            self.shown = keys
            await super().recompose()
