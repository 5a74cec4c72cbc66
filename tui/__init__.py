"""OAuth Dance: a terminal wizard for the OAuth 2.0 authorization code grant."""

import sys

__version__ = "0.1.0"

# httpx imports its command-line client whenever click, Pygments and rich are
# installed, and here they always are (uvicorn needs click, rich needs Pygments):
# about 3 MB and 25 ms at the first request, for a command the wizard never runs.
# A None entry makes that one import fail, which httpx expects and handles.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
