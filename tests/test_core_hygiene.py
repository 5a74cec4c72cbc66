"""The protocol core must not import Textual: it is usable (and tested) without a UI."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import tui.core

MODULES = sorted(info.name for info in pkgutil.iter_modules(tui.core.__path__))


def test_core_modules_were_found() -> None:
    assert {"flow", "callback", "tokens", "transport", "session"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = f"import tui.core.{module}, sys; assert 'textual' not in sys.modules, 'textual imported'"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
