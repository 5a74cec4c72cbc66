"""Finding a custom provider's endpoints from its issuer (RFC 8414, OIDC Discovery)."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from tui.core import jsonsafe
from tui.core.errors import ConfigError, DanceError, ResponseFormatError
from tui.core.flow import USER_AGENT
from tui.core.providers import ISS_SUPPORTED
from tui.core.rawhttp import body_excerpt
from tui.core.textsafe import clean, excerpt
from tui.core.transport import send
from tui.core.urls import url_problem


class DiscoveryError(DanceError):
    """No usable metadata came from the issuer: the endpoints are unknown."""

    title = "Discovery failed"


def metadata_urls(issuer: str) -> list[str]:
    """Where to look, in order: RFC 8414 first, then OpenID Connect's location.

    RFC 8414 §3.1 inserts the well-known segment between host and path;
    OIDC appends it to the issuer.
    """
    parts = urlsplit(issuer.rstrip("/"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"The issuer must be an https URL, not {issuer!r}.")
    origin = f"{parts.scheme}://{parts.netloc}"
    return [
        f"{origin}/.well-known/oauth-authorization-server{parts.path}",
        f"{origin}{parts.path}/.well-known/openid-configuration",
    ]


def parse_metadata(response: httpx.Response, issuer: str) -> dict[str, str]:
    """The endpoints named in a metadata document.

    ``userinfo_endpoint`` (OIDC) serves as the profile endpoint. The RFC 9207
    flag comes along as ``ISS_SUPPORTED: "true"`` when the document sets it.

    Raises:
        ResponseFormatError: not a metadata document, for another issuer, or
            naming an endpoint that is not a usable URL.
    """
    try:
        data = jsonsafe.loads(response.text)
    except jsonsafe.JsonTooDeepError as err:
        raise ResponseFormatError(
            f"The metadata is {err}: no real metadata document is, so it was not read."
        ) from None
    except ValueError:
        raise ResponseFormatError(
            f"The metadata is not JSON: {body_excerpt(response.text)}"
        ) from None
    if not isinstance(data, dict):
        raise ResponseFormatError("The metadata is not a JSON object.")
    said = str(data.get("issuer", "")).rstrip("/")
    if said != issuer.rstrip("/"):
        raise ResponseFormatError(
            f"The metadata names issuer '{excerpt(said)}', not {issuer!r} (RFC 8414 §3.3)."
        )
    profile = "userinfo_endpoint" if data.get("userinfo_endpoint") else "profile_endpoint"
    named = {
        "authorize_endpoint": "authorization_endpoint",
        "token_endpoint": "token_endpoint",
        "profile_endpoint": profile,
        "revocation_endpoint": "revocation_endpoint",
        "jwks_uri": "jwks_uri",
        "par_endpoint": "pushed_authorization_request_endpoint",
        "device_authorization_endpoint": "device_authorization_endpoint",
    }
    if not data.get("authorization_endpoint") or not data.get("token_endpoint"):
        raise ResponseFormatError("The metadata lacks authorization_endpoint or token_endpoint.")
    endpoints: dict[str, str] = {}
    for ours, theirs in named.items():
        value = data.get(theirs)
        if value is None or value == "":
            continue
        problem = url_problem(value)
        if problem is not None:
            raise ResponseFormatError(f"The metadata's {theirs} {problem}.")
        endpoints[ours] = value
    if data.get(ISS_SUPPORTED) is True:
        endpoints[ISS_SUPPORTED] = "true"
    return endpoints


def metadata_request(url: str) -> httpx.Request:
    return httpx.Request(
        "GET", url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )


async def discover(client: httpx.AsyncClient, issuer: str) -> dict[str, str]:
    """Fetch the issuer's metadata and return its endpoints.

    Raises:
        DiscoveryError: neither location served usable metadata; the message
            says what each one answered.
        ConfigError: the issuer is not an http(s) URL.
    """
    failures: list[str] = []
    for url in metadata_urls(issuer):
        try:
            sent = await send(client, metadata_request(url))
            if sent.response.status_code != 200:
                failures.append(f"{url}: HTTP {sent.response.status_code}")
                continue
            return parse_metadata(sent.response, issuer)
        except DanceError as err:
            failures.append(f"{url}: {err.message}")
    # The title says "Discovery failed"; the message names the issuer (it is all the
    # command line says) and what each location answered.
    said = " ".join(f if f.endswith(".") else f"{f}." for f in failures)
    raise DiscoveryError(f"No usable metadata for the issuer {clean(issuer)}. {said}")
