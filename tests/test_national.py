"""The national overview: medians and quartiles by indicator, nationally and per family group."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from rubric.compare.national import Spread, national_overview
from rubric.export.national import write_national_xlsx
from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from rubric.registry.quads import load_quads
from rubric.xlsx import layout
from tests.conftest import FRAMEWORKS, ROOT
from tests.workbooks import edit_workbook, make_return

STORE = FrameworkStore(FRAMEWORKS)
# Four real councils (two in family group 1, two in group 4), levels for theme 1.1.1 only.
COUNCILS = [("ABE", "Aberdeen City", 6), ("EDH", "City of Edinburgh", 4),
            ("DND", "Dundee City", 3), ("GLG", "Glasgow City", 1)]


def test_spread_quartiles_by_hand() -> None:
    spread = Spread.of([1.0, 3.0, 4.0, 6.0])
    # inclusive quartiles of 1, 3, 4, 6: Q1 = 2.5, median = 3.5, Q3 = 4.5
    assert (spread.q1, spread.median, spread.q3, spread.count) == (2.5, 3.5, 4.5, 4)
    assert Spread.of([]).median is None and Spread.of([2.0]).q3 == 2.0


@pytest.fixture(scope="module")
def overview(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("national")
    results = []
    for code, name, level in COUNCILS:
        path = make_return(tmp, f"| theme | level | evidence |\n| 1.1.1 | {level} | x |\n"
                                f"| 1.1.2 | {level} | y |", name=f"{code}.xlsx")

        def stamp(book, code=code, name=name) -> None:
            book[layout.PROVENANCE_SHEET]["B6"] = name
            book[layout.PROVENANCE_SHEET]["B7"] = code

        edit_workbook(path, stamp)
        results.append(read_return(path, STORE))
    return national_overview(results, load_quads(ROOT / "quads.yaml"))


def test_national_and_family_group_medians(overview) -> None:
    assert overview.report.valid
    result = overview.overview
    assert [row.code for row in result.rows] == ["ABE", "EDH", "DND", "GLG"]
    assert result.rows[0].quad == "FG1 Quad A" and result.rows[0].family_group == 1
    assert result.national["1.1"].median == 3.5
    assert result.by_family_group[1]["1.1"].median == 5.0
    assert result.by_family_group[4]["1.1"].median == 2.0
    assert result.by_family_group[2]["1.1"].count == 0
    assert len(result.missing) == 28


def test_national_workbook(overview, tmp_path: Path) -> None:
    path = write_national_xlsx(overview.overview, tmp_path / "national.xlsx")
    sheet = openpyxl.load_workbook(path)["National overview"]
    rows = {row[0].value: [c.value for c in row] for row in sheet.iter_rows(min_row=5)}
    assert rows["Aberdeen City"][:4] == ["Aberdeen City", "ABE", 1, "FG1 Quad A"]
    assert rows["National median"][6] == 3.5
    assert rows["Family group 4 median"][6] == 2.0
