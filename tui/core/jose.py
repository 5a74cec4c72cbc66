"""JWTs and JWK Sets from outside, read and checked with joserfc.

Nothing of JOSE is written by hand: joserfc, a kept library, splits and
decodes the compact form, imports the keys and checks the signature. This
module bounds what it hands the library, turns each failure into a sentence,
and never lets a hostile token or key set end in a traceback.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import httpx
from joserfc import jws
from joserfc.jwk import JWKRegistry, OctKey

from tui.core import jsonsafe
from tui.core.errors import DanceError, ResponseFormatError
from tui.core.rawhttp import body_excerpt
from tui.core.textsafe import shorten
from tui.core.tokens import MAX_TOKEN_CHARS

PUBLIC_KEY_ALGS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
"""Signatures made with a private key and checked with the provider's published key."""

MAC_ALGS = frozenset({"HS256", "HS384", "HS512"})
"""MACs keyed with the client secret (OpenID Connect Core §3.1.3.7 rule 8)."""

MAX_KEYS_TRIED = 8
"""Keys of a JWK Set tried against one token; a set of thousands costs no more."""

MAX_RSA_MODULUS_CHARS = 2752
"""The base64url length of a 16384-bit modulus: a larger RSA key is not imported."""


class JoseError(DanceError):
    """A token or a key set that cannot be read."""

    title = "Cannot read this token"


@dataclass(frozen=True)
class Jwt:
    """A compact JWS, read but not verified: its header and its claims."""

    token: str
    header: dict[str, Any]
    claims: dict[str, Any]

    @property
    def alg(self) -> str:
        return str(self.header.get("alg", ""))


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check, and the sentence that says why."""

    ok: bool
    detail: str
    checked: bool = True
    """False: it could not be checked at all (the provider's keys could not be had);
    not ``ok`` then, yet not a failure either."""


def read_jwt(token: str) -> Jwt:
    """The header and claims of a signed JWT in compact form, without checking anything.

    Raises:
        JoseError: too long, not three parts, not base64url JSON, claims not an object.
    """
    if len(token) > MAX_TOKEN_CHARS:
        raise JoseError(
            f"The token is {len(token):,} characters long, more than the {MAX_TOKEN_CHARS:,} "
            "a real one may have: it was not read."
        )
    dots = token.count(".")
    if dots == 4:
        raise JoseError(
            "This is an encrypted JWT (JWE, five parts): only the holder of its private key "
            "can read it."
        )
    if dots != 2:
        raise JoseError(
            f"Not a JWT: a signed JWT is three base64url parts joined by dots; this has {dots + 1}."
        )
    try:
        compact = jws.extract_compact(token.encode("ascii"))
        header = dict(compact.headers())
    except Exception as err:  # the library's failures on bad input are of many types
        raise JoseError(f"Not a readable JWT: {_said(err)}.") from None
    try:
        claims = jsonsafe.loads(compact.payload)
    except ValueError as err:
        raise JoseError(f"The JWT's claims are not JSON: {_said(err)}.") from None
    if not isinstance(claims, dict):
        raise JoseError("The JWT's claims are not a JSON object.")
    return Jwt(token, header, claims)


def read_jwks(response: httpx.Response) -> list[dict[str, Any]]:
    """The keys of a JWK Set answer (RFC 7517 §5), as the JSON objects they are.

    Raises:
        ResponseFormatError: not a 200, not JSON, or no ``keys`` list.
    """
    if response.status_code != 200:
        raise ResponseFormatError(
            f"The JWKS answer is HTTP {response.status_code}, not 200: "
            f"{body_excerpt(response.text)}"
        )
    try:
        data = jsonsafe.loads(response.text)
    except ValueError:
        raise ResponseFormatError(f"The JWKS is not JSON: {body_excerpt(response.text)}") from None
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list):
        raise ResponseFormatError('The JWKS is not a JWK Set: it has no "keys" list.')
    return [key for key in keys if isinstance(key, dict)]


def check_signature(jwt: Jwt, keys: list[dict[str, Any]] | str, client_secret: str) -> Verdict:
    """Whether the JWT's signature verifies, with the key its header names (§3.1.3.7 rules 6-8).

    The ``alg`` decides the key: a public-key algorithm is checked only with
    the provider's keys, a MAC only with the client secret, never the other
    way round (RFC 8725 §3.1), and ``none`` is refused.

    Args:
        keys: the provider's JWK Set, or why it could not be had.
    """
    alg = jwt.alg
    if alg.lower() == "none" or not alg:
        return Verdict(
            False,
            "alg is none: the token carries no signature, so it proves nothing. Refused "
            "(RFC 8725 §3.1).",
        )
    if alg in MAC_ALGS:
        return _check_mac(jwt, client_secret)
    if alg not in PUBLIC_KEY_ALGS:
        return Verdict(False, f"alg {shorten(alg, 40)} is not a signature algorithm accepted here.")
    if isinstance(keys, str):
        return Verdict(
            False,
            f"Could not be checked: the provider's keys could not be fetched. {keys}",
            checked=False,
        )
    kid = jwt.header.get("kid")
    named = [k for k in keys if kid is None or k.get("kid") == kid]
    usable = [k for k in named if k.get("use", "sig") == "sig"][:MAX_KEYS_TRIED]
    if not usable:
        which = f"with kid {shorten(str(kid), 60)}" if kid is not None else "for signing"
        return Verdict(
            False,
            f"The provider's JWKS ({len(keys)} key{'' if len(keys) == 1 else 's'}) has no key "
            f"{which}: the token was not "
            "signed by a key the provider publishes.",
        )
    problems: list[str] = []
    for raw in usable:
        key, problem = _import_key(raw)
        if key is None:
            problems.append(problem)
            continue
        verdict = _verify(jwt, key, alg)
        if verdict.ok:
            return Verdict(True, f"{alg} signature verifies with the provider's key {_name(raw)}.")
        problems.append(verdict.detail)
    return Verdict(False, "The signature does not verify: " + " ".join(problems))


def _check_mac(jwt: Jwt, client_secret: str) -> Verdict:
    if not client_secret:
        return Verdict(
            False,
            f"alg {jwt.alg} is a MAC keyed with the client secret (§3.1.3.7 rule 8), and this "
            "client has none. Refused: a MAC is never checked with the provider's public key "
            "(that is the algorithm confusion attack, RFC 8725 §2.1).",
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc warns of short secrets, on stderr
        key = OctKey.import_key(client_secret)
        verdict = _verify(jwt, key, jwt.alg)
    if verdict.ok:
        return Verdict(True, f"{jwt.alg} MAC verifies with the client secret (rule 8).")
    return Verdict(
        False,
        f"The {jwt.alg} MAC does not verify with the client secret (rule 8): someone else made "
        "it, perhaps with the provider's public key as the secret (algorithm confusion).",
    )


def _import_key(raw: dict[str, Any]) -> tuple[Any, str]:
    """The key of one JWK, or None and why not."""
    if raw.get("kty") == "RSA" and len(str(raw.get("n", ""))) > MAX_RSA_MODULUS_CHARS:
        return None, f"The key {_name(raw)} is an RSA key over 16384 bits: not used."
    if raw.get("kty") == "oct" or "d" in raw:
        return None, f"The key {_name(raw)} is a secret or private key, never published: not used."
    try:
        return JWKRegistry.import_key(raw), ""
    except Exception as err:  # the library's failures on bad keys are of many types
        return None, f"The key {_name(raw)} cannot be read: {_said(err)}."


def _verify(jwt: Jwt, key: Any, alg: str) -> Verdict:
    try:
        jws.deserialize_compact(jwt.token, key, algorithms=[alg])
    except Exception as err:  # a bad signature, or a key that does not fit the alg
        return Verdict(False, f"Not with the key {_key_name(key)}: {_said(err)}.")
    return Verdict(True, "")


def _name(raw: dict[str, Any]) -> str:
    kid = raw.get("kid")
    return f"kid {shorten(str(kid), 60)}" if kid is not None else "(no kid)"


def _key_name(key: Any) -> str:
    kid = getattr(key, "kid", None)
    return f"kid {shorten(str(kid), 60)}" if kid else "(no kid)"


def _said(err: BaseException) -> str:
    """What the library said, safe and short."""
    return shorten(str(err) or type(err).__name__, 160)
