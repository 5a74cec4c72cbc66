"""The wizard's steps: when each can be opened, and what each one teaches.

The "what is happening" texts live here, once: the app's panel shows them
and the docs quote them, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tui.core.providers import ClientAuth
from tui.core.redirect_uri import check_redirect_uri
from tui.core.state import DanceState


class Step(StrEnum):
    CREDENTIALS = "credentials"
    AUTHORIZE = "authorize"
    EXCHANGE = "exchange"
    PROFILE = "profile"
    REFRESH = "refresh"
    CONSOLE = "console"
    REVOKE = "revoke"


@dataclass(frozen=True)
class StepInfo:
    """One step of the wizard, for the sidebar and the explanation panel."""

    step: Step
    title: str
    key: str
    dance: str
    """The dance step numbers it covers (PRODUCT.md's table)."""
    rfc: str
    summary: str
    parameters: tuple[tuple[str, str], ...]

    @property
    def cited(self) -> str:
        """Its dance steps and its RFC, in words; the RFC alone where the dance's mark is
        a part of it (Refresh's §6, Revoke's RFC 7009, the device flow's sections)."""
        if self.dance.startswith(("§", "RFC")):
            return self.rfc
        return f"dance step {self.dance}, {self.rfc}"


STEPS: tuple[StepInfo, ...] = (
    StepInfo(
        Step.CREDENTIALS,
        "Credentials",
        "1",
        "1",
        "RFC 6749 §2",
        "The app registers with the provider and gets a client id, a client secret "
        "and one or more redirect URIs. Nothing is sent on this step.",
        (
            ("client_id", "Public name of the app at the provider (§2.2)."),
            ("client_secret", "The app's password; a public client has none (§2.3.1)."),
            ("redirect_uri", "Where the browser is sent back with the code (§3.1.2)."),
            ("scope", "What the app asks to do, space-separated (§3.3)."),
            ("auth method", "How the app proves who it is at the token endpoint (§2.3)."),
        ),
    ),
    StepInfo(
        Step.AUTHORIZE,
        "Authorize",
        "2",
        "2–6",
        "RFC 6749 §4.1.1–4.1.2, RFC 7636, RFC 9207",
        "The user's browser visits the authorization URL, the user logs in and approves, "
        "and the provider redirects back to redirect_uri with a code and the state.",
        (
            ("response_type=code", "Asks for an authorization code (§4.1.1)."),
            ("state", "A random value we check on return: stops CSRF (§10.12)."),
            (
                "code_challenge",
                "SHA-256 of a secret verifier: proves the same app "
                "redeems the code (RFC 7636 §4.2).",
            ),
            ("code_challenge_method", "S256: the only method worth using (RFC 7636 §4.3)."),
            ("iss", "Which server sent the answer: stops mix-up attacks (RFC 9207)."),
        ),
    ),
    StepInfo(
        Step.EXCHANGE,
        "Exchange",
        "3",
        "7–8",
        "RFC 6749 §4.1.3–4.1.4, §5",
        "The app sends the code to the token endpoint, with its own credentials, and "
        "gets an access token and usually a refresh token back.",
        (
            ("grant_type=authorization_code", "Redeem a code (§4.1.3)."),
            ("code", "Single-use and short-lived (§4.1.2)."),
            ("redirect_uri", "Must equal the one sent on Authorize (§4.1.3)."),
            ("code_verifier", "The PKCE secret whose hash was sent before (RFC 7636 §4.5)."),
            ("Authorization: Basic", "base64(form-encoded id ':' form-encoded secret) (§2.3.1)."),
        ),
    ),
    StepInfo(
        Step.PROFILE,
        "Profile",
        "4",
        "API",
        "RFC 6750 §2.1",
        "The app calls the API with the access token in the Authorization header. "
        "A 401 means the token expired or was revoked: refresh it.",
        (
            ("Authorization: Bearer", "Whoever bears this token may use it (RFC 6750)."),
            ("expires_in", "Seconds the access token lives; saved as an absolute time."),
            ("scope", "What the token was granted; may be less than asked."),
        ),
    ),
    StepInfo(
        Step.REFRESH,
        "Refresh",
        "5",
        "§6",
        "RFC 6749 §6, RFC 9700 §4.14",
        "The app trades its refresh token for a new access token, without the user. "
        "If no new refresh token comes back, the old one stays valid and is kept.",
        (
            ("grant_type=refresh_token", "Use a refresh token (§6)."),
            ("refresh_token", "Long-lived; some servers rotate it on every use."),
            ("rotation", "Reusing a rotated-out refresh token revokes the grant (RFC 9700)."),
        ),
    ),
    StepInfo(
        Step.CONSOLE,
        "Call API",
        "6",
        "API",
        "RFC 6750 §2.1, §3.1",
        "Any request to the API, with the access token as a Bearer header: set the method, "
        "the URL, extra headers and a body. A 401 offers a refresh, then the call again.",
        (
            ("Authorization: Bearer", "Added to every call; a header of yours replaces it."),
            ("Content-Type", "Guessed for a body (JSON or text) unless you set it."),
            ("401 invalid_token", "Expired or revoked: refresh, then retry (RFC 6750 §3.1)."),
            ("403 insufficient_scope", "The token lacks a scope this call needs (§3.1)."),
        ),
    ),
    StepInfo(
        Step.REVOKE,
        "Revoke",
        "7",
        "RFC 7009",
        "RFC 7009 §2",
        "The app tells the provider it no longer needs a token, and the provider kills it. "
        "The token is dropped from the credentials file; trying it next shows the 401.",
        (
            ("token", "The access or refresh token to revoke (§2.1)."),
            ("token_type_hint", "Which kind it is; only a hint: servers look further (§2.1)."),
            ("client authentication", "As at the token endpoint (RFC 6749 §2.3)."),
            ("200 OK", "Revoked, or it was invalid already: either way it is dead (§2.2)."),
            ("refresh token", "Revoking it should kill the grant's access tokens too (§2.1)."),
        ),
    ),
)

BY_STEP = {info.step: info for info in STEPS}

DEVICE_STEPS: dict[Step, StepInfo] = {
    Step.AUTHORIZE: StepInfo(
        Step.AUTHORIZE,
        "Device code",
        "2",
        "§3.1–3.3",
        "RFC 8628 §3.1–3.3",
        "The app asks for a device code and a user code. The user opens the verification "
        "URI in any browser, on any machine, types the user code and approves: no redirect "
        "comes back to this machine.",
        (
            ("device_code", "The app's secret for this attempt: it polls with it (§3.2)."),
            ("user_code", "What the user types on the verification page; short, shown (§3.2)."),
            ("verification_uri", "Where the user goes, in a browser of their choice (§3.2)."),
            (
                "verification_uri_complete",
                "The same with the user code in it: for a QR code (§3.3.1).",
            ),
            ("expires_in", "Seconds both codes live (§3.2)."),
            ("interval", "Seconds to wait between polls; 5 when not given (§3.2)."),
        ),
    ),
    Step.EXCHANGE: StepInfo(
        Step.EXCHANGE,
        "Poll",
        "3",
        "§3.4–3.5",
        "RFC 8628 §3.4–3.5",
        "The app asks the token endpoint, again and again at the interval, whether the user "
        "has approved. The answer is the tokens, or why not yet.",
        (
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code (§3.4)."),
            ("device_code", "From the first answer: the secret this attempt polls with (§3.4)."),
            ("authorization_pending", "Not yet: ask again after the interval (§3.5)."),
            ("slow_down", "Not yet, and too fast: 5 s more, from now on (§3.5)."),
            ("expired_token", "The codes expired: ask for new ones (§3.5)."),
            ("access_denied", "The user said no: polling ends (§3.5)."),
        ),
    ),
}
"""The two steps the device flow (RFC 8628) puts in Authorize's and Exchange's places;
their ``dance`` is RFC 8628's sections, the redirect dance's step numbers being no
part of it."""


def flow_info(step: Step, *, device_flow: bool) -> StepInfo:
    """The step as the flow has it: the device flow's two steps in their places."""
    if device_flow:
        return DEVICE_STEPS.get(step, BY_STEP[step])
    return BY_STEP[step]


def step_info(step: Step, state: DanceState) -> StepInfo:
    """The step as this state's flow has it (see :func:`flow_info`)."""
    return flow_info(step, device_flow=state.device_flow)


def flow_words(text: str, state: DanceState) -> str:
    """``text`` (a key's label or tooltip) with the code flow's step names as this
    state's flow has them: in the device flow, Authorize is Device code and Exchange
    is Poll, as the sidebar says."""
    if not state.device_flow:
        return text
    import re

    for step, info in DEVICE_STEPS.items():
        text = re.sub(rf"\b{BY_STEP[step].title}\b", info.title, text)
    return text


def available(step: Step, state: DanceState) -> bool:
    """Whether the inputs a step needs exist."""
    if step is Step.CREDENTIALS:
        return True
    if step is Step.AUTHORIZE:
        return bool(state.client_id and (state.redirect_uri or state.device_flow))
    if step is Step.EXCHANGE:  # Poll stays open to show the tokens its codes brought
        if state.device_flow:
            return bool(state.device_code or state.code_exchanged)
        return bool(state.code)
    if step in (Step.PROFILE, Step.CONSOLE):
        return bool(state.token)
    if step is Step.REVOKE:
        return bool(state.token or state.refresh)
    return bool(state.refresh)


def done(step: Step, state: DanceState) -> bool:
    """Whether a step's result is in the state already: it happened, even if a token it
    brought was revoked since."""
    if step is Step.CREDENTIALS:
        return available(Step.AUTHORIZE, state)
    if step is Step.AUTHORIZE:
        return bool(state.device_code if state.device_flow else state.code) or state.code_exchanged
    if step is Step.EXCHANGE:  # by this flow's attempt: switching flows ends it
        return state.code_exchanged
    if step is Step.PROFILE:
        return state.profile_fetched
    return False  # Refresh, Call API and Revoke can be taken again and again


def settings_complete(state: DanceState) -> bool:
    """Whether the settings are enough for the dance: Credentials then opens as a summary.

    A client ID, a secret unless the client is public, and a redirect URI the
    provider accepts. Anything less opens the form.
    """
    has_secret = bool(state.client_secret) or state.auth_method is ClientAuth.NONE
    redirect_ok = state.device_flow or check_redirect_uri(state.redirect_uri).ok
    return bool(state.client_id) and has_secret and redirect_ok


def resume_step(state: DanceState) -> Step:
    """Where a restarted wizard opens: the furthest step the state allows."""
    if state.token:
        return Step.PROFILE
    if available(Step.EXCHANGE, state):
        return Step.EXCHANGE
    if available(Step.AUTHORIZE, state):
        return Step.AUTHORIZE
    return Step.CREDENTIALS
