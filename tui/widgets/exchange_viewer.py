"""The HTTP exchange viewer: one request and its response (or fault), as raw text.

Modelled on posting's response area: a bordered box whose title names the
request and whose subtitle carries the status, coloured by it (``success``,
``warning``, ``error``: the theme's colours, set inline), around Request and
Response tabs over one text view.
The tabs are Textual's ``Tabs`` over one text view, whose text the
chosen pane replaces. The text comes from ``tui.core.exchange.Exchange``,
masked unless the user deliberately reveals it, and is always shown as plain
text: nothing a server sends is parsed as markup.

The viewer is a single focus stop. Its own bindings switch panes (``v``,
left/right) and scroll the shown pane (up/down, page up/down, home/end), so
the inner tabs and text views never take the focus; ctrl+c copies a mouse
selection.
"""

from __future__ import annotations

from typing import ClassVar

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static, Tab, Tabs, TextArea

from tui.core.environment import clipboard_note
from tui.core.exchange import Exchange
from tui.widgets.exchange_view import REQUEST_PANE, RESPONSE_PANE, exchange_view
from tui.widgets.raw_text import RawText

__all__ = ["ExchangeViewer"]

PANES = ((REQUEST_PANE, "Request"), (RESPONSE_PANE, "Response"))

STATUS_COLOURS = {
    "sending": ("accent", "text-accent"),
    "success": ("success", "text-success"),
    "warning": ("warning", "text-warning"),
    "error": ("error", "text-error"),
}
"""Each status's theme variables: the border's colour, the subtitle's."""


class ExchangeViewer(Widget, can_focus=True, can_focus_children=False):
    """Shows one `Exchange`: the raw request, the raw response, and its status.

    Call `show` with each new state of the exchange (prepared, sending,
    answered). Secrets are masked until the user presses ``r``.
    """

    DEFAULT_CSS = """
    ExchangeViewer {
        width: 1fr;
        height: 1fr;
        min-height: 8;
        padding: 0 1;
        border: round $border-blurred;
        border-title-color: $foreground;
        border-subtitle-color: $text-muted;
        &:focus {
            border: round $border;
            background-tint: $foreground 4%;
            border-title-style: bold;
        }
        & .exchange-note {
            height: 1;
            color: $text-muted;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
        & .exchange-note.-revealed {
            color: $text-error;
            text-style: bold;
        }
        & .exchange-text {
            height: 1fr;
            padding: 0;
            background: transparent;
            scrollbar-size-vertical: 1;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "reveal",
            "Reveal",
            show=False,
            tooltip="Show the secrets (client secret, code, verifier, tokens) in clear text.",
            id="exchange-viewer.reveal",
        ),
        Binding(
            "r",
            "mask",
            "Mask",
            show=False,
            tooltip="Hide the secrets again.",
            id="exchange-viewer.mask",
        ),
        Binding(
            "t",
            "raw",
            "Raw",
            show=False,
            tooltip="Show the response body exactly as the server sent it.",
            id="exchange-viewer.raw",
        ),
        Binding(
            "t",
            "pretty",
            "Pretty",
            show=False,
            tooltip="Show a JSON response body indented.",
            id="exchange-viewer.pretty",
        ),
        Binding(
            "c",
            "copy_curl",
            "Copy curl",
            show=False,
            tooltip="Copy the request as a curl command (masked unless secrets are revealed).",
            id="exchange-viewer.copy-curl",
        ),
        Binding(
            "v",
            "switch_pane",
            "Request/Response",
            show=False,
            tooltip="Switch between the request and the response.",
            id="exchange-viewer.switch-pane",
        ),
        Binding("left", "switch_pane", "Request/Response", show=False),
        Binding("right", "switch_pane", "Request/Response", show=False),
        Binding("up", "scroll('up')", "Scroll up", show=False),
        Binding("down", "scroll('down')", "Scroll down", show=False),
        Binding("pageup", "scroll('page_up')", "Page up", show=False),
        Binding("pagedown", "scroll('page_down')", "Page down", show=False),
        Binding("home", "scroll('home')", "Top", show=False),
        Binding("end", "scroll('end')", "Bottom", show=False),
        Binding("ctrl+c", "copy_selection", "Copy selection", show=False),
    ]

    reveal: reactive[bool] = reactive(False, init=False, bindings=True)
    """Show secrets in clear text. Every new viewer, and every new exchange, starts masked."""

    pretty: reactive[bool] = reactive(True, init=False, bindings=True)
    """Indent a JSON response body; ``False`` shows it as received."""

    _tabs = getters.query_one(Tabs)
    _note = getters.query_one(".exchange-note", Static)
    _raw = getters.query_one(RawText)

    def __init__(
        self,
        exchange: Exchange | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._exchange = exchange
        self._sending = False
        self._ready = False
        """Mounted: the children exist, so the view can be updated."""
        self._pane = REQUEST_PANE
        self._texts = {REQUEST_PANE: "", RESPONSE_PANE: ""}
        self._notes = {REQUEST_PANE: "", RESPONSE_PANE: ""}
        self._scrolls = {REQUEST_PANE: 0.0, RESPONSE_PANE: 0.0}
        """Where the reader was in each pane, kept while the other is shown."""
        self._status: str | None = None

    @property
    def exchange(self) -> Exchange | None:
        """The exchange shown, or None."""
        return self._exchange

    @property
    def status(self) -> str | None:
        """What the border's colour says: a key of ``STATUS_COLOURS``, or None."""
        return self._status

    @property
    def pane(self) -> str:
        """The pane shown: ``"request"`` or ``"response"``."""
        return self._pane

    @pane.setter
    def pane(self, pane: str) -> None:
        if pane == self._pane:
            return
        self._scrolls[self._pane] = self._raw.scroll_y
        self._pane = pane
        self._show_pane(scroll_y=self._scrolls[pane])

    @property
    def texts(self) -> dict[str, str]:
        """The whole text of each pane, the one not shown too."""
        return dict(self._texts)

    def compose(self) -> ComposeResult:
        tabs = Tabs(*[Tab(label, id=pane) for pane, label in PANES], active=self._pane)
        tabs.can_focus = False  # the viewer keeps the focus: v and the arrows switch panes
        yield tabs
        yield Static(classes="exchange-note", markup=False)
        yield RawText()

    def on_mount(self) -> None:
        self._ready = True
        self._update(new_exchange=True)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._colour())

    def show(self, exchange: Exchange | None, *, sending: bool = False) -> None:
        """Show ``exchange`` (None: nothing yet); ``sending`` while it is in flight.

        A different exchange than the one shown is masked again; the pane
        follows the exchange: Request while prepared, Response once answered.
        """
        if exchange is not self._exchange:
            self.set_reactive(ExchangeViewer.reveal, False)
        self._exchange = exchange
        self._sending = sending and exchange is not None
        if self._ready:
            self.refresh_bindings()
            self._update(new_exchange=True)

    def forget(self) -> None:
        """Start again as a new viewer would, at the next ``show``: masked, bodies pretty."""
        self._exchange = None
        self.set_reactive(ExchangeViewer.reveal, False)
        self.set_reactive(ExchangeViewer.pretty, True)

    def watch_reveal(self) -> None:
        self._update()

    def watch_pretty(self) -> None:
        self._update()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show one binding of each pair sharing a key; dim those with nothing to act on."""
        has_exchange = self._exchange is not None
        has_json = self._exchange is not None and self._exchange.answered_json
        if action == "reveal":
            return False if self.reveal else (True if has_exchange else None)
        if action == "mask":
            return self.reveal
        if action == "raw":
            return False if not self.pretty else (True if has_json else None)
        if action == "pretty":
            return False if self.pretty else (True if has_json else None)
        if action == "copy_curl":
            return True if has_exchange else None
        if action == "copy_selection":
            # Without a selection, ctrl+c falls through to the screen's own copy.
            return bool(self._ready and self._raw.selected_text)
        return True

    def action_reveal(self) -> None:
        self.reveal = True

    def action_mask(self) -> None:
        self.reveal = False

    def action_raw(self) -> None:
        self.pretty = False
        self.pane = RESPONSE_PANE

    def action_pretty(self) -> None:
        self.pretty = True
        self.pane = RESPONSE_PANE

    def action_copy_curl(self) -> None:
        if self._exchange is None:
            return
        self.app.copy_to_clipboard(self._exchange.curl(reveal=self.reveal))
        if self.reveal:
            what = "the curl command, secrets revealed!"
            self.screen.notify(clipboard_note(what), severity="warning", markup=False)
        else:
            self.screen.notify(clipboard_note("the curl command, secrets masked"), markup=False)

    def action_switch_pane(self) -> None:
        self.pane = RESPONSE_PANE if self.pane == REQUEST_PANE else REQUEST_PANE

    def action_scroll(self, how: str) -> None:
        text = self._raw
        if how == "up":
            text.scroll_up(animate=False)
        elif how == "down":
            text.scroll_down(animate=False)
        elif how == "page_up":
            text.scroll_page_up(animate=False)
        elif how == "page_down":
            text.scroll_page_down(animate=False)
        elif how == "home":
            text.scroll_home(animate=False)
        elif how == "end":
            text.scroll_end(animate=False)

    def action_copy_selection(self) -> None:
        self.app.copy_to_clipboard(self._raw.selected_text)

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        """A click on a tab (or under it) shows its pane.

        The tabs' active tab now, not the event's: the tabs announce their
        first tab when mounted, after ``on_mount`` chose the pane to show.
        """
        event.stop()
        self.pane = self._tabs.active

    @on(TextArea.Changed)
    @on(TextArea.SelectionChanged)
    def _keep_inside(self, event: Message) -> None:
        # These are this widget's business: don't confuse a screen's own text areas.
        event.stop()

    def _show_pane(self, *, scroll_y: float) -> None:
        """Show the current pane's tab, note and text, scrolled to ``scroll_y``."""
        with self._tabs.prevent(Tabs.TabActivated):  # the pane is already chosen
            self._tabs.active = self._pane
        self._note.update(Content(self._notes[self._pane]))
        self._raw.show_text(self._texts[self._pane], scroll_y=scroll_y)

    def _update(self, *, new_exchange: bool = False) -> None:
        """Render the title, status, notes and both texts from the current state.

        Args:
            new_exchange: the exchange changed (or was answered): scroll to
                the top and show the pane that matters now.
        """
        if not self._ready:
            return
        view = exchange_view(
            self._exchange, reveal=self.reveal, pretty=self.pretty, sending=self._sending
        )
        if view.status != self._status:
            self._status = view.status
            self._colour()
        self._note.set_class(self.reveal, "-revealed")
        self.border_title = Content(view.title)
        self.border_subtitle = Content(view.subtitle)
        self._texts, self._notes = view.texts, view.notes
        if not new_exchange:
            self._show_pane(scroll_y=self._raw.scroll_y)
            return
        self._pane = RESPONSE_PANE if view.answered else REQUEST_PANE
        self._scrolls = dict.fromkeys(self._scrolls, 0.0)
        self._show_pane(scroll_y=0.0)

    def _colour(self) -> None:
        """Colour the border and subtitle for the status, from the theme (again after a
        theme change); none: the stylesheet's, which follow the focus.

        Inline, not by class: Textual restyles a widget's whole subtree (the tabs,
        the text area and their parts) when its classes change, twice a request.
        """
        styles = self.styles
        if self._status is None:
            for rule in ("border_top", "border_right", "border_bottom", "border_left"):
                styles.clear_rule(rule)
            styles.clear_rule("border_subtitle_color")
            styles.clear_rule("auto_border_subtitle_color")
            self.refresh()
            return
        border, subtitle = STATUS_COLOURS[self._status]
        theme = self.app.theme_variables
        styles.border = ("round", Color.parse(theme[border]))
        # The stylesheet's subtitle colour ($text-muted) is "auto": contrast, not a colour.
        styles.auto_border_subtitle_color = False
        styles.border_subtitle_color = Color.parse(theme[subtitle])
