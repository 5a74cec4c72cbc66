"""The demo provider's protocol core: oauthlib's WebApplicationServer, wrapped.

The web layer (app.py) hands this module plain data (query items, form items,
headers) and gets plain answers back (answers.py). The wrapper does only what
oauthlib does not: it refuses PKCE ``plain`` and omits an unchanged refresh
token from a refresh answer (as Spotify does; both set up on the server, in
oauthlib_server.py), adds ``iss`` to every authorization response (RFC 9207),
and keeps the whole of each oauthlib call under the store's lock.

With ``openid`` among the scopes the code grant is oauthlib's OpenID Connect
one (its dispatchers choose it by scope, as oauthlib's own OpenID ``Server``
does): the token answer then carries an ID token, signed by
``id_tokens.IdTokenSigner`` through the validator's ``finalize_id_token``.

oauthlib's InsecureTransportError is raised only by its client side, never by
these server endpoints, so plain ``http://`` on loopback needs no
``OAUTHLIB_INSECURE_TRANSPORT``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from oauthlib.common import Request, add_params_to_uri
from oauthlib.oauth2.rfc6749 import errors

from tui.core.scopes import DEMO_SCOPES
from tui.demo.answers import (
    BASIC_CHALLENGE,
    JSON_HEADERS,
    BearerCheck,
    Consent,
    ErrorPage,
    HttpAnswer,
    Redirect,
    token_error,
)
from tui.demo.config import DEMO_USER, DemoConfig
from tui.demo.device import DEVICE_PATH, DemoDevice
from tui.demo.id_tokens import ID_TOKEN_ALG, IdTokenSigner
from tui.demo.oauthlib_server import OpenIDWebApplicationServer
from tui.demo.store import PUSHED_TTL, PushedOutcome, Store
from tui.demo.validator import BAD_AUTH_SCHEME, DemoValidator
from tui.demo.validator_grants import BAD_VERIFIER, DEVICE_GRANT_TYPE

# Parameters Spotify does not support; dropped before oauthlib sees them
# (RFC 6749 §3.1: unrecognized parameters MUST be ignored).
_IGNORED_AUTHORIZE_PARAMS = frozenset({"response_mode"})
# Client authentication, not part of the authorization request a PAR stores.
_CLIENT_AUTH_PARAMS = frozenset({"client_secret"})

PAR_PATH = "/api/par"
USED_REQUEST_URI = "request_uri already used"
EXPIRED_REQUEST_URI = "request_uri expired"
UNKNOWN_REQUEST_URI = "Unknown request_uri for this client"
_PUSHED_PROBLEMS = {
    PushedOutcome.USED: USED_REQUEST_URI,
    PushedOutcome.EXPIRED: EXPIRED_REQUEST_URI,
    PushedOutcome.UNKNOWN: UNKNOWN_REQUEST_URI,
}


def _present(params: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """RFC 6749 §3.1/§3.2: a parameter sent without a value is treated as omitted."""
    return [(k, v) for k, v in params if v != ""]


class DemoProvider:
    """One demo authorization server's protocol logic (no HTTP here)."""

    def __init__(self, config: DemoConfig, store: Store | None = None) -> None:
        self.config = config
        self.store = store or Store()
        self.signer = IdTokenSigner()
        self.validator = DemoValidator(config, self.store, self.signer)
        self.clients = self.validator.clients
        self.server = OpenIDWebApplicationServer(self.validator, config.token_ttl)
        self.device = DemoDevice(config, self.store, self.validator)

    # -- authorization endpoint ---------------------------------------------

    def _with_iss(self, location: str) -> str:
        return str(add_params_to_uri(location, [("iss", self.config.issuer)]))

    def _error_redirect(self, error: Any, redirect_uri: str, state: str | None) -> Redirect:
        error.state = state
        return Redirect(self._with_iss(str(error.in_uri(redirect_uri))))

    def begin_authorization(self, query: list[tuple[str, str]]) -> Consent | Redirect | ErrorPage:
        """Validate GET /authorize; answer with a consent page, an error redirect or page.

        A ``request_uri`` stands for parameters pushed before (RFC 9126 §4): the
        request is those, and only those, used once.
        """
        kept = [(k, v) for k, v in _present(query) if k not in _IGNORED_AUTHORIZE_PARAMS]
        request_uri = dict(kept).get("request_uri")
        if request_uri is not None:
            outcome, pushed = self.store.take_pushed(request_uri, dict(kept).get("client_id"))
            if pushed is None:
                return ErrorPage("invalid_request_uri", _PUSHED_PROBLEMS[outcome])
            kept = pushed.params
        uri = f"{self.config.issuer}/authorize?{urlencode(kept)}"
        with self.store.lock:
            try:
                scopes, info = self.server.validate_authorization_request(uri, http_method="GET")
            except errors.FatalClientError as exc:
                return ErrorPage(exc.error, exc.description)
            except errors.OAuth2Error as exc:
                return self._error_redirect(exc, exc.redirect_uri, exc.state)
            except Exception:  # never a traceback, never a redirect to an unchecked URI
                return ErrorPage("server_error", "The demo server could not read this request.")
            pending = self.store.add_pending(
                uri, info["client_id"], info["redirect_uri"], tuple(scopes), info["state"]
            )
        return Consent(pending, self.clients[pending.client_id], "code_challenge" in info)

    def decide(self, request_id: str, approve: bool) -> Redirect | ErrorPage:
        """The resource owner's answer on the consent page."""
        pending = self.store.pop_pending(request_id)
        if pending is None:
            return ErrorPage(
                "invalid_request",
                "This consent request is unknown, expired or already answered. "
                "Start the authorization again.",
            )
        if not approve:
            return self._error_redirect(
                errors.AccessDeniedError(), pending.redirect_uri, pending.state
            )
        with self.store.lock:
            try:
                headers, _body, _status = self.server.create_authorization_response(
                    pending.authorize_uri,
                    http_method="GET",
                    scopes=list(pending.scopes),
                    credentials={"user": DEMO_USER},
                )
            except errors.FatalClientError as exc:
                return ErrorPage(exc.error, exc.description)
        return Redirect(self._with_iss(headers["Location"]))

    # -- token endpoint -------------------------------------------------------

    def token(
        self, form: list[tuple[str, str]], query: str, headers: Mapping[str, str]
    ) -> HttpAnswer:
        """POST /api/token with a decoded form body."""
        uri = f"{self.config.issuer}/api/token" + (f"?{query}" if query else "")
        with self.store.lock:
            try:
                out_headers, body, status = self.server.create_token_response(
                    uri, http_method="POST", body=urlencode(_present(form)), headers=dict(headers)
                )
            except Exception:  # never leak a traceback (or a token in one) to the client
                return token_error(500, "server_error", "The demo server failed.")
        out = {str(k): str(v) for k, v in out_headers.items()}
        if status != 200:
            payload = json.loads(body)
            if payload.get("error") == "invalid_grant" and not payload.get("error_description"):
                # The only description-less invalid_grant left on this path is
                # oauthlib's own PKCE comparison failing.
                payload["error_description"] = BAD_VERIFIER
            body = json.dumps(payload)
            if status == 401:
                # RFC 6749 §5.2: the challenge names the scheme the client may use.
                out["WWW-Authenticate"] = BASIC_CHALLENGE
        return HttpAnswer(status, out, body)

    def revoke(self, form: list[tuple[str, str]], headers: Mapping[str, str]) -> HttpAnswer:
        """POST /api/revoke (RFC 7009), by oauthlib's RevocationEndpoint."""
        uri = f"{self.config.issuer}/api/revoke"
        with self.store.lock:
            try:
                out_headers, body, status = self.server.create_revocation_response(
                    uri, http_method="POST", body=urlencode(_present(form)), headers=dict(headers)
                )
            except errors.OAuth2Error as exc:  # raised by the validator's revoke_token
                out_headers, body, status = exc.headers, exc.json, exc.status_code
            except Exception:
                return token_error(500, "server_error", "The demo server failed.")
        return HttpAnswer(status, {str(k): str(v) for k, v in out_headers.items()}, body)

    # -- pushed authorization requests ------------------------------------------

    def push(self, form: list[tuple[str, str]], headers: Mapping[str, str]) -> HttpAnswer:
        """POST /api/par (RFC 9126 §2): authenticate the client as the token endpoint
        does, validate the parameters as the authorization endpoint does, keep them."""
        params = [(k, v) for k, v in _present(form) if k not in _IGNORED_AUTHORIZE_PARAMS]
        request = Request(
            f"{self.config.issuer}{PAR_PATH}",
            http_method="POST",
            body=urlencode(params),
            headers=dict(headers),
        )
        with self.store.lock:
            try:
                client_id = self._authenticate(request)
                if any(name == "request_uri" for name, _ in params):
                    raise errors.InvalidRequestError(
                        description="request_uri cannot be pushed (RFC 9126 §2.1)"
                    )
                stored = [(k, v) for k, v in params if k not in _CLIENT_AUTH_PARAMS]
                if "client_id" not in dict(stored):
                    stored.insert(0, ("client_id", client_id))
                uri = f"{self.config.issuer}/authorize?{urlencode(stored)}"
                self.server.validate_authorization_request(uri, http_method="GET")
            except errors.OAuth2Error as exc:
                if exc.error != "invalid_client":
                    return token_error(400, exc.error, exc.description)
                answer = token_error(401, exc.error, exc.description)
                answer.headers["WWW-Authenticate"] = BASIC_CHALLENGE
                return answer
            except Exception:  # never a traceback
                return token_error(500, "server_error", "The demo server failed.")
            pushed = self.store.add_pushed(client_id, stored)
        body = json.dumps({"request_uri": pushed.request_uri, "expires_in": PUSHED_TTL})
        return HttpAnswer(201, dict(JSON_HEADERS), body)

    def _authenticate(self, request: Request) -> str:
        """The client's id, authenticated as oauthlib's token endpoint does it.

        Raises:
            oauthlib's InvalidClientError (or InvalidRequestError for two methods at once).
        """
        validator = self.validator
        if validator.client_authentication_required(request):
            if not validator.authenticate_client(request):
                raise errors.InvalidClientError(request=request)
        elif not validator.authenticate_client_id(request.client_id, request):
            raise errors.InvalidClientError(request=request)
        return str(request.client_id)

    # -- the device authorization grant (RFC 8628) ------------------------------

    def device_authorization(
        self, form: list[tuple[str, str]], headers: Mapping[str, str]
    ) -> HttpAnswer:
        """POST /api/device: the device code and the user code, or an error."""
        try:
            status, out, body = self.device.authorize(_present(form), headers)
        except Exception:  # never a traceback
            return token_error(500, "server_error", "The demo server failed.")
        if status == 401:
            out["WWW-Authenticate"] = BASIC_CHALLENGE
        return HttpAnswer(status, {**JSON_HEADERS, **out}, body)

    # -- protected resources --------------------------------------------------

    def check_bearer(self, path: str, headers: Mapping[str, str]) -> BearerCheck:
        with self.store.lock:
            valid, request = self.server.verify_request(
                f"{self.config.issuer}{path}", http_method="GET", headers=dict(headers), scopes=[]
            )
        if valid:
            return BearerCheck(request.user, tuple(request.scopes or ()), 200, "")
        message = getattr(request, "demo_token_error", "Invalid access token")
        status = 400 if message == BAD_AUTH_SCHEME else 401
        return BearerCheck(None, (), status, message)

    # -- metadata ----------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        """RFC 8414 authorization server metadata, which is OpenID Connect Discovery's too."""
        base = self.config.issuer
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/api/token",
            "revocation_endpoint": f"{base}/api/revoke",
            "profile_endpoint": f"{base}/v1/me",
            "service_documentation": f"{base}/",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token", DEVICE_GRANT_TYPE],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "none",
            ],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": [scope.name for scope in DEMO_SCOPES],
            "authorization_response_iss_parameter_supported": True,
            "jwks_uri": f"{base}{JWKS_PATH}",
            "pushed_authorization_request_endpoint": f"{base}{PAR_PATH}",
            "require_pushed_authorization_requests": False,
            "device_authorization_endpoint": f"{base}{DEVICE_PATH}",
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [ID_TOKEN_ALG],
            "claims_supported": ["iss", "sub", "aud", "azp", "exp", "iat", "nonce", "at_hash"],
        }

    def jwks(self) -> dict[str, Any]:
        """The JWK Set the ID tokens verify against."""
        return self.signer.jwks()


JWKS_PATH = "/.well-known/jwks.json"
