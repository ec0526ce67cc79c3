"""The gate every returned workbook passes before a parser sees it.

Returns arrive by email from many hands. Before python-calamine reads a file we check, cheaply and
with bounded memory, that it is an OOXML zip of a sane size: not a legacy or encrypted OLE file,
not macro-enabled, not a zip bomb (declared sizes and compression ratios, then an inflating pass
that stops at the limits and verifies CRCs), no DTDs (entity expansion, external entities), no
part declaring an absurd number of entries (readers reserve memory for them), and no sheet
reaching absurdly far (computed as a reader places cells: :mod:`rubric.read.sheetxml`).
The file is read once; the reader then parses those same bytes, so it cannot change between
the check and the read, and a path the OS gave as undecodable bytes reaches it intact.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from rubric.problems import Location, Problem, problem
from rubric.read.sheetxml import declared_count, scan_sheet

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_ENTRIES = 2_000
MAX_ENTRY_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 250 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, checked for entries above RATIO_FLOOR
RATIO_FLOOR = 2 * 1024 * 1024
MAX_ROWS = 50_000
MAX_CELLS = 5_000_000  # readers allocate a dense rows x columns grid: bound the product

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# Parts python-calamine (or openpyxl) parses to read a return: held to UTF-8, as Excel and
# LibreOffice write them. Other parts (Power Query's customXml, pivot caches, themes) are only
# checked for size and DTDs, decoded by their own encoding.
_PARSED_PARTS = frozenset({"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
                           "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
                           "xl/styles.xml"})
_PARSED_PREFIXES = ("xl/worksheets/",)


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


@dataclass(slots=True)
class Inspection:
    """What the gate found: its problems, and for a file that passed, the bytes it checked (so
    the reader parses exactly those) and the parts the reader needs again."""

    problems: list[Problem] = field(default_factory=list)
    data: bytes = b""
    parts: dict[str, bytes] = field(default_factory=dict)  # workbook.xml, its rels
    marked_sheets: dict[str, bytes] = field(default_factory=dict)  # sheets with formulas
    # every part as the gate inflated and checked it: (name, bytes, CRC-32), in zip order
    inflated: list[tuple[str, bytes, int]] = field(default_factory=list)

    def unpacked(self) -> bytes:
        """The workbook again, every part stored uncompressed: the reader parses exactly the
        bytes the gate inflated and checked, and does not inflate them a second time."""
        return stored_zip(self.inflated) if self.inflated else self.data


def check_workbook_file(path: Path, limits: ZipLimits = DEFAULT_LIMITS) -> list[Problem]:
    """Problems that make ``path`` unsafe or impossible to read; empty when it may be parsed."""
    return inspect_workbook(path, limits).problems


def inspect_workbook(path: Path, limits: ZipLimits = DEFAULT_LIMITS) -> Inspection:
    """Check ``path`` is safe to parse, reading it once; never raises on bad input."""
    where = Location(str(path))
    found = Inspection()
    try:
        size = path.stat().st_size
        if not path.is_file():
            found.problems = [problem("file-unreadable", where,
                                      reason="it is not a regular file")]
            return found
        if size > limits.max_file_bytes:
            found.problems = [problem("workbook-too-large", where, reason=f"the file is "
                                      f"{size:,} bytes; the limit is {limits.max_file_bytes:,}")]
            return found
        with path.open("rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except FileNotFoundError:
        found.problems = [problem("file-not-found", where)]
        return found
    except OSError as exc:
        found.problems = [problem("file-unreadable", where, reason=exc.strerror or str(exc))]
        return found
    found.problems = _check_bytes(data, where, limits, found)
    if not found.problems:
        found.data = data
    return found


def _check_bytes(data: bytes, where: Location, limits: ZipLimits,
                 found: Inspection) -> list[Problem]:
    if len(data) > limits.max_file_bytes:
        return [problem("workbook-too-large", where, reason=f"the file is over "
                        f"{limits.max_file_bytes:,} bytes")]
    head = data[:8]
    if head == _OLE_MAGIC:
        if _ENCRYPTED in data:
            return [problem("workbook-encrypted", where)]
        return [problem("workbook-legacy-xls", where)]
    if not head.startswith(b"PK"):
        return [problem("workbook-not-xlsx", where, found=_sniff(data[:512]))]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _check_archive(archive, data, where, limits, found)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        return [problem("workbook-truncated", where, reason=str(exc) or type(exc).__name__)]
    except NotImplementedError as exc:  # e.g. an unsupported compression method
        return [problem("workbook-unreadable", where, reason=str(exc))]
    except OSError as exc:
        return [problem("file-unreadable", where, reason=exc.strerror or str(exc))]


def _check_archive(archive: zipfile.ZipFile, raw: bytes, where: Location, limits: ZipLimits,
                   found: Inspection) -> list[Problem]:
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
    # Hand the reader the checked parts re-stored, unless a name comes twice or a part uses a
    # compression Excel never writes: then the reader gets the original, and judges it itself.
    keep = len(names) == len(entries) and all(
        info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for info in entries)
    for info in entries:
        problems = _inflate_and_scan(archive, raw, info, where, limits, found, keep=keep)
        if problems:
            found.inflated.clear()
            return problems
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
                      where: Location, limits: ZipLimits, found: Inspection, *,
                      keep: bool) -> list[Problem]:
    """Inflate one part within its declared size; look for DTDs, absurd declared counts and
    (in sheets) cells far away."""
    name = info.filename
    is_xml = name.endswith((".xml", ".rels", ".vml"))
    is_sheet = name.startswith("xl/worksheets/") and is_xml
    data = _inflate(archive, raw, info)
    if data is None:
        return [problem("workbook-zip-bomb", where, part=name,
                        reason="it inflates beyond its declared size")]
    if keep:
        found.inflated.append((name, data, info.CRC))
    if not is_xml:
        return []
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:200]:
        if name in _PARSED_PARTS or name.startswith(_PARSED_PREFIXES):
            return [problem("workbook-unreadable", where, reason=f"the part {name} is not "
                            "UTF-8 XML, as Excel and LibreOffice write it")]
        data = _as_utf8(data)  # a part rubric never parses: only its DTDs and counts matter
    if _declares_dtd(data):
        return [problem("workbook-xml-entities", where, part=name)]
    scan = scan_sheet(data, limits.max_rows, limits.max_cells) if is_sheet else None
    count = scan.count if scan is not None else declared_count(data)
    if count > limits.max_cells:
        return [problem("workbook-too-large", where, reason=f"the part {name} declares "
                        f"{count:,} entries; rubric reads at most {limits.max_cells:,}")]
    if scan is not None:
        if scan.extent.rows > limits.max_rows or scan.extent.cells > limits.max_cells:
            return [problem("sheet-too-large", where, part=name, rows=scan.extent.rows,
                            limit=limits.max_rows)]
        if scan.may_have_marks:
            found.marked_sheets[name] = data
    elif name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        found.parts[name] = data
    return []


def _as_utf8(data: bytes) -> bytes:
    """A UTF-16 part (by its byte order mark, or its first characters) as UTF-8."""
    little = data[:2] == b"\xff\xfe" or data[1:2] == b"\x00"
    encoding = "utf-16-le" if little else "utf-16-be"
    text = data.decode(encoding, errors="replace").lstrip("\ufeff")
    return text.encode("utf-8")


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


def stored_zip(parts: list[tuple[str, bytes, int]]) -> bytes:
    """A zip of ``parts`` (name, bytes, CRC-32 already checked), all stored uncompressed.

    Written by hand: zipfile would compute every CRC again. Sizes stay far below zip64's
    (the gate's limits), so the classic headers suffice.
    """
    local: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, data, crc in parts:
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else 0x800  # the name is UTF-8
        fields = (20, flags, 0, 0, 0x21, crc, len(data), len(data), len(encoded), 0)
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + encoded
        central.append(struct.pack("<IH", 0x02014B50, 20) +
                       struct.pack("<HHHHHIIIHH", *fields) +
                       struct.pack("<HHHII", 0, 0, 0, 0, offset) + encoded)
        local += (header, data)
        offset += len(header) + len(data)
    size = sum(map(len, central))
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), size, offset, 0)
    return b"".join([*local, *central, end])  # one buffer: each copy of it costs page faults
