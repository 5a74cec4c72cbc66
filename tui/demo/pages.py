"""The demo provider's HTML pages: plain HTML, no JavaScript, readable in lynx or w3m.

Every value that came from a request is passed through html.escape.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from tui.core.scopes import DEMO_SCOPES, meaning_of
from tui.demo.answers import Consent
from tui.demo.config import DEMO_USER, PUBLIC_CLIENT_ID, DemoClient, DemoConfig
from tui.demo.store import DeviceRecord

_STYLE = (
    "body{font-family:sans-serif;max-width:42em;margin:2em auto;padding:0 1em;line-height:1.4}"
    "code,pre{font-family:monospace}"
    ".code{font-size:2em;font-weight:bold;word-break:break-all;padding:.5em;border:2px solid}"
    "dt{font-weight:bold;margin-top:.5em}"
    "input[type=submit]{font-size:1.2em;margin-right:1em;padding:.3em 1em}"
)

_ERROR_MEANINGS = {
    "access_denied": "The resource owner (you) pressed Deny, so no code was issued. "
    "Start again and press Approve to continue the dance.",
    "invalid_request": "The authorization request is missing a parameter, repeats one, "
    "or has a value the server cannot accept (RFC 6749 §4.1.2.1).",
    "invalid_scope": "A requested scope is unknown to this server. Ask only for the scopes "
    "the server lists in its metadata (scopes_supported).",
    "unsupported_response_type": "This server only issues authorization codes: "
    "use response_type=code.",
    "unauthorized_client": "This client may not use this kind of request.",
    "server_error": "The server failed while handling the request.",
    "temporarily_unavailable": "The server is busy; try again shortly.",
}


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def consent_page(consent: Consent) -> str:
    """Ask the resource owner to approve or deny the client's request."""
    pending = consent.pending
    client = consent.client
    if pending.scopes:
        items = "\n".join(
            f"<li><code>{escape(name)}</code>: {escape(meaning_of(name, DEMO_SCOPES))}</li>"
            for name in pending.scopes
        )
        scopes = f"<p>It asks for these scopes:</p>\n<ul>\n{items}\n</ul>"
    else:
        scopes = "<p>It asks for no scope: only your public profile (name and id).</p>"
    kind = (
        "a public client: it has no secret and will prove itself with PKCE (S256)"
        if not client.confidential
        else "a confidential client: it will authenticate with its secret at the token endpoint"
    )
    pkce = "yes (S256)" if consent.pkce else "no"
    state = escape(pending.state) if pending.state else "(none sent: the client cannot detect CSRF)"
    body = f"""<h1>Authorize {escape(client.name)}?</h1>
<p>You are signed in to the OAuth Dance demo provider as
<strong>{escape(DEMO_USER.display_name)}</strong> (a demo user; no password needed).</p>
<p>The application <strong>{escape(client.name)}</strong>
(client_id <code>{escape(client.client_id)}</code>, {kind})
wants access to your account.</p>
{scopes}
<form method="post" action="/authorize/decision">
<input type="hidden" name="request_id" value="{escape(pending.request_id)}">
<p><input type="submit" name="decision" value="Approve">
<input type="submit" name="decision" value="Deny"></p>
</form>
<h2>What happens next</h2>
<p>Approve or Deny, your browser is sent back to the client's redirect URI:</p>
<pre>{escape(pending.redirect_uri)}</pre>
<dl>
<dt>state</dt><dd><code>{state}</code> (sent back unchanged)</dd>
<dt>PKCE code_challenge</dt><dd>{pkce}</dd>
</dl>"""
    return _page(f"Authorize {client.name}", body)


_UNCHECKED_NOTE = """<p>The client_id is unknown or the redirect_uri is not registered for
it, or the request is malformed. The server therefore does not send you back to
the redirect_uri (it could be an attacker's): check the client_id and the
redirect_uri, byte for byte, then start again.</p>"""
_REQUEST_URI_NOTE = """<p>A request_uri stands for parameters the app pushed to this server moments
before (RFC 9126): each works once, and only for a minute. Without them there
is no redirect_uri to send you back to: start again from the app, which pushes
anew.</p>"""


def error_page(error: str, description: str) -> str:
    """An error shown to the resource owner instead of a redirect (RFC 6749 §4.1.2.1)."""
    body = f"""<h1>This authorization request cannot continue</h1>
<p><strong>error</strong>: <code>{escape(error)}</code></p>
<p>{escape(description)}</p>
{_REQUEST_URI_NOTE if error == "invalid_request_uri" else _UNCHECKED_NOTE}"""
    return _page("Authorization error", body)


def callback_page(params: Mapping[str, str], config: DemoConfig) -> str:
    """The redirect target that shows the code (or the error) to copy into OAuth Dance."""
    iss = params.get("iss")
    if iss is None:
        iss_note = "<p>No <code>iss</code> came back.</p>"
    elif iss == config.issuer:
        iss_note = (
            f"<p><code>iss</code> is <code>{escape(iss)}</code>: this server, "
            "as expected (RFC 9207).</p>"
        )
    else:
        iss_note = (
            f"<p><strong>Warning</strong>: <code>iss</code> is <code>{escape(iss)}</code>, "
            "not this server. Do not use this code here (RFC 9207 mix-up defence).</p>"
        )
    state = params.get("state")
    state_line = (
        f"<p><code>state</code>: <code>{escape(state)}</code> (OAuth Dance compares it "
        "with the one it sent, when you paste the whole URL).</p>"
        if state is not None
        else "<p>No <code>state</code> came back.</p>"
    )
    error = params.get("error")
    if error is not None:
        meaning = _ERROR_MEANINGS.get(error, "See RFC 6749 §4.1.2.1 for this error code.")
        description = params.get("error_description")
        desc_line = f"<p>{escape(description)}</p>" if description else ""
        body = f"""<h1>The authorization did not succeed</h1>
<p><strong>error</strong>:</p>
<p class="code"><strong>{escape(error)}</strong></p>
{desc_line}
<p>{escape(meaning)}</p>
{state_line}
{iss_note}"""
        return _page(f"Authorization error: {error}", body)
    code = params.get("code")
    if code is None:
        body = """<h1>Nothing to show</h1>
<p>This is the demo provider's redirect page. After you approve a request whose
redirect_uri points here, the authorization code appears on this page.</p>"""
        return _page("Callback", body)
    body = f"""<h1>Your authorization code</h1>
<p class="code"><strong>{escape(code)}</strong></p>
<p>Copy this code and paste it into OAuth Dance (the paste field of the
Authorize step), or paste this page's whole URL so that the state can be
checked too. OAuth Dance then exchanges it at the token endpoint.</p>
<p>The code works <strong>once</strong> and expires
<strong>{config.code_ttl} seconds</strong> after it was issued.</p>
{state_line}
{iss_note}"""
    return _page("Authorization code", body)


def index_page(config: DemoConfig) -> str:
    """What this server is, for a teacher or a learner who opens its base URL."""
    base = escape(config.issuer)
    uris = "\n".join(f"<li><code>{escape(u)}</code></li>" for u in config.redirect_uris)
    scopes = "\n".join(
        f"<li><code>{escape(s.name)}</code>: {escape(s.meaning)}</li>" for s in DEMO_SCOPES
    )
    body = f"""<h1>OAuth Dance demo provider</h1>
<p>A Spotify-compatible OAuth 2.0 authorization server on loopback, for learning the
authorization code grant. Its memory lives only as long as the process.</p>
<dl>
<dt>Metadata (RFC 8414)</dt>
<dd><code>{base}/.well-known/oauth-authorization-server</code></dd>
<dt>OpenID Connect Discovery and keys (with the <code>openid</code> scope)</dt>
<dd><code>{base}/.well-known/openid-configuration</code>,
<code>{base}/.well-known/jwks.json</code></dd>
<dt>Authorization endpoint</dt><dd><code>GET {base}/authorize</code></dd>
<dt>Token endpoint</dt><dd><code>POST {base}/api/token</code></dd>
<dt>Device authorization (RFC 8628)</dt><dd><code>POST {base}/api/device</code>;
the user types the code at <code>{base}/device</code></dd>
<dt>Profile</dt><dd><code>GET {base}/v1/me</code></dd>
</dl>
<h2>Clients</h2>
<p>Confidential: client_id <code>{escape(config.client_id)}</code>
(HTTP Basic or client_secret in the body).
Public: client_id <code>{escape(PUBLIC_CLIENT_ID)}</code> (PKCE S256, no secret).</p>
<p>Registered redirect URIs (any port on the loopback ones):</p>
<ul>
{uris}
</ul>
<h2>Scopes</h2>
<ul>
{scopes}
</ul>"""
    return _page("OAuth Dance demo provider", body)


def device_entry_page(problem: str | None = None) -> str:
    """The verification page (RFC 8628 §3.3): the user types the code the device shows."""
    note = f"<p><strong>Not accepted</strong>: {escape(problem)}</p>" if problem else ""
    body = f"""<h1>Connect a device</h1>
<p>Type the code your device (or terminal) shows, then Continue.</p>
{note}
<form method="post" action="/device">
<p><label>Code <input type="text" name="user_code" autocomplete="off" autofocus></label>
<input type="submit" value="Continue"></p>
</form>"""
    return _page("Connect a device", body)


def device_consent_page(record: DeviceRecord, client: DemoClient) -> str:
    """Approve or deny the device's request: the user checks the code first (§5.4)."""
    if record.scopes:
        items = "\n".join(
            f"<li><code>{escape(name)}</code>: {escape(meaning_of(name, DEMO_SCOPES))}</li>"
            for name in record.scopes
        )
        scopes = f"<p>It asks for these scopes:</p>\n<ul>\n{items}\n</ul>"
    else:
        scopes = "<p>It asks for no scope: only your public profile (name and id).</p>"
    body = f"""<h1>Connect {escape(client.name)}?</h1>
<p>You are signed in as <strong>{escape(DEMO_USER.display_name)}</strong> (a demo user).</p>
<p>A device running <strong>{escape(client.name)}</strong>
(client_id <code>{escape(client.client_id)}</code>) asks for access with the code
<strong>{escape(record.user_code)}</strong>. Approve only if your device shows this code.</p>
{scopes}
<form method="post" action="/device/decision">
<input type="hidden" name="user_code" value="{escape(record.user_code)}">
<p><input type="submit" name="decision" value="Approve">
<input type="submit" name="decision" value="Deny"></p>
</form>"""
    return _page(f"Connect {client.name}", body)


def device_done_page(approved: bool) -> str:
    """After the decision: nothing comes back here; the device learns it by polling."""
    if approved:
        body = """<h1>Device approved</h1>
<p>Return to your device: its next poll of the token endpoint brings its tokens.
Nothing more happens in this browser.</p>"""
    else:
        body = """<h1>Device denied</h1>
<p>The device's next poll gets access_denied. Nothing more happens in this browser.</p>"""
    return _page("Device approved" if approved else "Device denied", body)
