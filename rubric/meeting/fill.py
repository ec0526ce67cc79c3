"""Filling a meeting record's answer cells in code, finding rows by code and id as the reader does.

For tools that prefill a record, the demo (the Quad's answers typed in code) and test fixtures.
Values are written as typed: text as text, numbers as numbers, dates as dates.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rubric._io import atomic_output
from rubric.meeting import layout
from rubric.xlsx.cells import put_number, put_text
from rubric.xlsx.layout import Column, header_matches

Answers = Mapping[tuple[str, str], Mapping[str, Any]]


def _table(sheet: Any, columns: tuple[Column, ...]) -> tuple[int, dict[str, int]] | None:
    for row in sheet.iter_rows(min_row=1, max_row=40):
        found: dict[str, int] = {}
        for cell in row:
            for column in columns:
                if cell.value is not None and header_matches(cell.value, column):
                    found.setdefault(column.key, cell.column)
        if "code" in found and len(found) >= 5:
            return row[0].row, found
    return None


def _put(cell: Any, value: Any) -> None:
    if isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "dd/mm/yyyy"
    elif isinstance(value, int | float) and not isinstance(value, bool):
        put_number(cell, value)
    else:
        put_text(cell, value)


def fill_record(source: str | os.PathLike[str], target: str | os.PathLike[str],
                evaluation: Answers | None = None, actions: Answers | None = None, *,
                force: bool = False) -> Path:
    """Copy ``source`` to ``target`` with answers in the rows of their (code, id).

    ``evaluation``: (member code, indicator id) -> {"view", "level", "rationale"};
    ``actions``: (member code, action id) -> {"action", "links", "owner", "due", "success",
    "status"}. Raises ``KeyError`` for a key the record has no row for.
    """
    import openpyxl

    book = openpyxl.load_workbook(source)
    wanted = {layout.EVALUATION_SHEET: (layout.EVALUATION_COLUMNS, "id", dict(evaluation or {})),
              layout.ACTIONS_SHEET: (layout.ACTION_COLUMNS, "action_id", dict(actions or {}))}
    for name, (columns, id_key, pending) in wanted.items():
        table = _table(book[name], columns) if name in book.sheetnames else None
        if table is None:
            continue
        header, found = table
        sheet = book[name]
        for row in range(header + 1, sheet.max_row + 1):
            key = (str(sheet.cell(row, found["code"]).value),
                   str(sheet.cell(row, found[id_key]).value))
            for field, value in (pending.pop(key, None) or {}).items():
                _put(sheet.cell(row, found[field]), value)
    left = [key for _, _, pending in wanted.values() for key in pending]
    if left:
        raise KeyError(f"no rows for: {sorted(left)}")
    with atomic_output(target, force=force) as temporary:
        book.save(temporary)
    return Path(target)
