"""The Credentials form by keyboard alone, at 80x24: every scope in sight, Up/Down moving
through the fields (never opening a Select), the focus clear on every control, each
scope's meaning readable whole, and labels that wrap rather than run off the edge."""

from __future__ import annotations

from textual.color import Color
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select, SelectionList, Static

from tests.app.test_app_reach import focus_with, rows_on_screen
from tests.app.wizard import WizardFactory, settle, wait_until
from tests.screenshot import screen_text
from tui.core.scopes import DEMO_SCOPES
from tui.screens.credentials_form import CredentialsForm


async def open_form(pilot: object) -> CredentialsForm:
    for key in ("1", "e"):
        await pilot.press(key)  # type: ignore[attr-defined]
        await settle(pilot)  # type: ignore[arg-type]
    return pilot.app.screen.query_one(CredentialsForm)  # type: ignore[attr-defined, no-any-return]


async def test_the_scope_list_shows_every_scope(wizard: WizardFactory) -> None:
    async with wizard() as (_app, pilot):
        form = await open_form(pilot)
        scopes = form.query_one(SelectionList)
        assert scopes.option_count == len(DEMO_SCOPES) == 7
        assert scopes.max_scroll_y == 0, "all seven rows shown, openid among them"


async def test_down_moves_through_the_fields_and_never_opens_a_select(
    wizard: WizardFactory,
) -> None:
    async with wizard() as (app, pilot):
        form = await open_form(pilot)
        assert app.focused is form.query_one("#client_id")
        seen: list[str] = []
        for _ in range(30):
            focused = app.focused
            assert focused is not None
            if not seen or seen[-1] != focused.id:
                seen.append(str(focused.id))
            if isinstance(focused, Button):
                break
            await pilot.press("down")
            await pilot.pause()
            assert not any(select.expanded for select in form.query(Select)), seen
        assert seen == [
            "client_id",
            "client_secret",
            "redirect_uri",
            "scopes",
            "scope_extra",
            "auth_method",
            "pkce",
            "show_dialog",
            "extra_params",
            "save",
        ]
        assert form.query_one(SelectionList).highlighted == 6, "Down went through openid"
        back: list[str] = []
        for _ in range(30):
            if app.focused is form.query_one("#provider"):
                break
            if not back or back[-1] != app.focused.id:
                back.append(str(app.focused.id))
            await pilot.press("up")
            await pilot.pause()
        assert back == seen[::-1]


def left_edge(widget: Widget) -> Color | None:
    """The colour of the widget's left border or outline, if it has one."""
    for kind, colour in (widget.styles.outline_left, widget.styles.border_left):
        if kind:
            return colour
    return None


async def test_the_focus_is_clear_on_every_form_control(wizard: WizardFactory) -> None:
    """Each control, focused, has an accent edge; none has it blurred."""
    async with wizard() as (app, pilot):
        form = await open_form(pilot)
        accent = Color.parse(app.theme_variables["accent"])
        controls = [w for w in app.screen.focus_chain if form in w.ancestors]
        kinds = (Input, Select, SelectionList, Checkbox, Button)
        assert all(any(isinstance(w, kind) for w in controls) for kind in kinds)
        for control in controls:
            control.focus()
            await pilot.pause()
            assert left_edge(control) == accent, f"{control!r} focused"
            others = [w for w in controls if w is not control]
            assert all(left_edge(w) != accent for w in others), f"{control!r} focused"


async def test_the_highlighted_scope_means_in_full_below_the_list(
    wizard: WizardFactory,
) -> None:
    async with wizard() as (_app, pilot):
        form = await open_form(pilot)
        scopes = form.query_one(SelectionList)
        scopes.focus()
        await pilot.press("end")
        await pilot.pause()
        meaning = form.query_one("#scope_meaning", Static)
        await wait_until(pilot, lambda: "openid" in str(meaning.render()), "openid's meaning")
        text = " ".join(str(meaning.render()).split())
        assert "Sign you in: an id_token says who you are." in text
        for scope in DEMO_SCOPES:
            scopes.highlighted = DEMO_SCOPES.index(scope)
            await pilot.pause()
            assert scope.meaning in " ".join(str(meaning.render()).split())


async def test_every_label_of_the_form_fits_at_80_columns(wizard: WizardFactory) -> None:
    """The show_dialog checkbox's words all show (they wrapped, not ran off the edge)."""
    async with wizard() as (app, pilot):
        form = await open_form(pilot)
        await focus_with(pilot, form.query_one("#extra_params"))
        for widget in [*form.query(Checkbox), *form.query(".note")]:
            assert widget.region.right <= form.content_region.right, widget
            assert rows_on_screen(widget), widget
        shown = " ".join(screen_text(app).split())
        assert "Ask for consent again (show_dialog)" in shown
        assert "Even if the user approved this client before." in shown


async def test_the_open_provider_menu_covers_the_labels_under_it(wizard: WizardFactory) -> None:
    """The compact menu lies over the fields below from the Select's left edge: no letter
    of the label under it shows beside an option (" CSpotify" at 80x24)."""
    async with wizard() as (app, pilot):
        form = await open_form(pilot)
        await pilot.press("shift+tab")
        menu = form.query_one("#provider", Select)
        assert app.focused is menu
        await pilot.press("enter")
        await wait_until(pilot, lambda: menu.expanded, "the provider menu to open")
        await settle(pilot)
        lines = [line for line in screen_text(app).splitlines() if "Spotify" in line]
        assert len(lines) == 1 and "▎  Spotify " in lines[0], lines
        overlay = menu.query_one("SelectOverlay")
        assert overlay.region.x == menu.region.x and overlay.region.width == menu.region.width
