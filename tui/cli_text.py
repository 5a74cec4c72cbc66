"""What the command line prints, made safe: control characters from arguments, files
and the environment shown as escapes (``\\x1b``), never sent to the terminal."""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn, TextIO

from tui.core.textsafe import clean


class SafeArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose error messages (which quote the arguments) are safe.

    Args:
        usage_status: the exit status of a usage error (argparse's own is 2).
    """

    def __init__(self, *args: Any, usage_status: int = 2, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.usage_status = usage_status

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(self.usage_status, f"{self.prog}: error: {message}\n")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        super().exit(status, clean(message) if message else None)


def say(text: str, file: TextIO | None = None) -> None:
    """Print ``text`` with its control characters visible (newlines and tabs kept)."""
    print(clean(text), file=file or sys.stdout, flush=True)
