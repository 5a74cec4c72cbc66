"""A new run of the wizard on the demo provider: its server started afresh, with new keys
and another port, so the saved ID token cannot be verified; the checks say why, truthfully,
without suggesting forgery. A token this run's server issued is verified as ever."""

from __future__ import annotations

from pathlib import Path

from tests.app.test_app_id_token import open_id_token, report_text
from tests.app.wizard import advance_to, demo_wizard, make_app, press, settle
from tui.core.steps import Step
from tui.demo import DemoServer

FORGERY = "not signed by a key the provider publishes"


async def test_a_token_of_the_demos_last_run_is_said_to_be_so(
    isolated_environment: Path, own_demo: DemoServer
) -> None:
    creds = isolated_environment
    async with demo_wizard(creds, own_demo, scope="openid user-read-email") as (app, pilot):
        await advance_to(pilot, Step.EXCHANGE)
        await press(pilot, "s")
        last_issuer = own_demo.issuer
    own_demo.stop()
    restarted = DemoServer(port=0)
    restarted.start()
    try:
        app = make_app(creds, restarted)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = await open_id_token(pilot)
            text = report_text(app)
            assert screen.report is not None and not screen.report.verified
            assert "✗ ID token NOT verified: 2 checks failed." in text, text
            assert "demo server's last run, whose keys are gone" in text, text
            assert FORGERY not in text
            assert last_issuer in text and "started afresh" in text
            assert "✓ nonce" in text and "✓ aud" in text
            await press(pilot, "escape")
            app.open_provider("demo")  # opened again in the same run: still its last run's
            await settle(pilot)
            await open_id_token(pilot)
            assert "whose keys are gone" in report_text(app), report_text(app)
            await press(pilot, "escape", "2", "n")
            await advance_to(pilot, Step.EXCHANGE)
            await press(pilot, "s")
            screen = await open_id_token(pilot)
            assert screen.report is not None and screen.report.verified, report_text(app)
    finally:
        restarted.stop()
