"""Playing the browser's part on a plain HTML consent page (dance steps 3–4).

The embedded demo server's consent page is ordinary HTML with one form. The
wizard reads it as a text browser would: the visible text, the hidden fields,
and the submit buttons, then posts the chosen button exactly as a browser does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import httpx

from tui.core.errors import OAuthError, ResponseFormatError
from tui.core.flow import USER_AGENT
from tui.core.textsafe import clean

_BLOCKS = frozenset({"h1", "h2", "p", "li", "pre"})


@dataclass
class ConsentForm:
    """What a person sees on the page and what the form would send."""

    action: str
    method: str
    hidden: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    """(name, value) of each submit button, e.g. ("decision", "Approve")."""
    inputs: list[str] = field(default_factory=list)
    """The names of the fields a person types into, e.g. a device flow's ``user_code``."""
    text: list[str] = field(default_factory=list)
    """The page's visible text before the form, one block per entry."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.form: ConsentForm | None = None
        self.text: list[str] = []
        self._block: list[str] | None = None
        self._skip = 0
        self._form_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("style", "script", "title"):
            self._skip += 1
        elif tag == "form" and self.form is None:
            self.form = ConsentForm(a.get("action", ""), a.get("method", "get").upper())
        elif tag in ("input", "button") and self.form is not None and not self._form_done:
            kind = a.get("type", "submit" if tag == "button" else "text").lower()
            if kind == "hidden":
                self.form.hidden.append((a.get("name", ""), a.get("value", "")))
            elif kind == "submit":
                self.form.buttons.append((a.get("name", ""), a.get("value", "")))
            elif kind == "text" and a.get("name"):
                self.form.inputs.append(a["name"])
        elif tag in _BLOCKS and self.form is None:
            self._block = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag == "form":
            self._form_done = True
        elif tag in _BLOCKS and self._block is not None:
            words = " ".join("".join(self._block).split())
            if words:
                self.text.append(clean(words, keep_newlines=False))
            self._block = None

    def handle_data(self, data: str) -> None:
        if self._block is not None and not self._skip:
            self._block.append(data)


def read_consent_page(response: httpx.Response) -> ConsentForm:
    """The consent form on an authorization endpoint's HTML answer.

    Raises:
        OAuthError: an error page that names its OAuth error as ``error: code``, with
            the description in the block after it (the demo's, for a bad client_id,
            redirect_uri or request_uri): taught as any refusal is.
        ResponseFormatError: any other answer without a form with submit buttons.
    """
    reader = _Reader()
    reader.feed(response.text)
    form = reader.form
    if form is None and not response.is_success:
        for i, block in enumerate(reader.text):
            label, sep, code = block.partition(": ")
            if label == "error" and sep and code and " " not in code:
                description = reader.text[i + 1] if i + 1 < len(reader.text) else None
                raise OAuthError(code, description, response.status_code)
    if form is None or not form.buttons:
        summary = " ".join(reader.text[:3]) or f"HTTP {response.status_code}"
        raise ResponseFormatError(f"No consent form on this page: {summary}")
    form.text = reader.text
    form.action = urljoin(str(response.request.url), form.action)
    return form


def read_page_text(response: httpx.Response) -> list[str]:
    """The visible text of a page that has no form to fill (the device flow's last page)."""
    reader = _Reader()
    reader.feed(response.text)
    return reader.text or [f"HTTP {response.status_code}, and no text"]


def decision_request(
    form: ConsentForm, button: tuple[str, str], typed: Mapping[str, str] | None = None
) -> httpx.Request:
    """The POST a browser sends when ``button`` is pressed, with what was ``typed`` into
    the form's text fields."""
    fields = [*form.hidden, *(typed or {}).items()]
    if button[0]:
        fields.append(button)
    return httpx.Request(
        form.method,
        form.action,
        headers={"User-Agent": USER_AGENT},
        data=dict(fields),
    )
