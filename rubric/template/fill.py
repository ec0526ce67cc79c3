"""Filling answers into a generated workbook, finding rows by id as the reader does.

Used to build the example returns and test fixtures, by migration, and by any tool that
prefills a return (e.g. last year's measures). Values are written as typed values; text always
as text. A theme text longer than a cell holds goes on over '(continued)' rows after the table,
which the reader joins back in order: nothing is ever cut.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from rubric._io import atomic_output
from rubric.xlsx import layout
from rubric.xlsx.cells import CELL_LIMIT, put_number, put_text, split_text

Answers = Mapping[str, Mapping[str, Any]]


def _table(sheet: Any, columns: tuple[layout.Column, ...]) -> tuple[int, dict[str, int]] | None:
    for row in sheet.iter_rows(min_row=1, max_row=layout.HEADER_SEARCH_ROWS):
        found = {}
        for cell in row:
            for column in columns:
                if cell.value is not None and layout.header_matches(cell.value, column):
                    found.setdefault(column.key, cell.column)
        if "id" in found and len(found) >= 3:
            return row[0].row, found
    return None


def fill_workbook(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    themes: Answers | None = None,
    measures: Answers | None = None,
    *,
    force: bool = False,
    before_save: Callable[[Any], None] | None = None,
) -> Path:
    """Copy ``source`` to ``target`` with answers written into the rows of their ids.

    ``themes``: id -> {"level", "evidence", "strengths", "next_steps"} (any subset; a level may
    be a number or any text). ``measures``: id -> {"baseline", "current", "notes"}.
    Raises ``KeyError`` for an id the workbook has no row for.
    """
    import openpyxl

    book = openpyxl.load_workbook(source)
    pending_themes = dict(themes or {})
    pending_measures = dict(measures or {})
    for sheet in book.worksheets:
        if sheet.title in layout.SUPPORT_SHEETS:
            continue
        is_measures = sheet.title == layout.MEASURES_SHEET
        table = _table(sheet, layout.MEASURE_COLUMNS if is_measures
                       else layout.ALL_THEME_COLUMNS)
        if table is None:
            continue
        header, columns = table
        pending = pending_measures if is_measures else pending_themes
        overflow: list[tuple[int, str, dict[str, list[str]]]] = []
        for row in range(header + 1, sheet.max_row + 1):
            row_id = sheet.cell(row, columns["id"]).value
            answer = pending.pop(str(row_id), None) if row_id is not None else None
            rest: dict[str, list[str]] = {}
            for key, value in (answer or {}).items():
                cell = sheet.cell(row, columns[key])
                if isinstance(value, int | float) and not isinstance(value, bool):
                    put_number(cell, value)
                elif isinstance(value, str) and len(value) > CELL_LIMIT and not is_measures:
                    first, *rest[key] = split_text(value)
                    put_text(cell, first)
                else:
                    put_text(cell, value)
            if rest:
                overflow.append((row, str(row_id), rest))
        _continue_texts(sheet, columns, overflow)
    if pending_themes or pending_measures:
        raise KeyError(f"no rows for: {sorted([*pending_themes, *pending_measures])}")
    if before_save is not None:
        before_save(book)
    with atomic_output(target, force=force) as temporary:
        book.save(temporary)
    return Path(target)


def _continue_texts(sheet: Any, columns: dict[str, int],
                    overflow: list[tuple[int, str, dict[str, list[str]]]]) -> None:
    """Rows ``<id> (continued)`` after the table, one per further piece, styled like the
    theme's own answer cells."""
    from copy import copy

    row = sheet.max_row
    for source, row_id, rest in overflow:
        for part in range(max(len(pieces) for pieces in rest.values())):
            row += 1
            put_text(sheet.cell(row, columns["id"]), row_id + layout.CONTINUED)
            if "title" in columns:
                put_text(sheet.cell(row, columns["title"]), layout.CONTINUED_NOTE)
            for key, pieces in rest.items():
                cell = sheet.cell(row, columns[key])
                put_text(cell, pieces[part] if part < len(pieces) else None)
                cell._style = copy(sheet.cell(source, columns[key])._style)
