"""``oauth-dance token`` end to end: the command in a subprocess, the demo provider on
loopback holding the tokens it prints. Time is moved (the server's FakeClock, and the
expiry in the credentials file), never waited for."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from demo_dance import Dance, FakeClock

from tests.faults.badserver import BadServer, answer
from tests.faults.test_creds_faults import disk_full, read_only
from tests.waiting import wait_for
from tui.cli_token import Exit
from tui.cli_token import main as token_main
from tui.core.explain import ERRORS, QUIRKS
from tui.core.store import CredsStore
from tui.demo import DemoServer

NAME = "local"
"""The demo server described as a custom provider, as a user of ``demo-server`` would."""


@pytest.fixture
def creds(tmp_path: Path) -> Path:
    return tmp_path / "config" / "creds.toml"


def provider_table(server: DemoServer) -> dict[str, Any]:
    base = server.base_url
    return {
        "authorize_endpoint": f"{base}/authorize",
        "token_endpoint": f"{base}/api/token",
        "profile_endpoint": f"{base}/v1/me",
        "client_id": server.client_id,
        "client_secret": server.client_secret,
        "auth_method": "client_secret_basic",
        "redirect_uri": server.callback_url,
    }


def seed(creds: Path, table: dict[str, Any], name: str = NAME) -> None:
    creds.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    creds.write_bytes(tomli_w.dumps({"version": 1, name: table}).encode())
    creds.chmod(0o600)


def seed_tokens(
    creds: Path, dance: Dance, tokens: dict[str, Any], expires_in: float, **extra: Any
) -> None:
    """The tokens of a dance saved as the wizard saves them, expiring in ``expires_in`` s."""
    table = provider_table(dance.server) | {
        "token": tokens["access_token"],
        "refresh": tokens["refresh_token"],
        "token_type": tokens["token_type"],
        "granted_scope": tokens["scope"],
        "expires": datetime.now(UTC) + timedelta(seconds=expires_in),
    }
    seed(creds, table | extra)


def saved(creds: Path, name: str = NAME) -> dict[str, Any]:
    table: dict[str, Any] = tomllib.loads(creds.read_text())[name]
    return table


def command(creds: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "tui", "token", "--provider", NAME, "--creds", str(creds), *args]


ENV = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}
"""No proxy settings, no developer config: the subprocess sees only its arguments."""


def token(creds: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(creds, *args), capture_output=True, text=True, env=ENV, timeout=60, check=False
    )


def issued(server: DemoServer) -> int:
    """Access tokens the server has issued: one per code exchange or refresh."""
    assert server.store is not None
    return len(server.store.access)


@pytest.mark.slow
def test_a_token_with_time_left_is_printed_as_it_is(creds: Path, dance: Dance) -> None:
    tokens = dance.tokens()
    seed_tokens(creds, dance, tokens, expires_in=3600)
    done = token(creds)
    assert (done.returncode, done.stdout, done.stderr) == (0, tokens["access_token"] + "\n", "")
    assert issued(dance.server) == 1, "no refresh"
    assert dance.me(done.stdout.strip()).status_code == 200


@pytest.mark.slow
def test_an_expired_token_is_refreshed_and_saved(creds: Path, dance: Dance) -> None:
    tokens = dance.tokens()
    seed_tokens(creds, dance, tokens, expires_in=-10)
    done = token(creds)
    assert done.returncode == 0, done.stderr
    new = done.stdout.removesuffix("\n")
    assert done.stdout == new + "\n" and "\n" not in new and done.stderr == ""
    assert new != tokens["access_token"]
    assert issued(dance.server) == 2, "one refresh"
    table = saved(creds)
    assert table["token"] == new
    assert table["refresh"] == tokens["refresh_token"], "none came back: the old one is kept"
    assert table["expires"] > datetime.now(UTC) + timedelta(seconds=3500)
    assert table["client_secret"] == dance.server.client_secret, "the rest of the table kept"
    assert creds.stat().st_mode & 0o777 == 0o600
    assert dance.me(new).status_code == 200


@pytest.mark.slow
@pytest.mark.parametrize(("left", "min_valid", "refreshed"), [(600, 700, True), (600, 500, False)])
def test_min_valid_says_how_long_a_printed_token_must_last(
    creds: Path, dance: Dance, left: int, min_valid: int, refreshed: bool
) -> None:
    tokens = dance.tokens()
    seed_tokens(creds, dance, tokens, expires_in=left)
    done = token(creds, "--min-valid", str(min_valid))
    assert done.returncode == 0, done.stderr
    assert (done.stdout.strip() != tokens["access_token"]) is refreshed
    assert issued(dance.server) == (2 if refreshed else 1)


@pytest.mark.slow
def test_the_token_still_works_thirty_seconds_later_by_a_refresh(
    creds: Path, make_dance: Callable[..., Dance]
) -> None:
    """The issue's "done when": ``curl -H "Authorization: Bearer $(oauth-dance token
    --provider NAME)" .../v1/me`` works, and works again 30 s later, against
    ``oauth-dance demo-server --token-ttl 30``."""
    clock = FakeClock()
    dance = make_dance(token_ttl=30, clock=clock)
    tokens = dance.tokens()
    seed_tokens(creds, dance, tokens, expires_in=30)
    first = token(creds)
    assert first.returncode == 0, first.stderr
    assert dance.me(first.stdout.strip()).status_code == 200

    clock.advance(31)  # the server's time, and the client's: the stored expiry 31 s closer
    table = saved(creds)
    seed(creds, table | {"expires": table["expires"] - timedelta(seconds=31)})
    assert dance.me(first.stdout.strip()).status_code == 401, "expired at the server"
    later = token(creds)
    assert later.returncode == 0, later.stderr
    assert later.stdout.strip() != first.stdout.strip()
    assert dance.me(later.stdout.strip()).status_code == 200


def waiting_for(lock: Path) -> int:
    """How many processes wait for the flock of ``lock`` (Linux's /proc/locks)."""
    inode = lock.stat().st_ino
    lines = Path("/proc/locks").read_text().splitlines()
    return sum(
        1
        for line in lines
        if " -> " in line
        and any(f.count(":") == 2 and f.endswith(f":{inode}") for f in line.split())
    )


@pytest.fixture
def holding_the_lock(creds: Path) -> Iterator[Callable[[], None]]:
    """Hold the credentials file's lock as another process would; call to release it."""
    held = CredsStore(creds).locked()
    held.__enter__()
    released = False

    def release() -> None:
        nonlocal released
        if not released:
            released = True
            held.__exit__(None, None, None)

    yield release
    release()


@pytest.mark.slow
def test_two_processes_at_once_make_one_refresh(
    creds: Path, make_dance: Callable[..., Dance], holding_the_lock: Callable[[], None]
) -> None:
    """Both see the expired token, both wait for the lock; the first refreshes, the
    second finds the new token there. With rotating refresh tokens a second refresh
    would present the spent one, and the server would revoke the grant."""
    dance = make_dance(rotate_refresh=True)
    tokens = dance.tokens()
    seed_tokens(creds, dance, tokens, expires_in=-10)
    lock = creds.with_name("creds.toml.lock")
    both = [
        subprocess.Popen(
            command(creds), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV
        )
        for _ in range(2)
    ]
    try:

        def both_wait() -> bool:
            assert all(p.poll() is None for p in both), "a process ended without the lock"
            return waiting_for(lock) >= 2

        wait_for(both_wait, "both processes to wait for the lock")
        holding_the_lock()
        outputs = [p.communicate(timeout=60) for p in both]
    finally:
        for p in both:
            p.kill()
            p.wait()
    assert [p.returncode for p in both] == [0, 0], outputs
    (first_out, first_err), (second_out, second_err) = outputs
    assert first_out == second_out and first_err == second_err == ""
    new = first_out.strip()
    assert new != tokens["access_token"]
    assert issued(dance.server) == 2, "the code exchange and exactly one refresh"
    table = saved(creds)
    assert table["token"] == new
    assert table["refresh"] != tokens["refresh_token"], "rotated"
    assert dance.me(new).status_code == 200
    assert dance.refresh(table["refresh"]).status_code == 200, "the saved one is the live one"


@pytest.mark.slow
@pytest.mark.parametrize("how", ["unknown", "revoked"])
def test_a_refused_refresh_exits_3_with_the_error_explained(
    creds: Path, make_dance: Callable[..., Dance], how: str
) -> None:
    dance = make_dance(rotate_refresh=True)
    tokens = dance.tokens()
    if how == "unknown":
        tokens["refresh_token"] = "no-such-refresh-token"
        description, why = "Invalid refresh token", ERRORS["invalid_grant"]
    else:  # rotated out elsewhere: presenting it again is reuse, and revokes the grant
        assert dance.refresh(tokens["refresh_token"]).status_code == 200
        description, why = "Refresh token revoked", QUIRKS["refresh token revoked"]
    seed_tokens(creds, dance, tokens, expires_in=-10)
    done = token(creds)
    assert (done.returncode, done.stdout) == (3, "")
    assert f"invalid_grant: {description}" in done.stderr
    for text in (why.meaning, why.cause, why.fix, why.rfc):
        assert text in done.stderr
    assert f"oauth-dance --provider={NAME} --creds={creds}" in done.stderr
    assert "Traceback" not in done.stderr
    assert tokens["refresh_token"] not in done.stderr
    assert saved(creds)["token"] == tokens["access_token"], "nothing changed"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fault", "rotate"),
    [(read_only, False), (disk_full, True)],
    ids=["read-only folder", "disk full, refresh token rotated"],
)
def test_a_refreshed_token_that_cannot_be_saved_is_printed_and_the_loss_said(
    creds: Path,
    make_dance: Callable[..., Dance],
    capsys: pytest.CaptureFixture[str],
    fault: Callable[..., Any],
    rotate: bool,
) -> None:
    """Run in this process, where the save can be made to fail (as root, permission bits
    do not apply). The message was the wizard's: "Fix the problem and save again. Your
    tokens are still in memory.", with no save key here and no memory left after exit."""
    dance = make_dance(rotate_refresh=rotate)
    tokens = dance.tokens()
    seed_tokens(creds, dance, tokens, expires_in=-10)
    before = creds.read_bytes()
    with fault(creds.parent) if fault is read_only else fault():
        status = token_main(command(creds)[4:])
    out, err = capsys.readouterr()
    assert status is Exit.PRINTED, "a token was printed: the documented status, 0"
    new = out.removesuffix("\n")
    assert out == new + "\n" and new != tokens["access_token"]
    assert dance.me(new).status_code == 200, "the token printed works"
    assert creds.read_bytes() == before, "the file keeps the old tokens"
    reason = "Read-only file system" if fault is read_only else "No space left on device"
    assert f"the refreshed tokens could not be saved: Could not save {creds}: {reason}." in err
    assert "save again" not in err and "in memory" not in err
    assert "the new tokens are lost when this command ends" in err
    wizard = f"oauth-dance --provider={NAME} --creds={creds}"
    if rotate:
        assert (
            f"the file is spent: fix the problem, then authorize again with the wizard: {wizard}"
            in err
        )
        assert "run the command again" not in err
    else:
        assert "fix the problem, then run the command again" in err and wizard not in err
        assert dance.refresh(tokens["refresh_token"]).status_code == 200, "the file's still works"
    assert tokens["refresh_token"] not in err and new not in err
    assert err.count("\n") == 1, "one line"


@pytest.mark.slow
def test_json_gives_the_token_its_type_expiry_and_scope(creds: Path, dance: Dance) -> None:
    tokens = dance.tokens(scope="user-read-email")
    seed_tokens(creds, dance, tokens, expires_in=-10)
    done = token(creds, "--json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and done.stdout.endswith("\n")
    printed = json.loads(done.stdout)
    assert list(printed) == ["access_token", "token_type", "expires_at", "scope"]
    table = saved(creds)
    assert printed["access_token"] == table["token"] != tokens["access_token"]
    assert printed["token_type"] == "Bearer"
    assert printed["scope"] == "user-read-email"
    expires_at = datetime.fromisoformat(printed["expires_at"])
    assert expires_at.tzinfo is not None
    assert expires_at == table["expires"].replace(microsecond=0)


@pytest.mark.slow
def test_an_expired_token_without_a_refresh_token_exits_2(creds: Path, dance: Dance) -> None:
    tokens = dance.tokens()
    seed_tokens(creds, dance, tokens, expires_in=-10, refresh="")
    done = token(creds)
    assert (done.returncode, done.stdout) == (2, "")
    assert "no refresh token" in done.stderr
    assert f"run the wizard: oauth-dance --provider={NAME}" in done.stderr
    assert issued(dance.server) == 1


@pytest.mark.slow
def test_a_refused_connection_exits_4(creds: Path, dance: Dance) -> None:
    tokens = dance.tokens()
    port = free_port()
    seed_tokens(creds, dance, tokens, expires_in=-10)
    table = saved(creds)
    seed(creds, table | {"token_endpoint": f"http://127.0.0.1:{port}/api/token"})
    done = token(creds)
    assert (done.returncode, done.stdout) == (4, "")
    assert "refused" in done.stderr.lower() and "Traceback" not in done.stderr
    assert saved(creds)["token"] == tokens["access_token"]


def free_port() -> int:
    """A port nothing listens on (bound, then let go)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.slow
async def test_an_html_error_page_exits_4(creds: Path, dance: Dance) -> None:
    tokens = dance.tokens()
    seed_tokens(creds, dance, tokens, expires_in=-10)
    page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    async with BadServer(answer("502 Bad Gateway", page, content_type="text/html")) as bad:
        seed(creds, saved(creds) | {"token_endpoint": f"{bad.base_url}/api/token"})
        process = await asyncio.create_subprocess_exec(
            *command(creds), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
    assert (process.returncode, out) == (4, b"")
    assert b"HTTP 502" in err and b"Traceback" not in err
    assert [seen.body.count(b"grant_type=refresh_token") for seen in bad.seen] == [1]


@pytest.mark.slow
def test_the_wizards_demo_provider_cannot_be_refreshed_here(creds: Path) -> None:
    """Its server lived inside the wizard: the command says what to do instead."""
    table = {
        "token": "expired-demo-token",
        "refresh": "demo-refresh",
        "expires": datetime(2020, 1, 1, tzinfo=UTC),
    }
    seed(creds, table, name="demo")
    done = subprocess.run(
        [sys.executable, "-m", "tui", "token", "--creds", str(creds)],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert "oauth-dance demo-server" in done.stderr


@pytest.mark.slow
def test_a_provider_known_by_its_issuer_is_discovered_then_refreshed(
    creds: Path, dance: Dance
) -> None:
    """The tutorial's table: only an ``issuer``; the endpoints come from its metadata."""
    tokens = dance.tokens()
    seed_tokens(creds, dance, tokens, expires_in=-10)
    table = saved(creds)
    for key in ("authorize_endpoint", "token_endpoint", "profile_endpoint"):
        del table[key]
    seed(creds, table | {"issuer": dance.server.issuer})
    done = token(creds)
    assert done.returncode == 0, done.stderr
    assert dance.me(done.stdout.strip()).status_code == 200
    assert issued(dance.server) == 2
    assert "token_endpoint" not in saved(creds), "found, not written into the table"


@pytest.mark.slow
async def test_a_wizard_open_meanwhile_takes_the_tokens_the_command_saved(
    creds: Path, make_dance: Callable[..., Dance]
) -> None:
    """The wizard holds the old tokens in memory while ``oauth-dance token`` refreshes
    them. With rotation, the old refresh token is spent: the wizard must neither send it
    (the server would take it for a stolen one) nor save it over the new one."""
    from tui.core.providers import resolve_provider
    from tui.core.session import Session

    dance = make_dance(rotate_refresh=True)
    seed_tokens(creds, dance, dance.tokens(), expires_in=-10)
    provider = resolve_provider(NAME, saved(creds), None)
    wizard, error = Session.open(provider, CredsStore(creds))
    assert error is None
    taken: list[bool] = []
    wizard.on_tokens_taken = lambda: taken.append(True)
    old_refresh = wizard.state.refresh

    done = token(creds)
    assert done.returncode == 0, done.stderr
    by_command = saved(creds)
    assert by_command["refresh"] != old_refresh, "rotated"

    wizard.update(scope="user-read-private")  # a save of the wizard's own
    assert saved(creds)["refresh"] == by_command["refresh"], "the newer tokens kept"
    assert saved(creds)["token"] == done.stdout.strip()
    assert taken == [True]

    refresh = await wizard.send(wizard.prepare_refresh())
    change = wizard.finish_refresh(refresh)
    assert refresh.response is not None and refresh.response.status_code == 200
    assert change.new_access_token
    assert dance.me(wizard.state.token).status_code == 200


@pytest.mark.slow
async def test_a_save_of_the_wizard_still_under_way_is_not_taken_for_a_newer_one(
    creds: Path, dance: Dance
) -> None:
    """The wizard saves in a thread: until that save is written, the file holds the
    tokens before it, which are older, not newer."""
    from tui.core.providers import resolve_provider
    from tui.core.session import Session

    tokens = dance.tokens()
    seed_tokens(creds, dance, tokens, expires_in=3600)
    wizard, error = Session.open(resolve_provider(NAME, saved(creds), None), CredsStore(creds))
    assert error is None
    wizard.on_save = lambda future: None  # as the app does: saves go to the writer thread
    newer = dance.tokens()["access_token"]
    with CredsStore(creds).locked():  # the writer waits for the lock: nothing written yet
        wizard.update(token=newer)
        profile = wizard.prepare_profile()
    assert profile.request.headers["authorization"] == f"Bearer {newer}"
    assert wizard.state.token == newer
    wizard.store.flush()
    assert saved(creds)["token"] == newer
