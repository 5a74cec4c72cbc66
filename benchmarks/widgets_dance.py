"""A floor for the dance: the same ten keys on the same screens, built from Textual's widgets alone.

Each step screen of the wizard at 80x24 is Textual's header, a sidebar (a
Static, an option list of the steps, a Static), the step's text in a
scrolling Static, the exchange viewer (Tabs over a read-only TextArea) and
the footer: 28 widgets on Exchange. This app composes those widgets with the
same nesting, keeps its five step screens installed and switches between
them as the wizard does, and on each of the dance's requests shows the
request, then the answer, marks the step done in the sidebar, changes the
result text and adds a key to the footer: what the wizard's screen changes
too. It has no session, no HTTP, no masking, no error panel and no texts to
work out: static strings, shown.

So its app time is what Textual itself takes for the dance's screen changes
on these widgets, the floor under the wizard's: ``dance.py`` measures the
wizard the same way (keys posted, each step polled every 2 ms).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static, Tab, Tabs, TextArea
from textual.widgets.option_list import Option

STEPS = ["Credentials", "Authorize", "Exchange", "Profile", "Refresh"]

CSS = """
#body { height: 1fr; }
#sidebar { width: 24; height: 1fr; border-right: tall $panel; }
#sidebar OptionList { height: auto; border: none; padding: 0; }
#sidebar Static { padding: 0 1; }
#main { width: 1fr; height: 1fr; }
#step { height: auto; max-height: 50%; padding: 0 1; }
#viewer { height: 1fr; border: round $accent; }
#viewer TextArea { height: 1fr; }
"""

REQUEST = """\
POST /token HTTP/1.1
Host: 127.0.0.1:41234
Accept: application/json
Authorization: Basic ••••••••••••••••••••••••••••••••
Content-Type: application/x-www-form-urlencoded
Content-Length: 181

grant_type=authorization_code
code=••••••••••••••••••••
redirect_uri=http://127.0.0.1:8888/callback
code_verifier=••••••••••••••••••••••••••••••••••••••••••"""

RESPONSE = "HTTP/1.1 200 OK\ncontent-type: application/json\ncache-control: no-store\n\n" + (
    json.dumps(
        {
            "access_token": "•" * 24,
            "token_type": "Bearer",
            "expires_in": 3600,
            "refresh_token": "•" * 24,
            "scope": "openid profile email user-read-private",
            "id_token": "•" * 40,
        },
        indent=2,
    )
)

RESULT = """\
✓ 200 OK in 12 ms. Access token received, valid for 60 min.
  Refresh token received. ID token received (i shows it).

  enter goes on to the next step; s sends the request again."""


def step_text(step: str) -> str:
    return f"{step}: what this step sends and why.\n\nPress s to send the request below."


class StepScreen(Screen[None]):
    """One step: the wizard's chrome around a step text and the exchange viewer."""

    AUTO_FOCUS = ""  # as the wizard's steps: enter is the screen's, not the step list's
    BINDINGS = [
        Binding("s", "send", "Send"),
        Binding("enter", "next", "Next"),
        Binding("question_mark", "help", "Help"),
        Binding("ctrl+q", "app.quit", "Quit"),
        Binding("r", "reveal", "Reveal"),
    ]

    def __init__(self, index: int) -> None:
        super().__init__(name=STEPS[index])
        self.index = index
        self.answered = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield Static("Embedded demo server")
                yield OptionList(*[Option(f"· {i + 1} {s}") for i, s in enumerate(STEPS)])
                yield Static("No access token yet.", id="expiry")
            with Vertical(id="main"):
                with VerticalScroll(id="step"):
                    yield Static(step_text(STEPS[self.index]), id="result")
                with Vertical(id="viewer"):
                    yield Tabs(Tab("Request", id="request"), Tab("Response", id="response"))
                    yield Static("Not sent yet.", id="note")
                    yield TextArea(REQUEST, read_only=True, soft_wrap=True, compact=True)
        yield Footer(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Reveal shows in the footer once there is an answer, as the wizard's keys change."""
        return self.answered if action == "reveal" else True

    def action_send(self) -> None:
        self.send()

    @work(exclusive=True, group="http")
    async def send(self) -> None:
        """The request shown while it is out, then the answer, as the wizard shows them."""
        viewer = self.query_one(TextArea)
        viewer.load_text(REQUEST)
        self.query_one("#note", Static).update("Sending…")
        await asyncio.sleep(0)
        self.query_one(Tabs).active = "response"
        viewer.load_text(RESPONSE)
        self.query_one("#note", Static).update("200 OK in 12 ms")
        self.query_one("#result", Static).update(RESULT)
        options = self.query_one(OptionList)
        options.replace_option_prompt_at_index(
            self.index, f"✓ {self.index + 1} {STEPS[self.index]}"
        )
        self.query_one("#expiry", Static).update("Token: 59 min left")
        self.answered = True
        self.refresh_bindings()
        app: Any = self.app
        app.sent += 1

    def action_next(self) -> None:
        app: Any = self.app
        app.switch_screen(STEPS[(self.index + 1) % len(STEPS)])

    def action_help(self) -> None:
        """The wizard's ? panel; not part of the dance."""

    def action_reveal(self) -> None:
        """The wizard's r; not part of the dance."""


class WidgetsDanceApp(App[None]):
    TITLE = "OAuth Dance"
    CSS = CSS
    BINDINGS = [Binding(str(i + 1), f"step({i})", step, show=False) for i, step in enumerate(STEPS)]

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0

    def on_mount(self) -> None:
        for index, step in enumerate(STEPS):
            self.install_screen(StepScreen(index), step)
        self.push_screen(STEPS[1])  # the dance starts on Authorize, as the wizard's does

    def action_step(self, index: int) -> None:
        self.switch_screen(STEPS[index])


DANCE: list[tuple[str, str]] = [
    ("1", "screen:Credentials"),
    ("enter", "screen:Authorize"),
    ("s", "sent:1"),  # the wizard's g: the consent page
    ("s", "sent:2"),  # the wizard's a: approve, the code arrives
    ("3", "screen:Exchange"),
    ("s", "sent:3"),
    ("4", "screen:Profile"),
    ("s", "sent:4"),
    ("5", "screen:Refresh"),
    ("s", "sent:5"),
]
"""The wizard's ten keys (dance.DANCE), and what shows each is done."""


async def dance() -> dict[str, Any]:
    from textual import events

    from tui.__main__ import tune_gc

    tune_gc()  # the wizard's collector settings (dance.py sets them too): alike on both sides
    app = WidgetsDanceApp()
    async with app.run_test(size=(80, 24)) as pilot:

        def done(condition: str) -> bool:
            kind, _, arg = condition.partition(":")
            if kind == "screen":
                return app.screen.name == arg
            return app.sent >= int(arg)

        def busy() -> bool:
            return any(not worker.is_finished for worker in app.workers)

        async def until(condition: str) -> None:
            deadline = time.perf_counter() + 30
            while not (done(condition) and not busy()):
                if time.perf_counter() > deadline:
                    raise TimeoutError(condition)
                await asyncio.sleep(0.002)
            await pilot.pause(0)

        await until("screen:Authorize")
        steps = []
        started, cpu_started = time.perf_counter(), time.thread_time()
        for key, condition in DANCE:
            t = time.perf_counter()
            app.post_message(events.Key(key, key if len(key) == 1 else None))
            await until(condition)
            steps.append({"key": key, "app_s": time.perf_counter() - t})
        return {
            "app_s": time.perf_counter() - started,
            "main_thread_cpu_s": time.thread_time() - cpu_started,
            "steps": steps,
        }


def main(argv: list[str]) -> None:
    Path(argv[0]).write_text(json.dumps(asyncio.run(dance())))


if __name__ == "__main__":
    main(sys.argv[1:])
