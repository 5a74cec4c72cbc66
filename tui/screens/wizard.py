"""The App as the step screens see it: what they read from it, and what they ask of it.

A screen is given the App as a :class:`Wizard` when it is made, and reads the
session and a few settings through it; to change what the App shows (another
step, another provider) it posts one of the messages below, which bubble up to
the App. So no screen or widget imports ``tui.app`` (tests/test_layers.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from textual.message import Message

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from tui.core.errors import DanceError
    from tui.core.session import Session
    from tui.core.steps import Step


class Wizard(Protocol):
    """What the App gives its step screens (``OAuthDanceApp`` implements it)."""

    @property
    def session(self) -> Session:
        """The current provider's session (a provider switch makes a new one)."""
        ...

    @property
    def sidebar_folded(self) -> bool:
        """The user folded the step list (ctrl+t)."""
        ...

    @property
    def discovery_error(self) -> DanceError | None:
        """Why the provider's discovery failed; None while it runs, or when it is done."""
        ...

    def explain_wanted(self) -> bool:
        """Whether a new screen shows the explanation panel."""
        ...

    def discovery_note(self) -> str | None:
        """Why the steps after Credentials are closed, or None when they are not."""
        ...

    def provider_choices(self) -> list[tuple[str, str]]:
        """(name, title) of every provider the user can pick."""
        ...

    def confirm_next_save(self) -> None:
        """The next save is the user's own: a toast will say where it went."""
        ...

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
        """A toast, masked and made safe; one about a ``screen`` goes when the user leaves
        it, unless ``lasting`` (said as they leave it: it goes with the screen's flow)."""
        ...

    def dismiss_toasts(self, screen: Screen[Any], *, leaving: bool = False) -> None:
        """Take away the toasts about ``screen``; ``leaving`` it, not the lasting ones."""
        ...

    def dismiss_other_flow_toasts(self) -> None:
        """Take away the toasts about the step screens of the flow not chosen (the
        flow was switched), lasting ones too: what they say is of the other flow."""
        ...


class GoTo(Message):
    """Open ``step``, if its inputs exist (the App says what is missing otherwise)."""

    def __init__(self, step: Step, *, edit: bool = False, then: str = "") -> None:
        """Args:
        edit: open Credentials as the form, not the summary.
        then: an action of the step's screen to run once it shows (``send``).
        """
        super().__init__()
        self.step = step
        self.edit = edit
        self.then = then


class OpenProvider(Message):
    """Make ``name`` the current provider, and open ``then`` (as the form if ``edit``)."""

    def __init__(self, name: str, then: Step, *, edit: bool = False) -> None:
        super().__init__()
        self.name = name
        self.then = then
        self.edit = edit


class RetryDiscovery(Message):
    """Look for the provider's endpoints again, after discovery failed."""
