"""Guard rails for the layout (README, "Code map"): features stack without cycles, files and
routes stay small enough to read."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "community"
MAX_FILE_LINES = 400
MAX_ROUTE_LINES = 30
ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}


def test_packages_import_only_those_below_them_and_never_in_a_cycle():
    """import-linter's layers contract in pyproject.toml: a broken arrow names the import."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def python_files() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts)


def test_no_module_is_over_400_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in python_files()
        if (lines := len(path.read_text().splitlines())) > MAX_FILE_LINES
    }
    assert long == {}, "split these by sub-feature, one module name per layer"


def _is_route(node: ast.FunctionDef) -> bool:
    for decorator in node.decorator_list:
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(call, ast.Attribute) and call.attr in ROUTE_DECORATORS:
            return True
    return False


def test_no_route_function_is_over_30_lines():
    long = {}
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and _is_route(node):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_ROUTE_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.name}"] = lines
    assert long == {}, "a route loads, checks, validates, calls one service and answers"
