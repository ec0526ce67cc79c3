"""The fast reader (python-calamine) and openpyxl give the same answers for every fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from tests.conftest import FRAMEWORKS, ROOT
from tests.test_workbook_problems import FIXTURES, STORES
from tests.workbooks import libreoffice_convert, make_return, soffice

STORE = FrameworkStore(FRAMEWORKS)
EXAMPLES = sorted((ROOT / "responses" / "examples").rglob("*.xlsx"))
# Refused before any reader runs, or by the reader itself for reasons engines word differently.
GATE_ONLY = {"file-not-found", "file-unreadable", "workbook-not-xlsx", "workbook-legacy-xls",
             "workbook-encrypted", "workbook-macro-enabled", "workbook-truncated",
             "workbook-zip-bomb", "workbook-xml-entities", "workbook-unreadable",
             "sheet-too-large"}


def _same(path: Path, store: FrameworkStore = STORE) -> None:
    fast = read_return(path, store, engine="calamine")
    slow = read_return(path, store, engine="openpyxl")
    assert fast.response == slow.response
    assert [str(p) for p in fast.report] == [str(p) for p in slow.report]


@pytest.mark.parametrize("code", sorted(set(FIXTURES) - GATE_ONLY))
def test_every_problem_fixture_reads_the_same(code: str, tmp_path: Path) -> None:
    build, _ = FIXTURES[code]
    store = FrameworkStore(tmp_path / STORES[code]) if code in STORES else STORE
    _same(build(tmp_path), store)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_example_reads_the_same(path: Path) -> None:
    _same(path)


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed; "
                    ".ci/run installs it")
def test_libreoffice_resaved_returns_read_the_same(tmp_path: Path) -> None:
    path = make_return(tmp_path, """
| theme | level         | evidence        | strengths | next_steps |
| 1.1.1 | 5 - Very good | =Formula-like   | Yes       | Keep on    |
| 2.1.2 | n/a           | Not for us.     |           |            |
""", """
| measure                       | baseline | current | notes |
| leavers-positive-destinations | 94.1     | 95,8    | x     |
""")
    _same(libreoffice_convert(path, tmp_path / "lo"))
    _same(libreoffice_convert(EXAMPLES[0], tmp_path / "lo2"))
