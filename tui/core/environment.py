"""Where the wizard runs: a local browser or not, and the SSH tunnel line when not."""

from __future__ import annotations

import os
import sys
import webbrowser


def in_ssh_session() -> bool:
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


def can_open_browser() -> bool:
    """A browser can open here: a local display, and not over SSH."""
    if in_ssh_session():
        return False
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_in_browser(url: str) -> bool:
    return webbrowser.open(url)


def ssh_tunnel_line(port: int) -> str | None:
    """The ``ssh -L`` line that makes this machine's listener reachable, over SSH.

    ``SSH_CONNECTION`` is "client-ip client-port server-ip server-port".
    """
    connection = os.environ.get("SSH_CONNECTION", "").split()
    if len(connection) != 4:
        return None
    user = os.environ.get("USER") or os.environ.get("LOGNAME") or "user"
    host = connection[2]  # an IPv6 address as it is: ssh takes user@::1, not user@[::1]
    ssh_port = f" -p {connection[3]}" if connection[3] != "22" else ""
    return f"ssh -N -L {port}:127.0.0.1:{port}{ssh_port} {user}@{host}"
