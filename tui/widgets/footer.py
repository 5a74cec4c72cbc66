"""Textual's footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter

Shown = tuple[tuple[Binding, bool, str], ...]


def keys_shown(screen: Screen[object]) -> Shown:
    """The bindings the footer would show on this screen, whether each is enabled, its tooltip."""
    return tuple(
        (binding, enabled, tooltip)
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show or binding.key == screen.app.COMMAND_PALETTE_BINDING
    )


class Footer(TextualFooter):
    """The footer: Textual rebuilds all of its keys whenever bindings may have changed.

    That is at every focus move and every ``refresh_bindings``, about fifty
    times in one dance, each rebuild restyling some twenty keys. Here it is
    rebuilt only when what it would show is different.
    """

    _composed: Shown | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        shown = keys_shown(screen)
        if shown == self._composed:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._composed = shown
