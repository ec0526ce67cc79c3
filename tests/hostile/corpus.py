"""Hostile and broken inputs, built in code, each with the outcome rubric must give for it.

Returns arrive by email from many hands and framework files are edited by people, so rubric has
to survive anything: files that are not workbooks, damaged or malicious zips, XML attacks,
tampered provenance and tables, impossible levels, formula-looking text, and YAML that abuses
tags, aliases and nesting. Each case is a builder ``(tmp_path) -> Path`` with a short id and an
expected outcome: the problem codes (any one of them) a refusal must carry, or ``valid`` /
``valid-with-warnings`` for inputs that must be accepted (and, for formula-looking text, kept as
text). Nothing here is a committed binary; every case is small and quick to build (the huge
ones are zip tricks, not huge data).
"""

from __future__ import annotations

import functools
import io
import os
import random
import re
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rubric.problems import CATALOGUE
from rubric.read.safety import MAX_ENTRIES, MAX_ROWS
from rubric.xlsx import layout
from tests.conftest import DEMO, ROOT
from tests.conftest import FRAMEWORKS as FRAMEWORK_DIR
from tests.workbooks import edit_workbook, make_return, rewrite_zip

Builder = Callable[[Path], Path]
Outcome = Literal["valid", "valid-with-warnings"]
VALID: Outcome = "valid"
VALID_WITH_WARNINGS: Outcome = "valid-with-warnings"
EXCEL_CELL_LIMIT = 32_767

EXAMPLES = ROOT / "responses" / "examples"
OUTCOMES_PART = "xl/worksheets/sheet3.xml"  # "1 Outcomes" in a demo return
MEASURES_PART = "xl/worksheets/sheet5.xml"  # "Measures" in a demo return
SHARED_STRINGS_PART = "xl/sharedStrings.xml"
STYLES_PART = "xl/styles.xml"
PROVENANCE_PART = "xl/worksheets/sheet7.xml"  # "_rubric" in a demo return
WORKBOOK_PART = "xl/workbook.xml"
CONTENT_TYPES_PART = "[Content_Types].xml"


@dataclass(frozen=True, slots=True)
class Case:
    """One hostile input and what rubric must do with it."""

    id: str
    build: Builder
    expect: frozenset[str] | Outcome
    framework: str | None = "demo"  # the framework a return was made from (its compare partner)
    store: bool = False  # the builder writes a framework store at tmp_path / "store"
    payload: str | None = None  # text that must reach the comparison exactly as written
    formula: bool = False  # formula-looking or markup content: outputs must hold it inertly
    markup: str | None = None  # text the HTML report shows, and must show only escaped
    long_text: bool = False  # text above Excel's cell limit that must survive whole

    @property
    def refused(self) -> bool:
        return not isinstance(self.expect, str)

    @property
    def codes(self) -> frozenset[str]:
        return self.expect if isinstance(self.expect, frozenset) else frozenset()


def _codes(*codes: str) -> frozenset[str]:
    unknown = [code for code in codes if code not in CATALOGUE]
    assert not unknown, f"not in rubric.problems.CATALOGUE: {unknown}"
    return frozenset(codes)


# --- base returns ------------------------------------------------------------------------------

_ANSWERS = {
    "A": """
| theme | level          | evidence                                                   | strengths         | next_steps           |
| 1.1.1 | 5              | Attainment rose for three years in our tracking and SQA data. | Shared data.   | Extend the tracking. |
| 1.1.2 | 4              | The gap narrowed in literacy but not numeracy (equity review). | Targeted help. | Focus on numeracy.   |
| 2.1.1 | 3              | Staff surveys show only partial awareness of the vision.   | Clear wording.    | Revisit with parents. |
| 2.1.2 | Not applicable | Planning sits with the council's central team, not with us. |                  |                      |
""",  # noqa: E501
    "B": """
| theme | level | evidence                                                      | strengths     | next_steps       |
| 1.1.1 | 2     | Attainment has been flat and we cannot yet explain why.       | Honest data.  | Find the causes. |
| 1.1.2 | 3     | Some narrowing of the gap in P4 literacy, not in numeracy.    | Early signs.  | Wider support.   |
| 2.1.1 | 6     | Partners describe the vision in their own words (focus groups). | Ownership.  | Keep it going.   |
| 2.1.2 | 4     | Plans set three clear priorities that staff can name.         | Focus.        | Check impact.    |
""",  # noqa: E501
}
_MEASURES = {
    "A": """
| id                            | baseline | current | notes                   |
| leavers-positive-destinations | 92.5     | 94.1    | From the annual survey. |
""",
    "B": """
| id                            | baseline | current | notes            |
| leavers-positive-destinations | 95.0     | 93.2    | A dip this year. |
""",
}
_AUTHORITIES = {"A": ("Example Authority A", "EXA"), "B": ("Example Authority B", "EXB")}


def _text_cell(cell: Any, text: str) -> None:
    """A string cell holding ``text`` as typed: no formula and no cleaning.

    openpyxl silently cuts text at 32,767 characters when it saves; over-long cells are written
    into the sheet XML directly instead (see ``evidence-over-cell-limit``).
    """
    cell.value = text
    cell.data_type = "s"


def _set_provenance(book: Any, key: str, value: str) -> None:
    sheet = book[layout.PROVENANCE_SHEET]
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row, 1).value == key:
            _text_cell(sheet.cell(row, 2), value)
            return
    raise KeyError(key)


@functools.cache
def demo_return_bytes(which: str = "A") -> bytes:
    """A complete, valid demo return (no warnings) from authority A or B, built once."""
    with tempfile.TemporaryDirectory() as tmp:
        path = make_return(Path(tmp), _ANSWERS[which], _MEASURES[which])
        name, code = _AUTHORITIES[which]

        def stamp(book: Any) -> None:
            _set_provenance(book, "authority", name)
            _set_provenance(book, "authority_code", code)

        return edit_workbook(path, stamp).read_bytes()


def partner_return(directory: Path, framework: str | None) -> Path:
    """A valid return of the same framework from another authority, to compare a case with."""
    directory.mkdir(parents=True, exist_ok=True)
    if framework == "hgioea":
        return Path(shutil.copy(EXAMPLES / "example-authority-b.xlsx",
                                directory / "partner-hgioea.xlsx"))
    path = directory / "partner-demo.xlsx"
    path.write_bytes(demo_return_bytes("B"))
    return path


def _demo(tmp: Path) -> Path:
    path = tmp / "return.xlsx"
    path.write_bytes(demo_return_bytes("A"))
    return path


def _hgioea(tmp: Path) -> Path:
    return Path(shutil.copy(EXAMPLES / "example-authority-a.xlsx", tmp / "return.xlsx"))


_BASES: dict[str, Builder] = {"demo": _demo, "hgioea": _hgioea}


# --- builder factories -------------------------------------------------------------------------

def _raw(data: bytes, name: str = "return.xlsx") -> Builder:
    def build(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path
    return build


def _edit(change: Callable[[Any], None], base: str = "demo") -> Builder:
    """Tamper through openpyxl, as a person editing the workbook in a spreadsheet would."""
    def build(tmp: Path) -> Path:
        return edit_workbook(_BASES[base](tmp), change)
    return build


def _parts(change: Callable[[dict[str, bytes]], None], base: str = "demo") -> Builder:
    """Tamper with the zip's parts directly, as a program (or an attacker) would."""
    def build(tmp: Path) -> Path:
        return rewrite_zip(_BASES[base](tmp), change)
    return build


def _bytes(change: Callable[[bytes], bytes], base: str = "demo") -> Builder:
    """Tamper with the file's bytes (truncation, patched zip headers)."""
    def build(tmp: Path) -> Path:
        path = _BASES[base](tmp)
        path.write_bytes(change(path.read_bytes()))
        return path
    return build


def _theme_cell(book: Any, theme_id: str, key: str) -> Any:
    column = [c.key for c in layout.THEME_COLUMNS].index(key) + 1
    for sheet in book.worksheets:
        if sheet.title in layout.SUPPORT_SHEETS:
            continue
        for row in range(layout.HEADER_ROW + 1, sheet.max_row + 1):
            if sheet.cell(row, 1).value == theme_id:
                return sheet.cell(row, column)
    raise KeyError(theme_id)


def _answer(theme_id: str, key: str, value: Any, base: str = "demo") -> Builder:
    """Write one answer cell: text as a text cell (so '=...' stays text), numbers as numbers."""
    def change(book: Any) -> None:
        cell = _theme_cell(book, theme_id, key)
        if isinstance(value, str):
            _text_cell(cell, value)
        else:
            cell.value = value
    return _edit(change, base)


def _provenance(key: str, value: str, base: str = "demo") -> Builder:
    return _edit(lambda book: _set_provenance(book, key, value), base)


def _in_part(part: str, change: Callable[[bytes], bytes]) -> Builder:
    def edit(parts: dict[str, bytes]) -> None:
        parts[part] = change(parts[part])
    return _parts(edit)


def _dimension_element(new: bytes) -> Callable[[bytes], bytes]:
    """Replace the sheet's ``<dimension .../>`` element, however the writer spaced it."""
    def change(data: bytes) -> bytes:
        edited, count = re.subn(rb"<dimension\b[^>]*/>", new, data, count=1)
        assert count == 1, "fixture edit does not apply: no <dimension/> element"
        return edited
    return change


def _sub(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        assert old in data, f"fixture edit does not apply: {old!r}"
        return data.replace(old, new, 1)
    return change


def _replace_cell(ref: str, xml: bytes) -> Callable[[bytes], bytes]:
    """Swap the ``<c r="ref">`` element of a sheet for raw XML."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"(?:[^>]*?/>|[^>]*>.*?</c>)', re.S)

    def change(data: bytes) -> bytes:
        assert pattern.search(data), f"no cell {ref} in the sheet"
        return pattern.sub(lambda _: xml, data, count=1)
    return change


def _evidence_xml(text: bytes) -> Callable[[bytes], bytes]:
    """The evidence of theme 1.1.1 (cell F6 of '1 Outcomes') as raw inline-string XML."""
    return _replace_cell("F6", b'<c r="F6" t="inlineStr"><is><t>' + text + b"</t></is></c>")


# --- zip tricks --------------------------------------------------------------------------------

def _zip(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _central_header(data: bytes, part: str) -> int:
    """Offset of ``part``'s central-directory header (46 fixed bytes, then the name)."""
    name_at = data.find(part.encode(), data.find(b"PK\x01\x02"))
    header = name_at - 46
    assert data[header: header + 4] == b"PK\x01\x02", part
    return header


def _patch_central(part: str, offset: int, value: int, size: int = 4) -> Callable[[bytes], bytes]:
    """Overwrite a little-endian field of ``part``'s central-directory header."""
    def change(data: bytes) -> bytes:
        patched = bytearray(data)
        at = _central_header(data, part) + offset
        patched[at: at + size] = value.to_bytes(size, "little")
        return bytes(patched)
    return change


def _compression_method(part: str, method: int) -> Callable[[bytes], bytes]:
    """Claim an unknown compression method for ``part`` in both its headers."""
    def change(data: bytes) -> bytes:
        patched = bytearray(_patch_central(part, 10, method, 2)(data))
        local = data.rfind(b"PK\x03\x04", 0, data.find(part.encode()))
        patched[local + 8: local + 10] = method.to_bytes(2, "little")
        return bytes(patched)
    return change


def _encrypted_flag(part: str) -> Callable[[bytes], bytes]:
    """Set the 'encrypted' bit (traditional PKWARE encryption) on ``part`` in both headers."""
    def change(data: bytes) -> bytes:
        patched = bytearray(data)
        patched[_central_header(data, part) + 8] |= 1
        local = data.rfind(b"PK\x03\x04", 0, data.find(part.encode()))
        patched[local + 6] |= 1
        return bytes(patched)
    return change


def _duplicate_entry(part: str, data: bytes) -> Builder:
    """A second zip entry with the same name as ``part`` (zipfile warns, but writes it)."""
    def build(tmp: Path) -> Path:
        path = _demo(tmp)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            with zipfile.ZipFile(path, "a") as archive:
                archive.writestr(part, data)
        return path
    return build


def _truncate(keep: Callable[[int], int]) -> Callable[[bytes], bytes]:
    return lambda data: data[: keep(len(data))]


def _add_parts(extra: dict[str, bytes]) -> Callable[[dict[str, bytes]], None]:
    return lambda parts: parts.update(extra)


def _many_entries(parts: dict[str, bytes]) -> None:
    for index in range(MAX_ENTRIES + 50):
        parts[f"xl/media/pad{index}.xml"] = b"<a/>"


def _small_zero_parts(parts: dict[str, bytes]) -> None:
    """120 parts of 2 MiB of zeros each: below the ratio floor, 240 MiB in all (limit 250)."""
    for index in range(120):
        parts[f"xl/media/zeros{index}.bin"] = bytes(2 * 1024 * 1024)


def _lzma_return(tmp: Path) -> Path:
    path = _demo(tmp)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    path.write_bytes(_zip(parts, zipfile.ZIP_LZMA))
    return path


# --- XML attacks -------------------------------------------------------------------------------

_LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%s;" % (str(i - 1).encode()
                                                                  if i > 1 else b"")) * 10)
                      for i in range(1, 10))
           + b"]>")
_XXE = b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _with_prolog(prolog: bytes) -> Callable[[bytes], bytes]:
    """Put ``prolog`` (a DTD, maybe after padding) between the XML declaration and the root."""
    def change(data: bytes) -> bytes:
        if data.startswith(b"<?xml"):
            end = data.index(b"?>") + 2
            return data[:end] + prolog + data[end:]
        return _DECLARATION + prolog + data
    return change


def _then(*changes: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    return lambda data: functools.reduce(lambda acc, change: change(acc), changes, data)


def _utf16_with_dtd(data: bytes) -> bytes:
    text = data.decode("utf-8")
    text = re.sub(r"^<\?xml[^>]*\?>", "", text)
    text = _evidence_xml(b"&lol9;")(text.encode()).decode()
    return ('<?xml version="1.0" encoding="UTF-16"?>' + _LAUGHS.decode() + text).encode("utf-16")


# --- sheets with too many rows -----------------------------------------------------------------

def _dimension(ref: bytes) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        changed, count = re.subn(rb'<dimension ref="[^"]+"', b'<dimension ref="' + ref + b'"',
                                 data, count=1)
        assert count == 1, "no dimension element in the sheet"
        return changed
    return change


def _extra_rows(rows: bytes) -> Callable[[bytes], bytes]:
    return _sub(b"</sheetData>", rows + b"</sheetData>")


def _rows_beyond_limit() -> bytes:
    """Real data in column J for MAX_ROWS + 5,000 rows below the table (the dimension lies)."""
    first = 8
    return b"".join(b'<row r="%d"><c r="J%d"><v>1</v></c></row>' % (r, r)
                    for r in range(first, first + MAX_ROWS + 5_000))


# --- content tampering -------------------------------------------------------------------------

def _delete_sheet(name: str) -> Callable[[Any], None]:
    return lambda book: book.remove(book[name])


def _rename_sheet(old: str, new: str) -> Callable[[Any], None]:
    def change(book: Any) -> None:
        book[old].title = new
    return change


def _sheet_state(name: str, state: str) -> Callable[[Any], None]:
    def change(book: Any) -> None:
        book[name].sheet_state = state
    return change


def _copy_sheet(name: str) -> Callable[[Any], None]:
    return lambda book: book.copy_worksheet(book[name])


def _set(sheet: str, ref: str, value: Any) -> Callable[[Any], None]:
    def change(book: Any) -> None:
        if isinstance(value, str):
            _text_cell(book[sheet][ref], value)
        else:
            book[sheet][ref].value = value
    return change


def _then_edits(*changes: Callable[[Any], None]) -> Callable[[Any], None]:
    def change(book: Any) -> None:
        for each in changes:
            each(book)
    return change


def _insert_rows(sheet: str, before: int, count: int) -> Callable[[Any], None]:
    return lambda book: book[sheet].insert_rows(before, count)


def _store(edit: Callable[[str], str]) -> Builder:
    """A demo return checked against a copy of the framework store whose demo file is changed."""
    def build(tmp: Path) -> Path:
        store = tmp / "store"
        shutil.copytree(FRAMEWORK_DIR, store)
        target = store / "demo" / "1.0.0.yaml"
        target.write_text(edit(target.read_text(encoding="utf-8")), encoding="utf-8")
        return _demo(tmp)
    return build


# --- cells a reader places where the old extent check did not look ----------------------------

def _rows_without_references(count: int) -> bytes:
    """Rows and cells with no r="..." at all: a reader places them one after the other."""
    return b"<row><c><v>1</v></c></row>" * count


def _wide_row_without_references(cells: int, then_row: int) -> bytes:
    return (b'<row r="9">' + b"<c><v>1</v></c>" * cells + b"</row>"
            + b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (then_row, then_row))


def _shared_strings(attributes: bytes) -> Callable[[dict[str, bytes]], None]:
    """A shared-string table declaring a huge number of entries (readers reserve for it)."""
    table = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
             b'.org/spreadsheetml/2006/main" ' + attributes + b"><si><t>x</t></si></sst>")
    return _add_parts({SHARED_STRINGS_PART: table})


def _utf16_part(name: str, body: str, encoding: str = "utf-16",
                declaration: str = '<?xml version="1.0" encoding="utf-16"?>'
                ) -> Callable[[dict[str, bytes]], None]:
    """A part rubric never parses written as UTF-16, as Excel writes Power Query data."""
    return _add_parts({name: (declaration + body).encode(encoding)})


_MASHUP = ('<DataMashup xmlns="http://schemas.microsoft.com/DataMashup">'
           "AAAAAEUDAABQSwMEFAACAAgA</DataMashup>")
_PIVOT = ('<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
          'main" refreshOnLoad="1" recordCount="4"><cacheSource type="worksheet"/>'
          "</pivotCacheDefinition>")


def _own_sheet(title: str, rows: list[list[Any]], state: str = "visible"
               ) -> Callable[[Any], None]:
    """Someone adds a sheet of their own (an action plan, notes), maybe listing theme ids."""
    def change(book: Any) -> None:
        sheet = book.create_sheet(title)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    return change


def _error_cell(ref: str, value: bytes, formula: bytes = b"", quote: bytes = b'"',
                part: str = OUTCOMES_PART) -> Builder:
    """Cell ``ref`` holding an error value, as Excel saves '=Good' typed without an apostrophe."""
    xml = (b'<c r="' + ref.encode() + b'" t=' + quote + b"e" + quote + b">"
           + (b"<f>" + formula + b"</f>" if formula else b"") + b"<v>" + value + b"</v></c>")
    return _in_part(part, _replace_cell(ref, xml))


def _latin1_name(data_from: Builder) -> Builder:
    """The file saved under a name that is not UTF-8 (as unzipped from a Windows attachment)."""
    def build(tmp: Path) -> Path:
        built = data_from(tmp)
        raw = os.fsencode(tmp) + b"/Stirling \xe9t\xe9.xlsx"
        with open(raw, "wb") as handle:
            handle.write(built.read_bytes())
        built.unlink()
        return Path(os.fsdecode(raw))
    return build


def _renamed(name: str) -> Builder:
    def build(tmp: Path) -> Path:
        return _demo(tmp).rename(tmp / name)
    return build


LONG_TEXT = " ".join(f"[{index:05d}]" for index in range(5_000))  # 39,999 characters
DDE = "=cmd|' /C calc'!A0"
HYPERLINK = '=HYPERLINK("http://x","y")'
MARKUP_AUTHORITY = '<script>alert("x")</script> =HYPERLINK("http://x","<b>y</b>") & Co'
_RANDOM = b"\x00\x01" + random.Random(20260801).randbytes(4094)


def _ods() -> bytes:
    return _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                 "content.xml": b"<office:document-content/>",
                 "META-INF/manifest.xml": b"<manifest/>"}, zipfile.ZIP_STORED)


def _docx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>",
                 "_rels/.rels": b"<Relationships/>"})


WORKBOOKS: list[Case] = [
    # --- not a workbook at all
    Case("text-csv", _raw(b"id,level,evidence\n1.1.1,5,Good data\n"),
         _codes("workbook-not-xlsx"), framework=None),
    Case("pdf-magic", _raw(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"),
         _codes("workbook-not-xlsx"), framework=None),
    Case("html-page", _raw(b"<!DOCTYPE html><html><body>Return</body></html>"),
         _codes("workbook-not-xlsx"), framework=None),
    Case("empty-file", _raw(b""), _codes("workbook-not-xlsx"), framework=None),
    Case("random-bytes", _raw(_RANDOM), _codes("workbook-not-xlsx"), framework=None),
    # --- damaged zips
    Case("truncated-header-only", _bytes(_truncate(lambda n: 4)),
         _codes("workbook-truncated")),
    Case("truncated-quarter", _bytes(_truncate(lambda n: n // 4)),
         _codes("workbook-truncated")),
    Case("truncated-half", _bytes(_truncate(lambda n: n // 2)), _codes("workbook-truncated")),
    Case("truncated-no-end-record", _bytes(_truncate(lambda n: n - 22)),
         _codes("workbook-truncated")),
    Case("truncated-last-byte", _bytes(_truncate(lambda n: n - 1)),
         _codes("workbook-truncated")),
    Case("crc-wrong", _bytes(_patch_central(OUTCOMES_PART, 16, 0xDEADBEEF)),
         _codes("workbook-truncated")),
    Case("compression-method-unknown", _bytes(_compression_method(OUTCOMES_PART, 99)),
         _codes("workbook-unreadable", "workbook-truncated")),
    Case("lzma-compressed", _lzma_return, _codes("workbook-unreadable")),
    Case("zip-entry-encrypted-flag", _bytes(_encrypted_flag(OUTCOMES_PART)),
         _codes("workbook-encrypted", "workbook-unreadable")),
    Case("zip-entry-duplicated-with-dtd",
         _duplicate_entry(OUTCOMES_PART, _DECLARATION + _LAUGHS + b"<worksheet/>"),
         _codes("workbook-xml-entities")),
    Case("sheet-part-missing", _parts(lambda parts: parts.pop("xl/worksheets/sheet4.xml")),
         _codes("workbook-unreadable")),
    Case("sheet-xml-cut-mid-row", _in_part(OUTCOMES_PART, lambda data: data[
        : data.index(b'<row r="7"') + 40]),
         _codes("workbook-unreadable")),
    # --- other file kinds
    Case("legacy-xls", _raw(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048), "return.xls"),
         _codes("workbook-legacy-xls"), framework=None),
    Case("encrypted-ole", _raw(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)
                               + "EncryptedPackage".encode("utf-16-le") + bytes(512)),
         _codes("workbook-encrypted"), framework=None),
    Case("xlsm-vba-project", _parts(_add_parts({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"
                                                + bytes(60)})),
         _codes("workbook-macro-enabled")),
    Case("ods-spreadsheet", _raw(_ods(), "return.ods"), _codes("workbook-not-xlsx"),
         framework=None),
    Case("docx-document", _raw(_docx(), "return.docx"), _codes("workbook-not-xlsx"),
         framework=None),
    Case("xlsb-binary", _raw(_zip({"xl/workbook.bin": bytes(64)})),
         _codes("workbook-not-xlsx"), framework=None),
    # --- zip bombs and oversize archives
    Case("bomb-ratio-40mb-zeros", _parts(_add_parts({"xl/media/zeros.bin":
                                                      bytes(40 * 1024 * 1024)})),
         _codes("workbook-zip-bomb")),
    Case("bomb-declared-200mb", _bytes(_patch_central(OUTCOMES_PART, 24, 200 * 1024 * 1024)),
         _codes("workbook-zip-bomb", "workbook-too-large")),
    Case("bomb-declared-2gb", _bytes(_patch_central(OUTCOMES_PART, 24, 0x7FFF_FFFF)),
         _codes("workbook-zip-bomb", "workbook-too-large")),
    Case("bomb-declared-smaller", _bytes(_patch_central(OUTCOMES_PART, 24, 10)),
         _codes("workbook-zip-bomb", "workbook-truncated")),
    Case("too-many-entries", _parts(_many_entries), _codes("workbook-too-large")),
    Case("many-small-zero-parts", _parts(_small_zero_parts), VALID),
    # --- XML entities
    Case("entities-in-sheet", _in_part(OUTCOMES_PART, _then(_with_prolog(_LAUGHS),
                                                            _evidence_xml(b"&lol9;"))),
         _codes("workbook-xml-entities")),
    Case("entities-in-workbook-xml", _in_part(WORKBOOK_PART, _with_prolog(_LAUGHS)),
         _codes("workbook-xml-entities")),
    Case("entities-in-content-types", _in_part(CONTENT_TYPES_PART, _with_prolog(_LAUGHS)),
         _codes("workbook-xml-entities")),
    Case("entities-in-rels", _in_part("_rels/.rels", _with_prolog(_LAUGHS)),
         _codes("workbook-xml-entities")),
    Case("external-entity", _in_part(OUTCOMES_PART, _then(_with_prolog(_XXE),
                                                          _evidence_xml(b"&xxe;"))),
         _codes("workbook-xml-entities")),
    Case("entities-after-long-comment",
         _in_part(OUTCOMES_PART, _then(_with_prolog(b"<!--" + b" " * 70_000 + b"-->" + _LAUGHS),
                                       _evidence_xml(b"&lol9;"))),
         _codes("workbook-xml-entities")),
    Case("external-entity-after-long-comment",
         _in_part(OUTCOMES_PART, _with_prolog(b"<!--" + b" " * 70_000 + b"-->" + _XXE)),
         _codes("workbook-xml-entities")),
    Case("entities-in-utf16-sheet", _in_part(OUTCOMES_PART, _utf16_with_dtd),
         _codes("workbook-xml-entities", "workbook-unreadable")),
    # --- sheets too large
    Case("dimension-million-rows", _in_part(OUTCOMES_PART, _dimension(b"A1:H1048576")),
         _codes("sheet-too-large")),
    Case("rows-beyond-limit", _in_part(OUTCOMES_PART, _extra_rows(_rows_beyond_limit())),
         _codes("sheet-too-large")),
    Case("cell-in-last-row", _in_part(OUTCOMES_PART, _extra_rows(
        b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>')),
         _codes("sheet-too-large")),
    Case("cell-in-last-column-far-down", _in_part(OUTCOMES_PART, _extra_rows(
        b'<row r="40000"><c r="XFD40000"><v>1</v></c></row>')),
         _codes("sheet-too-large", "workbook-too-large", "workbook-unreadable")),
    Case("cell-in-last-column", _in_part(OUTCOMES_PART, _extra_rows(
        b'<row r="9"><c r="XFD9" t="inlineStr"><is><t>Far away</t></is></c></row>')),
         VALID_WITH_WARNINGS),
    # --- provenance
    Case("provenance-deleted", _edit(_delete_sheet(layout.PROVENANCE_SHEET)),
         _codes("provenance-missing")),
    Case("provenance-renamed", _edit(_rename_sheet(layout.PROVENANCE_SHEET, "provenance")),
         _codes("provenance-missing")),
    Case("provenance-visible", _edit(_sheet_state(layout.PROVENANCE_SHEET, "visible")), VALID),
    Case("provenance-format-changed", _provenance("format", "rubric-workbook/2"),
         _codes("provenance-invalid")),
    Case("provenance-authority-blank", _provenance("authority", " "),
         _codes("provenance-invalid")),
    Case("provenance-other-framework", _provenance("framework_id", "hgioea"),
         _codes("provenance-hash-mismatch")),
    Case("provenance-unknown-framework", _provenance("framework_id", "no-such-framework"),
         _codes("provenance-unknown-framework")),
    Case("provenance-unknown-version", _provenance("framework_version", "9.9.9"),
         _codes("provenance-unknown-framework")),
    Case("provenance-path-traversal", _provenance("framework_id", "../frameworks/demo"),
         _codes("provenance-unknown-framework")),
    Case("provenance-version-nul", _in_part(PROVENANCE_PART, _sub(b">1.0.0<", b">1.0.0_x0000_<")),
         _codes("provenance-unknown-framework")),
    Case("provenance-authority-40k", _provenance("authority", LONG_TEXT),
         _codes("provenance-invalid")),
    Case("provenance-hash-changed", _provenance("framework_hash", "sha256:" + "0" * 64),
         _codes("provenance-hash-mismatch")),
    Case("provenance-authority-markup", _provenance("authority", MARKUP_AUTHORITY), VALID,
         payload=MARKUP_AUTHORITY, formula=True, markup=MARKUP_AUTHORITY),
    Case("store-framework-text-changed",
         _store(lambda text: text.replace("Shared vision", "Common vision")),
         _codes("provenance-hash-mismatch"), store=True),
    Case("store-framework-invalid",
         _store(lambda text: text.replace("status: published", "status: final")),
         _codes("provenance-framework-invalid"), store=True),
    Case("store-framework-alias-bomb",
         _store(lambda text: text + _ALIAS_BOMB),
         _codes("provenance-framework-invalid"), store=True),
    Case("store-framework-deep-nesting", _store(lambda _: "[" * 10_000 + "]" * 10_000),
         _codes("provenance-framework-invalid"), store=True),
    # --- key-area sheets and tables
    Case("keyarea-deleted", _edit(_delete_sheet("2 Leadership")), _codes("sheet-missing")),
    Case("keyarea-renamed", _edit(_rename_sheet("2 Leadership", "Leadership (ours)")), VALID),
    Case("keyarea-hidden", _edit(_sheet_state("1 Outcomes", "hidden")), VALID),
    Case("keyarea-duplicated", _edit(_copy_sheet("1 Outcomes")), _codes("id-duplicated")),
    Case("id-tampered", _edit(_set("1 Outcomes", "A7", "1.1.9")), _codes("id-unknown")),
    Case("id-as-number", _edit(_set("2 Leadership", "A6", 2.11)), _codes("id-unknown")),
    Case("id-duplicated", _edit(_set("1 Outcomes", "A7", "1.1.1")), _codes("id-duplicated")),
    Case("id-deleted", _edit(_set("1 Outcomes", "A7", None)), _codes("theme-missing")),
    Case("header-changed", _edit(_set("1 Outcomes", "E4", "Grade")), _codes("header-missing")),
    Case("header-moved-down", _edit(_insert_rows("1 Outcomes", 3, 5)), VALID),
    Case("measure-not-a-number", _edit(_set(layout.MEASURES_SHEET, "G5", "=A1+1")),
         _codes("measure-not-a-number")),
    # --- levels outside the scale
    Case("level-7", _answer("1.1.1", "level", "7"), _codes("level-unknown")),
    Case("level-minus-1", _answer("1.1.1", "level", "-1"), _codes("level-unknown")),
    Case("level-great", _answer("1.1.1", "level", "Great"), _codes("level-unknown")),
    Case("level-5.5", _answer("1.1.1", "level", 5.5), _codes("level-unknown")),
    Case("level-boolean", _answer("1.1.1", "level", True), _codes("level-unknown")),
    Case("level-formula-text", _answer("1.1.1", "level", "=6"), _codes("level-unknown")),
    Case("hgioea-level-0", _answer("1.1.1", "level", 0, base="hgioea"),
         _codes("level-unknown"), framework="hgioea"),
    Case("hgioea-provenance-format", _provenance("format", "", base="hgioea"),
         _codes("provenance-invalid"), framework="hgioea"),
    # --- texts: length, control characters, encodings
    Case("evidence-over-cell-limit", _in_part(OUTCOMES_PART, _evidence_xml(LONG_TEXT.encode())),
         VALID, payload=LONG_TEXT, long_text=True),
    Case("control-characters-escaped",
         _in_part(OUTCOMES_PART, _evidence_xml(b"Bell_x0007_ nul_x0000_ esc_x001B_ end")), VALID),
    Case("lone-surrogate-escaped",
         _in_part(OUTCOMES_PART, _evidence_xml(b"Half a pair _xD800_ here _xDFFF_")), VALID),
    Case("control-characters-raw",
         _in_part(OUTCOMES_PART, _evidence_xml(b"Raw \x07 bell and \x01 start")), VALID),
    Case("invalid-utf8-bytes",
         _in_part(OUTCOMES_PART, _evidence_xml(b"Broken \xff\xfe\xc3 bytes")),
         _codes("workbook-unreadable")),
    Case("surrogate-as-utf8-bytes",
         _in_part(OUTCOMES_PART, _evidence_xml(b"CESU \xed\xa0\x80 surrogate")),
         _codes("workbook-unreadable")),
    # --- formula-looking text: accepted, and kept as text
    Case("formula-equals", _answer("1.1.1", "evidence", "=1+1"), VALID, payload="=1+1",
         formula=True),
    Case("formula-plus", _answer("1.1.2", "strengths", "+1+1"), VALID, payload="+1+1",
         formula=True),
    Case("formula-minus", _answer("2.1.1", "next_steps", "-2+3"), VALID, payload="-2+3",
         formula=True),
    Case("formula-at", _answer("1.1.1", "evidence", "@SUM(1,2)"), VALID, payload="@SUM(1,2)",
         formula=True),
    Case("formula-dde", _answer("1.1.1", "evidence", DDE), VALID, payload=DDE, formula=True),
    Case("formula-hyperlink", _answer("1.1.1", "evidence", HYPERLINK), VALID,
         payload=HYPERLINK, formula=True),
    Case("sheet-name-markup", _in_part(WORKBOOK_PART, _sub(
        b'name="1 Outcomes"', b'name="&lt;script&gt;alert(1)&lt;/script&gt;"')),
         VALID, formula=True, markup="<script>alert(1)</script>"),
    Case("formula-markup", _answer("1.1.2", "evidence", "<script>alert(1)</script>"), VALID,
         payload="<script>alert(1)</script>", formula=True),
    Case("formula-real-cell", _in_part(OUTCOMES_PART, _replace_cell(
        "F6", b'<c r="F6" t="str"><f>CONCAT("Evidence from ","a formula")</f>'
              b"<v>Evidence from a formula</v></c>")),
         VALID_WITH_WARNINGS, payload="Evidence from a formula", formula=True),
    Case("formula-real-cell-no-value", _in_part(OUTCOMES_PART, _replace_cell(
        "F6", b'<c r="F6"><f>HYPERLINK("http://x","y")</f></c>')),
         VALID_WITH_WARNINGS, formula=True),
    Case("hgioea-formula-dde", _answer("1.1.1", "evidence", DDE, base="hgioea"), VALID,
         framework="hgioea", payload=DDE, formula=True),
    # --- far cells written as a reader accepts them (quoting, spacing, case, prefixes, none)
    Case("far-cell-single-quotes", _in_part(OUTCOMES_PART, _extra_rows(
        b"<row r='40000'><c r='XFD40000'><v>1</v></c></row>")), _codes("sheet-too-large")),
    Case("far-cell-spaced-attribute", _in_part(OUTCOMES_PART, _extra_rows(
        b'<row r = "40000"><c r =  "XFD40000" ><v>1</v></c></row>')), _codes("sheet-too-large")),
    Case("far-cell-lower-case", _in_part(OUTCOMES_PART, _extra_rows(
        b'<row r="40000"><c r="xfd40000"><v>1</v></c></row>')), _codes("sheet-too-large")),
    Case("far-cell-tab-and-newline", _in_part(OUTCOMES_PART, _extra_rows(
        b'<row\tr="40000"><c\n\tr="XfD40000"\n><v>1</v></c></row>')),
         _codes("sheet-too-large")),
    Case("far-cell-prefixed-elements", _in_part(OUTCOMES_PART, _extra_rows(
        b'<x:row r="40000"><x:c r="XFD40000"><x:v>1</x:v></x:c></x:row>')),
         _codes("sheet-too-large")),
    Case("far-cell-ten-digit-row", _in_part(OUTCOMES_PART, _extra_rows(
        b'<row r="2000000000"><c r="A2000000000"><v>1</v></c></row>')),
         _codes("sheet-too-large")),
    Case("rows-without-references", _in_part(OUTCOMES_PART, _extra_rows(
        _rows_without_references(MAX_ROWS + 5_000))), _codes("sheet-too-large")),
    Case("far-row-cell-without-reference", _in_part(OUTCOMES_PART, _extra_rows(
        b'<row r="60000"><c><v>1</v></c></row>')), _codes("sheet-too-large")),
    Case("wide-row-cells-without-references", _in_part(OUTCOMES_PART, _extra_rows(
        _wide_row_without_references(16_000, 400))), _codes("sheet-too-large")),
    Case("dimension-whole-sheet-single-quotes", _in_part(OUTCOMES_PART, _dimension_element(
        b"<dimension ref='A1:XFD1048576'/>")),
         _codes("sheet-too-large")),
    Case("dimension-whole-sheet-lower-case", _in_part(OUTCOMES_PART, _dimension_element(
        b'<dimension  ref = "a1:xfd1048576" />')),
         _codes("sheet-too-large")),
    # --- declared counts a reader reserves memory for
    Case("shared-strings-two-billion", _parts(_shared_strings(
        b'count="2000000000" uniqueCount="2000000000"')), _codes("workbook-too-large")),
    Case("shared-strings-count-single-quotes", _parts(_shared_strings(
        b"uniqueCount = '2000000000'")), _codes("workbook-too-large")),
    Case("shared-strings-count-huge-digits", _parts(_shared_strings(
        b'uniqueCount="' + b"9" * 40 + b'"')), _codes("workbook-too-large")),
    Case("styles-count-huge", _in_part(STYLES_PART, _sub(b'<cellXfs count="18">',
                                                         b'<cellXfs count="900000000">')),
         _codes("workbook-too-large")),
    # --- parts rubric never parses, in Excel's UTF-16 (Power Query, pivot caches)
    Case("customxml-utf16-power-query", _parts(_utf16_part("customXml/item1.xml", _MASHUP)),
         VALID),
    Case("customxml-utf16-big-endian", _parts(_utf16_part("customXml/item2.xml", _MASHUP,
                                                          "utf-16-be")), VALID),
    Case("pivot-cache-utf16-without-bom", _parts(_utf16_part(
        "xl/pivotCache/pivotCacheDefinition1.xml", _PIVOT, "utf-16-le")), VALID),
    Case("customxml-utf16-with-entities", _parts(_utf16_part(
        "customXml/item1.xml", _LAUGHS.decode() + _MASHUP.replace("AAAA", "&lol9;"))),
         _codes("workbook-xml-entities")),
    Case("customxml-utf16-declared-count-huge", _parts(_utf16_part(
        "customXml/item1.xml", _PIVOT.replace('recordCount="4"', 'count="999999999"'))),
         _codes("workbook-too-large")),
    # --- sheets of the authority's own
    Case("own-sheet-listing-theme-ids", _edit(_own_sheet("Action plan", [
        ["Theme", "Action", "Lead"], ["1.1.1", "Share tracking data", "QIO"],
        ["2.1.1", "Revisit the vision", "Head of service"]])), VALID_WITH_WARNINGS),
    Case("own-sheet-notes-hidden", _edit(_own_sheet("notes", [["Ask about 1.1.2 and 2.1.2"]],
                                                    "hidden")), VALID_WITH_WARNINGS),
    Case("own-sheet-ids-in-column-c", _edit(_own_sheet("Plan 2026", [
        [None, None, "1.1.1"], [None, None, "1.1.2"]])), VALID_WITH_WARNINGS),
    # --- error values and formulas in answer cells
    Case("level-error-na", _error_cell("E6", b"#N/A"), _codes("answer-error-value")),
    Case("level-error-name-typed-formula", _error_cell("E7", b"#NAME?", b"Good"),
         _codes("answer-error-value")),
    Case("level-error-single-quotes", _error_cell("E6", b"#VALUE!", quote=b"'"),
         _codes("answer-error-value")),
    Case("evidence-error-name", _error_cell("F6", b"#NAME?", b"we_did_well"),
         _codes("answer-error-value")),
    Case("measure-error-div0", _error_cell("G5", b"#DIV/0!", b"A1/0", part=MEASURES_PART),
         _codes("answer-error-value")),
    Case("level-formula-with-result", _in_part(OUTCOMES_PART, _replace_cell(
        "E6", b'<c r="E6"><f>2+3</f><v>5</v></c>')), VALID_WITH_WARNINGS),
    # --- measures and texts
    Case("measure-fraction-among-percentages", _edit(_set(layout.MEASURES_SHEET, "G5", 0.941)),
         _codes("measure-fraction-among-percentages")),
    Case("measure-all-fractions", _edit(_then_edits(_set(layout.MEASURES_SHEET, "F5", 0.925),
                                                    _set(layout.MEASURES_SHEET, "G5", 0.941))),
         VALID_WITH_WARNINGS),
    Case("evidence-exactly-cell-limit", _answer("1.1.1", "evidence", "y" * EXCEL_CELL_LIMIT),
         VALID_WITH_WARNINGS),
    Case("no-level-chosen", _edit(_then_edits(*(_set(sheet, ref, None) for sheet, ref in (
        ("1 Outcomes", "E6"), ("1 Outcomes", "E7"), ("2 Leadership", "E6"),
        ("2 Leadership", "E7"))))), VALID_WITH_WARNINGS),
    # --- file names
    Case("file-name-not-utf8", _latin1_name(_demo), VALID),
    Case("file-name-not-utf8-hgioea", _latin1_name(_hgioea), VALID, framework="hgioea"),
    Case("file-extension-upper-case", _renamed("Stirling.XLSX"), VALID),
]


# --- framework files ---------------------------------------------------------------------------

@functools.cache
def _demo_yaml() -> str:
    return DEMO.read_text(encoding="utf-8")


def _yaml(text: str | Callable[[Path], str]) -> Builder:
    def build(tmp: Path) -> Path:
        path = tmp / "framework.yaml"
        path.write_text(text(tmp) if callable(text) else text, encoding="utf-8")
        return path
    return build


def _yaml_bytes(data: bytes) -> Builder:
    def build(tmp: Path) -> Path:
        path = tmp / "framework.yaml"
        path.write_bytes(data)
        return path
    return build


def _demo_edit(*edits: tuple[str, str]) -> Builder:
    def text(_: Path) -> str:
        result = _demo_yaml()
        for old, new in edits:
            assert old in result, f"fixture edit does not apply: {old!r}"
            result = result.replace(old, new, 1)
        return result
    return _yaml(text)


def _python_apply(tmp: Path) -> str:
    marker = tmp / "pwned"
    return _demo_yaml().replace(
        "title: Demo rubric", f"title: !!python/object/apply:os.system ['touch {marker}']", 1)


_ALIAS_BOMB = "\n".join(
    [f'x{0}: &x{0} ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 9)}]" for i in range(1, 10)]) + "\n"
_MERGE = ("scale: &scale\n  required_illustrations: [5]\nscale_copy:\n  <<: *scale\n")

FRAMEWORKS_CASES: list[Case] = [
    Case("tag-python-object-apply", _yaml(_python_apply), _codes("yaml-tag-not-allowed")),
    Case("tag-python-name", _demo_edit(("publisher: rubric project (illustrative)",
                                        "publisher: !!python/name:os.system")),
         _codes("yaml-tag-not-allowed")),
    Case("tag-binary", _demo_edit(("title: Demo rubric", "title: !!binary aGVsbG8gd29ybGQ=")),
         _codes("yaml-tag-not-allowed")),
    Case("tag-custom", _demo_edit(("title: Demo rubric", "title: !shout Demo rubric")),
         _codes("yaml-tag-not-allowed")),
    Case("tag-set", _demo_edit(("required_illustrations: [5]",
                                "required_illustrations: !!set {5: null}")),
         _codes("yaml-tag-not-allowed")),
    Case("alias-bomb", _yaml(lambda _: _demo_yaml() + _ALIAS_BOMB), _codes("yaml-alias")),
    Case("merge-key", _demo_edit(("scale:\n", "scale: &scale\n"),
                                 ("\ncategories:\n", "\nextra:\n  <<: *scale\ncategories:\n")),
         _codes("yaml-alias")),
    Case("merge-key-only", _yaml(_MERGE), _codes("yaml-alias")),
    Case("duplicate-key", _demo_edit(("title: Demo rubric\n",
                                      "title: Demo rubric\ntitle: Another title\n")),
         _codes("yaml-duplicate-key")),
    Case("tab-indent", _demo_edit(("title: Demo rubric\n", "title: Demo rubric\n\tstray: tab\n")),
         _codes("yaml-syntax")),
    Case("list-for-mapping", _demo_edit(("scale:\n  levels:", "scale: [1, 2, 3]\nold_scale:\n"
                                                              "  levels:")),
         _codes("wrong-type")),
    Case("mapping-for-list", _demo_edit(("required_illustrations: [5]",
                                         "required_illustrations: {five: 5}")),
         _codes("wrong-type")),
    Case("number-as-id", _demo_edit(('- id: "1.1"\n', "- id: 1.10\n")),
         _codes("yaml-number-as-text")),
    Case("version-as-number", _demo_edit(('version: "1.0.0"', "version: 1.0")),
         _codes("yaml-number-as-text", "version-invalid")),
    Case("yes-no-labels", _demo_edit(("label: Weak,", "label: No,"),
                                     ("label: Good,", "label: yes,")),
         _codes("yaml-boolean-as-text")),
    Case("date-as-title", _demo_edit(("title: Outcomes", "title: 2026-08-01")),
         _codes("wrong-type")),
    Case("not-utf8-latin1", _yaml_bytes(_demo_yaml().replace("Demo rubric", "Démo rubric")
                                        .encode("latin-1")),
         _codes("file-unreadable")),
    Case("utf16-with-bom", _yaml_bytes(_demo_yaml().encode("utf-16")), _codes("file-unreadable")),
    Case("nul-byte", _demo_edit(("title: Demo rubric", "title: Demo\x00rubric")),
         _codes("yaml-syntax")),
    Case("six-megabytes", _yaml(lambda _: _demo_yaml() + ("# " + "x" * 98 + "\n") * 63_000),
         _codes("file-too-large")),
    Case("empty-file", _yaml(""), _codes("yaml-not-mapping")),
    Case("comments-only", _yaml("# nothing here\n# at all\n"), _codes("yaml-not-mapping")),
    Case("scalar-document", _yaml("just a sentence, not a framework\n"),
         _codes("yaml-not-mapping")),
    Case("list-document", _yaml("- id: demo\n- title: Demo\n"), _codes("yaml-not-mapping")),
    Case("multiple-documents", _yaml(lambda _: _demo_yaml() + "---\nid: second\n"),
         _codes("yaml-syntax")),
    Case("complex-key", _demo_edit(("title: Demo rubric\n", "title: Demo rubric\n? [a, b]\n: c\n")),
         _codes("yaml-complex-key")),
    Case("control-characters", _demo_edit(("title: Closing the gap",
                                           'title: "Closing\\x07the gap"')),
         _codes("control-characters")),
    Case("text-over-cell-limit", _demo_edit(("title: Shared vision",
                                             "title: " + "x" * 40_000)),
         _codes("text-too-long")),
    Case("weight-infinite", _demo_edit(("weight: 2", "weight: .inf")),
         _codes("invalid-value", "out-of-range", "weight-not-positive")),
    Case("weight-huge-integer", _demo_edit(("weight: 2", "weight: " + "9" * 5_000)),
         _codes("yaml-syntax", "invalid-value", "out-of-range")),
    Case("deep-nested-lists", _yaml("[" * 10_000 + "]" * 10_000 + "\n"),
         _codes("yaml-syntax", "yaml-not-mapping")),
    Case("deep-nested-lists-in-field", _demo_edit(("title: Demo rubric",
                                                   "title: " + "[" * 10_000 + "]" * 10_000)),
         _codes("yaml-syntax", "wrong-type")),
    Case("deep-nested-mappings", _yaml("{a: " * 10_000 + "1" + "}" * 10_000 + "\n"),
         _codes("yaml-syntax", "yaml-not-mapping", "unknown-field", "missing-field")),
]
FRAMEWORKS = FRAMEWORKS_CASES


def by_id(cases: list[Case]) -> dict[str, Case]:
    found = {case.id: case for case in cases}
    assert len(found) == len(cases), "case ids must be unique"
    return found


__all__ = ["EXCEL_CELL_LIMIT", "FRAMEWORKS", "VALID", "VALID_WITH_WARNINGS", "WORKBOOKS", "Case",
           "by_id", "demo_return_bytes", "partner_return"]
