"""The demo provider's HTTP routes (a Starlette app), on Spotify's paths and formats."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tui.demo import pages
from tui.demo.answers import Consent, ErrorPage, HttpAnswer, Redirect, token_error
from tui.demo.config import DEMO_USER, DemoConfig, DemoUser
from tui.demo.device import DECISION_PATH, DEVICE_PATH, VERIFICATION_PATH
from tui.demo.provider import JWKS_PATH, PAR_PATH, DemoProvider

# Pages carry codes and consent forms: never cache them, never frame them, send no referrer.
_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'",
}
_FORM_TYPE = "application/x-www-form-urlencoded"
_MAX_ECHO_BYTES = 64 * 1024
# DNS-rebinding defence: a page on evil.example that resolves to 127.0.0.1 sends
# Host: evil.example, and is refused. Loopback names (any port: SSH tunnels) pass.
_LOOPBACK_HOST_NAMES = ["127.0.0.1", "localhost", "[::1]"]


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=_PAGE_HEADERS)


def _api_error(status: int, message: str) -> JSONResponse:
    """A Spotify Web API error: ``{"error": {"status": ..., "message": ...}}``."""
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = (
            f'Bearer realm="oauth-dance-demo", error="invalid_token", error_description="{message}"'
        )
    return JSONResponse({"error": {"status": status, "message": message}}, status, headers)


def _answer(answer: HttpAnswer) -> Response:
    return Response(answer.body, status_code=answer.status, headers=answer.headers)


def _profile(user: DemoUser, scopes: tuple[str, ...], base: str, private: bool) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "display_name": user.display_name,
        "external_urls": {"spotify": f"{base}/"},
        "followers": {"href": None, "total": 0},
        "href": f"{base}/v1/users/{user.id}",
        "id": user.id,
        "images": [],
        "type": "user",
        "uri": f"spotify:user:{user.id}",
    }
    if private and "user-read-email" in scopes:
        profile["email"] = user.email
    if private and "user-read-private" in scopes:
        profile["country"] = user.country
        profile["product"] = user.product
    return profile


def create_app(config: DemoConfig, provider: DemoProvider | None = None) -> Starlette:
    """The Starlette app of one demo provider."""
    core = provider or DemoProvider(config)
    base = config.issuer

    async def index(request: Request) -> Response:
        return _html(pages.index_page(config))

    async def authorize(request: Request) -> Response:
        outcome = core.begin_authorization(list(request.query_params.multi_items()))
        return _authorization_outcome(outcome)

    async def decision(request: Request) -> Response:
        form = await request.form()
        request_id = form.get("request_id")
        choice = form.get("decision")
        if not isinstance(request_id, str) or choice not in ("Approve", "Deny"):
            page = pages.error_page("invalid_request", "The consent form came back incomplete.")
            return _html(page, 400)
        return _authorization_outcome(core.decide(request_id, approve=choice == "Approve"))

    async def token(request: Request) -> Response:
        form = await _form(request)
        if isinstance(form, HttpAnswer):
            return _answer(form)
        return _answer(core.token(form, request.url.query, request.headers))

    async def revoke(request: Request) -> Response:
        form = await _form(request)
        if isinstance(form, HttpAnswer):
            return _answer(form)
        return _answer(core.revoke(form, request.headers))

    async def par(request: Request) -> Response:
        form = await _form(request)
        if isinstance(form, HttpAnswer):
            return _answer(form)
        return _answer(core.push(form, request.headers))

    async def device_authorization(request: Request) -> Response:
        form = await _form(request)
        if isinstance(form, HttpAnswer):
            return _answer(form)
        return _answer(core.device_authorization(form, request.headers))

    def device_page(user_code: object) -> Response:
        """The verification page: the entry form, or, for a code waiting, its consent."""
        if not isinstance(user_code, str) or not user_code.strip():
            return _html(pages.device_entry_page())
        record = core.device.pending(user_code)
        if record is None:
            problem = "no device is waiting for this code (mistyped, expired, or used)."
            return _html(pages.device_entry_page(problem), 400)
        return _html(pages.device_consent_page(record, core.clients[record.client_id]))

    async def verification(request: Request) -> Response:
        if request.method == "POST":
            return device_page((await request.form()).get("user_code"))
        return device_page(request.query_params.get("user_code"))

    async def device_decision(request: Request) -> Response:
        form = await request.form()
        user_code, choice = form.get("user_code"), form.get("decision")
        if not isinstance(user_code, str) or choice not in ("Approve", "Deny"):
            page = pages.error_page("invalid_request", "The device form came back incomplete.")
            return _html(page, 400)
        if core.device.decide(user_code, approve=choice == "Approve") is None:
            problem = "no device is waiting for this code (expired, or answered already)."
            return _html(pages.device_entry_page(problem), 400)
        return _html(pages.device_done_page(choice == "Approve"))

    async def me(request: Request) -> Response:
        check = core.check_bearer("/v1/me", request.headers)
        if check.user is None:
            return _api_error(check.status, check.message)
        return JSONResponse(_profile(check.user, check.scopes, base, private=True))

    async def echo(request: Request) -> Response:
        """What the call brought (method, headers but the token, body), for the API console."""
        check = core.check_bearer(request.url.path, request.headers)
        if check.user is None:
            return _api_error(check.status, check.message)
        body = await request.body()
        if len(body) > _MAX_ECHO_BYTES:
            return _api_error(413, f"The demo echoes at most {_MAX_ECHO_BYTES} bytes")
        headers = [(k, v) for k, v in request.headers.items() if k != "authorization"]
        return JSONResponse(
            {
                "method": request.method,
                "headers": dict(headers),
                "body": body.decode("utf-8", errors="replace"),
            }
        )

    async def user(request: Request) -> Response:
        check = core.check_bearer(request.url.path, request.headers)
        if check.user is None:
            return _api_error(check.status, check.message)
        if request.path_params["user_id"] != DEMO_USER.id:
            return _api_error(404, "Non existing id")
        return JSONResponse(_profile(DEMO_USER, (), base, private=False))

    async def metadata(request: Request) -> Response:
        return JSONResponse(core.metadata())

    async def jwks(request: Request) -> Response:
        return JSONResponse(core.jwks(), headers={"Cache-Control": "max-age=300"})

    async def callback(request: Request) -> Response:
        return _html(pages.callback_page(request.query_params, config))

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/authorize", authorize, methods=["GET"]),
        Route("/authorize/decision", decision, methods=["POST"]),
        Route("/api/token", token, methods=["POST"]),
        Route("/api/revoke", revoke, methods=["POST"]),
        Route(PAR_PATH, par, methods=["POST"]),
        Route(DEVICE_PATH, device_authorization, methods=["POST"]),
        Route(VERIFICATION_PATH, verification, methods=["GET", "POST"]),
        Route(DECISION_PATH, device_decision, methods=["POST"]),
        Route("/v1/me", me, methods=["GET"]),
        Route("/v1/users/{user_id}", user, methods=["GET"]),
        Route("/v1/echo", echo, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        Route("/.well-known/oauth-authorization-server", metadata, methods=["GET"]),
        Route("/.well-known/openid-configuration", metadata, methods=["GET"]),
        Route(JWKS_PATH, jwks, methods=["GET"]),
        Route("/callback", callback, methods=["GET"]),
    ]
    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=_LOOPBACK_HOST_NAMES, www_redirect=False)
    ]
    return Starlette(routes=routes, middleware=middleware)


async def _form(request: Request) -> list[tuple[str, str]] | HttpAnswer:
    """A POST's form body (token, revocation and PAR endpoints), or the §5.2 error to
    answer with."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != _FORM_TYPE:
        return token_error(400, "invalid_request", f"The body must be {_FORM_TYPE}.")
    try:
        text = (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        return token_error(400, "invalid_request", "The body is not UTF-8.")
    return parse_qsl(text, keep_blank_values=True)


def _authorization_outcome(outcome: Consent | Redirect | ErrorPage) -> Response:
    if isinstance(outcome, Consent):
        return _html(pages.consent_page(outcome))
    if isinstance(outcome, Redirect):
        return RedirectResponse(outcome.location, status_code=302, headers=_PAGE_HEADERS)
    return _html(pages.error_page(outcome.error, outcome.description), 400)
