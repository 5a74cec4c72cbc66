"""Break-it lessons: a mistake or an attack, set up on the demo provider, and the rule
that catches it. This module is the catalogue: :data:`LESSONS` and what its entries
are made of.

Each lesson is one entry of :data:`LESSONS`: what the app prepares (:class:`Prep`, run
by :func:`tui.core.lesson_setup.set_up` through the session's public methods), what it
alters in the next request or answer (:class:`Tamper`, applied by the session while the
lesson runs, with :mod:`tui.core.lesson_tampering`), the step where the user takes the
last step, the error expected back, and what it teaches: the rule, its RFC section, and
what an attacker would have gained without it. The session tells the UI when the
expected error comes back (:meth:`Session.lesson_saw`); the lessons done are kept by
:mod:`tui.core.lesson_progress`. A lesson for another flow (the device flow's
``slow_down``, say) is one more entry, with the Prep and Tamper it needs.

The tutorial's "Break it" section does the same by hand (docs/tutorial.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

from tui.core.errors import (
    DanceError,
    IssuerMismatchError,
    OAuthError,
    StateMismatchError,
)
from tui.core.providers import DEMO_PUBLIC_CLIENT_ID
from tui.core.steps import BY_STEP, DEVICE_STEPS, Step, StepInfo

ATTACKER_ISSUER = "https://attacker.example"
"""The issuer the mix-up lesson puts in the redirect: another server's."""


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

    @property
    def in_prepared_request(self) -> bool:
        """It alters the request its step prepares before the user sends it: stopped,
        the lesson leaves that request to be prepared again, as the user's own."""
        return self in (Tamper.NO_PKCE, Tamper.REDIRECT_URI, Tamper.VERIFIER, Tamper.OLD_REFRESH)


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
    revokes_grant: bool = False
    """Caught, the provider has revoked the grant of the tokens held: they are dead."""

    @property
    def redone_when_stopped(self) -> bool:
        """Stopped before it is caught, its step shows its request anew, as the user's
        own: the lesson altered it (``Tamper.in_prepared_request``), or offered a spent
        code to send (``Prep.EXCHANGED``)."""
        altered = self.tamper is not None and self.tamper.in_prepared_request
        return altered or self.prep is Prep.EXCHANGED


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
        revokes_grant=True,
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
        revokes_grant=True,
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
