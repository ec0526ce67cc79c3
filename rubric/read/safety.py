"""The gate every returned workbook passes before a parser sees it.

Returns arrive by email from many hands. Before python-calamine reads a file we check, cheaply and
with bounded memory, that it is an OOXML zip of a sane size: not a legacy or encrypted OLE file,
not macro-enabled, not a zip bomb (declared sizes and compression ratios, then an inflating pass
that stops at the limits and verifies CRCs), no DTDs (entity expansion, external entities), and no
sheet declaring an absurd number of rows.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from rubric.problems import Location, Problem, problem

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_ENTRIES = 2_000
MAX_ENTRY_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 250 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, checked for entries above RATIO_FLOOR
RATIO_FLOOR = 2 * 1024 * 1024
MAX_ROWS = 50_000
MAX_CELLS = 5_000_000  # readers allocate a dense rows x columns grid: bound the product
_PROLOG_BYTES = 64 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# Only references that could be far away: two- or three-letter columns, or five-digit rows.
# A return's own cells (columns A-H, rows in the hundreds) never match, so the scan is cheap.
# (Starting with a literal lets the regex engine skip ahead: 7x faster than a leading \s; the
# byte before each match is checked for whitespace in Python, as matches are rare.)
_FAR_CELL = re.compile(rb'r="(?:([A-Z]{2,3})(\d{1,7})|([A-Z])(\d{5,7}))"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+(?::([A-Z]+)(\d+))?"')


@dataclass(frozen=True, slots=True)
class ZipLimits:
    max_file_bytes: int = MAX_FILE_BYTES
    max_entries: int = MAX_ENTRIES
    max_entry_bytes: int = MAX_ENTRY_BYTES
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_ratio: int = MAX_RATIO
    max_rows: int = MAX_ROWS
    max_cells: int = MAX_CELLS


DEFAULT_LIMITS = ZipLimits()


def _sniff(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.startswith((b"<html", b"<!DOCTYPE html", b"<HTML")):
        return "a web page"
    if head.startswith(b"{\\rtf"):
        return "an RTF document"
    if not head:
        return "an empty file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "binary data of an unknown kind"
    return "plain text (CSV or similar)"


def check_workbook_file(path: Path, limits: ZipLimits = DEFAULT_LIMITS) -> list[Problem]:
    """Problems that make ``path`` unsafe or impossible to read; empty when it may be parsed."""
    where = Location(str(path))
    try:
        size = path.stat().st_size
        if not path.is_file():
            return [problem("file-unreadable", where, reason="it is not a regular file")]
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        return [problem("file-not-found", where)]
    except OSError as exc:
        return [problem("file-unreadable", where, reason=exc.strerror or str(exc))]
    if size > limits.max_file_bytes:
        return [problem("workbook-too-large", where, reason=f"the file is {size:,} bytes; the "
                        f"limit is {limits.max_file_bytes:,}")]
    if head == _OLE_MAGIC:
        data = path.read_bytes()
        if _ENCRYPTED in data:
            return [problem("workbook-encrypted", where)]
        return [problem("workbook-legacy-xls", where)]
    if not head.startswith(b"PK"):
        return [problem("workbook-not-xlsx", where, found=_sniff(path.read_bytes()[:512]))]
    try:
        with zipfile.ZipFile(path) as archive:
            return _check_archive(archive, where, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        return [problem("workbook-truncated", where, reason=str(exc) or type(exc).__name__)]
    except NotImplementedError as exc:  # e.g. an unsupported compression method
        return [problem("workbook-unreadable", where, reason=str(exc))]
    except OSError as exc:
        return [problem("file-unreadable", where, reason=exc.strerror or str(exc))]


def _check_archive(archive: zipfile.ZipFile, where: Location, limits: ZipLimits) -> list[Problem]:
    entries = archive.infolist()
    names = {info.filename for info in entries}
    if len(entries) > limits.max_entries:
        return [problem("workbook-too-large", where,
                        reason=f"it holds {len(entries):,} parts; the limit is "
                        f"{limits.max_entries:,}")]
    if "xl/workbook.xml" not in names:
        if "mimetype" in names and "content.xml" in names:
            found = "an OpenDocument spreadsheet (.ods)"
        elif "xl/workbook.bin" in names:
            found = "a binary Excel workbook (.xlsb)"
        elif "word/document.xml" in names:
            found = "a Word document"
        else:
            found = "a zip archive that is not a workbook"
        return [problem("workbook-not-xlsx", where, found=found)]
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return [problem("workbook-macro-enabled", where)]
    declared = sum(info.file_size for info in entries)
    if declared > limits.max_total_bytes:
        return [problem("workbook-too-large", where, reason=f"its parts unpack to "
                        f"{declared:,} bytes; the limit is {limits.max_total_bytes:,}")]
    for info in entries:
        if info.flag_bits & 0x1:
            return [problem("workbook-encrypted", where)]
        if info.file_size > limits.max_entry_bytes:
            return [problem("workbook-zip-bomb", where, part=info.filename,
                            reason=f"it declares {info.file_size:,} bytes")]
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > limits.max_ratio:
            return [problem("workbook-zip-bomb", where, part=info.filename,
                            reason=f"it is compressed {ratio:,} times")]
    raw = Path(archive.filename or "").read_bytes() if archive.filename else b""
    for info in entries:
        found = _inflate_and_scan(archive, raw, info, where, limits)
        if found:
            return found
    return []


def _inflate(archive: zipfile.ZipFile, raw: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A part's bytes, inflating at most one byte more than declared (None when it would
    inflate further), with its CRC checked. Reads straight from the file's bytes: zipfile's
    stream objects cost more than the inflating itself for the small parts of a return."""
    start = info.header_offset
    if info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED) or \
            raw[start:start + 4] != b"PK\x03\x04":
        with archive.open(info) as stream:  # unusual parts: let zipfile do it (it checks CRC)
            data = stream.read(info.file_size + 1)
            return None if len(data) > info.file_size or stream.read(1) else data
    name_length = int.from_bytes(raw[start + 26:start + 28], "little")
    extra_length = int.from_bytes(raw[start + 28:start + 30], "little")
    begin = start + 30 + name_length + extra_length
    body = raw[begin:begin + info.compress_size]
    if len(body) < info.compress_size:
        raise zipfile.BadZipFile(f"{info.filename} is cut short")
    if info.compress_type == zipfile.ZIP_STORED:
        data = body
    else:
        inflater = zlib.decompressobj(-15)
        data = inflater.decompress(body, info.file_size + 1)
        if len(data) > info.file_size or inflater.unconsumed_tail:
            return None
    if len(data) != info.file_size:
        raise zipfile.BadZipFile(f"{info.filename} does not have its declared size")
    if zlib.crc32(data) != info.CRC:
        raise zipfile.BadZipFile(f"bad CRC-32 for {info.filename}")
    return data


def _inflate_and_scan(archive: zipfile.ZipFile, raw: bytes, info: zipfile.ZipInfo,
                      where: Location, limits: ZipLimits) -> list[Problem]:
    """Inflate one part within its declared size; look for DTDs in its prolog."""
    is_xml = info.filename.endswith((".xml", ".rels", ".vml"))
    is_sheet = info.filename.startswith("xl/worksheets/") and is_xml
    data = _inflate(archive, raw, info)
    if data is None:
        return [problem("workbook-zip-bomb", where, part=info.filename,
                        reason="it inflates beyond its declared size")]
    if not is_xml:
        return []
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:200]:
        return [problem("workbook-unreadable", where, reason=f"the part {info.filename} is not "
                        "UTF-8 XML, as Excel and LibreOffice write it")]
    if _declares_dtd(data):
        return [problem("workbook-xml-entities", where, part=info.filename)]
    if is_sheet:
        rows, columns = _extent(data)
        if rows > limits.max_rows or rows * columns > limits.max_cells:
            return [problem("sheet-too-large", where, part=info.filename, rows=rows,
                            limit=limits.max_rows)]
    return []


def _declares_dtd(data: bytes) -> bool:
    """Whether the XML prolog (before the root element) holds a DTD, however long it is."""
    at, end = 0, len(data)
    if data.startswith(b"\xef\xbb\xbf"):
        at = 3
    while at < end:
        while at < end and data[at] in b" \t\r\n":
            at += 1
        if data.startswith(b"<?", at):
            close = data.find(b"?>", at + 2)
        elif data.startswith(b"<!--", at):
            close = data.find(b"-->", at + 4)
        else:
            return bool(_DTD.match(data, at))
        if close < 0:
            return False
        at = close + 2 if data[close] == ord("?") else close + 3
    return False


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


def _extent(data: bytes) -> tuple[int, int]:
    """The largest row and column a sheet really uses (or declares), whichever is larger.

    Readers allocate a dense grid up to the furthest cell, so one stray cell at XFD40000 would
    cost gigabytes; the declared dimension alone cannot be trusted.
    """
    rows = columns = 0
    dimension = _DIMENSION.search(data[:_PROLOG_BYTES])
    if dimension and dimension.group(2):
        rows, columns = int(dimension.group(2)), _column_number(dimension.group(1))
    for match in _FAR_CELL.finditer(data):
        if match.start() == 0 or data[match.start() - 1] not in b" \t\r\n":
            continue
        letters, number = (match.group(1), match.group(2)) if match.group(1) else \
            (match.group(3), match.group(4))
        columns = max(columns, _column_number(letters))
        rows = max(rows, int(number))
    return rows, max(columns, 1)
