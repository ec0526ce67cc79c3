"""Cells written by rubric: text stays text, and text too long for a cell is split, not cut."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rubric.xlsx.cells import CELL_LIMIT, put_text, split_text


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet="ab \n", max_size=3000), limit=st.integers(10, 500))
def test_split_text_keeps_everything_in_order(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert "".join(pieces) == text
    assert all(len(piece) <= limit for piece in pieces)


def test_put_text_never_writes_a_formula_and_refuses_to_cut(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    cell = put_text(book.active["A1"], "=cmd|' /C calc'!A0")
    assert cell.data_type == "s"
    book.save(tmp_path / "t.xlsx")
    again = openpyxl.load_workbook(tmp_path / "t.xlsx").active["A1"]
    assert again.value == "=cmd|' /C calc'!A0" and again.data_type == "s"
    with pytest.raises(ValueError):
        put_text(book.active["A2"], "x" * (CELL_LIMIT + 1))


def test_overlong_evidence_continues_over_rows_in_the_comparison(tmp_path: Path) -> None:
    from rubric.compare.quad import compare_returns
    from rubric.export.xlsx import write_comparison_xlsx
    from rubric.framework.store import FrameworkStore
    from rubric.read.returns import read_return
    from tests.conftest import FRAMEWORKS, ROOT

    store = FrameworkStore(FRAMEWORKS)
    examples = sorted((ROOT / "responses" / "examples").glob("*.xlsx"))
    results = [read_return(path, store) for path in examples[:2]]
    long_text = " ".join(f"Evidence sentence {n}." for n in range(4000))
    assert 2 * CELL_LIMIT < len(long_text) < 3 * CELL_LIMIT
    response = results[0].response
    answer = response.themes["1.1.1"].model_copy(update={"evidence": long_text})
    results[0].response = response.model_copy(
        update={"themes": {**response.themes, "1.1.1": answer}})
    comparison = compare_returns(results).comparison
    path = write_comparison_xlsx(comparison, tmp_path / "quad.xlsx")
    sheet = openpyxl.load_workbook(path)["Evidence"]
    rows = [row for row in sheet.iter_rows(min_row=5) if str(row[0].value).startswith("1.1.1")]
    # continued over as many rows as it takes for every word to print (a row is at most 409
    # points tall), each piece cut between words
    assert rows[0][0].value == "1.1.1" and len(rows) > 3
    assert {r[0].value for r in rows[1:]} == {"1.1.1 (continued)"}
    assert all((r[3].value or " ").endswith(" ") for r in rows[:-1])
    column = 3  # 0-based: ID, theme, then member 1 level (2) and evidence (3)
    assert "".join(r[column].value or "" for r in rows) == long_text
    assert max(len(r[column].value or "") for r in rows) <= CELL_LIMIT
