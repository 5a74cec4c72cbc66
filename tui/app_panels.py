"""The App's side panels: the step list folded or not, and the "what is happening"
panel shown or not (by the user's choice, else on a wide terminal)."""

from __future__ import annotations

from tui.app_surfaces import SafeSurfaces


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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``?`` is offered only where it shows something: a step, or a screen with help."""
        if action == "toggle_explain":
            from tui.screens.base import StepScreen

            screen = self.screen
            return (
                isinstance(screen, StepScreen) or getattr(screen, "SCREEN_HELP", None) is not None
            )
        return True

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
