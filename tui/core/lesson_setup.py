"""Running a lesson: whether the session can, what of the user's settings it changes,
:func:`set_up`, which prepares the lesson through the session's public methods
and starts the :class:`LessonRun` the session carries while it is under way, and
:func:`stop`, which ends it before it is caught.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.core.errors import ConfigError, DanceError, ResponseFormatError
from tui.core.lessons import Lesson, Prep, Tamper
from tui.core.state import DanceState
from tui.core.steps import Step, settings_complete

if TYPE_CHECKING:
    from tui.core.exchange import Exchange
    from tui.core.session import Session

SETUP = "lesson setup"
"""The purpose of the exchanges a lesson's setup sends: the steps show their own."""

SETUP_REVOKED = "the lesson's setup"
"""Who had the grant revoked, when a lesson's setup revoked the refresh token."""


@dataclass(frozen=True)
class LessonRun:
    """A lesson under way in a session, or just ended."""

    lesson: Lesson
    note: str
    """What the setup did, said to the user (the lesson's ``setup``, completed)."""
    kept_refresh: str = ""
    """The copy of the refresh token (Tamper.OLD_REFRESH)."""
    changes: tuple[str, ...] = ()
    """What of the user's settings the setup changed (see :func:`settings_changes`)."""
    caught: DanceError | None = None
    """The expected error, once it came back: the lesson is done."""
    missed: bool = False
    """The step worked instead of failing (a code sent before it expired, say)."""

    @property
    def armed(self) -> bool:
        """Its tamper applies: it has neither been caught nor missed."""
        return self.caught is None and not self.missed


def lesson_problem(session: Session) -> str | None:
    """Why no lesson can start in this session, or None when they can."""
    if not session.provider.is_demo:
        return (
            f"Lessons run on the demo provider, and this is {session.provider.title}: "
            "switch to the embedded demo server on Credentials (1), then come back (l)."
        )
    if not settings_complete(session.state):
        return "Save the demo provider's client id and redirect URI on Credentials (1) first."
    return None


def settings_changes(state: DanceState, lesson: Lesson) -> list[str]:
    """What of the user's own settings ``lesson`` changes, and saves, in a session with
    ``state``; each with the key that changes it back. Said before the lesson starts,
    and again once it is set up: the lesson leaves them as it set them."""
    device = lesson.prep is Prep.DEVICE_CODE
    changes: list[str] = []
    if state.device_flow and not device:
        changes.append(
            "the device flow goes off: the lesson uses the authorization code flow "
            "(v on Credentials, 1, turns the device flow on again)"
        )
    elif device and not state.device_flow:
        changes.append("the device flow goes on (v on Credentials, 1, turns it off again)")
    if state.par:
        changes.append(
            "pushed authorization requests (PAR) go off: the lesson shows the parameters "
            "in the URL (u on Authorize, 2, turns PAR on again)"
        )
    return changes


async def set_up(session: Session, lesson: Lesson) -> LessonRun:
    """Prepare ``lesson`` in ``session`` (any lesson under way ends first), and start it.

    Every request goes through the session, so the history shows each one.

    Raises:
        ConfigError: the session cannot run lessons (see :func:`lesson_problem`), or
            the lesson needs PKCE and it is off.
        DanceError: a request of the setup failed (the message says which).
    """
    problem = lesson_problem(session)
    if problem:
        raise ConfigError(problem)
    session.end_lesson()
    if lesson.tamper is Tamper.VERIFIER and not session.state.uses_pkce:
        raise ConfigError(
            "This lesson sends a wrong code_verifier, so PKCE must be on: turn it on on "
            "Credentials (1, e), then start the lesson again."
        )
    changes = settings_changes(session.state, lesson)
    if session.state.par:
        session.use_par(False)  # the lessons show the parameters in the URL
    if session.state.device_flow != (lesson.prep is Prep.DEVICE_CODE):
        session.use_device_flow(lesson.prep is Prep.DEVICE_CODE)
    note, kept = lesson.setup, ""
    if changes:
        note = f"{note} Your settings changed (and saved): {'; '.join(changes)}."
    before = len(session.history)
    try:
        if lesson.prep is Prep.DEVICE_CODE:
            grant = await _sent(session, session.prepare_device_authorization())
            session.finish_device_authorization(grant)
        elif lesson.prep is Prep.ATTEMPT:
            session.begin_authorization()
        elif lesson.prep in (Prep.CODE, Prep.EXCHANGED):
            await _fresh_code(session)
            if lesson.prep is Prep.EXCHANGED:
                await _exchange(session)
        else:
            if not session.state.refresh:
                await _fresh_code(session)
                await _exchange(session)
            kept = session.state.refresh
            note = await _spend_refresh(session, note)
    finally:  # the browser's part too (the redirect back), and a failed setup's
        for exchange in session.history[before:]:
            exchange.purpose = SETUP
    run = LessonRun(lesson, note, kept_refresh=kept, changes=tuple(changes))
    session.start_lesson(run)
    return run


def stop(session: Session) -> str:
    """End the lesson under way in ``session``: nothing is altered any more. A lesson whose
    attempt was its own (the public client's, without PKCE) leaves a new attempt, the
    user's; one whose setup revoked the refresh token (not rotated) says so: the tokens
    held are dead (see ``Session.note_grant_revoked``). Returns what to tell the user,
    the settings the lesson changed included: they stay as it set them.

    Raises:
        DanceError: the new attempt could not be started (a setting is missing, say).
        StoreError: without ``on_save``, the change could not be saved (it is kept in
            memory).
    """
    run = session.lesson
    session.end_lesson()
    said = ["Stopped: nothing is altered any more; the next requests are your own."]
    tamper = run.lesson.tamper if run is not None and run.armed else None
    if tamper is Tamper.NO_PKCE:
        session.begin_authorization()
        said.append("A new attempt is started, as your own client.")
    elif tamper is Tamper.OLD_REFRESH and session.refresh_dead():
        said.append(
            f"{session.tokens_dead_said()}: authorize again, on Authorize (2), for new tokens."
        )
    if run is not None and run.changes:
        said.append(f"Your settings stay as the lesson set them: {'; '.join(run.changes)}.")
    return " ".join(said)


async def _sent(session: Session, exchange: Exchange) -> Exchange:
    await session.send(exchange)
    if exchange.error is not None:
        raise exchange.error
    return exchange


async def _fresh_code(session: Session) -> None:
    """A new attempt, approved on the demo's consent page: its code waits, not exchanged."""
    from tui.core.consent import decision_request, read_consent_page

    session.begin_authorization()
    request = session.authorization_request()
    page = await _sent(session, session.prepare(Step.AUTHORIZE, request))
    assert page.response is not None
    form = read_consent_page(page.response)
    approve = next((b for b in form.buttons if b[1] == "Approve"), None)
    if approve is None:
        raise ResponseFormatError("The consent page has no Approve button.")
    decision = await _sent(
        session, session.prepare(Step.AUTHORIZE, decision_request(form, approve))
    )
    assert decision.response is not None
    location = decision.response.headers.get("location")
    if not location:
        raise ResponseFormatError("The consent answer did not redirect: it has no Location.")
    session.accept_callback(location)


async def _exchange(session: Session) -> None:
    exchange = await _sent(session, session.prepare_token_exchange())
    session.finish_token_exchange(exchange)


async def _spend_refresh(session: Session, note: str) -> str:
    """Refresh (the refresh token rotates, if the server rotates it); otherwise revoke
    the refresh token (RFC 7009). Either way the copy taken before is dead."""
    from tui.core.revocation import TokenKind
    from tui.core.tokens import RefreshOutcome

    refresh = await _sent(session, session.prepare_refresh())
    change = session.finish_refresh(refresh)
    if change.refresh is RefreshOutcome.ROTATED:
        return f"{note} It refreshed: the answer rotated the refresh token, so the copy is dead."
    revocation = await _sent(session, session.prepare_revocation(TokenKind.REFRESH))
    problem = session.answer_problem(revocation)
    if problem is not None:
        raise problem
    session.note_grant_revoked(SETUP_REVOKED)
    return (
        f"{note} This server does not rotate this client's refresh tokens, so the app "
        "revoked it (RFC 7009) after taking the copy."
    )
