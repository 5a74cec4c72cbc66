"""Where the wizard runs: the ssh -L line over SSH, and the clipboard under tmux."""

from __future__ import annotations

import pytest

from tui.core.environment import clipboard_note, ssh_tunnel_line
from tui.core.listener_address import listen_address


@pytest.mark.parametrize(
    ("connection", "line"),
    [
        ("203.0.113.7 50000 198.51.100.2 22", "ssh -N -L 8888:127.0.0.1:8888 alice@198.51.100.2"),
        (
            "203.0.113.7 50000 198.51.100.2 2222",
            "ssh -N -L 8888:127.0.0.1:8888 -p 2222 alice@198.51.100.2",
        ),
        # ssh takes user@::1; user@[::1] names a host called "[::1]", which does not resolve.
        ("::1 50000 ::1 22", "ssh -N -L 8888:127.0.0.1:8888 alice@::1"),
        ("2001:db8::7 50000 2001:db8::2 22", "ssh -N -L 8888:127.0.0.1:8888 alice@2001:db8::2"),
    ],
    ids=["ipv4", "ipv4 other port", "ipv6 loopback", "ipv6"],
)
def test_the_ssh_line_names_the_server_as_ssh_takes_it(
    monkeypatch: pytest.MonkeyPatch, connection: str, line: str
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", connection)
    monkeypatch.setenv("USER", "alice")
    address = listen_address("http://127.0.0.1:8888/callback")
    assert address is not None
    assert ssh_tunnel_line(address) == line


@pytest.mark.parametrize(
    ("redirect_uri", "forward"),
    [
        ("http://127.0.0.1:8888/callback", "-L 8888:127.0.0.1:8888 "),
        ("http://localhost:8888/callback", "-L 8888:127.0.0.1:8888 "),
        ("http://127.0.0.2:9000/cb", "-L 9000:127.0.0.2:9000 "),
        # -L takes an IPv6 host in brackets; the listener binds [::1] only.
        ("http://[::1]:8888/callback", "-L 8888:[::1]:8888 "),
    ],
    ids=["ipv4", "localhost", "other ipv4 loopback", "ipv6 loopback"],
)
def test_the_ssh_line_forwards_to_the_address_the_listener_binds(
    monkeypatch: pytest.MonkeyPatch, redirect_uri: str, forward: str
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "2001:db8::5 50000 2001:db8::10 2222")
    monkeypatch.setenv("USER", "alice")
    address = listen_address(redirect_uri)
    assert address is not None
    assert ssh_tunnel_line(address) == f"ssh -N {forward}-p 2222 alice@2001:db8::10"


def test_the_environments_control_characters_are_shown_in_the_ssh_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """$USER and SSH_CONNECTION come from outside: an escape in them is shown, not sent."""
    monkeypatch.setenv("SSH_CONNECTION", "203.0.113.5 50000 192.0.2.10\x1b[2J 22")
    monkeypatch.setenv("USER", "al\x1b]0;pwned\x07ice")
    address = listen_address("http://127.0.0.1:8888/callback")
    assert address is not None
    line = ssh_tunnel_line(address)
    assert line == "ssh -N -L 8888:127.0.0.1:8888 al\\x1b]0;pwned\\x07ice@192.0.2.10\\x1b[2J"


def test_outside_tmux_the_clipboard_note_says_copied(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TMUX", raising=False)
    assert clipboard_note("the authorization URL") == "Copied the authorization URL (OSC 52)."


def test_inside_tmux_it_says_what_was_sent_and_how_to_let_it_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TMUX", "/tmp/tmux-1000/default,4242,0")
    note = clipboard_note("the authorization URL")
    assert "copied" not in note.lower()
    assert note.startswith("Sent the authorization URL to the terminal's clipboard (OSC 52).")
    assert "set -g set-clipboard on" in note


def test_no_ssh_line_without_an_ssh_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    address = listen_address("http://127.0.0.1:8888/callback")
    assert address is not None
    assert ssh_tunnel_line(address) is None
