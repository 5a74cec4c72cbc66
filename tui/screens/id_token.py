"""The ID token decoded and checked, and a JWT access token decoded: opened by ``i``.

On opening, the provider's JWKS is fetched (the GET shown below, raw, and
kept in History like every request) and the signature checked with it; the
other checks need nothing from the network and show at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from tui.core.errors import DanceError
from tui.core.id_token import NOT_FOR_THE_CLIENT, DecodedToken, IdTokenReport
from tui.core.jose import Verdict
from tui.core.masking import MASK
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.key_footer import KeyFooter
from tui.widgets.scroll_area import ScrollArea

if TYPE_CHECKING:
    from tui.core.claims import Row
    from tui.core.session import Session

Parts = list[Content | tuple[str, str] | str]

MARK_STYLES = {True: "bold $success", False: "bold $error", None: "bold $warning"}


class IdTokenScreen(Screen[None]):
    """The token's checks, header and claims above; the JWKS request and answer below."""

    BINDINGS = [
        Binding("escape,i", "app.pop_screen", "Back", tooltip="Back to the step"),
        Binding("s", "fetch_keys", "Fetch keys", tooltip="GET the provider's JWKS again"),
    ]

    DEFAULT_CSS = """
    IdTokenScreen {
        #token { height: 3fr; padding: 0 1; border-bottom: solid $border-blurred; }
        ExchangeViewer { height: 2fr; }
    }
    """

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.report: IdTokenReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with ScrollArea(id="token"):
            yield Static(id="report")
        yield ExchangeViewer()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "ID token · OpenID Connect Core §3.1.3.7"
        self.show_report(None)
        self.call_after_refresh(self.focus_report)
        self.action_fetch_keys()

    def focus_report(self) -> None:
        """The report takes the focus when it has more than it shows, else the viewer."""
        area = self.query_one("#token", ScrollArea)
        (area if area.overflows else self.query_one(ExchangeViewer)).focus()

    def action_fetch_keys(self) -> None:
        if not self.session.state.id_token:
            self.notify("No ID token to check: nothing is fetched.", markup=False)
            return
        self.fetch_keys()

    @work(exclusive=True, group="http", description="fetch the provider's keys")
    async def fetch_keys(self) -> None:
        viewer = self.query_one(ExchangeViewer)
        try:
            exchange = self.session.prepare_jwks()
        except DanceError as err:
            viewer.show(None)
            self.show_report(self.session.signature_verdict(err))
            return
        viewer.show(exchange, sending=True)
        self.show_report(None)
        await self.session.send(exchange)
        viewer.show(exchange)
        self.show_report(self.session.signature_verdict(exchange))

    def show_report(self, signature: Verdict | None) -> None:
        """The checks (the signature's with ``signature``, pending without), the token's
        header and claims, and the access token's when it is a JWT."""
        self.report = self.session.id_token_report(signature)
        parts: Parts = []
        if self.report is None:
            parts += [
                ("No ID token.", "bold"),
                " An OpenID provider sends one when the scopes include openid: add it on "
                "Credentials (1, then e), then authorize and exchange again.",
            ]
        else:
            parts += id_token_parts(self.report, len(self.session.state.id_token))
        parts += ["\n\n", *access_token_parts(self.session.access_token_view())]
        self.query_one("#report", Static).update(Content.assemble(*parts))


def id_token_parts(report: IdTokenReport, length: int) -> Parts:
    """The verdict, each check with its rule, then the header and the claims."""
    failed = [c for c in report.checks if c.ok is False]
    if report.verified:
        parts: Parts = [("✓ ID token verified", MARK_STYLES[True]), ": every check passed."]
    elif failed:
        parts = [("✗ ID token NOT verified", MARK_STYLES[False]), f": {len(failed)} checks failed."]
    else:
        parts = [("… Checking the ID token", MARK_STYLES[None]), ": the signature is pending."]
    parts += ["\n", ("Token  ", "bold"), f"{MASK} ({length} characters, masked like any secret)"]
    if report.token.problem:
        parts += ["\n", (report.token.problem, "$error")]
    parts += ["\n\n", ("Checks", "bold underline")]
    for check in report.checks:
        parts += ["\n", (f"{check.mark} {check.name:<10}", MARK_STYLES[check.ok]), check.detail]
        parts += ["\n", (f"  {'':<10}{check.rule}", "dim")]
    return (
        parts
        + rows_parts("Header", report.token.header)
        + rows_parts("Claims", report.token.claims)
    )


def access_token_parts(view: DecodedToken | None) -> Parts:
    """The access token: decoded when it is a JWT, labelled as not for the client."""
    if view is None:
        return [
            ("Access token", "bold underline"),
            "\nOpaque (not a JWT): only the provider can read it. That is how a client "
            "should treat every access token.",
        ]
    return [
        ("Access token: a JWT (RFC 9068)", "bold underline"),
        "\n",
        (NOT_FOR_THE_CLIENT, "bold $warning"),
        *rows_parts("Header", view.header),
        *rows_parts("Claims", view.claims),
    ]


def rows_parts(title: str, rows: tuple[Row, ...]) -> Parts:
    parts: Parts = ["\n\n", (title, "bold underline")]
    for row in rows:
        parts += ["\n", (f"{row.name:<10} ", "bold"), row.value]
        parts += ["\n", (f"{'':<11}{row.meaning}", "dim")]
    return parts
