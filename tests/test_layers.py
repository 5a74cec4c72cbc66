"""The layers import downwards only: no screen or widget imports the App (``tui.app``,
or one of the ``tui.app_*`` modules it is made of).

Screens read the App through the ``Wizard`` protocol they are given and post
messages (``tui/screens/wizard.py``) to change what it shows.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BELOW_THE_APP = sorted(
    path for folder in ("screens", "widgets") for path in (ROOT / "tui" / folder).rglob("*.py")
)


def imported_modules(source: str, module: str) -> set[str]:
    """Every module ``source`` imports, anywhere in it (a function's imports too),
    with relative imports resolved from ``module`` and ``from package import name``
    counted as ``package.name`` as well."""
    found: set[str] = set()
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def imports_the_app(source: str, module: str) -> bool:
    return any(
        name == "tui.app" or name.startswith(("tui.app.", "tui.app_"))
        for name in imported_modules(source, module)
    )


@pytest.mark.parametrize("path", BELOW_THE_APP, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_screen_or_widget_imports_the_app(path: Path) -> None:
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    assert not imports_the_app(path.read_text(encoding="utf-8"), module)


@pytest.mark.parametrize(
    "source",
    [
        "from tui.app import OAuthDanceApp",
        "def f():\n    from tui.app import OAuthDanceApp",
        "import tui.app",
        "from tui import app",
        "from .. import app",
        "from ..app import OAuthDanceApp",
        "if TYPE_CHECKING:\n    from tui.app import OAuthDanceApp",
        "from tui.app_navigation import NavigatingApp",
        "from tui import app_saving",
    ],
)
def test_the_check_sees_every_form_of_the_import(source: str) -> None:
    assert imports_the_app(source, "tui.screens.base")


def test_the_check_lets_other_imports_through() -> None:
    source = "from textual.app import App\nfrom tui.core.steps import Step\nfrom . import base"
    assert not imports_the_app(source, "tui.screens.authorize")
