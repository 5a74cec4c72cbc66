"""The global options, ``--provider NAME`` and ``--creds PATH``: every command that uses
them takes them before its name or after it (``oauth-dance --creds X import-json Y``)."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

COMMANDS = ("token", "status", "import-json", "demo-server", "serve")
"""The subcommands; without one, ``oauth-dance`` runs the wizard."""

VALUED = ("--provider", "--creds")
"""The global options that take a value (the word after them is never a command)."""


def provider_name(text: str) -> str:
    """``--provider``'s value: a name, not an empty or blank one."""
    if not text.strip():
        raise argparse.ArgumentTypeError(f"a provider's name cannot be empty: {text!r}")
    return text


def creds_path(text: str) -> str:
    """``--creds``' value: a path, not an empty or blank one (which names no file)."""
    if not text.strip():
        raise argparse.ArgumentTypeError(f"the credentials file's path cannot be empty: {text!r}")
    return text


def creds_file(parser: argparse.ArgumentParser, creds: str | None) -> Path:
    """The credentials file: ``--creds``, else ``$OAUTH_DANCE_CREDS``, else the default.
    That variable set but empty is bad usage, as an empty ``--creds`` is."""
    from tui.core.store import resolve_path

    try:
        return resolve_path(creds)
    except ValueError as err:
        parser.error(str(err))


def add_global_options(
    parser: argparse.ArgumentParser,
    *,
    provider_help: str,
    provider_default: str | None = "demo",
) -> None:
    parser.add_argument(
        "--provider",
        type=provider_name,
        default=provider_default,
        metavar="NAME",
        help=provider_help,
    )
    parser.add_argument(
        "--creds", type=creds_path, metavar="PATH", help="the credentials file (TOML)"
    )


def wizard_command(
    provider: str | None, creds: str | None, *, program: tuple[str, ...] = ("oauth-dance",)
) -> str:
    """The shell command that runs the wizard (``program``) with the options given, none
    left out: each quoted, joined to its option by ``=`` (a value may start with ``-``)."""
    words = list(program)
    if provider is not None:
        words.append(f"--provider={provider}")
    if creds is not None:
        words.append(f"--creds={creds}")
    return shlex.join(words)


def describe_first(provider: str | None, creds: str | None) -> str | None:
    """What to do before the wizard can run on ``provider``, which has no table in the
    file: None for the demo and the presets; for any other name, describe it in a table
    first (the wizard alone would stop at "Settings incomplete")."""
    from tui.core.providers import EMBEDDED_DEMO, PRESETS

    if provider is None or provider == EMBEDDED_DEMO or provider in PRESETS:
        return None
    import tomli_w

    known = ", ".join((EMBEDDED_DEMO, *PRESETS))
    header = tomli_w.dumps({provider: {}}).strip()
    return (
        f"{provider!r} is not a preset provider ({known}): describe it in a {header} table "
        "of the credentials file, with its issuer or its endpoints "
        f"(docs/providers/custom.md), then run the wizard: {wizard_command(provider, creds)}"
    )


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
