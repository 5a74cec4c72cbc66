"""What the command line prints, made safe: control characters from arguments, files
and the environment shown as escapes (``\\x1b``), never sent to the terminal."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn, TextIO

from tui.core.textsafe import clean


class SafeArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose error messages (which quote the arguments) are safe."""

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        super().exit(status, clean(message) if message else None)


def say(text: str, file: TextIO | None = None) -> None:
    """Print ``text`` with its control characters visible (newlines and tabs kept)."""
    print(clean(text), file=file or sys.stdout, flush=True)
