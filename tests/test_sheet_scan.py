"""The gate's one-pass scan of a canonical sheet agrees with placing every tag as a reader does.

The scan looks only at far-looking references (two or more letters, or five or more digits);
whatever else a sheet holds, it must reach the same extent wherever that extent could matter,
and send every other writing of rows and cells to the tag-by-tag walk.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rubric.read.sheetxml import _survey, _walked_extent, column_number, scan_sheet

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def letters(number: int) -> str:
    text = ""
    while number:
        number, rest = divmod(number - 1, 26)
        text = LETTERS[rest] + text
    return text


columns = st.one_of(st.integers(1, 30), st.integers(1, 16384))
rows = st.one_of(st.integers(1, 200), st.integers(1, 1_048_576))
cell = st.tuples(columns, rows, st.booleans())  # column, row, whether it holds a formula
sheet_rows = st.lists(st.tuples(rows, st.lists(cell, max_size=4)), max_size=6)


def canonical_sheet(table: list[tuple[int, list[tuple[int, int, bool]]]]) -> bytes:
    body = []
    for row, cells in table:
        parts = []
        for column, cell_row, formula in cells:
            ref = f"{letters(column)}{cell_row}"
            inside = "<f>SUM(A1:A2)</f><v>3</v>" if formula else "<v>1</v>"
            parts.append(f'<c r="{ref}" s="1">{inside}</c>')
        body.append(f'<row r="{row}" spans="1:4">{"".join(parts)}</row>')
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="x"><sheetData>'
            + "".join(body) + '</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/>'
            '</mergeCells></worksheet>').encode()


@settings(max_examples=300, deadline=None)
@given(sheet_rows)
def test_the_scan_reaches_as_far_as_the_walk_wherever_it_matters(table) -> None:
    data = canonical_sheet(table)
    survey = _survey(data)
    walked = _walked_extent(data, 10**9, 10**18)
    assert survey.canonical
    if walked.rows >= 10_000:
        assert survey.extent.rows == walked.rows
    if walked.columns >= 27:
        assert survey.extent.columns == walked.columns
    assert survey.extent.rows <= walked.rows and survey.extent.columns <= walked.columns
    has_formula = any(formula for _, cells in table for *_, formula in cells)
    assert survey.formulas == has_formula
    assert scan_sheet(data, 50_000, 5_000_000).count == 1


@given(sheet_rows, st.sampled_from(['<c s="1">', "<c>", "<c/>", '<c  r="A1">', "<row>",
                                    '<row spans="1:2" r="3">', '<x:c r="A1">', "<x:f>"]))
def test_any_other_writing_of_rows_and_cells_is_walked(table, odd: str) -> None:
    data = canonical_sheet(table).replace(b"</sheetData>", odd.encode() + b"</sheetData>")
    survey = _survey(data)
    assert not survey.canonical and survey.formulas


def test_a_far_cell_is_found_by_its_first_reference() -> None:
    data = canonical_sheet([(1, [(1, 1, False)])]).replace(
        b'<c r="A1"', b'<c r="XFD1048576"')
    scan = scan_sheet(data, 50_000, 5_000_000)
    assert (scan.extent.rows, scan.extent.columns) == (1_048_576, column_number(b"XFD"))


def test_counts_inside_sheet_data_of_a_canonical_sheet_are_not_sizes() -> None:
    data = canonical_sheet([(1, [(1, 1, False)])])
    inside = data.replace(b'<c r="A1" s="1"', b'<c r="A1" s="1" count="999999999"')
    assert scan_sheet(inside, 50_000, 5_000_000).count == 1
    outside = data.replace(b'count="1"', b'count="999999999"')
    assert scan_sheet(outside, 50_000, 5_000_000).count == 999_999_999
    odd = outside.replace(b'<c r="A1"', b'<c s="1" r="A1"')
    assert scan_sheet(odd, 50_000, 5_000_000).count == 999_999_999
