"""Finding a custom provider's endpoints from its issuer (RFC 8414, OIDC Discovery)."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from tui.core import jsonsafe
from tui.core.errors import ConfigError, DanceError, ResponseFormatError
from tui.core.flow import USER_AGENT
from tui.core.providers import ISS_SUPPORTED
from tui.core.textsafe import excerpt
from tui.core.transport import send


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
        ResponseFormatError: not a metadata document, or for another issuer.
    """
    try:
        data = jsonsafe.loads(response.text)
    except ValueError:
        raise ResponseFormatError(f"The metadata is not JSON: {excerpt(response.text)}") from None
    if not isinstance(data, dict):
        raise ResponseFormatError("The metadata is not a JSON object.")
    said = str(data.get("issuer", "")).rstrip("/")
    if said != issuer.rstrip("/"):
        raise ResponseFormatError(
            f"The metadata names issuer {excerpt(said)!r}, not {issuer!r} (RFC 8414 §3.3)."
        )
    endpoints = {
        "authorize_endpoint": data.get("authorization_endpoint"),
        "token_endpoint": data.get("token_endpoint"),
        "profile_endpoint": data.get("userinfo_endpoint") or data.get("profile_endpoint"),
        "revocation_endpoint": data.get("revocation_endpoint"),
    }
    if not endpoints["authorize_endpoint"] or not endpoints["token_endpoint"]:
        raise ResponseFormatError("The metadata lacks authorization_endpoint or token_endpoint.")
    found = {k: str(v) for k, v in endpoints.items() if isinstance(v, str) and v}
    if data.get(ISS_SUPPORTED) is True:
        found[ISS_SUPPORTED] = "true"
    return found


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
    raise DiscoveryError("Discovery failed. " + " ".join(failures))
