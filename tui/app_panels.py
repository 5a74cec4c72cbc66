"""The App's side panels: the step list folded or not, and the "what is happening"
panel shown or not (by the user's choice, else on a wide terminal).

Textual's own keys panel (the palette's Keys, ``HelpPanel``) is not used: it
splits the screen, footer included, so at 80 columns the footer lost ``?`` and
quit, and beside the ``?`` panel it squeezed the step. Keys shows and hides the
``?`` panel instead (or, off a step, the screen's help), which lists every key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.app_surfaces import SafeSurfaces

if TYPE_CHECKING:
    from textual.screen import Screen


class PanelsApp(SafeSurfaces):
    """The panels' settings, kept across steps, applied to the step shown."""

    def __init__(self) -> None:
        super().__init__()
        self.sidebar_folded = False
        self.show_explain: bool | None = None
        """None until the user toggles: then wide terminals show the panel."""

    def action_toggle_explain(self) -> None:
        """A step's side panel, shown or hidden; on another screen, its help."""
        from tui.screens.base import StepScreen

        screen = self.screen
        if not isinstance(screen, StepScreen):
            found: tuple[str, str] | None = getattr(screen, "SCREEN_HELP", None)
            if found is not None:
                from tui.screens.help import HelpScreen

                self.push_screen(HelpScreen(screen, *found))
            return
        self.show_explain = not self.explain_wanted()
        if self.show_explain:  # the toasts would sit over it: the step's go
            self.dismiss_toasts(screen)
        self._apply_panels()

    @staticmethod
    def help_shown(screen: Screen[object]) -> bool:
        """Whether ``screen`` is a screen's help, or a step showing its ``?`` panel."""
        from tui.screens.base import StepScreen
        from tui.screens.help import HelpScreen

        if isinstance(screen, HelpScreen):
            return True
        return isinstance(screen, StepScreen) and any(
            panel.display for panel in screen.query("ExplainPanel")
        )

    def action_show_help_panel(self) -> None:
        """The palette's Keys: the ``?`` panel shown, in place of Textual's keys panel."""
        if self.has_help(self.screen) and not self.help_shown(self.screen):
            self.action_toggle_explain()

    def action_hide_help_panel(self) -> None:
        """The palette's Keys, the ``?`` panel shown: hidden again."""
        from tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        elif self.help_shown(self.screen):
            self.action_toggle_explain()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``?`` is offered only where it shows something: a step, or a screen with help."""
        if action == "toggle_explain":
            return self.has_help(self.screen)
        return True

    @staticmethod
    def has_help(screen: Screen[object]) -> bool:
        """Whether ``screen`` has help for ``?``: a step's panel, or its ``SCREEN_HELP``."""
        from tui.screens.base import StepScreen

        return isinstance(screen, StepScreen) or getattr(screen, "SCREEN_HELP", None) is not None

    def _apply_panels(self) -> None:
        from tui.screens.base import StepScreen

        if isinstance(self.screen, StepScreen):
            self.screen.apply_panels()

    def action_toggle_sidebar(self) -> None:
        self.sidebar_folded = not self.sidebar_folded
        self._apply_panels()

    def explain_wanted(self) -> bool:
        """Whether a new screen shows its panel: the user's choice, else if wide."""
        from tui.screens.base import NARROW

        return self.size.width >= NARROW if self.show_explain is None else self.show_explain
