"""A modal screen showing a QR code full-screen, for scanning with a phone."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.widgets.qr import QRCode

__all__ = ["QRScreen"]


class QRScreen(ModalScreen[None]):
    """A full-screen QR code with a one-line hint; closes on Esc, q or f."""

    SCREEN_HELP = (
        "QR code",
        "The address as a QR code, as large as the terminal allows: point a phone's camera "
        "at it to open the address there. Enlarge the terminal or use a smaller font if it "
        "does not fit.",
    )

    DEFAULT_CSS = """
    QRScreen {
        background: $background;
    }
    QRScreen > QRCode {
        width: 1fr;
        height: 1fr;
        content-align: center middle;
    }
    QRScreen > #qr-hint {
        dock: bottom;
        width: 1fr;
        height: 1;
        text-align: center;
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
        Binding("f", "close", "Close", show=False),
        # A modal screen hides the App's keys: its help needs a key of its own.
        Binding("question_mark", "app.toggle_explain", "Help", show=False),
    ]

    def __init__(self, data: str) -> None:
        """Create the screen.

        Args:
            data: The text to show as a QR code.
        """
        super().__init__()
        self._qr_data = data

    def compose(self) -> ComposeResult:
        """Compose the code and the hint."""
        yield QRCode(
            self._qr_data, too_small_hint="Enlarge the terminal or use a smaller font size."
        )
        yield Static("Scan with a phone camera · Esc to close · ? help", id="qr-hint", markup=False)

    def action_close(self) -> None:
        """Close the screen."""
        self.dismiss(None)
