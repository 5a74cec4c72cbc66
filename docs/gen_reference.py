"""Write docs/reference.md from the texts the app itself shows.

The "what is happening" panel (``tui.core.steps.STEPS``), the error
explanations (``tui.core.explain.ERRORS``, ``POLL_ERRORS`` and ``QUIRKS``), the providers and
their scopes (``tui.core.providers``, ``tui.core.scopes``) and the key
bindings of every screen live once, in the code. This script renders them as
Markdown, so the docs quote the app word for word; ``tests/test_docs.py``
fails when docs/reference.md is not exactly what this script writes.

    python docs/gen_reference.py            write docs/reference.md
    python docs/gen_reference.py --check    exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from textual.binding import Binding, BindingType

from tui.app import OAuthDanceApp
from tui.core.explain import ERRORS, POLL_ERRORS, QUIRKS, UNKNOWN, Explanation
from tui.core.lessons import LESSONS
from tui.core.providers import AUTH_LABELS, PRESETS, Provider, demo_provider
from tui.core.steps import STEPS
from tui.screens.authorize import AuthorizeScreen
from tui.screens.console import ConsoleScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.device import DeviceScreen
from tui.screens.exchange import ExchangeScreen
from tui.screens.history import HistoryScreen
from tui.screens.http_step import HttpStepScreen
from tui.screens.id_token import IdTokenScreen
from tui.screens.leave_form import LeaveFormScreen
from tui.screens.lessons import LessonsScreen
from tui.screens.poll import PollScreen
from tui.screens.profile import ProfileScreen
from tui.screens.refresh import RefreshScreen
from tui.screens.revoke import RevokeScreen
from tui.widgets.exchange_viewer import ExchangeViewer
from tui.widgets.qr_screen import QRScreen
from tui.widgets.sidebar import StepList

OUTPUT = Path(__file__).resolve().parent / "reference.md"
DEMO_BASE = "http://127.0.0.1:PORT"
"""The demo provider's endpoints depend on the port it got; shown with this placeholder."""

KEY_NAMES = {"question_mark": "?", "escape": "esc", "pageup": "page up", "pagedown": "page down"}

KEY_GROUPS: tuple[tuple[str, Sequence[BindingType]], ...] = (
    ("Everywhere", OAuthDanceApp.BINDINGS),
    ("Credentials", CredentialsScreen.BINDINGS),
    ("Leaving the Credentials form with unsaved edits", LeaveFormScreen.BINDINGS),
    ("Authorize", AuthorizeScreen.BINDINGS),
    ("Exchange, Profile, Refresh, Call API and Revoke", HttpStepScreen.BINDINGS),
    ("Exchange", ExchangeScreen.BINDINGS),
    ("Profile", ProfileScreen.BINDINGS),
    ("Refresh", RefreshScreen.BINDINGS),
    ("Call API", ConsoleScreen.BINDINGS),
    ("Revoke", RevokeScreen.BINDINGS),
    ("Device code (the device flow's Authorize)", DeviceScreen.BINDINGS),
    ("Poll (the device flow's Exchange)", PollScreen.BINDINGS),
    ("The step list (tab to it; a click opens a step too)", StepList.BINDINGS),
    ("The exchange viewer (on every step and in History)", ExchangeViewer.BINDINGS),
    ("History", HistoryScreen.BINDINGS),
    ("Lessons (l)", LessonsScreen.BINDINGS),
    ("ID token (i on Exchange, Profile and Refresh)", IdTokenScreen.BINDINGS),
    ("Full-screen QR code", QRScreen.BINDINGS),
)


def cell(text: str) -> str:
    """``text`` safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def key_label(key: str) -> str:
    return " or ".join(f"`{KEY_NAMES.get(k.strip(), k.strip())}`" for k in key.split(","))


def steps_section() -> list[str]:
    lines = [
        "## What is happening, step by step",
        "",
        "The panel on the right of every step (`?` shows or hides it), word for word.",
    ]
    for info in STEPS:
        lines += [
            "",
            f"### {info.key}. {info.title}",
            "",
            f"Dance step {info.dance} · {info.rfc}",
            "",
            info.summary,
            "",
            "| name | what it is for |",
            "|---|---|",
        ]
        lines += [f"| `{cell(name)}` | {cell(meaning)} |" for name, meaning in info.parameters]
    return lines


def explanation(title: str, why: Explanation) -> list[str]:
    return [
        "",
        f"### {title}",
        "",
        f"- **Meaning**: {why.meaning}",
        f"- **Cause**: {why.cause}",
        f"- **Fix**: {why.fix}",
        f"- *{why.rfc}*",
    ]


def errors_section() -> list[str]:
    lines = [
        "## Errors from the provider",
        "",
        "What the error panel says for each `error` code a provider can answer with "
        "(on the redirect, RFC 6749 §4.1.2.1, or from the token endpoint, §5.2).",
    ]
    for code, why in ERRORS.items():
        lines += explanation(f"`{code}`", why)
    lines += [
        "",
        "## Errors that end polling, in the device flow",
        "",
        "On Poll (RFC 8628 §3.5) these codes are read for the device code, not a "
        "redirect's code. They end the codes: the app forgets them, and enter goes to "
        "Device code for new ones.",
    ]
    for code, why in POLL_ERRORS.items():
        lines += explanation(f"`{code}` on Poll", why)
    lines += [
        "",
        "## Provider quirks, by `error_description`",
        "",
        "When the description is one of these (compared without case or a final "
        "period), its text is shown instead of the code's.",
    ]
    for description, why in QUIRKS.items():
        lines += explanation(f'"{description}"', why)
    lines += ["", "## Any other error code"]
    lines += explanation("Unknown code", UNKNOWN)[1:]
    return lines


def provider_rows(provider: Provider) -> list[str]:
    def code(value: str | None) -> str:
        return f"`{cell(value)}`" if value else "(none)"

    rows = [
        ("authorization endpoint", code(provider.authorize_endpoint)),
        ("token endpoint", code(provider.token_endpoint)),
        ("profile endpoint", code(provider.profile_endpoint)),
    ]
    if provider.revocation_endpoint:
        rows.append(("revocation endpoint", code(provider.revocation_endpoint)))
    if provider.issuer:
        rows.append(("issuer", code(provider.issuer)))
    rows += [
        ("default scope", code(provider.default_scope)),
        (
            "client authentication",
            f"{AUTH_LABELS[provider.client_auth]} ({code(provider.client_auth.value)})",
        ),
    ]
    if provider.extra_auth_params:
        extra = " ".join(code(f"{k}={v}") for k, v in provider.extra_auth_params.items())
        rows.append(("extra authorization parameters", extra))
    if provider.profile_fields:
        rows.append(("profile fields shown first", ", ".join(map(code, provider.profile_fields))))
    return ["| | |", "|---|---|"] + [f"| {name} | {value} |" for name, value in rows]


def providers_section() -> list[str]:
    lines = [
        "## Providers",
        "",
        "The presets, as `tui/core/providers.py` defines them. Any other name is a "
        "custom provider: see [providers/custom.md](providers/custom.md).",
    ]
    for provider in (demo_provider(DEMO_BASE), *PRESETS.values()):
        lines += ["", f"### {provider.title} (`{provider.name}`)", ""]
        lines += provider_rows(provider)
        if provider.quirks:
            lines += [""] + [f"- {quirk}" for quirk in provider.quirks]
        if provider.scopes:
            lines += ["", "| scope | meaning |", "|---|---|"]
            lines += [f"| `{s.name}` | {cell(s.meaning)} |" for s in provider.scopes]
    return lines


def binding_rows(bindings: Iterable[BindingType]) -> list[str]:
    rows = []
    for binding in bindings:
        if not isinstance(binding, Binding):
            continue
        what = binding.description or binding.action
        if binding.tooltip:
            what = f"{what}: {binding.tooltip}"
        rows.append(f"| {key_label(binding.key)} | {cell(what)} |")
    return rows


def keys_section() -> list[str]:
    lines = [
        "## Keys",
        "",
        "From the bindings in the code. Textual adds `ctrl+p` (command palette) everywhere. "
        "The footer shows a screen's main keys, `?`, `ctrl+q` and `ctrl+p`; the `?` panel "
        "(and the palette's Keys) lists every key that works where the focus is.",
    ]
    for title, bindings in KEY_GROUPS:
        lines += ["", f"### {title}", "", "| key | does |", "|---|---|"]
        lines += binding_rows(bindings)
    return lines


def lessons_section() -> list[str]:
    lines = [
        "## Break-it lessons",
        "",
        "The lessons `l` lists (on the demo provider): what the app sets up, the key to "
        "press, and what the lesson panel says once the error comes back.",
    ]
    for lesson in LESSONS:
        lines += [
            "",
            f"### {lesson.title}",
            "",
            f"- **Set up**: {lesson.setup}",
            f"- **You**: {lesson.action}",
            f"- **Caught by** {lesson.caught_by}.",
            f"- **Rule**: {lesson.rule}",
            f"- **Without it**: {lesson.attacker_gain}",
            f"- *{lesson.rfc}*",
        ]
    return lines


def render() -> str:
    """The whole of docs/reference.md."""
    lines = [
        "# Reference",
        "",
        "<!-- Generated by docs/gen_reference.py from tui/core/steps.py, "
        "tui/core/explain.py, tui/core/lessons.py, tui/core/providers.py and the screens' key "
        "bindings. "
        "Do not edit: run `python docs/gen_reference.py`. -->",
        "",
        "Every text on this page is the one the app shows, generated from the code that shows it.",
        "",
        "- [What is happening, step by step](#what-is-happening-step-by-step)",
        "- [Errors from the provider](#errors-from-the-provider)",
        "- [Provider quirks, by `error_description`](#provider-quirks-by-error_description)",
        "- [Break-it lessons](#break-it-lessons)",
        "- [Providers](#providers)",
        "- [Keys](#keys)",
        "",
    ]
    sections = (steps_section, errors_section, lessons_section, providers_section, keys_section)
    for section in sections:
        lines += [*section(), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run python docs/gen_reference.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(OUTPUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
