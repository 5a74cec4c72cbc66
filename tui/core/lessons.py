"""Break-it lessons: a mistake or an attack, set up on the demo provider, and the rule
that catches it.

Each lesson is one entry of :data:`LESSONS`: what the app prepares (:class:`Prep`, run
by :func:`set_up` through the session's public methods), what it alters in the next
request or answer (:class:`Tamper`, applied by the session while the lesson runs),
the step where the user takes the last step, the error expected back, and what it
teaches: the rule, its RFC section, and what an attacker would have gained without
it. The session tells the UI when the expected error comes back
(:meth:`Session.lesson_saw`). A lesson for another flow (the device flow's
``slow_down``, say) is one more entry, with the Prep and Tamper it needs.

The tutorial's "Break it" section does the same by hand (docs/tutorial.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import Enum, StrEnum
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tui.core.errors import (
    ConfigError,
    DanceError,
    IssuerMismatchError,
    OAuthError,
    ResponseFormatError,
    StateMismatchError,
)
from tui.core.providers import DEMO_PUBLIC_CLIENT_ID, ClientAuth
from tui.core.state import DanceState
from tui.core.steps import BY_STEP, DEVICE_STEPS, Step, StepInfo, settings_complete

if TYPE_CHECKING:
    import httpx

    from tui.core.exchange import Exchange
    from tui.core.session import Session
    from tui.core.store import CredsStore

SETUP = "lesson setup"
"""The purpose of the exchanges a lesson's setup sends: the steps show their own."""
ATTACKER_ISSUER = "https://attacker.example"
"""The issuer the mix-up lesson puts in the redirect: another server's."""
PROGRESS_KEY = "lessons_done"
"""The app table's key (credentials file) listing the lessons done, by key."""


class Prep(Enum):
    """What the app does before the user's step."""

    ATTEMPT = "a new attempt"
    CODE = "a fresh code, not exchanged"
    EXCHANGED = "a code exchanged for tokens"
    SPENT_REFRESH = "a refresh token copied, then rotated away or revoked"
    DEVICE_CODE = "the device flow chosen, and a device code nobody has approved yet"


class Tamper(StrEnum):
    """What the session alters while the lesson runs, as an attacker (or a bug) would."""

    STATE = "state"
    """One character of the redirect's ``state`` is changed before it is checked."""
    ISS = "iss"
    """The redirect's ``iss`` names another server."""
    REDIRECT_URI = "redirect_uri"
    """The token request carries another ``redirect_uri`` (another port)."""
    VERIFIER = "code_verifier"
    """The token request carries another ``code_verifier``."""
    NO_PKCE = "no_pkce"
    """The authorization request is the public client's, without ``code_challenge``."""
    OLD_REFRESH = "old_refresh"
    """The refresh request carries the copy of the refresh token taken in the setup."""
    POLL_EARLY = "poll_early"
    """The device flow's next poll goes at once, not after the interval."""


@dataclass(frozen=True)
class Expected:
    """The error that shows the rule at work: its class, and for an OAuth error its
    code and (when it tells lessons apart) its description."""

    kind: type[DanceError]
    code: str = ""
    description: str = ""

    def matches(self, error: DanceError) -> bool:
        if not isinstance(error, self.kind):
            return False
        if isinstance(error, OAuthError):
            return (not self.code or error.code == self.code) and (
                not self.description or error.description == self.description
            )
        return True


@dataclass(frozen=True)
class Lesson:
    key: str
    """Its name in the progress list of the credentials file: never change it."""
    title: str
    step: Step
    """Where the user takes the step the lesson is about."""
    prep: Prep
    tamper: Tamper | None
    setup: str
    """What the app has set up, shown once it is."""
    action: str
    """Which keys to press, on ``step``."""
    expected: Expected
    caught_by: str
    """Who catches it: the provider, or the app's own checks."""
    rule: str
    rfc: str
    attacker_gain: str
    """What an attacker would have gained without the rule."""


INVALID_GRANT = "invalid_grant"

LESSONS: tuple[Lesson, ...] = (
    Lesson(
        key="code-reuse",
        title="Reuse a code",
        step=Step.EXCHANGE,
        prep=Prep.EXCHANGED,
        tamper=None,
        setup="The app authorized and exchanged a code for tokens. The request below "
        "sends the same code again.",
        action="Press enter (or s) to send it.",
        expected=Expected(OAuthError, INVALID_GRANT, "Invalid authorization code"),
        caught_by="the provider",
        rule="A code works once: the client must not use it twice, and a server that sees "
        "it again should revoke the tokens issued from it (the demo does: the access token "
        "and the refresh token of this grant are dead now).",
        rfc="RFC 6749 §4.1.2, §10.5",
        attacker_gain="A code leaked after its use (a browser history, a Referer header, a "
        "proxy log) would buy a second set of tokens for the victim's account.",
    ),
    Lesson(
        key="state",
        title="Tamper with the state",
        step=Step.AUTHORIZE,
        prep=Prep.ATTEMPT,
        tamper=Tamper.STATE,
        setup="A new attempt is started. When the redirect comes back, the app changes one "
        "character of its state, as in a redirect an attacker forged.",
        action="Press g for the consent page, then a to approve.",
        expected=Expected(StateMismatchError),
        caught_by="the app's own check",
        rule="The state that comes back must be the one this attempt sent; a redirect with "
        "another is refused, and its code is never used.",
        rfc="RFC 6749 §10.12 (CSRF)",
        attacker_gain="Login CSRF: the attacker authorizes with their own account and sends "
        "you a link to your redirect URI with that code. Accepted, your app would work in "
        "the attacker's account, and what you save there would be theirs to read.",
    ),
    Lesson(
        key="redirect-uri",
        title="Send a wrong redirect_uri",
        step=Step.EXCHANGE,
        prep=Prep.CODE,
        tamper=Tamper.REDIRECT_URI,
        setup="A fresh code is waiting. The exchange below sends a redirect_uri with another "
        "port than the authorization request's.",
        action="Press enter (or s) to send it.",
        expected=Expected(OAuthError, INVALID_GRANT, "Invalid redirect URI"),
        caught_by="the provider",
        rule="When the authorization request carried a redirect_uri, the token request must "
        "carry an identical one, byte for byte.",
        rfc="RFC 6749 §4.1.3, §10.6",
        attacker_gain="A code sent to the attacker's own address (through an open "
        "redirector, or a redirect URI checked loosely) could be redeemed there; the "
        "check ties the code to the address it was delivered to.",
    ),
    Lesson(
        key="code-verifier",
        title="Send a wrong code_verifier",
        step=Step.EXCHANGE,
        prep=Prep.CODE,
        tamper=Tamper.VERIFIER,
        setup="A fresh code is waiting. The exchange below sends a code_verifier other "
        "than the one whose S256 hash went in the authorization request.",
        action="Press enter (or s) to send it.",
        expected=Expected(OAuthError, INVALID_GRANT, "code_verifier was incorrect"),
        caught_by="the provider",
        rule="The server hashes the code_verifier and compares it with the code_challenge "
        "of the authorization request; they must match.",
        rfc="RFC 7636 §4.6",
        attacker_gain="A stolen code (another app on the phone claiming the redirect, a "
        "proxy log) would be redeemed for tokens; without the verifier, which never "
        "left the app, it is worth nothing.",
    ),
    Lesson(
        key="expired-code",
        title="Let a code expire",
        step=Step.EXCHANGE,
        prep=Prep.CODE,
        tamper=None,
        setup="A fresh code is waiting; the demo's codes live 60 seconds.",
        action="Wait a minute, then press enter (or s) to send it.",
        expected=Expected(OAuthError, INVALID_GRANT, "Invalid authorization code"),
        caught_by="the provider",
        rule="A code must expire shortly after it is issued: ten minutes at most is "
        "recommended, a minute is common.",
        rfc="RFC 6749 §4.1.2",
        attacker_gain="A code found later in a browser history or a log would still buy "
        "tokens; a short life closes that window.",
    ),
    Lesson(
        key="refresh-reuse",
        title="Reuse a refresh token",
        step=Step.REFRESH,
        prep=Prep.SPENT_REFRESH,
        tamper=Tamper.OLD_REFRESH,
        setup="The app copied the refresh token, as a thief would, then spent it. The "
        "refresh below presents the copy.",
        action="Press enter (or s) to send it.",
        expected=Expected(OAuthError, INVALID_GRANT, "Refresh token revoked"),
        caught_by="the provider",
        rule="A rotated-out refresh token that comes back means two parties hold it: the "
        "server cannot tell the thief from the app, so it revokes the whole grant. A "
        "revoked one is refused as well.",
        rfc="RFC 9700 §4.14.2, RFC 6749 §10.4, RFC 7009 §2",
        attacker_gain="A refresh token makes new access tokens for months: stolen, it "
        "would keep the attacker in the account long after each access token expired.",
    ),
    Lesson(
        key="no-pkce",
        title="Leave out PKCE (public client)",
        step=Step.AUTHORIZE,
        prep=Prep.ATTEMPT,
        tamper=Tamper.NO_PKCE,
        setup=f"A new attempt is started. Its URL asks as the public client "
        f"({DEMO_PUBLIC_CLIENT_ID}, no secret) and leaves out code_challenge.",
        action="Press g: the browser's request goes to the provider.",
        expected=Expected(OAuthError, "invalid_request"),
        caught_by="the provider",
        rule="A public client must use PKCE, and the server requires it of that client: an "
        "authorization request without code_challenge is refused.",
        rfc="RFC 7636 §4.4.1, RFC 9700 §2.1.1",
        attacker_gain="A public client has no secret: whoever intercepts its code could "
        "redeem it as the client, for the user's tokens.",
    ),
    Lesson(
        key="iss",
        title="An iss mix-up",
        step=Step.AUTHORIZE,
        prep=Prep.ATTEMPT,
        tamper=Tamper.ISS,
        setup=f"A new attempt is started. When the redirect comes back, the app changes "
        f"its iss to another server's ({ATTACKER_ISSUER}).",
        action="Press g for the consent page, then a to approve.",
        expected=Expected(IssuerMismatchError),
        caught_by="the app's own check",
        rule="The iss of the authorization response must be the issuer the request went "
        "to; this server promises it in every response.",
        rfc="RFC 9207 §2.4",
        attacker_gain="Mix-up: a client that talks to several servers, one of them the "
        "attacker's, would send a code from the honest server to the attacker's token "
        "endpoint, handing over the victim's account.",
    ),
    Lesson(
        key="slow-down",
        title="Poll too fast (device flow)",
        step=Step.EXCHANGE,
        prep=Prep.DEVICE_CODE,
        tamper=Tamper.POLL_EARLY,
        setup="The app chose the device flow for the demo provider (v on Credentials "
        "goes back to the redirect) and got a device code that nobody has approved. "
        "While the lesson runs, it polls again at once instead of waiting the interval.",
        action="Press enter to poll.",
        expected=Expected(OAuthError, "slow_down"),
        caught_by="the provider",
        rule="A device polls no faster than the interval the server gave; polled faster, "
        "the server answers slow_down, and the device must wait 5 s longer from then on.",
        rfc="RFC 8628 §3.5, §5.2",
        attacker_gain="Polls are the one request a device repeats unattended: without a "
        "pace the server enforces, a flood of devices (or one attacker guessing device "
        "codes) would hammer the token endpoint at will.",
    ),
)

BY_KEY = {lesson.key: lesson for lesson in LESSONS}


def lesson_step(lesson: Lesson) -> StepInfo:
    """The step the user takes, as the lesson's flow names it (the device flow's Poll)."""
    if lesson.prep is Prep.DEVICE_CODE:
        return DEVICE_STEPS.get(lesson.step, BY_STEP[lesson.step])
    return BY_STEP[lesson.step]


@dataclass(frozen=True)
class LessonRun:
    """A lesson under way in a session, or just ended."""

    lesson: Lesson
    note: str
    """What the setup did, said to the user (the lesson's ``setup``, completed)."""
    kept_refresh: str = ""
    """The copy of the refresh token (Tamper.OLD_REFRESH)."""
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


def done_keys(app_table: Mapping[str, object]) -> list[str]:
    """The keys of the lessons done, from the app table (a wrong type counts as none)."""
    value = app_table.get(PROGRESS_KEY)
    if not isinstance(value, list):
        return []
    return [key for key in value if isinstance(key, str)]


# --- what the session alters while a lesson runs -----------------------------


def tampered_callback(text: str, tamper: Tamper) -> str:
    """The redirect URL with its ``state`` changed (one character) or its ``iss``
    another server's; anything else is returned as it is."""
    parts = urlsplit(text.strip())
    if not parts.query:
        return text
    params = parse_qsl(parts.query, keep_blank_values=True)
    if tamper is Tamper.STATE:
        params = [(k, _flip(v) if k == "state" else v) for k, v in params]
    elif tamper is Tamper.ISS:
        params = [(k, ATTACKER_ISSUER if k == "iss" else v) for k, v in params]
    return urlunsplit(parts._replace(query=urlencode(params)))


def _flip(value: str) -> str:
    """``value`` with its last character changed."""
    if not value:
        return "x"
    return value[:-1] + ("A" if value[-1] != "A" else "B")


def tampered_token_state(state: DanceState, tamper: Tamper) -> DanceState:
    """The state the token request is built from: another redirect_uri's port, or
    another verifier."""
    if tamper is Tamper.REDIRECT_URI:
        import httpx

        url = httpx.URL(state.redirect_uri)
        port = url.port or (443 if url.scheme == "https" else 80)
        return replace(state, redirect_uri=str(url.copy_with(port=port + 1)))
    if tamper is Tamper.VERIFIER:
        from tui.core.pkce import new_pkce

        return replace(state, code_verifier=new_pkce().verifier)
    return state


def public_client_state(state: DanceState) -> DanceState:
    """The state the authorization request is built from: the public client's, PKCE off
    (a public client always sends it, so it is left out of the request afterwards)."""
    return replace(
        state, client_id=DEMO_PUBLIC_CLIENT_ID, client_secret="", auth_method=ClientAuth.NONE
    )


def without_pkce(request: httpx.Request) -> httpx.Request:
    """The authorization request without ``code_challenge`` and its method."""
    import httpx

    params = [
        (k, v)
        for k, v in request.url.params.multi_items()
        if k not in ("code_challenge", "code_challenge_method")
    ]
    url = request.url.copy_with(params=None).copy_merge_params(tuple(params))
    return httpx.Request(request.method, url, headers=request.headers)


# --- the setup -------------------------------------------------------------------


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
    run = LessonRun(lesson, note, kept_refresh=kept)
    session.start_lesson(run)
    return run


async def _sent(session: Session, exchange: Exchange) -> Exchange:
    exchange.purpose = SETUP
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
    return (
        f"{note} This server does not rotate this client's refresh tokens, so the app "
        "revoked it (RFC 7009) after taking the copy."
    )


def record_done(store: CredsStore, key: str) -> list[str]:
    """Add ``key`` to the lessons done in the credentials file's app table.

    Returns:
        The keys of every lesson done, in the order of :data:`LESSONS`.

    Raises:
        StoreError: the file could not be read or written.
    """
    done = set(done_keys(store.load_app())) | {key}
    keys = [lesson.key for lesson in LESSONS if lesson.key in done]
    keys += sorted(done - set(keys))  # a later version's lessons are kept
    store.update_app(**{PROGRESS_KEY: keys})
    return keys
