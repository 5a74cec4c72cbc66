"""One exchange of the session: the request, and the response or the fault."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import httpx

from tui.core.errors import DanceError
from tui.core.masking import mask_text, secrets_in_request, secrets_in_response
from tui.core.rawhttp import is_json, render_curl, render_request, render_response
from tui.core.steps import Step, StepInfo, flow_info
from tui.core.textsafe import clean


@dataclass
class Exchange:
    """A request the user sent (or is about to send), and what came of it.

    Attributes:
        step: the step it belongs to, e.g. ``Step.EXCHANGE``.
        request: the very object that was (or will be) sent.
        response: the answer, once there is one.
        error: the fault, if the request got no usable answer.
        elapsed: seconds the server and network took.
        known: secrets the dance knows, masked wherever they appear.
        purpose: what a request that is not the step's own is for ("" for the
            step's own), e.g. "ID token keys" for the JWKS fetched to check the ID token.
        browser: empty for a request the app sent; for one the user's browser made
            (the authorization request, the redirect back), how it came to be known.
        generation: the session's tokens generation it was made in, or, when its answer
            changed the tokens, the one it began (see ``Session.is_current``).
        device_flow: made in the device flow (RFC 8628), whose steps have names of their own.
    """

    step: Step
    request: httpx.Request
    response: httpx.Response | None = None
    error: DanceError | None = None
    elapsed: float | None = None
    known: frozenset[str] = frozenset()
    purpose: str = ""
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    browser: str = ""
    generation: int = 0
    device_flow: bool = False
    _json_of: tuple[httpx.Response, bool] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    """Whether the response's body is JSON, once asked (the viewer asks at each key)."""

    def secrets(self) -> set[str]:
        """Every secret this exchange carries or the dance knows."""
        found = secrets_in_request(self.request) | set(self.known)
        if self.response is not None:
            found |= secrets_in_response(self.response)
        return found

    def request_view(self, *, reveal: bool = False) -> str:
        return render_request(self.request, reveal=reveal, known=self.secrets())

    def response_view(self, *, pretty: bool = True, reveal: bool = False) -> str:
        if self.response is None:
            return ""
        return render_response(self.response, pretty=pretty, reveal=reveal, known=self.secrets())

    @property
    def answered_json(self) -> bool:
        """The response's body is JSON: the viewer can show it pretty or raw."""
        if self.response is None:
            return False
        if self._json_of is None or self._json_of[0] is not self.response:
            self._json_of = (self.response, is_json(self.response.text))
        return self._json_of[1]

    def curl(self, *, reveal: bool = False) -> str:
        return render_curl(self.request, reveal=reveal, known=self.secrets())

    def form_value(self, name: str) -> str | None:
        """The value of ``name`` in the request's form body, if it has one."""
        body = self.request.content.decode("utf-8", errors="replace")
        return dict(parse_qsl(body, keep_blank_values=True)).get(name)

    def bearer_token(self) -> str | None:
        """The token of the request's ``Authorization: Bearer`` header, if it has one."""
        scheme, _, token = self.request.headers.get("authorization", "").partition(" ")
        return token if scheme.lower() == "bearer" else None

    @property
    def status_line(self) -> str:
        """ "200 OK", "400 Bad Request", or the fault's title."""
        if self.response is not None:
            return f"{self.response.status_code} {self.response.reason_phrase}".strip()
        if self.error is not None:
            return self.error.title
        return "made by the browser" if self.browser else "not sent"

    @property
    def info(self) -> StepInfo:
        """Its step, as the flow it was made in has it (Device code, not Authorize)."""
        return flow_info(self.step, device_flow=self.device_flow)

    @property
    def title(self) -> str:
        """Its step's title, and what it is for when it is not the step's own request
        (the device flow's "device code" and "poll" are: the title says it already)."""
        title = self.info.title
        if not self.purpose or self.purpose.lower() == title.lower():
            return title
        return f"{title} ({self.purpose})"

    @property
    def summary(self) -> str:
        """One line for a history list: masked, its control characters visible."""
        request = self.request
        line = f"{self.title}: {request.method} {request.url.path} → {self.status_line}"
        return clean(mask_text(line, self.secrets()), keep_newlines=False)
