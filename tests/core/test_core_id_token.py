"""ID tokens checked as OpenID Connect Core §3.1.3.7 says, with tokens made by joserfc here;
hostile tokens and key sets each a clear ✗, never an exception."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from joserfc import jwt
from joserfc.jwk import ECKey, OctKey, RSAKey

from tui.core.id_token import Expected, IdTokenReport, access_token_view, report, signature_verdict
from tui.core.jose import JoseError, Verdict, read_jwks, read_jwt
from tui.core.masking import MASK

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ISSUER = "https://op.example"
CLIENT = "client-1"
NONCE = "n-0S6_WzA2Mj"
KEY = ECKey.generate_key("P-256", parameters={"kid": "k1", "use": "sig", "alg": "ES256"})
JWKS = [KEY.as_dict(private=False)]
EXPECTED = Expected(ISSUER, CLIENT, NONCE, client_secret="s3cret-of-the-client")


def claims(**changes: Any) -> dict[str, Any]:
    base = {
        "iss": ISSUER,
        "sub": "user-42",
        "aud": CLIENT,
        "exp": int(NOW.timestamp()) + 600,
        "iat": int(NOW.timestamp()) - 5,
        "nonce": NONCE,
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def signed(key: Any = KEY, alg: str = "ES256", kid: str | None = "k1", **changes: Any) -> str:
    header = {"alg": alg, **({"kid": kid} if kid else {})}
    return jwt.encode(header, claims(**changes), key)


def checked(token: str, keys: list[dict[str, Any]] = JWKS, **expected: Any) -> IdTokenReport:
    want = Expected(**{**EXPECTED.__dict__, **expected})
    verdict = signature_verdict(token, keys, want.client_secret)
    return report(token, want, verdict, lambda text: text, NOW)


def marks(result: IdTokenReport) -> dict[str, bool | None]:
    return {check.name: check.ok for check in result.checks}


ALL_PASS = dict.fromkeys(("signature", "iss", "aud", "azp", "exp", "iat", "nonce"), True)


def failing(result: IdTokenReport) -> list[str]:
    return [name for name, ok in marks(result).items() if not ok]


def test_a_valid_token_passes_every_check() -> None:
    result = checked(signed())
    assert marks(result) == ALL_PASS
    assert result.verified
    assert {row.name for row in result.token.claims} >= {"iss", "sub", "aud", "nonce"}
    assert [r.value for r in result.token.header if r.name == "alg"] == ["ES256"]
    exp = next(r for r in result.token.claims if r.name == "exp")
    assert "2026-03-01 12:10:00 UTC, in 10 min" in exp.value
    assert all(check.rule.startswith("Rule") for check in result.checks)


def test_a_tampered_signature_fails_the_signature_only() -> None:
    head, body, sig = signed().split(".")
    tampered = f"{head}.{body}.{sig[:-4]}{'AAAA' if sig[-4:] != 'AAAA' else 'BBBB'}"
    result = checked(tampered)
    assert failing(result) == ["signature"]
    assert "does not verify" in result.checks[0].detail


def test_tampered_claims_fail_the_signature() -> None:
    head, _, sig = signed().split(".")
    forged = base64.urlsafe_b64encode(json.dumps(claims(sub="admin")).encode()).rstrip(b"=")
    assert failing(checked(f"{head}.{forged.decode()}.{sig}")) == ["signature"]


def test_wrong_aud_fails_aud() -> None:
    result = checked(signed(aud="another-client"))
    assert failing(result) == ["aud"]
    assert "another-client" in result.checks[2].detail


def test_several_audiences_need_azp() -> None:
    assert failing(checked(signed(aud=[CLIENT, "other"]))) == ["azp"]
    assert failing(checked(signed(aud=[CLIENT, "other"], azp=CLIENT))) == []
    assert failing(checked(signed(azp="other"))) == ["azp"]


def test_wrong_nonce_fails_nonce() -> None:
    result = checked(signed(nonce="someone-elses"))
    assert failing(result) == ["nonce"]
    assert "replayed" in result.checks[-1].detail
    assert failing(checked(signed(nonce=None))) == ["nonce"]
    assert failing(checked(signed(nonce=None), nonce="")) == []


def test_an_expired_token_fails_exp() -> None:
    result = checked(signed(exp=int(NOW.timestamp()) - 3600))
    assert failing(result) == ["exp"]
    assert "Expired" in result.checks[4].detail and "1 h ago" in result.checks[4].detail


def test_wrong_issuer_and_future_iat() -> None:
    assert failing(checked(signed(iss="https://evil.example"))) == ["iss"]
    assert failing(checked(signed(), issuer=None)) == ["iss"]
    assert failing(checked(signed(iat=int(NOW.timestamp()) + 3600))) == ["iat"]
    assert failing(checked(signed(exp="tomorrow"))) == ["exp"]


def test_keys_not_fetched_yet_is_pending() -> None:
    result = report(signed(), EXPECTED, None, lambda text: text, NOW)
    assert marks(result)["signature"] is None and not result.verified
    assert result.checks[0].mark == "…"


# -- a token of the demo server's last run -------------------------------------------

LAST_RUN = "http://127.0.0.1:41001"
THIS_RUN = "http://127.0.0.1:41002"
OLD_KEY = ECKey.generate_key("P-256", parameters={"kid": "last-run"})


def last_runs(last_run: bool) -> IdTokenReport:
    """A token the demo's last run signed and issued, checked with this run's keys and
    issuer, the session knowing (``last_run``) or not that the server started afresh."""
    token = signed(OLD_KEY, kid="last-run", iss=LAST_RUN)
    want = Expected(THIS_RUN, CLIENT, NONCE, "s")
    verdict = signature_verdict(token, JWKS, want.client_secret)
    return report(token, want, verdict, lambda text: text, NOW, last_run=last_run)


def test_a_token_of_the_demos_last_run_says_so_without_claiming_forgery() -> None:
    result = last_runs(last_run=True)
    assert failing(result) == ["signature", "iss"], "not verified: this run cannot check it"
    said = {check.name: check.detail for check in result.checks}
    assert "demo server's last run, whose keys are gone" in said["signature"]
    assert "started afresh" in said["signature"]
    assert "not signed by a key the provider publishes" not in said["signature"]
    assert LAST_RUN in said["iss"] and THIS_RUN in said["iss"]
    assert "last run" in said["iss"] and "started afresh" in said["iss"]


def test_without_a_restart_the_same_token_is_not_excused() -> None:
    said = {check.name: check.detail for check in last_runs(last_run=False).checks}
    assert "not signed by a key the provider publishes" in said["signature"]
    assert "last run" not in said["signature"] + said["iss"]


# -- hostile input: each a clear ✗ --------------------------------------------------


@pytest.mark.parametrize(
    ("token", "said"),
    [
        ("not-a-jwt", "three base64url parts"),
        ("a.b.c", "Not a readable JWT"),
        ("a.b.c.d.e", "encrypted JWT"),
        ("é.é.é", "Not a readable JWT"),
        ("eyJhbGciOiJFUzI1NiJ9.W10.c2ln", "not a JSON object"),
        ("eyJhbGciOiJFUzI1NiJ9." + "W" * 40 + ".c2ln", "claims are not JSON"),
        ("x" * 100_000, "100,000 characters long"),
    ],
)
def test_a_malformed_or_huge_jwt_fails_every_check(token: str, said: str) -> None:
    result = checked(token)
    assert result.token.problem is not None and said in result.token.problem
    assert set(failing(result)) == set(ALL_PASS)
    with pytest.raises(JoseError):
        read_jwt(token)


def test_a_deeply_nested_header_is_refused() -> None:
    deep = base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).rstrip(b"=").decode()
    assert "Not a readable JWT" in (checked(f"{deep}.e30.c2ln").token.problem or "")


def test_alg_none_is_refused() -> None:
    head = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    body = base64.urlsafe_b64encode(json.dumps(claims()).encode()).rstrip(b"=").decode()
    result = checked(f"{head}.{body}.")
    assert failing(result) == ["signature"]
    assert "alg is none" in result.checks[0].detail


def test_hs256_signed_with_the_public_key_is_refused() -> None:
    """Algorithm confusion (RFC 8725 §2.1): the public key used as an HMAC secret."""
    rsa = RSAKey.generate_key(2048, parameters={"kid": "r1"})
    pem = rsa.as_pem(private=False)
    head = base64.urlsafe_b64encode(b'{"alg":"HS256","kid":"r1"}').rstrip(b"=")
    body = base64.urlsafe_b64encode(json.dumps(claims()).encode()).rstrip(b"=")
    mac = hmac.new(pem, head + b"." + body, hashlib.sha256).digest()
    token = b".".join([head, body, base64.urlsafe_b64encode(mac).rstrip(b"=")]).decode()
    result = checked(token, keys=[rsa.as_dict(private=False)])
    assert failing(result) == ["signature"]
    assert "algorithm confusion" in result.checks[0].detail
    public_client = checked(token, keys=[rsa.as_dict(private=False)], client_secret="")
    assert "client has none" in public_client.checks[0].detail


def test_hs256_with_the_client_secret_verifies() -> None:
    """§3.1.3.7 rule 8: a MAC is keyed with the client secret."""
    secret = OctKey.import_key(EXPECTED.client_secret)
    assert failing(checked(signed(key=secret, alg="HS256", kid=None))) == []


@pytest.mark.parametrize(
    ("keys", "said"),
    [
        ([{"kid": "k1", "kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}], "cannot be read"),
        ([{"kid": "k1", "kty": "RSA", "n": "abc", "e": "AQAB"}], "cannot be read"),
        ([{"kid": "k1", "kty": "zzz"}], "cannot be read"),
        ([{"kid": "k1"}], "cannot be read"),
        ([{"kid": "k1", "kty": "RSA", "n": "A" * 5000, "e": "AQAB"}], "over 16384 bits"),
        ([{"kid": "k1", "kty": "oct", "k": "c2VjcmV0"}], "never published"),
        ([{**JWKS[0], "kid": "other"}], "no key with kid k1"),
        ([{**JWKS[0], "use": "enc"}], "no key with kid k1"),
        ([], "no key with kid k1"),
        ([RSAKey.generate_key(2048, parameters={"kid": "k1"}).as_dict(private=False)], "Not with"),
    ],
)
def test_a_jwks_with_bad_keys_fails_the_signature(keys: list[dict[str, Any]], said: str) -> None:
    result = checked(signed(), keys=keys)
    assert failing(result) == ["signature"]
    assert said in result.checks[0].detail


def test_one_good_key_among_bad_ones_verifies() -> None:
    bad = {"kid": "k1", "kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}
    assert failing(checked(signed(), keys=[bad, *JWKS])) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_a_report_never_an_exception(token: str) -> None:
    result = checked(token)
    assert not result.verified


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (httpx.Response(200, text="<html>oops</html>"), "not JSON"),
        (httpx.Response(200, json={"keys": "no"}), 'no "keys" list'),
        (httpx.Response(200, json=[1, 2]), 'no "keys" list'),
        (httpx.Response(404, text="gone"), "HTTP 404"),
        (httpx.Response(200, text="[" * 100 + "]" * 100), "not JSON"),
    ],
)
def test_a_jwks_answer_that_is_not_a_key_set(answer: httpx.Response, said: str) -> None:
    with pytest.raises(Exception, match=said):
        read_jwks(answer)
    assert read_jwks(httpx.Response(200, json={"keys": [*JWKS, 7]})) == JWKS


def test_values_are_masked_and_control_characters_visible() -> None:
    token = signed(name="Ada\x1b[31m", leak="the-secret-value")
    masked = report(
        token, EXPECTED, Verdict(True, "ok"), lambda t: t.replace("the-secret-value", MASK), NOW
    )
    values = {row.name: row.value for row in masked.token.claims}
    assert values["name"] == "Ada\\x1b[31m"
    assert values["leak"] == MASK


def test_a_jwt_access_token_is_decoded_and_an_opaque_one_is_not() -> None:
    at = jwt.encode({"alg": "ES256", "typ": "at+jwt"}, {"client_id": CLIENT, "scope": "read"}, KEY)
    view = access_token_view(at, lambda t: t, NOW)
    assert view is not None
    assert {row.name: row.meaning for row in view.claims}["client_id"].endswith("(RFC 9068 §2.2).")
    assert access_token_view("trCv7cDuFUxdyTaX2Tc5CPCxBQb6EW", lambda t: t, NOW) is None


@pytest.mark.parametrize(("published", "said"), [(1, "(1 key)"), (2, "(2 keys)")])
def test_a_kid_the_jwks_lacks_is_said_with_the_keys_counted(published: int, said: str) -> None:
    others = [
        ECKey.generate_key("P-256", parameters={"kid": f"other-{n}"}).as_dict(private=False)
        for n in range(published)
    ]
    (signature,) = [c for c in checked(signed(), others).checks if c.name == "signature"]
    assert not signature.ok
    assert f"The provider's JWKS {said} has no key with kid k1" in signature.detail
