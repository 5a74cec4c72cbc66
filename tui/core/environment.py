"""Where the wizard runs: a local browser or not, the SSH tunnel line, the clipboard in tmux."""

from __future__ import annotations

import os
import sys

from tui.core.listener_address import ListenAddress
from tui.core.textsafe import clean


def in_ssh_session() -> bool:
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


def can_open_browser() -> bool:
    """A browser can open here: a local display, and not over SSH."""
    if in_ssh_session():
        return False
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def clipboard_note(what: str) -> str:
    """What to say once ``what`` went to the terminal's clipboard (OSC 52).

    Inside tmux the sequence reaches the outer terminal only with tmux's
    ``set-clipboard`` on; its default (``external``) drops it, so "copied"
    would be a claim the app cannot check.
    """
    if os.environ.get("TMUX"):
        return (
            f"Sent {what} to the terminal's clipboard (OSC 52). Inside tmux it gets there "
            "only with `set -g set-clipboard on` in ~/.tmux.conf."
        )
    return f"Copied {what} (OSC 52)."


def ssh_tunnel_line(address: ListenAddress) -> str | None:
    """The ``ssh -L`` line that makes the listener at ``address`` reachable, over SSH.

    The forward goes to the address the listener binds (``[::1]`` in brackets,
    as ``-L`` takes an IPv6 host); the local port is the redirect's port.
    ``SSH_CONNECTION`` is "client-ip client-port server-ip server-port".
    """
    connection = os.environ.get("SSH_CONNECTION", "").split()
    if len(connection) != 4:
        return None
    user = os.environ.get("USER") or os.environ.get("LOGNAME") or "user"
    host = connection[2]  # an IPv6 address as it is: ssh takes user@::1, not user@[::1]
    ssh_port = f" -p {connection[3]}" if connection[3] != "22" else ""
    port = address.port
    line = f"ssh -N -L {port}:{address.url_host}:{port}{ssh_port} {user}@{host}"
    return clean(line, keep_newlines=False)  # the environment's: shown, never obeyed
