"""The loopback redirect listener: real sockets on 127.0.0.1 (and ::1 when available)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import html
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from tui.core.callback import read_callback
from tui.core.errors import CallbackError, DanceError, IssuerMismatchError, NotThisAttemptError
from tui.core.listener import CallbackListener, ListenerError
from tui.core.listener_address import ListenAddress, listen_address
from tui.core.listener_http import MAX_HEADER_BYTES

ADDRESS = ListenAddress("127.0.0.1", 0, "/callback")


async def let_tasks_run() -> None:
    """Let every task started run until it waits (on the network, or on the listener):
    a few turns of the loop, no time."""
    for _ in range(5):
        await asyncio.sleep(0)


@pytest.fixture
async def listener() -> AsyncIterator[CallbackListener]:
    lst = CallbackListener(ADDRESS)
    await lst.start()
    try:
        yield lst
    finally:
        await lst.close()


async def get(url: str) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.get(url)


async def raw(port: int, data: bytes, *, eof: bool = False) -> bytes:
    """Send ``data`` on a plain socket and read the whole answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        if eof:
            writer.write_eof()
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 5)
    finally:
        writer.close()
        await writer.wait_closed()


# -- listen_address ---------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("http://127.0.0.1:8888/callback", ListenAddress("127.0.0.1", 8888, "/callback")),
        ("http://[::1]:9000/cb", ListenAddress("::1", 9000, "/cb")),
        ("http://localhost:8888/x", ListenAddress("127.0.0.1", 8888, "/x")),
        ("http://127.0.0.1/callback", ListenAddress("127.0.0.1", 80, "/callback")),
        ("http://127.0.0.1:8888", ListenAddress("127.0.0.1", 8888, "/")),
        ("  http://127.0.0.1:5000/cb?x=1  ", ListenAddress("127.0.0.1", 5000, "/cb")),
        ("HTTP://127.0.0.1:5000/cb", ListenAddress("127.0.0.1", 5000, "/cb")),
    ],
)
def test_listen_address_loopback(uri: str, expected: ListenAddress) -> None:
    assert listen_address(uri) == expected


@pytest.mark.parametrize(
    "uri",
    [
        "https://127.0.0.1:8888/callback",
        "https://example.com/callback",
        "http://example.com/callback",
        "http://10.0.0.1:8888/callback",
        "http://0.0.0.0:8888/callback",
        "http://127.0.0.1:99999/callback",
        "com.example.app:/callback",
        "",
    ],
)
def test_listen_address_nothing_to_listen_on(uri: str) -> None:
    assert listen_address(uri) is None


def test_listener_error_is_a_dance_error() -> None:
    assert issubclass(ListenerError, DanceError)
    assert ListenerError.title == "Listener not started"


# -- the callback -----------------------------------------------------------


async def test_callback_is_caught(listener: CallbackListener) -> None:
    port = listener.bound_port
    assert port > 0
    waiter = asyncio.create_task(listener.wait())
    resp = await get(f"http://127.0.0.1:{port}/callback?code=abc&state=xyz")
    url = await asyncio.wait_for(waiter, 5)
    assert url == f"http://127.0.0.1:{port}/callback?code=abc&state=xyz"
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "text/html; charset=utf-8"
    assert resp.headers["connection"] == "close"
    assert "Authorization received" in resp.text
    assert "close this tab" in resp.text
    assert "abc" not in resp.text


async def test_query_is_kept_as_received(listener: CallbackListener) -> None:
    port = listener.bound_port
    query = "code=a%2Fb%3D&state=s%20t&iss=https%3A%2F%2Fexample.com"
    answer = await raw(port, f"GET /callback?{query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert await asyncio.wait_for(listener.wait(), 5) == (
        f"http://127.0.0.1:{port}/callback?{query}"
    )


async def test_other_paths_get_404_and_listener_keeps_waiting(
    listener: CallbackListener,
) -> None:
    port = listener.bound_port
    waiter = asyncio.create_task(listener.wait())
    favicon = await get(f"http://127.0.0.1:{port}/favicon.ico")
    assert favicon.status_code == 404
    no_code = await get(f"http://127.0.0.1:{port}/callback?state=xyz")
    assert no_code.status_code == 404
    wrong_path = await get(f"http://127.0.0.1:{port}/other?code=abc")
    assert wrong_path.status_code == 404
    assert "abc" not in wrong_path.text
    await let_tasks_run()
    assert not waiter.done()
    resp = await get(f"http://127.0.0.1:{port}/callback?code=abc&state=xyz")
    assert resp.status_code == 200
    assert (await asyncio.wait_for(waiter, 5)).endswith("/callback?code=abc&state=xyz")


async def test_non_get_is_405(listener: CallbackListener) -> None:
    port = listener.bound_port
    async with httpx.AsyncClient() as client:
        resp = await client.post(f"http://127.0.0.1:{port}/callback?code=abc", data={"x": "y"})
    assert resp.status_code == 405
    assert resp.headers["allow"] == "GET"
    resp = await get(f"http://127.0.0.1:{port}/callback?code=abc")
    assert resp.status_code == 200


async def test_error_callback_is_returned_and_escaped(listener: CallbackListener) -> None:
    port = listener.bound_port
    waiter = asyncio.create_task(listener.wait())
    resp = await get(
        f"http://127.0.0.1:{port}/callback?error=access_denied"
        "&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=xyz"
    )
    url = await asyncio.wait_for(waiter, 5)
    assert url.startswith(f"http://127.0.0.1:{port}/callback?error=access_denied&")
    assert resp.status_code == 200
    assert "The provider answered access_denied" in resp.text
    assert "<script>" not in resp.text
    assert "&lt;script&gt;" in resp.text


async def test_page_title_is_escaped() -> None:
    lst = CallbackListener(ADDRESS, page_title="<b>Demo</b>")
    await lst.start()
    try:
        resp = await get(f"http://127.0.0.1:{lst.bound_port}/callback?code=abc")
    finally:
        await lst.close()
    assert "<title>&lt;b&gt;Demo&lt;/b&gt;</title>" in resp.text


async def test_one_callback_then_connections_are_refused(listener: CallbackListener) -> None:
    port = listener.bound_port
    await get(f"http://127.0.0.1:{port}/callback?code=abc&state=xyz")
    assert (await asyncio.wait_for(listener.wait(), 5)).endswith("code=abc&state=xyz")
    with pytest.raises(httpx.ConnectError):
        await get(f"http://127.0.0.1:{port}/callback?code=second")
    # wait() keeps returning the first one
    assert (await listener.wait()).endswith("code=abc&state=xyz")


async def test_oversized_headers_get_431(listener: CallbackListener) -> None:
    port = listener.bound_port
    big = b"X-Big: " + b"a" * (MAX_HEADER_BYTES + 10) + b"\r\n"
    answer = await raw(port, b"GET /callback?code=abc HTTP/1.1\r\n" + big + b"\r\n")
    assert answer.startswith(b"HTTP/1.1 431 ")
    many = b"".join(b"X-H%d: %s\r\n" % (i, b"b" * 100) for i in range(100))
    answer = await raw(port, b"GET /callback?code=abc HTTP/1.1\r\n" + many + b"\r\n")
    assert answer.startswith(b"HTTP/1.1 431 ")
    resp = await get(f"http://127.0.0.1:{port}/callback?code=abc")
    assert resp.status_code == 200


async def test_garbage_gets_400(listener: CallbackListener) -> None:
    port = listener.bound_port
    assert (await raw(port, b"hello\r\n\r\n")).startswith(b"HTTP/1.1 400 ")
    assert (await raw(port, b"GET /callback?code=a\x01 HTTP/1.1\r\n\r\n")).startswith(
        b"HTTP/1.1 400 "
    )
    assert (await raw(port, b"GET /callback?code=a HTTP/1.1\r\n", eof=True)).startswith(
        b"HTTP/1.1 400 "  # EOF before the blank line
    )
    waiter = asyncio.create_task(listener.wait())
    await let_tasks_run()
    assert not waiter.done()
    await get(f"http://127.0.0.1:{port}/callback?code=abc")
    assert (await asyncio.wait_for(waiter, 5)).endswith("code=abc")


async def test_stuck_client_does_not_block(listener: CallbackListener) -> None:
    port = listener.bound_port
    _reader, stuck = await asyncio.open_connection("127.0.0.1", port)
    stuck.write(b"GET /callback?code=stuck HTTP/1.1\r\n")  # never finishes its headers
    await stuck.drain()
    resp = await get(f"http://127.0.0.1:{port}/callback?code=abc")
    assert resp.status_code == 200
    assert (await asyncio.wait_for(listener.wait(), 5)).endswith("code=abc")
    await asyncio.wait_for(listener.close(), 5)  # drops the stuck connection too
    stuck.close()
    with contextlib.suppress(OSError):
        await stuck.wait_closed()


async def test_read_timeout_answers_408(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tui.core.listener_http.READ_TIMEOUT", 0.1)
    lst = CallbackListener(ADDRESS)
    await lst.start()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", lst.bound_port)
        writer.write(b"GET /callback?code=slow HTTP/1.1\r\n")
        answer = await asyncio.wait_for(reader.read(), 5)
        writer.close()
        await writer.wait_closed()
        assert answer.startswith(b"HTTP/1.1 408 ")
    finally:
        await lst.close()


# -- binding ----------------------------------------------------------------


async def test_port_in_use() -> None:
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        lst = CallbackListener(ListenAddress("127.0.0.1", port, "/callback"))
        with pytest.raises(ListenerError, match="already in use") as info:
            await lst.start()
        assert info.value.message == (
            f"Port {port} on 127.0.0.1 is already in use, so the redirect cannot be "
            "caught here. Paste the code or the redirect URL instead."
        )
        assert info.value.__cause__ is None
        assert info.value.__suppress_context__
        await lst.close()
    finally:
        taken.close()


async def test_refuses_to_bind_a_non_loopback_host() -> None:
    lst = CallbackListener(ListenAddress("0.0.0.0", 0, "/callback"))
    with pytest.raises(ListenerError, match="not a loopback"):
        await lst.start()


async def test_bound_to_loopback_only(listener: CallbackListener) -> None:
    assert listener.sockets
    assert all(host == "127.0.0.1" for host, _port in listener.sockets)
    assert listener._server is not None
    assert all(s.getsockname()[0] == "127.0.0.1" for s in listener._server.sockets)


async def test_ipv6_loopback() -> None:
    try:
        probe = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        probe.bind(("::1", 0))
        probe.close()
    except OSError:
        pytest.skip("::1 cannot be bound on this machine")
    lst = CallbackListener(ListenAddress("::1", 0, "/cb"))
    await lst.start()
    try:
        port = lst.bound_port
        assert all(host == "::1" for host, _port in lst.sockets)
        resp = await get(f"http://[::1]:{port}/cb?code=abc&state=xyz")
        assert resp.status_code == 200
        assert await asyncio.wait_for(lst.wait(), 5) == (
            f"http://[::1]:{port}/cb?code=abc&state=xyz"
        )
    finally:
        await lst.close()


# -- lifecycle --------------------------------------------------------------


async def test_wait_before_start_and_bound_port_before_start() -> None:
    lst = CallbackListener(ADDRESS)
    with pytest.raises(ListenerError):
        await lst.wait()
    with pytest.raises(ListenerError):
        _ = lst.bound_port


async def test_cancel_during_wait_then_close() -> None:
    lst = CallbackListener(ADDRESS)
    await lst.start()
    port = lst.bound_port
    waiter = asyncio.create_task(lst.wait())
    await let_tasks_run()
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    await lst.close()
    await lst.close()  # idempotent
    assert lst.sockets == ()
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)
    with pytest.raises(ListenerError, match="closed before"):
        await lst.wait()
    with pytest.raises(ListenerError):
        await lst.start()


async def test_close_wakes_a_waiter() -> None:
    lst = CallbackListener(ADDRESS)
    await lst.start()
    waiter = asyncio.create_task(lst.wait())
    await let_tasks_run()
    await lst.close()
    with pytest.raises(ListenerError, match="closed before"):
        await asyncio.wait_for(waiter, 5)


async def test_close_without_start() -> None:
    lst = CallbackListener(ADDRESS)
    await lst.close()
    await lst.close()


async def test_start_twice_is_harmless(listener: CallbackListener) -> None:
    port = listener.bound_port
    await listener.start()
    assert listener.bound_port == port


async def test_a_redirect_for_another_attempt_is_refused_and_waiting_goes_on() -> None:
    expecting = CallbackListener(
        ADDRESS, check=functools.partial(read_callback, expected_state="current")
    )
    await expecting.start()
    try:
        port = expecting.bound_port
        waiter = asyncio.create_task(expecting.wait())
        stale = await get(f"http://127.0.0.1:{port}/callback?code=old&state=stale")
        assert stale.status_code == 400
        assert "Not this attempt" in stale.text
        assert "the terminal still waits" in stale.text
        stale_error = await get(f"http://127.0.0.1:{port}/callback?error=access_denied&state=x")
        assert stale_error.status_code == 400
        assert not waiter.done()
        good = await get(f"http://127.0.0.1:{port}/callback?code=new&state=current")
        assert good.status_code == 200
        assert (await asyncio.wait_for(waiter, 5)).endswith("code=new&state=current")
    finally:
        await expecting.close()


@pytest.mark.parametrize(
    "query",
    ["error=access_denied", "error=access_denied&state=current", "error=x&state=current&iss=o"],
    ids=["no state", "no iss", "another iss"],
)
async def test_an_error_that_is_not_this_attempts_does_not_end_it(query: str) -> None:
    """Any local process can send a refusal to the listener: without this attempt's state
    (RFC 6749 §4.1.2.1) and the iss promised (RFC 9207 §2.4), it is not the provider's, and
    the listener goes on waiting for the one that is."""
    check = functools.partial(
        read_callback,
        expected_state="current",
        expected_iss="https://as.example",
        iss_required=True,
    )
    lst = CallbackListener(ADDRESS, check=check)
    await lst.start()
    try:
        waiter = asyncio.create_task(lst.wait())
        base = f"http://127.0.0.1:{lst.bound_port}/callback"
        refused = await get(f"{base}?{query}")
        assert refused.status_code == 400
        assert "Not this attempt" in refused.text and "still waits" in refused.text
        await let_tasks_run()
        assert not waiter.done()
        good = await get(f"{base}?error=access_denied&state=current&iss=https://as.example")
        assert good.status_code == 200 and "Authorization refused" in good.text
        assert "error=access_denied" in await asyncio.wait_for(waiter, 5)
    finally:
        await lst.close()


async def test_the_page_gives_the_core_checks_verdict_and_hands_the_callback_on() -> None:
    """A code of this attempt no provider issues (a control character in it) is refused on
    the page with the very message the app shows, and the app gets the URL to say so too."""
    check = functools.partial(
        read_callback, expected_state="st", expected_iss="https://as.example", iss_required=True
    )
    lst = CallbackListener(ADDRESS, check=check)
    await lst.start()
    try:
        waiter = asyncio.create_task(lst.wait())
        page = await get(
            f"http://127.0.0.1:{lst.bound_port}/callback?code=a%0Ab&state=st&iss=https://as.example"
        )
        assert page.status_code == 400
        assert CallbackError.title in page.text
        url = await asyncio.wait_for(waiter, 5)
        with pytest.raises(CallbackError) as info:
            check(url)
        assert html.escape(info.value.message) in page.text
        assert "Authorization received" not in page.text
    finally:
        await lst.close()


async def test_the_page_says_received_only_when_the_check_passes() -> None:
    check = functools.partial(
        read_callback, expected_state="st", expected_iss="https://as.example", iss_required=True
    )
    lst = CallbackListener(ADDRESS, check=check)
    await lst.start()
    try:
        page = await get(
            f"http://127.0.0.1:{lst.bound_port}/callback?code=abc&state=st&iss=https://as.example"
        )
        assert page.status_code == 200
        assert "Authorization received" in page.text
    finally:
        await lst.close()


@pytest.mark.parametrize(
    "query", ["code=abc&state=st", "code=abc&state=st&iss=https://evil.example"]
)
async def test_a_code_failing_the_issuer_check_does_not_end_the_wait(query: str) -> None:
    """The right state and a code, but not the iss promised: a possible mix-up (RFC 9207),
    not this attempt's answer to trust. One request from anyone who saw the URL must not
    use up the listener: 400, the app is told why, and the real redirect is still taken."""
    check = functools.partial(
        read_callback, expected_state="st", expected_iss="https://as.example", iss_required=True
    )
    told: list[NotThisAttemptError] = []
    lst = CallbackListener(ADDRESS, check=check, on_refused=told.append)
    await lst.start()
    try:
        waiter = asyncio.create_task(lst.wait())
        base = f"http://127.0.0.1:{lst.bound_port}/callback"
        page = await get(f"{base}?{query}")
        assert page.status_code == 400
        assert "Not this attempt" in page.text and IssuerMismatchError.title in page.text
        await let_tasks_run()
        assert not waiter.done()
        assert [type(err) for err in told] == [IssuerMismatchError]
        good = await get(f"{base}?code=real&state=st&iss=https://as.example")
        assert good.status_code == 200 and "Authorization received" in good.text
        assert (await asyncio.wait_for(waiter, 5)).endswith(
            "code=real&state=st&iss=https://as.example"
        )
    finally:
        await lst.close()


@pytest.mark.parametrize(
    "query",
    [
        "code=abc&state=stale",
        "code=abc",
        "error=access_denied",
        "error=access_denied&state=st",
        "code=abc&state=st",
    ],
)
async def test_a_not_this_attempt_page_says_once_that_the_attempt_goes_on(query: str) -> None:
    """One clear account: what happened, and that the attempt goes on; never 'start a new
    authorization' beside 'still waits', nor 'ignored' twice."""
    check = functools.partial(
        read_callback, expected_state="st", expected_iss="https://as.example", iss_required=True
    )
    lst = CallbackListener(ADDRESS, check=check)
    await lst.start()
    try:
        page = await get(f"http://127.0.0.1:{lst.bound_port}/callback?{query}")
        assert page.status_code == 400
        text = page.text.lower()
        assert "start a new" not in text
        assert text.count("ignored") == 1 and text.count("goes on") == 1
    finally:
        await lst.close()
