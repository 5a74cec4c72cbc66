"""What the App puts in front of the user besides its screens: toasts, the title,
screenshots and the debug log, each made safe: secrets the session knows masked,
control characters from outside made visible, files readable only by the user."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from textual import constants
from textual.app import App
from textual.content import Content
from textual.notifications import Notification, Notify, SeverityLevel
from textual.screen import Screen

from tui.core.textsafe import clean


class SafeSurfaces(App[None]):
    """Textual's App with its toasts, title and screenshots made safe (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._toasts: list[tuple[Screen[Any] | None, Notification]] = []
        """The toasts shown, each with the step screen it is about (None: the app's)."""
        self._lasting: list[Notification] = []
        """The toasts about a screen that stay when the user leaves it (see ``notify``)."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
        screen: Screen[Any] | None = None,
        lasting: bool = False,
    ) -> None:
        """Every toast, the app's and each screen's, shown as plain text: secrets the
        session knows masked, control characters visible, never markup.

        A toast about a ``screen`` goes when the user leaves it (`dismiss_toasts`), and
        replaces the toast about it shown before: a step says one thing at a time, so
        toasts do not pile up over the sidebar's steps and countdown. A ``lasting`` one
        (said as the user leaves: what leaving stopped) stays after, until the screen's
        toasts are taken away for another reason (its flow switched away, say).
        """
        session = getattr(self, "session", None)
        if session is not None:
            message, title = session.mask(message), session.mask(title)
        notification = Notification(
            clean(message),
            clean(title, keep_newlines=False),
            severity,
            self.NOTIFICATION_TIMEOUT if timeout is None else timeout,
            markup=False,
        )
        if screen is not None:
            self.dismiss_toasts(screen)
        self._toasts = [(s, n) for s, n in self._toasts if not n.has_expired]
        self._toasts.append((screen, notification))
        if lasting:
            self._lasting.append(notification)
        self.post_message(Notify(notification))  # what App.notify does

    def on_notify(self, event: Notify) -> None:
        """A toast replaced, or gone with its step, before Textual showed it (keys come
        faster than the screen: enter pressed thrice) is never shown: Textual's handler,
        which would show it, is not run."""
        if event.notification not in self.toasts:
            event.prevent_default()

    @property
    def toasts(self) -> list[Notification]:
        """The toasts sent that have not expired nor gone with their step, oldest first."""
        return [n for _, n in self._toasts if not n.has_expired]

    def dismiss_toasts(self, screen: Screen[Any], *, leaving: bool = False) -> None:
        """Take away the toasts about ``screen``; the others stay, and when the user is
        ``leaving`` it, its lasting ones too (see ``notify``).

        Textual can only clear every toast: the others are shown again, as they
        were (same identity, same time left).
        """
        shown = [(s, n) for s, n in self._toasts if not n.has_expired]
        self._toasts = [
            (s, n) for s, n in shown if s is not screen or (leaving and n in self._lasting)
        ]
        self._lasting = [n for _, n in self._toasts if n in self._lasting]
        if len(self._toasts) == len(shown):
            return
        self.clear_notifications()
        for _, notification in self._toasts:
            self.post_message(Notify(notification))

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header's text; a custom provider's name comes from the credentials file."""
        return super().format_title(
            clean(title, keep_newlines=False), clean(sub_title, keep_newlines=False)
        )

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """Save an SVG of the screen in the downloads folder, readable only by you.

        Textual's own saves it with the default mode (0644 under the usual umask).
        """
        import platformdirs

        try:
            saved = self.save_screenshot(
                filename, path or str(platformdirs.user_downloads_path()), time_format
            )
        except OSError as e:
            self.notify(
                f"Could not save the screenshot: {e.strerror or type(e).__name__}.",
                title="Screenshot",
                severity="error",
                markup=False,
            )
            return None
        self.notify(f"Saved to {saved}.", title="Screenshot", markup=False)
        return saved

    def save_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str:
        """Save an SVG of the screen as a new file of mode 0600; return its path.

        Raises:
            OSError: The file exists already, or cannot be written.
        """
        from tui.core.store_files import write_private

        stamp = datetime.now().strftime(time_format or "%Y-%m-%dT%H_%M_%S")
        name = filename or f"{self.title} {stamp}.svg"
        target = Path(path or ".").expanduser() / name
        write_private(target, self.export_screenshot().encode("utf-8"))
        return str(target)


def private_log_file() -> str:
    """Make Textual's debug log file (``TEXTUAL_LOG``) readable only by the user.

    Textual creates it with the default mode (0644 under the usual umask) and
    writes every key into it. Created 0600 here before Textual writes to it, or
    tightened if it is a regular file of the user's.

    Returns:
        What was done, as a sentence for the debug log's warning ("" if no log).
    """
    from tui.core.store_files import make_private

    if not constants.LOG_FILE:
        return ""
    return " " + make_private(Path(constants.LOG_FILE))
