"""Test modules stand alone: shared builders live in helper modules, never in other tests."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_no_test_module_imports_another() -> None:
    for path in [*TESTS.glob("*.py"), *TESTS.glob("*/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom) else
                     [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            if isinstance(node, ast.ImportFrom) and node.module == "tests":
                names = [f"tests.{a.name}" for a in node.names]
            for name in names:
                last = name.rsplit(".", 1)[-1]
                assert not (name.startswith("tests") and last.startswith("test_")), \
                    f"{path.relative_to(TESTS)} imports {name}"
