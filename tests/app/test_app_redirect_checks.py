"""Authorize's checks of what comes back, by keys and real requests at 80x24 on the demo:
a refusal that is not this attempt's ends nothing, the listener's line is never stale,
a bare code's refusal says what it is, and a new attempt keeps nothing of the last."""

from __future__ import annotations

import socket
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from textual import events
from textual.widgets import Input, Static

from tests.app.test_app_authorize import with_query
from tests.app.test_app_reach import toasts_shown
from tests.app.wizard import Wizard, WizardFactory, approve_in_browser, press, settle, wait_until
from tui.core.errors import IssuerMismatchError, UncheckableCodeError
from tui.screens.authorize import AuthorizeScreen
from tui.widgets.error_panel import ErrorPanel


def shown(wizard: Wizard, selector: str) -> str:
    widget = wizard.app.screen.query_one(selector, Static)
    return str(widget.render()) if widget.display else ""


async def listening(wizard: Wizard) -> None:
    await wait_until(wizard.pilot, lambda: "Listening" in shown(wizard, "#listener"), "listener")


async def browser_get(url: str) -> httpx.Response:
    """What a browser (or any local process) sends to the redirect URI."""
    async with httpx.AsyncClient(trust_env=False) as browser:
        return await browser.get(url)


def port_open(redirect_uri: str) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", urlsplit(redirect_uri).port or 80)) == 0


async def paste_and_enter(wizard: Wizard, text: str) -> None:
    """p, a terminal's bracketed paste into the field, enter."""
    await press(wizard.pilot, "p")
    field = wizard.app.screen.query_one("#paste", Input)
    assert field.has_focus
    field.post_message(events.Paste(text))
    await wizard.pilot.pause()
    await press(wizard.pilot, "enter")


@pytest.mark.parametrize("query", ["error=access_denied", "error=access_denied&state="])
async def test_a_refusal_without_state_sent_to_the_listener_ends_nothing(
    wizard: WizardFactory, query: str
) -> None:
    async with wizard() as w:
        await listening(w)
        uri = w.app.session.state.redirect_uri
        page = await browser_get(f"{uri}?{query}")
        assert page.status_code == 400 and "Not this attempt" in page.text
        await settle(w.pilot)
        assert "Listening" in shown(w, "#listener")
        assert port_open(uri), "the listener still listens"
        assert "Not accepted" not in shown(w, "#status")
        # The provider's own refusal (Deny), with this attempt's state and iss, still ends it.
        denied = approve_in_browser(str(w.app.session.authorization_request().url), "Deny")
        page = await browser_get(denied)
        assert page.status_code == 200 and "Authorization refused" in page.text
        await settle(w.pilot)
        assert "access_denied" in shown(w, "#status")


@pytest.mark.parametrize("refused", ["bad code", "Deny"])
async def test_the_listening_line_goes_when_the_listener_stops(
    wizard: WizardFactory, refused: str
) -> None:
    """A redirect of this attempt that is refused all the same (a code no provider
    issues, or the provider's refusal) stops the listener: the line says so."""
    async with wizard() as w:
        await listening(w)
        uri = w.app.session.state.redirect_uri
        url = str(w.app.session.authorization_request().url)
        if refused == "bad code":
            changed = with_query(approve_in_browser(url), code="a\nb")
        else:
            changed = approve_in_browser(url, "Deny")
        await browser_get(changed)
        await settle(w.pilot)
        assert "Not accepted" in shown(w, "#status")
        assert not port_open(uri)
        assert "Listening" not in shown(w, "#listener")
        assert "Listener stopped" in shown(w, "#listener")


async def test_a_pasted_refusal_without_state_is_refused_as_not_this_attempts(
    wizard: WizardFactory,
) -> None:
    async with wizard() as w:
        await listening(w)
        uri = w.app.session.state.redirect_uri
        await paste_and_enter(w, f"{uri}?error=access_denied")
        assert "RFC 6749 §4.1.2.1" in shown(w, "#status")
        assert isinstance(w.app.screen, AuthorizeScreen) and not w.app.session.attempt_refused()
        assert "Listening" in shown(w, "#listener") and port_open(uri)
        await press(w.pilot, "escape", "g", "a")  # the attempt goes on: its code is taken
        assert "state checked ✓" in shown(w, "#status")


async def test_a_bare_code_where_iss_is_promised_says_so_in_a_short_toast(
    wizard: WizardFactory,
) -> None:
    async with wizard(notifications=True) as w:
        await paste_and_enter(w, "abc123garbage")
        assert UncheckableCodeError.title in w.app.screen.query_one(ErrorPanel).text
        assert [n.title for n in w.app.toasts] == [UncheckableCodeError.title]
        await wait_until(w.pilot, lambda: toasts_shown(w.app), "the toast")
        (toast,) = toasts_shown(w.app)
        assert "mix-up" not in str(toast.render())
        assert toast.region.height <= 6, str(toast.render())


async def test_no_tunnel_is_offered_once_the_code_came(
    wizard: WizardFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "203.0.113.5 50000 192.0.2.10 22")
    async with wizard() as w:
        await listening(w)
        assert "ssh -N -L" in shown(w, "#ssh")
        redirect = approve_in_browser(str(w.app.session.authorization_request().url))
        await browser_get(redirect)
        await settle(w.pilot)
        assert "this attempt has its code" in shown(w, "#listener")
        assert shown(w, "#ssh") == ""


@pytest.mark.parametrize("keys", [("n",), ("enter",)], ids=["n", "enter"])
async def test_a_new_attempt_empties_the_paste_field(
    wizard: WizardFactory, keys: tuple[str, ...]
) -> None:
    async with wizard() as w:
        denied = approve_in_browser(str(w.app.session.authorization_request().url), "Deny")
        await paste_and_enter(w, denied)  # refused: enter starts a new attempt
        assert "access_denied" in shown(w, "#status")
        assert w.app.screen.query_one("#paste", Input).value == denied
        await press(w.pilot, "escape", *keys)
        assert parse_qs(urlsplit(denied).query)["state"][0] != w.app.session.state.state
        assert w.app.screen.query_one("#paste", Input).value == ""


@pytest.mark.parametrize("how", ["Deny", "pasted"])
async def test_the_providers_refusal_ends_the_attempt_listener_tunnel_and_all(
    wizard: WizardFactory, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """Deny on the consent page (g, d), or its refusal pasted: the listener stops, its
    line and the ssh line go, and no code for that attempt is taken afterwards, neither
    by the listener nor pasted, though it carries the attempt's state and iss."""
    monkeypatch.setenv("SSH_CONNECTION", "203.0.113.5 50000 192.0.2.10 22")
    async with wizard() as w:
        await listening(w)
        assert "ssh -N -L" in shown(w, "#ssh")
        uri = w.app.session.state.redirect_uri
        url = str(w.app.session.authorization_request().url)
        if how == "Deny":
            await press(w.pilot, "g")
            await wait_until(w.pilot, lambda: w.app.screen.query_one("#decision").display, "page")
            await press(w.pilot, "d")
        else:
            await paste_and_enter(w, approve_in_browser(url, "Deny"))
        await settle(w.pilot)
        assert "Not accepted: access_denied. Press enter for a new attempt." in shown(w, "#status")
        assert shown(w, "#listener") == (
            "Listener stopped: the provider refused this attempt; press enter for a new attempt."
        )
        assert shown(w, "#ssh") == ""
        assert not port_open(uri)
        # A code for the refused attempt, with its state and iss, from the demo itself.
        late = approve_in_browser(url)
        with pytest.raises(httpx.ConnectError):
            await browser_get(late)
        await press(w.pilot, "escape")
        await paste_and_enter(w, late)
        assert "already refused this attempt" in w.app.screen.query_one(ErrorPanel).text
        assert "Not accepted" in shown(w, "#status") and w.app.session.state.code == ""
        await press(w.pilot, "escape", "enter")  # a new attempt listens again
        await listening(w)
        assert (
            port_open(uri)
            and w.app.session.state.state != parse_qs(urlsplit(late).query)["state"][0]
        )


@pytest.mark.parametrize("iss", ["", "https://evil.example"], ids=["no iss", "another iss"])
async def test_a_redirect_failing_the_issuer_check_is_refused_and_the_attempt_goes_on(
    wizard: WizardFactory, iss: str
) -> None:
    """The right state and a code, but not the iss promised: not this attempt's answer to
    trust (a possible mix-up, RFC 9207). The listener answers 400 and goes on listening,
    the panel says why, and the provider's real redirect is still taken."""
    async with wizard() as w:
        await listening(w)
        uri = w.app.session.state.redirect_uri
        url = str(w.app.session.authorization_request().url)
        forged = with_query(approve_in_browser(url), iss=iss)
        if not iss:
            parts = urlsplit(forged)
            kept = [p for p in parts.query.split("&") if not p.startswith("iss=")]
            forged = parts._replace(query="&".join(kept)).geturl()
        page = await browser_get(forged)
        assert page.status_code == 400 and "Not this attempt" in page.text
        assert "mix-up" in page.text
        await settle(w.pilot)
        panel = w.app.screen.query_one(ErrorPanel).text
        assert IssuerMismatchError.title in panel and "refused a redirect" in panel
        assert "RFC 9207" in panel
        assert "Listening" in shown(w, "#listener") and port_open(uri)
        assert w.app.session.state.code == ""
        page = await browser_get(approve_in_browser(url))
        assert page.status_code == 200 and "Authorization received" in page.text
        await settle(w.pilot)
        assert "state checked ✓" in shown(w, "#status")


@pytest.mark.parametrize("key", ["state", "iss"])
async def test_a_lessons_tampered_redirect_from_the_listener_leaves_it_listening(
    wizard: WizardFactory, key: str
) -> None:
    """A review find: the listener checks a redirect before a lesson alters it, so it took
    the redirect and stopped; then the altered one was refused as not this attempt's, and
    the screen said "ignored: this attempt goes on" with nothing listening any more."""
    from tests.app.test_app_lessons import open_lesson
    from tui.core.lessons import BY_KEY

    async with wizard() as w:
        await open_lesson(w.app, w.pilot, BY_KEY[key])
        await listening(w)
        uri = w.app.session.state.redirect_uri
        url = str(w.app.session.authorization_request().url)
        page = await browser_get(approve_in_browser(url))
        assert page.status_code == 200
        await settle(w.pilot)
        assert "this attempt goes on" in shown(w, "#status")
        await wait_until(w.pilot, lambda: port_open(uri), "the listener back")
        assert "Listening" in shown(w, "#listener")
