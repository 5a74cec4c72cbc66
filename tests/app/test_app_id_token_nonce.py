"""The ID token's nonce is checked against the nonce of the attempt whose code brought it:
a new attempt (by n on Authorize, or a lesson's) leaves a valid token verified, in this
run and the next; the file keeps that nonce with the tokens."""

from __future__ import annotations

from pathlib import Path

from tests.app.test_app_id_token import open_id_token, report_text
from tests.app.test_app_lessons import open_lesson
from tests.app.wizard import WizardFactory, advance_to, make_app, press, settle
from tui.core.lessons import LESSONS
from tui.core.steps import Step
from tui.core.store import CredsStore
from tui.demo import DemoServer

OPENID = "openid user-read-email"


async def test_a_new_attempt_leaves_the_id_token_verified(
    wizard: WizardFactory, isolated_environment: Path, demo_server: DemoServer
) -> None:
    async with wizard(scope=OPENID) as (app, pilot):
        await advance_to(pilot, Step.EXCHANGE)
        await press(pilot, "s")
        screen = await open_id_token(pilot)
        assert screen.report is not None and screen.report.verified, report_text(app)
        sent = app.session.state.nonce
        await press(pilot, "escape", "2", "n")
        assert app.session.state.nonce not in ("", sent), "n started a new attempt"
        await press(pilot, "4")
        screen = await open_id_token(pilot)
        text = report_text(app)
        assert screen.report is not None and screen.report.verified, text
        assert "✓ nonce" in text and "✗" not in text
    saved = CredsStore(isolated_environment).load_provider("demo")
    assert saved["id_token_nonce"] == sent, "kept in the file with the tokens"
    again = make_app(isolated_environment, demo_server)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "4")
        screen = await open_id_token(pilot)
        assert screen.report is not None and screen.report.verified, report_text(again)


async def test_a_lessons_new_attempt_leaves_the_id_token_verified(
    wizard: WizardFactory,
) -> None:
    lesson = next(lesson for lesson in LESSONS if lesson.key == "state")
    async with wizard(scope=OPENID) as (app, pilot):
        await advance_to(pilot, Step.EXCHANGE)
        await press(pilot, "s")
        sent = app.session.state.nonce
        await open_lesson(app, pilot, lesson)
        assert app.session.state.nonce not in ("", sent), "the lesson started a new attempt"
        await press(pilot, "4")
        screen = await open_id_token(pilot)
        text = report_text(app)
        assert screen.report is not None and screen.report.verified, text
        assert "✓ nonce" in text
