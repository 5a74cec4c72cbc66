"""The demo provider's device authorization grant (RFC 8628), by oauthlib's rfc8628 support.

oauthlib's ``DeviceAuthorizationEndpoint`` validates the POST to
``/api/device`` (the client authenticated as at the token endpoint) and makes
the codes; this module keeps them in the store, and answers the user's side:
the verification page's user code, then Approve or Deny. The polls go to the
token endpoint, where oauthlib's ``DeviceCodeGrant`` asks the validator's
``validate_device_code`` where the authorization stands.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from urllib.parse import urlencode

from oauthlib.oauth2.rfc6749 import errors
from oauthlib.oauth2.rfc8628.endpoints import DeviceAuthorizationEndpoint

from tui.demo.basic_auth import decode_basic, is_basic
from tui.demo.config import DemoConfig
from tui.demo.store import DeviceRecord, Store

DEVICE_PATH = "/api/device"
VERIFICATION_PATH = "/device"
DECISION_PATH = "/device/decision"
USER_CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ"
"""Consonants only (RFC 8628 §6.1): no vowel, so no word, and nothing to confuse 0 and O."""


def new_user_code() -> str:
    """Eight letters as XXXX-XXXX: 20^8 (34 bits) against a few guesses (§5.1)."""
    letters = [secrets.choice(USER_CODE_LETTERS) for _ in range(8)]
    return "".join(letters[:4]) + "-" + "".join(letters[4:])


class DemoDevice:
    """The device flow's endpoint and the user's side of it."""

    def __init__(self, config: DemoConfig, store: Store, validator: object) -> None:
        self.config = config
        self.store = store
        issuer = config.issuer
        self.endpoint = DeviceAuthorizationEndpoint(
            validator,
            verification_uri=f"{issuer}{VERIFICATION_PATH}",
            expires_in=config.device_ttl,
            interval=config.device_interval,
            verification_uri_complete=f"{issuer}{VERIFICATION_PATH}?user_code={{user_code}}",
            user_code_generator=new_user_code,
        )

    def authorize(
        self, form: list[tuple[str, str]], headers: Mapping[str, str]
    ) -> tuple[int, dict[str, str], str]:
        """POST /api/device: the codes (RFC 8628 §3.2), or a §3.2/§5.2 error."""
        uri = f"{self.config.issuer}{DEVICE_PATH}"
        client_id = dict(form).get("client_id") or _basic_client(headers)
        if client_id and "client_id" not in dict(form):
            # RFC 8628 §3.1 wants client_id only from a client that does not authenticate;
            # oauthlib asks it of every client: a Basic one's is taken from the header.
            form = [("client_id", client_id), *form]
        with self.store.lock:
            try:
                _headers, data, status = self.endpoint.create_device_authorization_response(
                    uri, http_method="POST", body=urlencode(form), headers=dict(headers)
                )
            except errors.OAuth2Error as exc:
                return exc.status_code, dict(exc.headers), exc.json
            if status != 200:
                return status, {}, data if isinstance(data, str) else json.dumps(data)
            scopes = tuple(str(data.get("scope", "")).split())
            self.store.add_device(
                DeviceRecord(
                    device_code=data["device_code"],
                    user_code=data["user_code"],
                    client_id=client_id,
                    scopes=scopes,
                    expires_at=self.store.now() + self.config.device_ttl,
                    interval=self.config.device_interval,
                )
            )
        return 200, {}, json.dumps(data)

    def pending(self, user_code: str) -> DeviceRecord | None:
        """The authorization waiting for this user code, if any."""
        return self.store.device_by_user_code(user_code)

    def decide(self, user_code: str, approve: bool) -> DeviceRecord | None:
        """The user's answer on the verification page; None: no such pending code."""
        with self.store.lock:
            record = self.store.device_by_user_code(user_code)
            if record is not None:
                record.status = "approved" if approve else "denied"
            return record


def _basic_client(headers: Mapping[str, str]) -> str:
    header = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
    if header is not None and is_basic(header):
        return decode_basic(header)[0]
    return ""
