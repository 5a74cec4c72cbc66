"""The browser's part of the dance, recorded as exchanges the app did not send.

The user's browser makes two requests the app never sends: the authorization
request (the URL the app showed, RFC 6749 §4.1.1) and the redirect back to the
redirect URI with the code (§4.1.2). The app knows both: the first is the URL
it built, the second is what its loopback listener received (with the page it
answered), the redirect URL the user pasted, or the Location of the provider's
answer when the app played the browser on the demo's consent page. Recording them lets History and
the exports show the whole dance. A bare pasted code carries no request, so it
adds none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import httpx

from tui.core.callback import pasted_url
from tui.core.exchange import Exchange
from tui.core.steps import Step

if TYPE_CHECKING:
    from tui.core.listener import ListenerAnswer

AUTHORIZATION = (
    "Made by the user's browser: the authorization request (RFC 6749 §4.1.1). Its answers, "
    "the provider's login and consent pages, went to the browser, not to this app."
)
CAUGHT = (
    "The provider's redirect back to the app (RFC 6749 §4.1.2), made by the browser and "
    "received by this app's loopback listener, with the page it answered (the browser's "
    "headers are not kept)."
)
PASTED = (
    "The provider's redirect back to the app (RFC 6749 §4.1.2), made by the browser; this "
    "app knows it from the redirect URL pasted in, not from the browser."
)
TAKEN = (
    "The provider's redirect back to the app (RFC 6749 §4.1.2): this app played the browser "
    "on the provider's consent page, and took this URL from the Location of the provider's "
    "answer; no request went to the redirect URI."
)


def authorization_by_browser(url: httpx.URL, at: datetime) -> Exchange:
    """The authorization request as the browser made it (its URL; the browser's own
    headers are unknown): no answer the app saw."""
    request = httpx.Request("GET", url)
    return Exchange(step=Step.AUTHORIZE, request=request, at=at, browser=AUTHORIZATION)


def redirect_by_browser(
    text: str, answer: ListenerAnswer | None, at: datetime, history: Sequence[Exchange] = ()
) -> Exchange | None:
    """The redirect back, from what the listener caught (and ``answer``ed), what was
    pasted, or the Location of an answer in ``history`` (the app played the browser);
    None when ``text`` is not a whole URL (a bare code, a query string, junk)."""
    url = pasted_url(text)
    if url is None:
        return None
    try:
        request = httpx.Request("GET", url)
    except (httpx.InvalidURL, ValueError):
        return None
    if answer is None:
        taken = any(
            not e.browser and e.response is not None and e.response.headers.get("location") == text
            for e in history
        )
        return Exchange(
            step=Step.AUTHORIZE, request=request, at=at, browser=TAKEN if taken else PASTED
        )
    response = httpx.Response(
        answer.status, headers=list(answer.headers), content=answer.body, request=request
    )
    return Exchange(step=Step.AUTHORIZE, request=request, response=response, at=at, browser=CAUGHT)
