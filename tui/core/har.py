"""The session's exchanges as an HTTP Archive (HAR 1.2), written with ``harfile``.

Every entry is masked as the screen masks it: each string that could hold a
secret (the URL, header and cookie values, query and body text) goes through
:func:`~tui.core.masking.mask_text` with the secrets the exchange carries and
every one the session knows. The browser's requests (:mod:`tui.core.browser_leg`)
are entries too; one whose answer the app never saw has status 0, as browsers
export a request without a response, and says so in its comment. A fault
(no answer) likewise, its message in the comment.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

import harfile

from tui import __version__
from tui.core.masking import mask_text

if TYPE_CHECKING:
    import httpx

    from tui.core.exchange import Exchange
    from tui.core.session import Session

Mask = Callable[[str], str]
BROWSER = (
    "The app made these requests itself, except those whose comment says the user's "
    "browser made them."
)


def har_text(session: Session) -> str:
    """The HAR document of every exchange of ``session``, masked."""
    out = io.StringIO()
    creator = harfile.Creator(name="OAuth Dance", version=__version__)
    browser = harfile.Browser(name="OAuth Dance", version=__version__, comment=BROWSER)
    comment = f"The OAuth dance with {session.provider.title}; secrets masked as on screen."
    with harfile.HarFile(
        out, creator=creator, browser=browser, comment=session.mask(comment)
    ) as har:
        for exchange in session.history:
            _add_entry(har, session, exchange)
    return out.getvalue()


def _add_entry(har: harfile.HarFile, session: Session, exchange: Exchange) -> None:
    secrets = exchange.secrets() | session.known_secrets()

    def mask(text: str) -> str:
        return mask_text(text, secrets)

    info = exchange.info
    notes = [f"{info.title}: {info.cited}."]
    if exchange.browser:
        notes.append(exchange.browser)
    if exchange.error is not None:
        notes.append(f"{exchange.error.title}: {exchange.error.message}")
    elapsed = round((exchange.elapsed or 0.0) * 1000, 3)
    har.add_entry(
        startedDateTime=exchange.at,
        time=elapsed,
        request=_request(exchange.request, mask),
        response=_response(exchange.response, mask),
        timings=harfile.Timings(send=0, wait=elapsed, receive=0),
        comment=mask(" ".join(notes)),
    )


def _request(request: httpx.Request, mask: Mask) -> harfile.Request:
    head = [f"{request.method} {request.url.raw_path.decode('ascii')} HTTP/1.1"]
    post = None
    if request.content:
        post = harfile.PostData(
            mimeType=request.headers.get("content-type", ""),
            text=mask(request.content.decode("utf-8", errors="replace")),
        )
    return harfile.Request(
        method=request.method,
        url=mask(str(request.url)),
        httpVersion="HTTP/1.1",
        cookies=_cookies(request.headers.get_list("cookie", split_commas=False), mask),
        headers=_headers(request.headers, mask),
        queryString=[
            harfile.Record(name=mask(k), value=mask(v)) for k, v in request.url.params.multi_items()
        ],
        postData=post,
        headersSize=_head_size(head, request.headers),
        bodySize=len(request.content),
    )


def _response(response: httpx.Response | None, mask: Mask) -> harfile.Response:
    if response is None:
        content = harfile.Content(size=0, mimeType="x-unknown")
        return harfile.Response(status=0, statusText="", httpVersion="", content=content)
    status = f"{response.http_version} {response.status_code} {response.reason_phrase}"
    cookies = [c.split(";", 1)[0] for c in response.headers.get_list("set-cookie")]
    return harfile.Response(
        status=response.status_code,
        statusText=response.reason_phrase,
        httpVersion=response.http_version,
        cookies=_cookies(cookies, mask),
        headers=_headers(response.headers, mask),
        content=harfile.Content(
            size=len(response.content),
            mimeType=response.headers.get("content-type", "x-unknown"),
            text=mask(response.text),
        ),
        redirectURL=mask(response.headers.get("location", "")),
        headersSize=_head_size([status], response.headers),
        bodySize=len(response.content),
    )


def _headers(headers: httpx.Headers, mask: Mask) -> list[harfile.Record]:
    return [
        harfile.Record(name=k.decode("latin-1"), value=mask(v.decode("latin-1")))
        for k, v in headers.raw
    ]


def _cookies(values: list[str], mask: Mask) -> list[harfile.Cookie]:
    """Each ``name=value`` pair of Cookie headers (or of Set-Cookie, before its ``;``)."""
    pairs = (pair.strip().partition("=") for value in values for pair in value.split(";"))
    return [harfile.Cookie(name=mask(n), value=mask(v)) for n, _, v in pairs if n]


def _head_size(first: list[str], headers: httpx.Headers) -> int:
    """Bytes from the start line to the blank line after the headers, both CRLFs in."""
    lines = [*first, *(f"{k.decode('latin-1')}: {v.decode('latin-1')}" for k, v in headers.raw)]
    return sum(len(line.encode("latin-1", errors="replace")) + 2 for line in lines) + 2
