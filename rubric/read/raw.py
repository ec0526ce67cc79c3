"""Reading a workbook's cells into plain grids: the one module that knows the xlsx reader.

python-calamine (Rust) reads a return ~8x faster than openpyxl and imports in ~1 ms; openpyxl
read-only is kept as a second engine so tests can prove both give the same grids. Callers get
:class:`RawWorkbook`, so the reader can be swapped here without touching validation.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from rubric.problems import Location, Problem, problem
from rubric.read.safety import DEFAULT_LIMITS, MAX_ROWS, Inspection, ZipLimits, inspect_workbook
from rubric.read.sheetxml import CellMark, cell_marks

Engine = Literal["calamine", "openpyxl"]
Visibility = Literal["visible", "hidden", "veryhidden"]


Marks = dict[tuple[int, int], CellMark]


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    visibility: Visibility
    rows: list[list[Any]]  # from A1: rows[r][c] is cell (r + 1, c + 1); "" when empty
    # (row, column) -> a formula or an error value there; an error value's cell reads as ""
    marks: Marks = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RawWorkbook:
    path: Path
    sheets: tuple[Sheet, ...]

    def sheet(self, name: str) -> Sheet | None:
        wanted = name.casefold()
        return next((s for s in self.sheets if s.name.casefold() == wanted), None)


def _plain(value: Any) -> Any:
    """Normalise a cell value across engines: None -> "", whole floats stay floats."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return value


_PLAIN_TYPES = frozenset({str, float})


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing empty cells and rows, so both engines agree on a sheet's extent."""
    trimmed = []
    for row in rows:
        cells = row if set(map(type, row)) <= _PLAIN_TYPES else [_plain(v) for v in row]
        end = len(cells)
        while end and cells[end - 1] == "":
            end -= 1
        trimmed.append(cells[:end] if end != len(cells) else cells)
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed


def _read_calamine(data: bytes, skip: frozenset[str]) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for meta in book.sheets_metadata:
        if "WorkSheet" not in str(meta.typ) or meta.name in skip:
            continue
        visible = str(meta.visible).rsplit(".", 1)[-1].lower()
        data = book.get_sheet_by_name(meta.name)
        if data.height > MAX_ROWS:
            raise _TooManyRows(meta.name, data.height)
        rows = data.to_python(skip_empty_area=False)
        sheets.append(Sheet(meta.name, visible, _trim(rows)))  # type: ignore[arg-type]
    book.close()
    return sheets


def _read_openpyxl(data: bytes, skip: frozenset[str]) -> list[Sheet]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = []
        for sheet in book.worksheets:
            if sheet.title in skip:
                continue
            if (sheet.max_row or 0) > MAX_ROWS:
                raise _TooManyRows(sheet.title, sheet.max_row)
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
            state = sheet.sheet_state.lower()
            sheets.append(Sheet(sheet.title, state, _trim(rows)))  # type: ignore[arg-type]
        return sheets
    finally:
        book.close()


class _TooManyRows(Exception):
    def __init__(self, sheet: str, rows: int) -> None:
        super().__init__(sheet, rows)
        self.sheet, self.rows = sheet, rows


_SHEET_PARTS: dict[tuple[bytes, bytes], dict[str, str]] = {}


def _sheet_parts(inspection: Inspection) -> dict[str, str]:
    """Sheet name -> its part, from the workbook and its relationships (only when needed).

    Returns made from one template share these two parts byte for byte (and every template
    has formulas on its progress sheet), so the answer is kept by their bytes."""
    key = (inspection.parts.get("xl/workbook.xml", b""),
           inspection.parts.get("xl/_rels/workbook.xml.rels", b""))
    found = _SHEET_PARTS.get(key)
    if found is None:
        found = _parse_sheet_parts(*key)
        if len(key[0]) + len(key[1]) <= 1 << 20:  # never hold on to a huge crafted part
            if len(_SHEET_PARTS) >= 16:
                _SHEET_PARTS.clear()
            _SHEET_PARTS[key] = found
    return found


def _parse_sheet_parts(workbook: bytes, relationships: bytes) -> dict[str, str]:
    import xml.etree.ElementTree as ET

    try:
        book = ET.fromstring(workbook)
        rels = ET.fromstring(relationships)
    except ET.ParseError:
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target") or ""
        part = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = part
    found = {}
    for element in book.iter():
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rel_id = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"
                       and k != "sheetId"), None)
        if element.get("name") and rel_id in targets:
            found[element.get("name")] = targets[rel_id]
    return found


def _with_marks(sheets: list[Sheet], inspection: Inspection) -> list[Sheet]:
    """Attach each sheet's formula and error-value cells; error cells read as "" in both
    engines (calamine gives "", openpyxl the error's text)."""
    if not inspection.marked_sheets:
        return sheets
    parts = _sheet_parts(inspection)
    marked = []
    for sheet in sheets:
        data = inspection.marked_sheets.get(parts.get(sheet.name, ""))
        marks = cell_marks(data) if data is not None else {}
        if not marks:
            marked.append(sheet)
            continue
        rows = sheet.rows
        for (r, c), mark in marks.items():
            if mark.kind == "error" and r < len(rows) and c < len(rows[r]):
                rows[r][c] = ""
        marked.append(Sheet(sheet.name, sheet.visibility, _trim(rows), marks))
    return marked


def read_workbook(
    path: str | Path, *, engine: Engine = "calamine", limits: ZipLimits = DEFAULT_LIMITS,
    skip: frozenset[str] = frozenset(),
) -> tuple[RawWorkbook | None, list[Problem]]:
    """Check ``path`` is safe, then read every worksheet's values (but those named in ``skip``);
    never raises on bad input. The reader parses the very bytes the gate checked."""
    path = Path(path)
    inspection = inspect_workbook(path, limits)
    if inspection.problems:
        return None, inspection.problems
    reader = _read_calamine if engine == "calamine" else _read_openpyxl
    try:
        sheets = _with_marks(reader(inspection.unpacked(), skip), inspection)
    except _TooManyRows as exc:
        return None, [problem("sheet-too-large", Location(str(path), sheet=exc.sheet),
                              part=exc.sheet, rows=exc.rows, limit=MAX_ROWS)]
    except Exception as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, [problem("workbook-unreadable", Location(str(path)), reason=reason[:200])]
    return RawWorkbook(path, tuple(sheets)), []
