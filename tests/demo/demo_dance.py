"""Helpers for the demo provider tests: a small browser-plus-client (httpx) that dances
with a real DemoServer, and an HTML form parser (stdlib html.parser)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, quote_plus, urljoin, urlsplit

import httpx

from tui.demo import DemoServer

SCOPES = "user-read-private user-read-email"


@dataclass
class Form:
    action: str
    method: str
    hidden: list[tuple[str, str]] = field(default_factory=list)
    submits: list[tuple[str, str]] = field(default_factory=list)


class FormParser(HTMLParser):
    """Collects forms, their hidden fields and submit buttons, as a browser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif tag == "input" and self.forms:
            kind = a.get("type", "text").lower()
            if kind == "hidden":
                self.forms[-1].hidden.append((a["name"], a.get("value", "")))
            elif kind == "submit":
                self.forms[-1].submits.append((a["name"], a.get("value", "")))


def parse_forms(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def basic_header(client_id: str, secret: str) -> str:
    """RFC 6749 §2.3.1: form-encode each half, then base64 ``id:secret``."""
    raw = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


@dataclass
class Dance:
    """Plays the browser (authorize, consent) and the client (token, profile)."""

    server: DemoServer
    http: httpx.Client

    @property
    def base(self) -> str:
        return self.server.base_url

    def authorize(self, **params: str) -> httpx.Response:
        return self.http.get(f"{self.base}/authorize", params=params)

    def authorize_params(
        self,
        client_id: str | None = None,
        redirect_uri: str | None = None,
        scope: str = SCOPES,
        state: str = "st-123",
        **extra: str,
    ) -> dict[str, str]:
        params = {
            "client_id": client_id or self.server.client_id,
            "response_type": "code",
            "redirect_uri": redirect_uri or self.server.callback_url,
            "scope": scope,
            "state": state,
        }
        params.update(extra)
        return params

    def submit(self, page: httpx.Response, button: str) -> httpx.Response:
        """Press a button of the page's only form, as a browser would."""
        (form,) = parse_forms(page.text)
        assert form.method == "post"
        chosen = [(n, v) for n, v in form.submits if v == button]
        assert chosen, f"no {button!r} button in {form.submits}"
        url = urljoin(str(page.url), form.action)
        return self.http.post(url, data=dict(form.hidden + chosen))

    def code_for(self, **params: str) -> tuple[str, dict[str, str]]:
        """Authorize, approve, and return the code and the redirect's query."""
        page = self.authorize(**self.authorize_params(**params))
        assert page.status_code == 200, page.text
        answer = self.submit(page, "Approve")
        assert answer.status_code == 302, answer.text
        query = query_of(answer.headers["location"])
        return query["code"], query

    def token(
        self,
        data: dict[str, str],
        auth: str = "basic",
        secret: str | None = None,
        client_id: str | None = None,
        path: str = "/api/token",
    ) -> httpx.Response:
        """POST /api/token (or ``path``) authenticating by ``basic``, ``body`` or ``none``."""
        cid = client_id or self.server.client_id
        pw = self.server.client_secret if secret is None else secret
        headers = {}
        body = dict(data)
        if auth == "basic":
            headers["Authorization"] = basic_header(cid, pw)
        elif auth == "body":
            body.update(client_id=cid, client_secret=pw)
        else:
            body["client_id"] = cid
        return self.http.post(f"{self.base}{path}", data=body, headers=headers)

    def exchange(self, code: str, redirect_uri: str | None = None, **kw: Any) -> httpx.Response:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri or self.server.callback_url,
        }
        data.update(kw.pop("extra", {}))
        return self.token(data, **kw)

    def refresh(self, refresh_token: str, **kw: Any) -> httpx.Response:
        return self.token({"grant_type": "refresh_token", "refresh_token": refresh_token}, **kw)

    def revoke(self, token: str, hint: str | None = None, **kw: Any) -> httpx.Response:
        """POST /api/revoke (RFC 7009), authenticating as :meth:`token` does."""
        data = {"token": token} | ({"token_type_hint": hint} if hint else {})
        return self.token(data, path="/api/revoke", **kw)

    def me(self, access_token: str) -> httpx.Response:
        return self.http.get(
            f"{self.base}/v1/me", headers={"Authorization": f"Bearer {access_token}"}
        )

    def tokens(self, **params: str) -> dict[str, Any]:
        """A whole confidential dance up to the tokens."""
        code, _ = self.code_for(**params)
        answer = self.exchange(code, params.get("redirect_uri"))
        assert answer.status_code == 200, answer.text
        return dict(answer.json())


class FakeClock:
    """A monotonic clock that moves only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
