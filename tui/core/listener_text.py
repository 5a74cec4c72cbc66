"""What the redirect listener says: to the user when it cannot bind, to the browser in a page."""

from __future__ import annotations

import errno
import html


def bind_message(err: OSError, host: str, port: int) -> str:
    """Why the listener cannot bind, and that the paste path still works."""
    where = f"Port {port} on {host}"
    fallback = "Paste the code or the redirect URL instead."
    if err.errno == errno.EADDRINUSE:
        return f"{where} is already in use, so the redirect cannot be caught here. {fallback}"
    if err.errno in (errno.EACCES, errno.EPERM):
        return (
            f"{where} needs administrator rights (ports below 1024 are privileged), "
            f"so the redirect cannot be caught here. Use a port above 1023 in the "
            f"redirect URI, or {fallback[0].lower()}{fallback[1:]}"
        )
    if err.errno == errno.EADDRNOTAVAIL:
        return (
            f"{host} is not available on this machine, "
            f"so the redirect cannot be caught here. {fallback}"
        )
    reason = err.strerror or "cannot bind"
    return f"{where} cannot be opened ({reason}), so the redirect cannot be caught here. {fallback}"


def page(title: str, heading: str, text: str) -> str:
    """A small HTML page; every text in it is escaped here."""
    body = html.escape(text)
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;"
        "padding:0 1em;line-height:1.5}</style></head>\n"
        f"<body><h1>{html.escape(heading)}</h1><p>{body}</p></body></html>\n"
    )
