"""An ID token decoded and checked as OpenID Connect Core §3.1.3.7 says; a JWT access
token decoded, for reading only (RFC 9068).

What the ID token proves: that the issuer (``iss``, checked against the
provider's issuer, with a signature checked against the provider's keys)
says this user (``sub``) authenticated, for this client (``aud``, ``azp``),
recently (``iat``, ``exp``), in answer to this very request (``nonce``).
Each check is a :class:`Check`, ✓ or ✗, with the rule it enforces.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tui.core.claims import CLAIM_MEANINGS, HEADER_MEANINGS, Row, rows, when
from tui.core.jose import JoseError, Jwt, Verdict, check_signature, read_jwt
from tui.core.textsafe import shorten

LEEWAY = 60
"""Seconds of clock difference allowed on ``exp`` and ``iat`` (rules 9 and 10 let the
client allow for some)."""

RULES = {
    "signature": "Rules 6-8: signed by the issuer, checked with its JWKS and the alg it names "
    "(a MAC only with the client secret).",
    "iss": "Rule 2: iss must exactly match the issuer the client knows (from discovery).",
    "aud": "Rule 3: aud must contain the client's client_id.",
    "azp": "Rules 4-5: with several audiences azp should be present; if present, it must be "
    "the client_id.",
    "exp": "Rule 9: the current time must be before exp.",
    "iat": "Rule 10: iat says when it was issued; a time in the future is refused.",
    "nonce": "Rule 11: nonce must equal the one sent in the authentication request.",
}

NOT_FOR_THE_CLIENT = (
    "This access token is a JWT (RFC 9068) meant for the API, not for this client: read it to "
    "learn, never rely on it. The provider may change its format or encrypt it at any time."
)


@dataclass(frozen=True)
class Check:
    """One rule of §3.1.3.7: passed (✓), failed (✗), not checked yet (None, …), or
    not ``checked`` at all (?: the signature, when the provider's keys could not be had)."""

    name: str
    ok: bool | None
    rule: str
    detail: str
    checked: bool = True

    @property
    def failed(self) -> bool:
        return self.ok is False and self.checked

    @property
    def mark(self) -> str:
        return "?" if not self.checked else {True: "✓", False: "✗", None: "…"}[self.ok]


@dataclass(frozen=True)
class DecodedToken:
    """A JWT's header and claims as rows to show, or why it cannot be read."""

    header: tuple[Row, ...] = ()
    claims: tuple[Row, ...] = ()
    problem: str | None = None


@dataclass(frozen=True)
class Expected:
    """What the client knows and the ID token must agree with."""

    issuer: str | None
    client_id: str
    nonce: str
    client_secret: str


@dataclass(frozen=True)
class IdTokenReport:
    token: DecodedToken
    checks: tuple[Check, ...]

    @property
    def verified(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)


def decode(
    token: str, mask: Callable[[str], str], now: datetime
) -> tuple[Jwt | None, DecodedToken]:
    """The JWT read and shown as rows, or the sentence that says why it cannot be."""
    try:
        jwt = read_jwt(token)
    except JoseError as err:
        return None, DecodedToken(problem=mask(err.message))
    return jwt, DecodedToken(
        tuple(rows(jwt.header, HEADER_MEANINGS, mask, now)),
        tuple(rows(jwt.claims, CLAIM_MEANINGS, mask, now)),
    )


LAST_RUN_KEYS = (
    "Signed by the demo server's last run, whose keys are gone: this run's server started "
    "afresh with new keys, so none it publishes can check this signature. No sign of "
    "forgery: a new attempt and exchange bring a token this run can verify."
)


def report(
    token: str,
    expected: Expected,
    signature: Verdict | None,
    mask: Callable[[str], str],
    now: datetime,
    *,
    last_run: bool = False,
) -> IdTokenReport:
    """The ID token decoded, and every check of §3.1.3.7.

    Args:
        signature: the signature's verdict (see :func:`signature_verdict`), or None
            while the provider's keys are not fetched yet.
        mask: masks every secret the session knows in what is shown.
        last_run: the token was issued by the embedded demo server's last run, and this
            run's started afresh (new keys, perhaps another port): the checks that fail
            for that alone say so, rather than suggest forgery.
    """
    jwt, decoded = decode(token, mask, now)
    if jwt is None:
        problem = decoded.problem or ""
        return IdTokenReport(
            decoded, tuple(Check(n, False, rule, problem) for n, rule in RULES.items())
        )
    sig = (
        Check("signature", None, RULES["signature"], "Fetching the provider's keys (JWKS)…")
        if signature is None
        else Check(
            "signature",
            signature.ok,
            RULES["signature"],
            mask(signature.detail),
            checked=signature.checked,
        )
    )
    if last_run and sig.failed:
        sig = _check("signature", False, LAST_RUN_KEYS)
    claims = jwt.claims
    iss = _iss(claims, expected.issuer)
    if last_run and not iss.ok and claims.get("iss") is not None and expected.issuer:
        iss = _check(
            "iss",
            False,
            f"iss is {_shown(claims['iss'])}, where the demo server's last run listened; this "
            f"run's server started afresh at {_shown(expected.issuer)}.",
        )
    checks = [
        sig,
        iss,
        _aud(claims, expected.client_id),
        _azp(claims, expected.client_id),
        _exp(claims, now),
        _iat(claims, now),
        _nonce(claims, expected.nonce),
    ]
    return IdTokenReport(decoded, tuple(_masked(c, mask) for c in checks))


def signature_verdict(token: str, keys: list[dict[str, Any]] | str, client_secret: str) -> Verdict:
    """The signature's verdict with the provider's keys, or why they could not be had (a
    MAC needs only the client secret)."""
    try:
        jwt = read_jwt(token)
    except JoseError as err:
        return Verdict(False, err.message)
    return check_signature(jwt, keys, client_secret)


def access_token_view(token: str, mask: Callable[[str], str], now: datetime) -> DecodedToken | None:
    """A JWT access token decoded for reading, or None for an opaque one (most are)."""
    jwt, decoded = decode(token, mask, now)
    return decoded if jwt is not None else None


def _check(name: str, ok: bool, detail: str) -> Check:
    return Check(name, ok, RULES[name], detail)


def _masked(check: Check, mask: Callable[[str], str]) -> Check:
    return replace(check, detail=mask(check.detail))


def _shown(value: Any) -> str:
    return shorten(str(value), 80)


def _iss(claims: dict[str, Any], issuer: str | None) -> Check:
    said = claims.get("iss")
    if not issuer:
        return _check(
            "iss", False, "The provider's issuer is not known here, so iss cannot be checked."
        )
    if said == issuer:
        return _check("iss", True, f"iss is {_shown(said)}, the provider's issuer.")
    if said is None:
        return _check("iss", False, "The token has no iss.")
    return _check("iss", False, f"iss is {_shown(said)}, not the provider's {_shown(issuer)}.")


def _audiences(claims: dict[str, Any]) -> list[Any]:
    aud = claims.get("aud")
    return aud if isinstance(aud, list) else [] if aud is None else [aud]


def _aud(claims: dict[str, Any], client_id: str) -> Check:
    audiences = _audiences(claims)
    if client_id and client_id in audiences:
        return _check("aud", True, f"aud contains this client's id {_shown(client_id)}.")
    if not audiences:
        return _check("aud", False, "The token has no aud.")
    return _check(
        "aud",
        False,
        f"aud is {_shown(claims.get('aud'))}: it does not contain this client's id "
        f"{_shown(client_id)}. The token was issued to another client.",
    )


def _azp(claims: dict[str, Any], client_id: str) -> Check:
    azp = claims.get("azp")
    several = len(_audiences(claims)) > 1
    if azp is None:
        if several:
            return _check("azp", False, "Several audiences and no azp: who was it issued to?")
        return _check("azp", True, "Not present; one audience, so none is needed.")
    if azp == client_id:
        return _check("azp", True, f"azp is this client's id {_shown(client_id)}.")
    return _check("azp", False, f"azp is {_shown(azp)}, not this client's id {_shown(client_id)}.")


def _number(value: Any) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if ok else None


def _exp(claims: dict[str, Any], now: datetime) -> Check:
    exp = _number(claims.get("exp"))
    if exp is None:
        return _check("exp", False, "The token has no exp that is a number of seconds.")
    if now.timestamp() < exp + LEEWAY:
        return _check("exp", True, f"Valid until {when(exp, now)}.")
    return _check("exp", False, f"Expired: {when(exp, now)}.")


def _iat(claims: dict[str, Any], now: datetime) -> Check:
    iat = _number(claims.get("iat"))
    if iat is None:
        return _check("iat", False, "The token has no iat that is a number of seconds.")
    if iat <= now.timestamp() + LEEWAY:
        return _check("iat", True, f"Issued {when(iat, now)}.")
    return _check("iat", False, f"Issued in the future: {when(iat, now)}. Is a clock wrong?")


def _nonce(claims: dict[str, Any], sent: str) -> Check:
    said = claims.get("nonce")
    if not sent:
        if said is None:
            return _check("nonce", True, "No nonce was sent, and the token has none.")
        return _check("nonce", False, "The token has a nonce, but none was sent with the request.")
    if said is None:
        return _check("nonce", False, "A nonce was sent, and the token has none.")
    if isinstance(said, str) and hmac.compare_digest(_utf8(said), _utf8(sent)):
        return _check(
            "nonce", True, "nonce equals the one sent with the attempt whose code brought it."
        )
    return _check(
        "nonce",
        False,
        f"nonce is {_shown(said)}, not the one sent with the attempt whose code brought it: a "
        "token of another request, perhaps replayed.",
    )


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # JSON may hold a lone surrogate
