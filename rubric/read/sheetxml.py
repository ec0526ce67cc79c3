"""Sheet XML as a spreadsheet reader sees it: how far its cells reach, and which hold formulas.

Readers place a cell by its ``r`` reference, in any valid attribute quoting, spacing and letter
case, and place cells and rows without one by their position after the previous one; they then
allocate a dense grid up to the furthest cell. The safety gate has to compute the same extent
before any native reader runs, or one crafted cell costs gigabytes (a Rust allocation failure
ends the process). The values a reader returns also hide two things an authority needs to hear
about: a formula in an answer cell, and an error value such as ``#NAME?`` (what Excel shows
after someone types ``=...`` without an apostrophe). Both are found here, from the XML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_NAME = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix
_ATTRIBUTES = rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)"  # quoted values may hold '>' and quotes
# Every start or end tag of a row or a cell.
_TAG = re.compile(rb"<(/?)" + _NAME + rb"(row|c)(?=[\s/>])" + _ATTRIBUTES + rb">")
_R_ATTRIBUTE = re.compile(rb"(?:^|\s)r\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REF = re.compile(rb"\s*([A-Za-z]{1,10})(\d{1,10})\s*")
_ROW_NUMBER = re.compile(rb"\s*(\d{1,10})\s*")
_DIMENSION = re.compile(rb"<" + _NAME + rb"dimension(?=[\s/>])" + _ATTRIBUTES + rb">")
_REF_ATTRIBUTE = re.compile(rb"(?:^|\s)ref\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_RANGE_END = re.compile(rb"\s*[A-Za-z]{1,10}\d{1,10}\s*:\s*([A-Za-z]{1,10})(\d{1,10})\s*")
_SPACE = b" \t\r\n"


def column_number(letters: bytes) -> int:
    """``A`` -> 1, ``xfd`` -> 16384 (any case)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + (letter - 64)
    return number


@dataclass(frozen=True, slots=True)
class Extent:
    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * max(self.columns, 1)


def _attribute(pattern: re.Pattern[bytes], attributes: bytes) -> bytes | None:
    match = pattern.search(attributes)
    if match is None:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2)


def _dimension(data: bytes) -> Extent:
    """What the ``<dimension>`` element claims (openpyxl sizes its sheet by it)."""
    end = data.find(b"sheetData")
    match = _DIMENSION.search(data, 0, len(data) if end < 0 else end)
    if match is None:
        return Extent(0, 0)
    ref = _attribute(_REF_ATTRIBUTE, match.group(1))
    found = _RANGE_END.fullmatch(ref) if ref is not None else None
    if found is None:
        return Extent(0, 0)
    return Extent(int(found.group(2)), column_number(found.group(1)))


# Canonical files (Excel, LibreOffice, openpyxl) write every row and cell as <row r="... or
# <c r="..., unprefixed. One pass over a sheet finds what breaks that (a row or cell start tag
# without r="..." right after its name, or a prefixed one), the formula elements (every
# unprefixed formula starts <f followed by a space, '/' or '>', which is all the formula reader
# looks for) and, for canonical sheets, every far-looking reference (two or more letters, or
# five or more digits; a reader places a tag by its first r). Every alternative starts with a
# literal '<' and cells and rows share their branch, which keeps the scan close to a plain
# search.
_SCAN = re.compile(
    rb"<(?:c(?: r=\"(?:(?P<letters>[A-Za-z]{2,10})(?P<digits>\d{1,10})"
    rb"|(?P<letter>[A-Za-z])(?P<far_digits>\d{5,10}))\"|(?P<odd>(?! r=\")[\s/>]))"
    rb"|row(?: r=\"(?P<row>\d{5,10})\"|(?P<odd_row>(?! r=\")[\s/>]))"
    rb"|(?P<formula>f[\s/>])"
    rb"|(?P<prefixed>[A-Za-z_][\w.-]*+:(?:c|row|f)[\s/>]))")


@dataclass(frozen=True, slots=True)
class _Survey:
    canonical: bool  # every row and cell is written <row r="... / <c r="..., none prefixed
    formulas: bool  # some formula element, or maybe an error value (t="e")
    extent: Extent  # how far its far-looking references reach (canonical sheets only)


def _survey(data: bytes) -> _Survey:
    """One scan of the whole sheet (then, without formulas, a search for an error value)."""
    rows = columns = 0
    formulas = False
    for match in _SCAN.finditer(data):
        kind = match.lastgroup
        if kind == "formula":
            formulas = True
        elif kind == "digits":
            columns = max(columns, column_number(match.group("letters")))
            rows = max(rows, int(match.group("digits")))
        elif kind == "far_digits":
            columns = max(columns, column_number(match.group("letter")))
            rows = max(rows, int(match.group("far_digits")))
        elif kind == "row":
            rows = max(rows, int(match.group("row")))
        else:  # odd or prefixed: the sheet is walked tag by tag
            return _Survey(canonical=False, formulas=True, extent=Extent(0, 0))
    if not formulas:  # an error value is all to look for
        formulas = b'"e"' in data or b"'e'" in data
    return _Survey(canonical=True, formulas=formulas, extent=Extent(rows, columns))


class _Placer:
    """Places rows and cells as a reader does: by reference, else one after the previous."""

    __slots__ = ("column", "row")

    def __init__(self) -> None:
        self.row = self.column = 0

    def place(self, name: bytes, attributes: bytes) -> bool:
        """Advance past one start tag; True when it is a cell."""
        ref = _attribute(_R_ATTRIBUTE, attributes)
        if name == b"row":
            found = _ROW_NUMBER.fullmatch(ref) if ref is not None else None
            self.row = int(found.group(1)) if found else self.row + 1
            self.column = 0
            return False
        found = _REF.fullmatch(ref) if ref is not None else None
        if found:
            self.column, self.row = column_number(found.group(1)), int(found.group(2))
        else:
            self.column += 1
        self.row = max(self.row, 1)
        return True


def _walked_extent(data: bytes, max_rows: int, max_cells: int) -> Extent:
    """Every row and cell placed as a reader places it; stops once past the limits."""
    placer = _Placer()
    rows = columns = 0
    for match in _TAG.finditer(data):
        if match.group(1):  # an end tag
            continue
        if placer.place(match.group(2), match.group(3)):
            columns = max(columns, placer.column)
        rows = max(rows, placer.row)
        if rows > max_rows or rows * max(columns, 1) > max_cells:
            break
    return Extent(rows, columns)


@dataclass(frozen=True, slots=True)
class SheetScan:
    extent: Extent  # the furthest row and column a reader would allocate for (or declared)
    may_have_marks: bool  # formulas or error values may be there: find them if it is read
    count: int  # the largest declared number of entries (see :func:`declared_count`)


def scan_sheet(data: bytes, max_rows: int, max_cells: int) -> SheetScan:
    """How far a sheet reaches, as a reader places its cells, whether it holds formulas, and
    the largest number of entries it declares.

    Canonical sheets take one cheap scan for far references; any other writing of rows and
    cells (other quoting or spacing, prefixes, missing references) is walked tag by tag.
    """
    survey = _survey(data)
    declared = _dimension(data)
    if survey.canonical:
        used = survey.extent
        # Inside <sheetData> a canonical sheet holds only rows and cells, whose attributes no
        # reader sizes anything by: the declared counts are looked for around it.
        start, end = data.find(b"<sheetData"), data.rfind(b"</sheetData>")
        count = (max(declared_count(data, 0, start), declared_count(data, end, len(data)))
                 if 0 <= start < end else declared_count(data))
    else:
        used = _walked_extent(data, max_rows, max_cells)
        count = declared_count(data)
    extent = Extent(max(declared.rows, used.rows), max(declared.columns, used.columns, 1))
    return SheetScan(extent, survey.formulas, count)


# A declared number of entries (shared strings, styles, ...): readers reserve memory for it.
# (Attribute names are case-sensitive: readers ignore a "COUNT". The pattern starts with a
# literal so the scan is fast; the letter before it is checked in Python.)
_DECLARED_COUNT = re.compile(rb"ount\s*=\s*[\"']\s*\+?(\d+)")


def declared_count(data: bytes, start: int = 0, end: int | None = None) -> int:
    """The largest ``count`` / ``uniqueCount`` attribute in a part, or in ``data[start:end]``
    (0 when none)."""
    largest = 0
    for match in _DECLARED_COUNT.finditer(data, start, len(data) if end is None else end):
        before = data[max(0, match.start() - 7):match.start()]
        named = before.endswith(b"uniqueC") or (before.endswith(b"c") and
                                                 before[-2:-1] in b" \t\r\n:")
        if not named:
            continue
        digits = match.group(1).lstrip(b"0") or b"0"
        largest = max(largest, int(digits) if len(digits) <= 18 else 10**18)
    return largest


# --- formulas and error values -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CellMark:
    """A cell whose value, as a reader gives it, is not what someone typed."""

    kind: Literal["formula", "error"]
    text: str  # the formula (without '=') or the error value, e.g. "#NAME?"


_END_OF_CELL = re.compile(rb"</" + _NAME + rb"c\s*>")
_T_ERROR = re.compile(rb"(?:^|\s)t\s*=\s*(?:\"\s*e\s*\"|'\s*e\s*')")
_FORMULA = re.compile(rb"<" + _NAME + rb"f(?=[\s/>])" + _ATTRIBUTES
                      + rb">(?:(.*?)</" + _NAME + rb"f\s*>)?", re.S)
_VALUE = re.compile(rb"<" + _NAME + rb"v(?=[\s>])[^>]*>(.*?)</" + _NAME + rb"v\s*>", re.S)
_ENTITIES = {b"&lt;": b"<", b"&gt;": b">", b"&quot;": b'"', b"&apos;": b"'", b"&amp;": b"&"}
_ENTITY = re.compile(rb"&(?:lt|gt|quot|apos|amp);")
MAX_MARK_TEXT = 200


def _unescape(raw: bytes) -> str:
    text = _ENTITY.sub(lambda m: _ENTITIES[m.group(0)], raw).decode("utf-8", "replace")
    return text if len(text) <= MAX_MARK_TEXT else text[:MAX_MARK_TEXT - 3] + "..."


def cell_marks(data: bytes) -> dict[tuple[int, int], CellMark]:
    """(0-based row, column) -> mark, for every formula or error-value cell of a sheet."""
    marks: dict[tuple[int, int], CellMark] = {}
    placer = _Placer()
    for match in _TAG.finditer(data):
        if match.group(1) or not placer.place(match.group(2), match.group(3)):
            continue
        attributes = match.group(3)
        if attributes.rstrip().endswith(b"/"):
            continue  # an empty cell
        end = _END_OF_CELL.search(data, match.end())
        body = data[match.end():end.start() if end else len(data)]
        where = (placer.row - 1, placer.column - 1)
        if _T_ERROR.search(attributes):
            value = _VALUE.search(body)
            marks[where] = CellMark("error", _unescape(value.group(1)).strip() if value
                                    else "#VALUE!")
            continue
        formula = _FORMULA.search(body)
        if formula is not None:
            text = b"" if formula.group(1).rstrip().endswith(b"/") else formula.group(2) or b""
            marks[where] = CellMark("formula", _unescape(text))
    return marks
