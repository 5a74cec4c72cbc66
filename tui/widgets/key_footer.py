"""The footer: Textual's compact one, whose keys change in place rather than all built again."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from textual.app import ComposeResult
from textual.compose import compose
from textual.widget import Widget
from textual.widgets import Footer


def is_key(widget: Widget) -> bool:
    """Whether ``widget`` is one of the footer's keys (its label and group have no key)."""
    return hasattr(widget, "key_display")


def key_label(screen: Widget, text: str) -> str:
    """``text``, a key's label or tooltip, as ``screen`` names it: a screen with a
    ``key_label`` method (a step screen) may rename what it names (the flow's steps)."""
    relabel = getattr(screen, "key_label", None)
    return str(relabel(text)) if callable(relabel) else text


def key_identity(key: Any) -> tuple[Any, ...]:
    """What a key must keep to be updated in place: its key, how it is shown, its classes
    (disabled, compact, the command palette's). Its label, action and tooltip can change."""
    return key.key, key.key_display, frozenset(key.classes)


class KeyFooter(Footer):
    """Textual's ``Footer(compact=True)``, whose keys change in place when the keys
    it shows change.

    Textual's footer recomposes (removes its keys, then mounts and styles
    them all again) whenever the screen's bindings may have changed: the
    screen resumed, a focus change, any ``refresh_bindings``, a binding's
    action enabled or disabled. This one skips a recompose that would show
    the same keys, and otherwise changes only the keys that differ: after a
    request ``⏎ Send`` becomes ``⏎ Profile`` (its label and action set in
    place) and ``s Send`` comes in beside it (one key mounted, not seven).
    Each key also comes compact from the start: Textual's key turns compact
    once mounted, and that styled it twice. (It still composes empty and
    fills in once its screen's bindings are ready, as Textual's does: keys
    composed with the screen would be styled twice, at mount and again when
    the screen is resumed.)
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self.shown: tuple[Any, ...] | None = None
        """What the footer was last composed from (see ``keys``)."""

    def keys(self) -> tuple[Any, ...]:
        """What the footer is composed from: each binding shown (and the command
        palette's), whether it is enabled, its tooltip, how its key is displayed, and
        its label as the screen names it."""
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING
        shown = []
        for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if binding.show or key == palette:
                display, label = app.get_key_display(binding), self.label(binding.description)
                shown.append((key, binding, enabled, tooltip, display, label))
        return tuple(shown)

    def label(self, text: str) -> str:
        """A key's label as its screen names it (a step screen: its flow's step names)."""
        return key_label(self.screen, text)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if is_key(widget):
                widget.add_class("-compact")
                key: Any = widget  # a FooterKey: its label is its description
                key.description = self.label(key.description)
            yield widget

    async def recompose(self) -> None:
        if not self.is_attached:  # removed with its screen meanwhile: as Textual's, do nothing
            return
        from tui.widgets.key_list import KeyList  # the ? panel's: every key, shown or not

        for key_list in self.screen.query(KeyList):
            key_list.refresh(layout=True)
        keys = self.keys()
        if keys == self.shown:
            return
        self.shown = keys
        if not await self.change_keys():
            await super().recompose()

    async def change_keys(self) -> bool:
        """Change only the keys that differ from those shown; False when the footer
        holds more than keys (bindings grouped under a label): then it is recomposed."""
        old = list(self.children)
        new = compose(self)
        if not all(is_key(widget) for widget in [*old, *new]):
            return False
        matcher = SequenceMatcher(
            a=[key_identity(key) for key in old],
            b=[key_identity(key) for key in new],
            autojunk=False,
        )
        gone: list[Widget] = []
        async with self.batch():
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag == "equal":
                    for shown, wanted in zip(old[i1:i2], new[j1:j2], strict=True):
                        self.set_key(shown, wanted)
                    continue
                gone.extend(old[i1:i2])
                if j2 > j1:
                    before = old[i2] if i2 < len(old) else None
                    await self.mount_all(new[j1:j2], before=before)
            if gone:
                await self.remove_children(gone)
        return True

    @staticmethod
    def set_key(shown: Any, wanted: Any) -> None:
        """Give the key ``shown`` the label, action and tooltip of ``wanted``."""
        if (shown.description, shown.action, shown.tooltip) == (
            wanted.description,
            wanted.action,
            wanted.tooltip,
        ):
            return
        shown.description, shown.action = wanted.description, wanted.action
        shown.tooltip = wanted.tooltip
        shown.refresh(layout=True)
