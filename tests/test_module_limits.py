"""Module limits of the whole package (issues 14, 16): every module at most 300 lines, every
function at most 50, so a newcomer reads a module whole and it stays readable as it grows."""

import ast
from pathlib import Path

import pytest

from socialstudy import paths

MODULES = sorted(paths.PACKAGE.rglob("*.py"))
MAX_MODULE, MAX_FUNCTION = 300, 50


def _too_long(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = []
    if len(text.splitlines()) > MAX_MODULE:
        found.append(f"{path.name}: {len(text.splitlines())} lines > {MAX_MODULE}: split it")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION:
                found.append(f"{path.name}:{node.lineno}: {node.name} has {length} lines > "
                             f"{MAX_FUNCTION}: split it")
    return found


@pytest.mark.parametrize("path", MODULES,
                         ids=lambda p: p.relative_to(paths.PACKAGE).as_posix())
def test_modules_and_functions_stay_short(path):
    assert _too_long(path) == []


def test_the_limit_check_catches_a_long_function(tmp_path):
    long = tmp_path / "long.py"
    long.write_text("def f():\n" + "    x = 1\n" * MAX_FUNCTION + "\n", encoding="utf-8")
    assert _too_long(long) == [f"long.py:1: f has {MAX_FUNCTION + 1} lines > {MAX_FUNCTION}: "
                               "split it"]
