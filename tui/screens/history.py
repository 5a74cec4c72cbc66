"""History: every exchange of the session, each one viewable raw."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList
from textual.widgets.option_list import Option

from tui.core.exchange import Exchange
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.key_footer import KeyFooter


class HistoryScreen(Screen[None]):
    """A list of exchanges on the left, the chosen one raw on the right."""

    SCREEN_HELP = (
        "History",
        "Every exchange of this session, oldest first: the requests the wizard sent and "
        "the browser's part of the dance. Move through the list with the arrows; the one "
        "highlighted shows raw on the right, its secrets masked (r reveals them there). "
        "x writes them all as HAR and Markdown files.",
    )

    BINDINGS = [
        Binding("escape,h", "app.pop_screen", "Back", tooltip="Back to the step"),
        Binding("x", "app.export", "Export", tooltip="Write these exchanges as HAR and Markdown"),
    ]

    DEFAULT_CSS = """
    HistoryScreen {
        #history { width: 34; height: 1fr; border-right: tall $panel; }
        ExchangeViewer { width: 1fr; height: 1fr; }
    }
    """

    def __init__(self, history: list[Exchange]) -> None:
        super().__init__()
        self.history = list(history)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(
                *[
                    Option(Content(f"{i + 1}. {ex.at:%H:%M:%S} {ex.summary}"), id=str(i))
                    for i, ex in enumerate(self.history)
                ],
                id="history",
            )
            yield ExchangeViewer()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = f"History · {len(self.history)} exchanges"
        listing = self.query_one("#history", OptionList)
        if self.history:
            listing.highlighted = len(self.history) - 1
            self.query_one(ExchangeViewer).show(self.history[-1])
        listing.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.query_one(ExchangeViewer).show(self.history[int(event.option.id)])
