"""What the command line prints, made safe: control characters from arguments, files
and the environment shown as escapes (``\\x1b``, ``\\n``), never sent to the terminal."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn, TextIO

from tui.core.textsafe import clean


class SafeArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose error messages (which quote the arguments) are safe.

    A usage error exits with status 1 in every command (``USAGE_ERROR``): ``oauth-dance
    token``'s 2 means no usable token, as scripts have been told.
    """

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog}: error: {clean(message, keep_newlines=False)}\n")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        super().exit(status, clean(message) if message else None)


USAGE_ERROR = 1
"""The exit status of a usage error, for every command (argparse's 2 is ``token``'s
"no usable token")."""


def say(*lines: str, file: TextIO | None = None) -> None:
    """Print each of ``lines`` on a line of its own, every control character in it shown
    as its escape, a newline (``\\n``) and a tab too: one line stays one line."""
    shown = "\n".join(clean(line, keep_newlines=False) for line in lines)
    print(shown, file=file or sys.stdout, flush=True)
