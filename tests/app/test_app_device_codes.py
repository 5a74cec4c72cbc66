"""The device flow's codes after use, by keys at 80x24: spent codes are cleared (in memory
and in the file), n asks for new ones, and what ends a device code sends the user back
for new codes rather than polling with a dead one."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import Static

from tests.app.test_app_console import enter_label
from tests.app.test_app_device import (
    decide_in_browser,
    poll_answers,
    polling_wizard,
    to_device_code,
    type_text,
)
from tests.app.test_app_key_list import first, panel_lines
from tests.app.test_app_step_marks import sidebar_line
from tests.app.wizard import MovedClock, WizardFactory, press, settle, wait_until
from tests.screenshot import screen_text
from tui.app import OAuthDanceApp
from tui.screens.device import DeviceScreen
from tui.screens.poll import PollScreen
from tui.widgets.error_panel import ErrorPanel


async def approve_by_keys(app: OAuthDanceApp, pilot: Pilot[Any], decision: str = "a") -> None:
    """On Device code with codes: g, the user code typed, enter, then Approve (a) or Deny (d)."""
    await press(pilot, "g")
    await type_text(pilot, app.session.state.user_code)
    await press(pilot, "enter", decision)


def saved(creds: Path) -> dict[str, Any]:
    table: dict[str, Any] = tomllib.loads(creds.read_text())["demo"]
    return table


def footer(app: OAuthDanceApp) -> str:
    return screen_text(app).splitlines()[-1]


async def test_codes_used_for_tokens_are_cleared_and_enter_asks_for_new_ones(
    wizard: WizardFactory, isolated_environment: Path
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await to_device_code(app, pilot)
        old_code = app.session.state.user_code
        await approve_by_keys(app, pilot)
        await press(pilot, "enter")  # to Poll
        assert isinstance(app.screen, PollScreen)
        await press(pilot, "enter")  # the tokens
        assert app.session.state.token
        assert not app.session.state.device_code and not app.session.state.user_code
        table = saved(isolated_environment)
        assert "device_code" not in table and "user_code" not in table, table
        await press(pilot, "2")
        assert isinstance(app.screen, DeviceScreen)
        text = screen_text(app)
        assert " ".join(old_code) not in text
        assert "The codes:" not in text and "poll for the tokens" not in text
        assert "asks for a device code" in text
        assert enter_label(pilot) == "Send"
        await press(pilot, "enter")  # new codes, not the old used ones
        assert app.session.state.user_code not in ("", old_code)


async def test_n_clears_the_codes_and_their_countdown_qr_and_poll(
    wizard: WizardFactory, isolated_environment: Path
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await to_device_code(app, pilot)
        old_code = app.session.state.user_code
        await press(pilot, "n")
        assert not app.session.state.device_code
        assert "device_code" not in saved(isolated_environment)
        text = screen_text(app)
        assert "The codes:" not in text and " ".join(old_code) not in text
        assert "⏎ Send" in footer(app) and "Poll" not in footer(app), footer(app)
        await press(pilot, "f")  # no QR code of the old codes
        assert isinstance(app.screen, DeviceScreen)
        await press(pilot, "3")  # Poll is not open without codes
        assert isinstance(app.screen, DeviceScreen)
        await press(pilot, "2")
        assert " ".join(old_code) not in screen_text(app)
        await press(pilot, "enter")
        assert app.session.state.user_code not in ("", old_code)


async def test_after_revoking_both_tokens_enter_asks_for_new_device_codes(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await to_device_code(app, pilot)
        old_code = app.session.state.user_code
        await approve_by_keys(app, pilot)
        await press(pilot, "enter", "enter")  # Poll, the tokens
        await press(pilot, "7", "enter", "enter")  # the access token revoked, tried
        # The refresh token, left, is chosen: s prepares its revocation; revoked, tried.
        await press(pilot, "s", "enter", "enter")
        assert not app.session.state.token and not app.session.state.refresh
        await press(pilot, "enter")  # on to Device code
        assert isinstance(app.screen, DeviceScreen)
        assert " ".join(old_code) not in screen_text(app)
        await press(pilot, "enter")
        assert app.session.state.user_code not in ("", old_code)


def spend_elsewhere(app: OAuthDanceApp) -> Callable[[], object]:
    """Another copy of the device code gets the tokens first: the provider then answers
    invalid_grant to this one."""

    def spend() -> None:
        decide_in_browser(app, "Approve")()
        poll = app.session.prepare_poll()
        with httpx.Client(trust_env=False) as other:
            assert other.send(poll.request).status_code == 200

    return spend


def panel(app: OAuthDanceApp) -> str:
    return " ".join(app.screen.query_one(ErrorPanel).text.split())


async def ends_with_new_codes(app: OAuthDanceApp, pilot: Pilot[Any], answer: str) -> None:
    """Polling ended with ``answer``: the panel says to ask for new codes, not to poll
    again; enter goes to Device code, and enter there asks for new codes."""
    said = panel(app)
    assert answer in said, said
    assert "fresh request" not in said, said
    assert "Press enter for Device code, then enter again for new codes" in said, said
    old = app.session.state.user_code
    assert enter_label(pilot) == "New codes"
    await press(pilot, "enter")
    assert isinstance(app.screen, DeviceScreen)
    polls = len(poll_answers(app))
    await press(pilot, "enter")
    assert len(poll_answers(app)) == polls, "no poll with the dead code"
    assert app.session.state.user_code not in ("", old)


async def test_denied_codes_send_the_user_for_new_codes(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    async with polling_wizard(isolated_environment, moved_clock) as (app, pilot, time):
        time.on_wait = [decide_in_browser(app, "Deny")]
        await press(pilot, "enter")
        assert poll_answers(app) == ["authorization_pending", "access_denied"]
        assert "Deny" in panel(app)
        await ends_with_new_codes(app, pilot, "access_denied")


async def test_invalid_grant_while_polling_is_explained_for_the_device_flow(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    async with polling_wizard(isolated_environment, moved_clock) as (app, pilot, time):
        time.on_wait = [spend_elsewhere(app)]
        await press(pilot, "enter")
        assert poll_answers(app) == ["authorization_pending", "invalid_grant"]
        said = panel(app)
        assert "device code" in said, said
        for redirect_words in ("redirect_uri", "about a minute", "Authorize again"):
            assert redirect_words not in said, said
        await ends_with_new_codes(app, pilot, "invalid_grant")


async def test_asking_for_device_codes_never_makes_a_spent_code_waiting_again(
    wizard: WizardFactory, isolated_environment: Path
) -> None:
    """The redirect flow's code exchanged, then device codes asked for, then back to the
    redirect flow: Authorize does not offer the spent code for exchange."""
    async with wizard(size=(80, 24)) as (app, pilot):
        await press(pilot, "g", "a", "3", "s")  # the redirect flow's code, exchanged
        assert app.session.state.token and app.session.state.code_exchanged
        await press(pilot, "1", "v", "2", "enter")  # device codes asked for
        assert app.session.state.user_code
        await press(pilot, "1", "v", "2")  # back to the redirect flow's Authorize
        assert "A code from this attempt is waiting" not in screen_text(app)
        table = saved(isolated_environment)
        assert "code" not in table or table.get("code_exchanged") is True, table
        exchanges = len(app.session.history)
        await press(pilot, "enter")
        assert not any(
            e.step.value == "exchange" and e.form_value("code")
            for e in app.session.history[exchanges:]
        ), "the spent code is not sent again"
        assert app.session.state.token


async def test_with_par_turned_on_over_a_spent_code_enter_does_what_the_status_says(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await press(pilot, "g", "a", "3", "s", "2")  # the code spent, back on Authorize
        await press(pilot, "u")  # PAR on
        status = " ".join(str(app.screen.query_one("#status").render()).split())
        assert enter_label(pilot) == "New attempt"
        assert "press enter for a new attempt" in status, status
        await press(pilot, "enter")  # the new attempt: now enter pushes, as it says
        status = " ".join(str(app.screen.query_one("#status").render()).split())
        assert enter_label(pilot) == "Push"
        assert "press enter to push" in status, status


async def test_no_qr_hint_before_there_are_codes(wizard: WizardFactory) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await press(pilot, "1", "v", "enter")  # Device code, fresh: no codes yet
        assert isinstance(app.screen, DeviceScreen)
        for _ in range(3):  # the whole step, scrolled through
            assert "QR code" not in screen_text(app)
            await press(pilot, "pagedown")
        await press(pilot, "enter")  # the codes: now there is a QR code to see
        app.screen.query_one("#qr").scroll_visible(animate=False)
        await settle(pilot)
        assert "QR code needs" in screen_text(app) or "▀" in screen_text(app)


async def test_the_device_flow_names_its_steps_in_keys_and_texts(wizard: WizardFactory) -> None:
    """Where the sidebar says Device code and Poll, so do the footer, the ? key list and
    the Credentials summary."""
    async with wizard(size=(80, 24)) as (app, pilot):
        await press(pilot, "1", "v")
        assert "⏎ Device code" in footer(app), footer(app)
        said = " ".join(screen_text(app).split())
        assert "enter goes on to Device code" in said, said
        await press(pilot, "enter", "enter")  # Device code, the codes
        assert isinstance(app.screen, DeviceScreen)
        await press(pilot, "question_mark")
        lines = await panel_lines(pilot)
        keys = " ".join(" ".join(lines[first(lines, "Keys") :]).split())
        assert "2 Device code" in keys and "3 Poll" in keys, keys
        assert "Authorize" not in keys and "Exchange" not in keys, keys
        await press(pilot, "question_mark")
        await approve_by_keys(app, pilot)
        await press(pilot, "enter", "enter")  # Poll, the tokens
        await press(pilot, "7", "enter", "enter", "s", "enter", "enter")  # both revoked
        assert "⏎ Device code" in footer(app), footer(app)


async def test_after_a_deny_the_text_and_footer_say_what_enter_does(
    wizard: WizardFactory,
) -> None:
    """The codes are over: no "press enter to poll" below the error, no Send with them."""
    async with wizard(size=(80, 24)) as (app, pilot):
        await to_device_code(app, pilot)
        await approve_by_keys(app, pilot, "d")  # denied on the verification page
        await press(pilot, "3", "enter")  # Poll, and a poll: access_denied
        assert isinstance(app.screen, PollScreen)
        assert poll_answers(app) == ["access_denied"]
        said = " ".join(screen_text(app).split())
        assert "Press enter for Device code" in said, said
        assert "enter to poll" not in said, said
        assert "Send" not in footer(app), footer(app)
        assert "New codes" in footer(app), footer(app)
        await press(pilot, "s")  # no poll with the dead code either
        assert poll_answers(app) == ["access_denied"]


async def test_g_puts_the_user_code_field_in_view_with_esc_in_the_footer(
    wizard: WizardFactory,
) -> None:
    async with wizard(size=(80, 24)) as (app, pilot):
        await to_device_code(app, pilot)
        await press(pilot, "g")  # the verification page asks for the user code
        field = app.screen.focused
        assert field is not None and field.id == "typed-code"

        def in_view() -> bool:
            region = field.region
            return region.height > 0 and app.screen.get_widget_at(*region.offset)[0] is field

        await wait_until(pilot, in_view, "the field in view", timeout=2)
        assert "esc Leave field" in footer(app), footer(app)
        await press(pilot, "escape")
        assert "Leave field" not in footer(app), footer(app)


def device_code_mark(pilot: Pilot[Any]) -> str:
    """The sidebar's mark on Device code: ✓ while the attempt holds its codes."""
    return sidebar_line(pilot, "Device code")[0]


async def test_codes_run_out_by_the_countdown_are_forgotten_as_denied_ones_are(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    """Polling stops when the countdown ends: the codes are forgotten (memory, file,
    sidebar), and Device code then says only what enter does, asking for new ones."""
    async with polling_wizard(isolated_environment, moved_clock) as (app, pilot, time):
        assert device_code_mark(pilot) == "✓"
        time.on_wait = [lambda: moved_clock.advance(597)]  # the codes' 600 s are over
        await press(pilot, "enter")
        assert "Polling stopped: the codes expired." in screen_text(app)
        assert not app.session.state.device_code and not app.session.state.user_code
        await wait_until(
            pilot, lambda: "device_code" not in saved(isolated_environment), "the file saved"
        )
        assert device_code_mark(pilot) != "✓"
        await press(pilot, "enter")  # Device code
        assert isinstance(app.screen, DeviceScreen)
        said = " ".join(screen_text(app).split())
        assert "Press enter to send it." in said, said
        assert "The codes:" not in said and "press n" not in said, said
        await press(pilot, "enter")  # the POST for new codes, sent
        assert app.session.device_seconds_left() == 600


async def test_codes_that_expire_on_device_code_are_forgotten_and_enter_asks_for_new_ones(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    async with polling_wizard(isolated_environment, moved_clock) as (app, pilot, _time):
        await press(pilot, "2")
        assert isinstance(app.screen, DeviceScreen)
        old = app.session.state.user_code
        moved_clock.advance(600)  # the countdown, ticking each second, reaches its end
        await wait_until(pilot, lambda: not app.session.state.device_code, "the codes gone")
        await settle(pilot)
        status = str(app.screen.query_one("#status", Static).render())
        assert "The codes expired, and are forgotten." in status, status
        assert "Press enter to send it." in status, status
        said = " ".join(screen_text(app).split())
        assert " ".join(old) not in said and "press n" not in said, said
        assert device_code_mark(pilot) != "✓"
        await wait_until(
            pilot, lambda: "device_code" not in saved(isolated_environment), "the file saved"
        )
        await press(pilot, "enter")
        assert app.session.state.user_code not in ("", old)
        assert app.session.device_seconds_left() == 600


async def test_the_qr_hint_comes_after_the_user_code_and_the_url(wizard: WizardFactory) -> None:
    """ "Or scan the QR code" is the alternative to typing the code at the URL: below them."""
    async with wizard(size=(80, 24)) as (app, pilot):
        await to_device_code(app, pilot)
        status = app.screen.query_one("#status", Static)
        assert "Or scan the QR code" in str(status.render())
        code = app.screen.query_one("#user-code", Static)
        assert "On any device, open" in str(code.render())
        assert status.virtual_region.y > code.virtual_region.bottom - 1
        said = " ".join(screen_text(app).split())
        assert said.index("On any device, open") < said.index("Or scan the QR code"), said


async def test_codes_that_expire_on_poll_while_not_polling_are_forgotten_too(
    isolated_environment: Path, moved_clock: MovedClock
) -> None:
    async with polling_wizard(isolated_environment, moved_clock) as (app, pilot, _time):
        moved_clock.advance(600)  # on Poll, enter not pressed: the countdown ends
        await wait_until(pilot, lambda: not app.session.state.device_code, "the codes gone")
        await settle(pilot)
        assert "The device code and the user code expired" in panel(app)
        assert device_code_mark(pilot) != "✓"
        assert enter_label(pilot) == "New codes"
        await press(pilot, "enter")
        assert isinstance(app.screen, DeviceScreen)
        assert poll_answers(app) == [], "no poll with expired codes"
