"""The pieces the fault handling rests on, one by one: holds, log redaction, answer
summaries, short excerpts of huge bodies, the writable check, stale temp files."""

from __future__ import annotations

import errno
import logging
import tempfile
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input

from tui.core.masking import MASK, RedactingFilter, mask_by_name, redact_log_text
from tui.core.store_files import check_writable, remove_stale_temps
from tui.core.textsafe import excerpt, shorten
from tui.core.transport import describe_answer, new_client
from tui.core.transport_holds import MAX_HOLD, Holds
from tui.widgets.secret_input import SecretInput

TOKEN_URL = "https://as.example/api/token"


def answered(status: int, url: str = TOKEN_URL, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, request=httpx.Request("POST", url), content=b"x")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_hold_counts_down_and_covers_the_whole_endpoint() -> None:
    clock = FakeClock()
    holds = Holds(clock)
    assert holds.note(answered(429, **{"Retry-After": "120"})) == 120
    assert holds.remaining(httpx.URL(TOKEN_URL)) == 120
    assert holds.remaining(httpx.URL(TOKEN_URL + "?x=1")) == 120, "same endpoint"
    assert holds.remaining(httpx.URL("https://as.example/v1/me")) == 0, "another endpoint"
    clock.now += 119.5
    assert holds.remaining(httpx.URL(TOKEN_URL)) == 0.5
    clock.now += 1
    assert holds.remaining(httpx.URL(TOKEN_URL)) == 0


def test_hold_from_an_http_date_is_capped() -> None:
    holds = Holds(FakeClock())
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    wait = holds.note(answered(503, **{"Retry-After": soon}))
    assert wait is not None and 80 < wait <= 90
    far = format_datetime(datetime(2100, 1, 1, tzinfo=UTC), usegmt=True)
    assert holds.note(answered(429, **{"Retry-After": far})) == MAX_HOLD


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        (429, {}),
        (500, {"Retry-After": "60"}),
        (200, {"Retry-After": "60"}),
        (503, {"Retry-After": "soon"}),
    ],
)
def test_no_hold_without_a_usable_retry_after(status: int, headers: dict[str, str]) -> None:
    holds = Holds(FakeClock())
    assert holds.note(answered(status, **headers)) is None
    assert holds.remaining(httpx.URL(TOKEN_URL)) == 0


def test_describe_answer() -> None:
    response = httpx.Response(
        502, headers={"Content-Type": "text/html\x1b[2J"}, content=b"<h1>x</h1>"
    )
    shown = "HTTP 502 Bad Gateway · text/html\\x1b[2J · 10 bytes"
    assert describe_answer(response) == shown
    assert describe_answer(httpx.Response(204)).endswith("no Content-Type · empty body")


def test_mask_by_name_masks_tokens_in_text_that_does_not_parse() -> None:
    cut = '{"token_type": "Bearer", "Access_Token" : "at-\\"1", "refresh_token": "rt-2'
    masked = mask_by_name(cut)
    assert (
        masked == f'{{"token_type": "Bearer", "Access_Token" : "{MASK}", "refresh_token": "{MASK}'
    )
    assert mask_by_name("a=1&code=abc&b=2") == f"a=1&code={MASK}&b=2"
    assert (
        mask_by_name('{"scope": "x", "token_typed": "y"}') == '{"scope": "x", "token_typed": "y"}'
    )


def test_redact_log_text_masks_codes_tokens_and_credentials() -> None:
    line = (
        "receive_response_headers.complete return_value=(b'HTTP/1.1', 302, b'Found', "
        "[(b'location', b'http://127.0.0.1:5/cb?code=Ab-1_x%2B&state=st'), "
        "(b'Authorization', b'Basic YTpi'), (b'set-cookie', b'sid=1; Path=/'), "
        "(b'content-type', b'text/html')])"
    )
    redacted = redact_log_text(line)
    for secret in ("Ab-1_x%2B", "YTpi", "sid=1"):
        assert secret not in redacted
    assert f"code={MASK}&state=st" in redacted
    assert "(b'content-type', b'text/html')" in redacted
    assert redact_log_text("status_code=200 barcode=7") == "status_code=200 barcode=7"
    assert redact_log_text("GET /cb#access_token=abc&x=1") == f"GET /cb#access_token={MASK}&x=1"


def test_redacting_filter_rewrites_formatted_records() -> None:
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "HTTP Request: %s %s", ("GET", "/cb?code=c0de"), None
    )
    assert RedactingFilter().filter(record) is True
    assert record.getMessage() == f"HTTP Request: GET /cb?code={MASK}"


async def test_clients_install_the_filter_once() -> None:
    for _ in range(2):
        async with new_client():
            pass
    for name in ("httpx", "httpcore.http11", "httpcore.connection"):
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, RedactingFilter) for f in filters) == 1


def test_excerpt_and_shorten_stay_short_on_megabytes() -> None:
    huge = "<p>" + "word " * 2_000_000 + "</p>"
    short = excerpt(huge)
    assert len(short) <= 160 and short.startswith("word word")
    assert len(shorten(huge)) <= 200
    assert shorten("[b]x[/b]\x1b[2J\r\n") == "[b]x[/b]\\x1b[2J\\r\\n"


def test_check_writable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "not" / "yet" / "creds.toml"
    assert check_writable(target) is None
    assert not (tmp_path / "not").exists(), "the check creates nothing"
    assert list(tmp_path.iterdir()) == []

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    problem = check_writable(target)
    assert problem is not None
    assert f"Cannot write in {tmp_path}: Read-only file system" in problem


def test_remove_stale_temps_only_removes_the_stores_temp_files(tmp_path: Path) -> None:
    real = tmp_path / "creds.toml"
    names = [".creds.toml.abc123.tmp", ".creds.toml.x.tmp", "creds.toml", ".other.toml.a.tmp"]
    for name in [*names, "creds.toml.lock", "notes.tmp"]:
        (tmp_path / name).write_text("x")
    remove_stale_temps(real)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [".other.toml.a.tmp", "creds.toml", "creds.toml.lock", "notes.tmp"]


class SecretForm(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.values: list[str] = []

    def compose(self) -> ComposeResult:
        yield SecretInput("s3cret-value", max_length=64, id="client_secret")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.values.append(event.value)


async def test_secret_input_messages_hide_the_value() -> None:
    seen: list[str] = []
    app = SecretForm()
    async with app.run_test(message_hook=lambda message: seen.append(repr(message))) as pilot:
        field = app.query_one(SecretInput)
        assert field.password
        await pilot.press("enter", "end", "x")
        field.blur()
        await pilot.pause()
    assert app.values[-1] == "s3cret-valuex", "handlers still get the value"
    changed = [text for text in seen if "SecretInput.Changed" in text]
    assert changed and any("SecretInput.Submitted" in text for text in seen)
    assert any("SecretInput.Blurred" in text for text in seen)
    assert not [text for text in seen if "s3cret" in text]
