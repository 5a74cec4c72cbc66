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
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static

from tui.core.errors import DanceError
from tui.core.id_token import NOT_FOR_THE_CLIENT, DecodedToken, IdTokenReport
from tui.core.jose import Verdict
from tui.core.masking import MASK
from tui.core.textsafe import clean
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.key_footer import KeyFooter
from tui.widgets.scroll_area import ScrollArea

if TYPE_CHECKING:
    from tui.core.claims import Row
    from tui.core.session import Session

Parts = list[Content | tuple[str, str] | str]
Table = list[tuple[Content, Content]]
"""Rows of two columns: a name, and what is said of it (wrapped in its own column)."""
Blocks = list[Content | Table]

MARK_STYLES = {True: "bold $success", False: "bold $error", None: "bold $warning"}


class IdTokenScreen(Screen[None]):
    """The token's checks, header and claims above; the JWKS request and answer below."""

    SCREEN_HELP = (
        "ID token",
        "The ID token decoded and checked as OpenID Connect Core §3.1.3.7 says: each check "
        "with its rule, then the token's header and claims, and the access token's when it "
        "is a JWT. Below, the request for the provider's keys (JWKS) and its answer, which "
        "the signature is checked with; s fetches them again. The token stays masked until "
        "r reveals it.",
    )

    BINDINGS = [
        Binding("escape,i", "app.pop_screen", "Back", tooltip="Back to the step"),
        Binding("s", "fetch_keys", "Fetch keys", tooltip="GET the provider's JWKS again"),
        # Priority: the JWKS viewer's own r has nothing secret to reveal.
        Binding(
            "r",
            "reveal",
            "Reveal",
            priority=True,
            tooltip="Show the ID token in clear text, or mask it again",
        ),
    ]

    DEFAULT_CSS = """
    IdTokenScreen {
        #token { height: 3fr; padding: 0 1; border-bottom: solid $border-blurred; }
        #report { height: auto; }
        #report Grid {
            grid-size: 2;
            grid-columns: 13 1fr;
            grid-rows: auto;
            height: auto;
        }
        #report Static { height: auto; }
        ExchangeViewer { height: 2fr; }
    }
    """

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.report: IdTokenReport | None = None
        self.signature: Verdict | None = None
        self.revealed = False
        """The user pressed r: the token shows in clear text (each new view starts masked)."""
        self.focus_placed = False

    def compose(self) -> ComposeResult:
        yield Header()
        with ScrollArea(id="token"):
            yield Vertical(id="report")
        yield ExchangeViewer()
        yield KeyFooter()

    async def on_mount(self) -> None:
        self.sub_title = "ID token · OpenID Connect Core §3.1.3.7"
        if self.session.state.id_token:
            self.fetch_keys()  # shows the report, then places the focus
            return
        await self.show_report(None)
        self.call_after_refresh(self.focus_report)

    def focus_report(self) -> None:
        """The report takes the focus when it has more than it shows, else the viewer
        (once, when the screen opens: the report is laid out by then)."""
        if self.focus_placed:
            return
        self.focus_placed = True
        area = self.query_one("#token", ScrollArea)
        (area if area.overflows else self.query_one(ExchangeViewer)).focus()

    def action_fetch_keys(self) -> None:
        if not self.session.state.id_token:
            self.notify("No ID token to check: nothing is fetched.", markup=False)
            return
        self.fetch_keys()

    async def action_reveal(self) -> None:
        if not self.session.state.id_token:
            self.notify("No ID token to reveal.", markup=False)
            return
        self.revealed = not self.revealed
        await self.show_report(self.signature)

    @work(exclusive=True, group="http", description="fetch the provider's keys")
    async def fetch_keys(self) -> None:
        viewer = self.query_one(ExchangeViewer)
        try:
            exchange = self.session.prepare_jwks()
        except DanceError as err:
            viewer.show(None)
            await self.show_report(self.session.signature_verdict(err))
            self.call_after_refresh(self.focus_report)
            return
        viewer.show(exchange, sending=True)
        await self.show_report(None)
        await self.session.send(exchange)
        viewer.show(exchange)
        await self.show_report(self.session.signature_verdict(exchange))
        self.call_after_refresh(self.focus_report)

    async def show_report(self, signature: Verdict | None) -> None:
        """The checks (the signature's with ``signature``, pending without), the token's
        header and claims, and the access token's when it is a JWT."""
        self.signature = signature
        self.report = self.session.id_token_report(signature)
        blocks: Blocks = []
        if self.report is None:
            blocks.append(
                Content.assemble(
                    ("No ID token.", "bold"),
                    " An OpenID provider sends one when the scopes include openid: add it on "
                    "Credentials (1, then e), then authorize and exchange again.",
                )
            )
        else:
            token = self.session.state.id_token
            blocks += id_token_blocks(self.report, len(token), token if self.revealed else None)
        blocks += access_token_blocks(self.session.access_token_view())
        report = self.query_one("#report", Vertical)
        async with report.batch():
            await report.remove_children()
            await report.mount_all(block_widget(block) for block in blocks)


def block_widget(block: Content | Table) -> Widget:
    """A paragraph, or a table whose second column wraps within itself."""
    if isinstance(block, Content):
        return Static(block)
    return Grid(*(Static(cell) for row in block for cell in row))


def id_token_blocks(report: IdTokenReport, length: int, shown: str | None = None) -> Blocks:
    """The verdict, each check with its rule, then the header and the claims; the token
    masked (``length`` characters), or ``shown`` as the user revealed it."""
    failed = [c for c in report.checks if c.failed]
    unchecked = [c.name for c in report.checks if not c.checked]
    not_checked = f"the {' and '.join(unchecked)} could not be checked"
    if report.verified:
        parts: Parts = [("✓ ID token verified", MARK_STYLES[True]), ": every check passed."]
    elif failed:
        said = "1 check" if len(failed) == 1 else f"{len(failed)} checks"
        also = f"; {not_checked}" if unchecked else ""
        parts = [("✗ ID token NOT verified", MARK_STYLES[False]), f": {said} failed{also}."]
    elif unchecked:
        parts = [("? ID token not verified", MARK_STYLES[None]), f": {not_checked}."]
    else:
        parts = [("… Checking the ID token", MARK_STYLES[None]), ": the signature is pending."]
    parts += ["\n", ("Token  ", "bold")]
    if shown is None:
        parts.append(f"{MASK} ({length} characters, masked like any secret: r reveals it)")
    else:
        parts += [clean(shown), ("  (r masks it again)", "dim")]
    if report.token.problem:
        parts += ["\n", (report.token.problem, "$error")]
    parts += ["\n\n", ("Checks", "bold underline")]
    checks: Table = [
        (
            Content.styled(
                f"{check.mark} {check.name}", MARK_STYLES[check.ok if check.checked else None]
            ),
            Content.assemble(check.detail, "\n", (check.rule, "dim")),
        )
        for check in report.checks
    ]
    return [
        Content.assemble(*parts),
        checks,
        *rows_blocks("Header", report.token.header),
        *rows_blocks("Claims", report.token.claims),
    ]


def access_token_blocks(view: DecodedToken | None) -> Blocks:
    """The access token: decoded when it is a JWT, labelled as not for the client."""
    if view is None:
        return [
            Content.assemble(
                "\n",
                ("Access token", "bold underline"),
                "\nOpaque (not a JWT): only the provider can read it. That is how a client "
                "should treat every access token.",
            )
        ]
    return [
        Content.assemble(
            "\n",
            ("Access token: a JWT (RFC 9068)", "bold underline"),
            "\n",
            (NOT_FOR_THE_CLIENT, "bold $warning"),
        ),
        *rows_blocks("Header", view.header),
        *rows_blocks("Claims", view.claims),
    ]


def rows_blocks(title: str, rows: tuple[Row, ...]) -> Blocks:
    table: Table = [
        (Content.styled(row.name, "bold"), Content.assemble(row.value, "\n", (row.meaning, "dim")))
        for row in rows
    ]
    return [Content.assemble("\n", (title, "bold underline")), table]
