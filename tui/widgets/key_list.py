"""The help panel's list of keys: the step's own first.

Textual's ``KeyPanel`` lists the keys in the order a key press looks for them:
the focused widget's (scrolling, paging) first, the screen's own last but the
app's. A student looking for what a step can do reads its keys first here;
then the focused widget's, then moving the focus, then the app's.
"""

from __future__ import annotations

from itertools import groupby

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import App
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen
from textual.widget import Widget

from tui.widgets.key_footer import key_label

GENERIC_ACTIONS = frozenset(
    binding.action for binding in Screen.BINDINGS if isinstance(binding, Binding)
)
"""What every Textual screen binds (Tab, shift+Tab, copying the selection)."""


def rank(screen: Screen[object], active: ActiveBinding) -> int:
    """Where a key comes in the list: the step's own, the focused widget's, every
    screen's, the app's."""
    if isinstance(active.node, App):
        return 3
    if active.node is not screen:
        return 1
    return 2 if active.binding.action in GENERIC_ACTIONS else 0


class KeyList(Widget):
    """The keys that work where the focus is, grouped by who binds them, the step's own
    first; each key with its description and tooltip (wrapped in its column).

    Drawn again whenever the screen's bindings may have changed: the screen's
    ``KeyFooter`` is told so by Textual, and refreshes this.
    """

    COMPONENT_CLASSES = {"key-list--key", "key-list--description", "key-list--header"}

    DEFAULT_CSS = """
    KeyList {
        height: auto;
        & > .key-list--key { color: $text-accent; text-style: bold; }
        & > .key-list--description { color: $foreground; }
        & > .key-list--header { color: $text-primary; text-style: underline; }
    }
    """

    def __init__(self, of: Screen[object] | None = None) -> None:
        """Args:
        of: the screen whose keys are listed; by default the one this list is on.
        """
        super().__init__()
        self.of = of

    def render(self) -> Table:
        screen = self.of or self.screen
        shown = [a for a in screen.active_bindings.values() if not a.binding.system]
        shown.sort(key=lambda active: rank(screen, active))  # stable: each group's order kept
        key_style = self.get_component_rich_style("key-list--key")
        text_style = self.get_component_rich_style("key-list--description")
        header_style = self.get_component_rich_style("key-list--header")
        table = Table(padding=(0, 0), show_header=False, box=box.SIMPLE, show_edge=False)
        table.add_column("", justify="right", no_wrap=True)
        table.add_column("")
        for (_, node), group in groupby(shown, key=lambda a: (rank(screen, a), a.node)):
            title = node.BINDING_GROUP_TITLE
            if title:
                table.add_row("", Text(title, style=header_style))
            by_action: dict[str, list[Binding]] = {}
            for active in group:
                by_action.setdefault(active.binding.action, []).append(active.binding)
            for bindings in by_action.values():
                keys = " ".join(dict.fromkeys(self.app.get_key_display(b) for b in bindings))
                first = bindings[0]
                label, tooltip = (key_label(screen, t) for t in (first.description, first.tooltip))
                said = Text(label, style=text_style)
                if tooltip:
                    said.append(f" {tooltip}" if label else tooltip, "dim")
                table.add_row(Text(f"{keys} ", style=key_style), said)
            table.add_section()
        return table
