"""PKCE (RFC 7636) and ``state`` (RFC 6749 §10.10, §10.12) values."""

from __future__ import annotations

import base64
import re

from tui.core.pkce import new_pkce, new_state, s256
from tui.core.providers import ClientAuth
from tui.core.state import DanceState

# RFC 7636 Appendix B: the 32 octets, their base64url verifier, and its S256 challenge.
RFC7636_OCTETS = bytes(
    [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186,
     22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121]
)  # fmt: skip
RFC7636_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
RFC7636_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

UNRESERVED = re.compile(r"[A-Za-z0-9\-._~]+")
"""RFC 7636 §4.1: the verifier's alphabet."""


def test_rfc7636_appendix_b_vector() -> None:
    assert base64.urlsafe_b64encode(RFC7636_OCTETS).rstrip(b"=").decode() == RFC7636_VERIFIER
    assert s256(RFC7636_VERIFIER) == RFC7636_CHALLENGE


def test_new_pkce_challenge_is_s256_of_its_verifier() -> None:
    pkce = new_pkce()
    assert pkce.method == "S256"
    assert pkce.challenge == s256(pkce.verifier)
    assert "=" not in pkce.challenge
    assert len(pkce.challenge) == 43


def test_verifier_length_and_alphabet() -> None:
    for _ in range(50):
        verifier = new_pkce().verifier
        assert 43 <= len(verifier) <= 128
        assert UNRESERVED.fullmatch(verifier)


def test_state_has_at_least_128_bits_and_is_unique() -> None:
    values = {new_state() for _ in range(1000)}
    assert len(values) == 1000
    for value in values:
        # base64url carries 6 bits per character.
        assert len(value) * 6 >= 128
        assert UNRESERVED.fullmatch(value)


def test_new_attempt_is_fresh_every_time() -> None:
    base = DanceState(client_id="cid", code="old-code")
    first = base.new_attempt()
    second = first.new_attempt()
    assert first.state and second.state and first.state != second.state
    assert first.code_verifier and second.code_verifier
    assert first.code_verifier != second.code_verifier
    assert 43 <= len(second.code_verifier) <= 128
    assert first.code == "" and second.code == ""
    assert second.code_challenge == s256(second.code_verifier)


def test_public_client_always_gets_a_verifier() -> None:
    attempt = DanceState(auth_method=ClientAuth.NONE, pkce=False).new_attempt()
    assert attempt.uses_pkce
    assert 43 <= len(attempt.code_verifier) <= 128


def test_no_verifier_when_pkce_is_off_for_a_confidential_client() -> None:
    attempt = DanceState(auth_method=ClientAuth.BASIC, pkce=False).new_attempt()
    assert attempt.code_verifier == ""
    assert attempt.code_challenge == ""
    assert attempt.state
