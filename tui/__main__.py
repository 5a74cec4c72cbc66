"""The command line: ``oauth-dance [--provider NAME] [--creds PATH]`` and its subcommands."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the command named on the command line; return the exit status."""
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "demo-server":
        from tui.demo.cli import main as demo_main

        return demo_main(args[1:])
    print("oauth-dance: the wizard is not built yet; try 'oauth-dance demo-server'.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
