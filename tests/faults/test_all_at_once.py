"""Issue 15's "Done when": a dance against a server that does everything hostile at once.

The wizard runs in a real pty, driven by the keys a person would press, against
:class:`~tests.faults.hostile_provider.AllAtOnce` on loopback: discovery gets
JSON nested 100,000 deep and metadata whose issuer is an escape sequence; the
paste field gets an error redirect with escapes, a bare code, a code that
decodes to spaces; the code exchange gets a refusal echoing the secrets it was
sent, deep JSON, a gzip bomb, an endless answer, an absurd token, a
``text/plain`` answer; the profile a table of escapes echoing the token, 50 MB,
deep JSON. Every step's failure must be a clear message on the screen (read
from a terminal emulator fed the output), no escape from the data may reach
the terminal, no secret may be written to it, the terminal must be restored by
``ctrl+q``, and the credentials file must keep the user's settings and tokens.
"""

from __future__ import annotations

import base64
import re
import stat
import sys
import tomllib
from pathlib import Path
from urllib.parse import quote

from tests.app.wizard import free_port, seed
from tests.faults.faultapp import CLIENT_SECRET, CODE, REFRESH, TOKEN
from tests.faults.hostile_provider import (
    ABSURD_TOKEN,
    CLEAR,
    PLAIN_TOKEN,
    AllAtOnce,
    hostile,
    serving,
)
from tests.faults.pty_screen import Screen, pasted
from tests.terminal.test_driver import BIN, pty_term
from tests.test_exit import RESTORE, WRAPPER
from tests.test_leaks import assert_no_leak
from tui.core.masking import MASK

CTRL_R, CTRL_U = b"\x12", b"\x15"
PLACEHOLDER = "paste the code or the whole redirect URL, then Enter"
INPUT_KEY = "Go to start"
"""One of the paste field's keys, listed while it has the focus."""
CLIENT_ID = "all-at-once-client"
SETTINGS = {
    "client_id": CLIENT_ID,
    "client_secret": CLIENT_SECRET,
    "auth_method": "client_secret_basic",
    "scope": "profile",
    "token": TOKEN,
    "refresh": REFRESH,
}
"""The user's table, but for the issuer and the redirect URI, which the test picks."""
SHOWN_ESCAPES = "\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J"
"""OSC 52 and the screen clear as the wizard shows them: as text."""


def paste(screen: Screen, text: str) -> None:
    """Paste ``text`` into Authorize's field and press Enter, as a person does: each key
    once the one before it shows. An empty field is focused first (p: its keys are
    listed); one still holding a refused paste keeps the focus and is emptied (ctrl+u:
    the placeholder is back). Then the paste, as a terminal sends it (the placeholder
    goes), and Enter. (A paste goes straight to the field, while a key's binding runs
    once the key has bubbled up: a paste sent with the key may pass it.)"""
    if PLACEHOLDER in screen.text():
        screen.app.type(b"p")
        screen.wait_for(INPUT_KEY)
    else:
        screen.app.type(CTRL_U)
        screen.wait_for(PLACEHOLDER)
    screen.app.type(pasted(text))
    screen.wait_for(gone=PLACEHOLDER)
    screen.app.type(b"\r")


def test_a_dance_against_a_server_that_does_everything_at_once(tmp_path: Path) -> None:
    creds = tmp_path / "creds.toml"
    provider = AllAtOnce()
    with serving(provider) as server:
        provider.issuer = server.base_url
        redirect_uri = f"http://127.0.0.1:{free_port()}/callback"
        seed(creds, "hostile", issuer=server.base_url, redirect_uri=redirect_uri, **SETTINGS)
        command = [sys.executable, "-c", WRAPPER, str(BIN / "oauth-dance"), "--provider", "hostile"]
        with pty_term().PtyApp(command, {"OAUTH_DANCE_CREDS": str(creds)}, 160, 50) as term:
            screen = Screen(term)

            # Discovery: JSON 100,000 deep, then metadata whose issuer is an escape
            # sequence; ctrl+r retries, and usable metadata promising iss comes.
            screen.wait_for("Discovery failed", "The metadata is JSON nested more than")
            screen.wait_for(f"{SHOWN_ESCAPES}WIPED-issuer")
            term.type(CTRL_R)
            screen.wait_for("Endpoints found")  # the toast, wrapped over the sidebar

            # Authorize: what the browser came back with, pasted.
            term.type(b"2")
            shown = screen.wait_for("Query parameters", "state = ")
            state = re.search(r"state = (\S+)", shown)[1]  # type: ignore[index]
            back = f"{redirect_uri}?state={state}&iss={quote(server.base_url, safe='')}"
            paste(screen, CODE)
            screen.wait_for("A code alone carries no iss")
            paste(screen, f"{back}&code=a+b+c")
            screen.wait_for("holds spaces once decoded")
            error = quote(hostile("WIPED-denied"))
            paste(screen, f"{back}&error=access_denied&error_description={error}")
            screen.wait_for("The provider refused", f"access_denied: {SHOWN_ESCAPES}WIPED-denied")
            # The refusal ended the attempt: focus left the field (enter starts a new
            # attempt); p goes back to it, for a code of the refused attempt.
            screen.wait_for(gone=INPUT_KEY)
            term.type(b"p")
            screen.wait_for(INPUT_KEY)
            paste(screen, f"{back}&code={CODE}")
            screen.wait_for("already refused this attempt")
            screen.wait_for(gone=INPUT_KEY)  # the attempt over, focus left the field
            term.type(b"n")  # a new attempt
            shown = screen.wait_for("Listening", gone="the provider refused this attempt")
            state = re.search(r"state = (\S+)", shown)[1]  # type: ignore[index]
            back = f"{redirect_uri}?state={state}&iss={quote(server.base_url, safe='')}"
            paste(screen, f"{back}&code={CODE}")
            screen.wait_for("Code received", "state checked ✓")
            accepted = len(term.output)

            # The code exchange: one hostile answer per send.
            term.type(b"3")
            screen.wait_for("Exchange · POST /token")
            exchange_rounds: tuple[tuple[str, ...], ...] = (
                ("invalid_grant\\x1b[2J", f"{SHOWN_ESCAPES}WIPED-token", f"client Basic {MASK}"),
                ("no real token answer is",),
                ("bytes before decompression", '{"round": "bomb", "access_token": "' + MASK),
                ("Answer too large", 'It starts: {"round": "endless",'),
                (f"The answer's access_token is {len(ABSURD_TOKEN):,} characters long",),
                (f"access_token={MASK}&token_type=bearer&round=plain",),
            )
            for said in exchange_rounds:
                # The step opens with its request prepared: s sends it. After an answer,
                # the first s prepares a fresh request and the second sends it.
                term.type(b"s" if said is exchange_rounds[0] else b"ss")
                screen.wait_for(*said)

            # The profile: escapes echoing the token, then 50 MB, then deep JSON.
            term.type(b"4")
            screen.wait_for("Profile · GET /me")
            profile_rounds: tuple[tuple[str, ...], ...] = (
                (f"{SHOWN_ESCAPES}WIPED-profile", f"you sent {MASK}"),
                ("Answer too large", '{"round": "huge", "filler":'),
                ("The profile is JSON nested",),
            )
            for said in profile_rounds:
                term.type(b"s" if said is profile_rounds[0] else b"ss")
                screen.wait_for(*said)

            last_frame = len(term.output)
            term.type(pty_term().CTRL_Q)
            term.wait_for("tty-restored=", since=last_frame)
        output = bytes(term.output)
    assert provider.calls == {
        "/.well-known/oauth-authorization-server": 2,
        "/.well-known/openid-configuration": 1,
        "/token": 6,
        "/me": 3,
    }

    # The terminal: restored, and never given an escape from the data.
    report = pty_term().visible(output[last_frame:])
    assert "exit=0 tty-restored=True" in report
    ending = output[last_frame:]
    assert ending.rfind(b"\x1b[?1049h") < ending.rfind(b"\x1b[?1049l")
    for what, sequence in RESTORE.items():
        assert sequence in ending, what
    assert b"\x1b]52" not in output, "the clipboard was written"
    for marker in ("issuer", "denied", "token", "type", "profile"):
        assert f"{CLEAR}WIPED-{marker}".encode() not in output, f"the screen cleared: {marker}"
    assert f"invalid_grant{CLEAR}".encode() not in output
    assert "Traceback" not in pty_term().visible(output)

    # No secret in clear: the code only in the paste field, before it was taken.
    table = tomllib.loads(creds.read_text())["hostile"]
    secrets = {CLIENT_SECRET, TOKEN, REFRESH, table["code_verifier"], PLAIN_TOKEN}
    secrets |= {ABSURD_TOKEN[:64]} | {base64.b64decode(b).decode() for b in provider.basic}
    written = {"terminal": [output.decode("utf-8", "replace"), pty_term().visible(output)]}
    assert_no_leak(written, secrets)
    assert_no_leak({"after the paste": [output[accepted:].decode("utf-8", "replace")]}, {CODE})

    # The credentials file: the user's settings and tokens, the code taken, nothing else.
    assert {key: table[key] for key in SETTINGS} == SETTINGS
    assert (table["issuer"], table["redirect_uri"], table["code"]) == (
        server.base_url,
        redirect_uri,
        CODE,
    )
    assert all("\x1b" not in str(value) and len(str(value)) < 200 for value in table.values())
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    assert sorted(path.name for path in tmp_path.iterdir() if "corrupt" in path.name) == []
