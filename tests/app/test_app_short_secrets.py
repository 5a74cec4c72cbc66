"""A secret too short to be searched for inside words is still masked wherever it stands
whole: the Bearer and Basic credentials, a form's token=, a JSON member, curl and HAR."""

from __future__ import annotations

from pathlib import Path

from tests.app.wizard import FAR_FUTURE, WizardFactory, press
from tests.screenshot import screen_text
from tui.core.har import har_text
from tui.core.masking import MASK


async def test_a_one_character_token_is_masked_on_profile_revoke_and_in_the_har(
    wizard: WizardFactory, isolated_environment: Path
) -> None:
    async with wizard(token="T", refresh="R", expires=FAR_FUTURE) as (app, pilot):
        await press(pilot, "4")
        text = screen_text(app)
        assert f"Authorization: Bearer {MASK}" in text, text
        assert "Bearer T" not in text
        await press(pilot, "c")  # the request copied as curl
        assert f"Bearer {MASK}'" in app.clipboard and "Bearer T'" not in app.clipboard

        await press(pilot, "7")  # Revoke: token=T in the form body
        text = screen_text(app)
        assert f"token={MASK}&token_type_hint" in text, text
        await press(pilot, "o")  # the refresh token, R
        assert f"token={MASK}&token_type_hint=refresh_token" in screen_text(app)
        await press(pilot, "enter")
        har = har_text(app.session)
        assert '"Bearer T"' not in har and "token=T&" not in har and "token=R&" not in har
