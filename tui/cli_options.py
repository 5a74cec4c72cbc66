"""The global options, ``--provider NAME`` and ``--creds PATH``: every command that uses
them takes them before its name or after it (``oauth-dance --creds X import-json Y``)."""

from __future__ import annotations

import argparse

COMMANDS = ("token", "status", "import-json", "demo-server", "serve")
"""The subcommands; without one, ``oauth-dance`` runs the wizard."""

VALUED = ("--provider", "--creds")
"""The global options that take a value (the word after them is never a command)."""

USAGE_STATUS = 1
"""The exit status of a usage error of ``token`` and ``status`` (argparse's own is 2)."""


def add_global_options(
    parser: argparse.ArgumentParser,
    *,
    provider_help: str,
    provider_default: str | None = "demo",
) -> None:
    parser.add_argument("--provider", default=provider_default, metavar="NAME", help=provider_help)
    parser.add_argument("--creds", metavar="PATH", help="the credentials file (TOML)")


def split_command(argv: list[str]) -> tuple[str | None, list[str]]:
    """The command named in ``argv`` and the other arguments, in their order.

    The command is the first word that is neither an option nor the value of
    a global option; global options before it go to it with the rest.
    """
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--" or not word.startswith("-"):
            if word in COMMANDS:
                return word, argv[:i] + argv[i + 1 :]
            return None, argv
        # An option: skip its value too when it is a global one (or argparse's
        # abbreviation of one) written without "=".
        takes_value = "=" not in word and len(word) > 2
        i += 2 if takes_value and any(name.startswith(word) for name in VALUED) else 1
    return None, argv
