"""Which files of a folder are returns: every workbook-like file, and a word on each skipped.

Returns arrive as email attachments saved by many programs: ``Stirling.XLSX`` from a Windows
mail client is as much a return as ``stirling.xlsx``. A folder scan takes every ``.xlsx`` in
any letter case and says why it left anything out (Excel's ``~$`` lock files, legacy or
macro-enabled workbooks, other spreadsheets, other files), never silently. A file named
explicitly is always taken: the reader then says what is wrong with it, if anything.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rubric.problems import Location, Report, display_path, problem

_HINTS = {
    "lock": "Excel leaves these while a workbook is open; close it there and ignore this file.",
    ".xls": "Open it and save it as an Excel workbook (.xlsx), then add it again.",
    ".xlsm": "Save it as a plain Excel workbook (.xlsx), without macros, then add it again.",
    ".xlsb": "Save it as an Excel workbook (.xlsx), then add it again.",
    ".ods": "Save it as an Excel workbook (.xlsx) from LibreOffice, then add it again.",
    "other": "Only .xlsx workbooks are read; name the file itself if it really is one.",
}
_SPREADSHEETS = {".xls": "a legacy Excel 97-2003 workbook (.xls)",
                 ".xlsm": "a macro-enabled workbook (.xlsm)",
                 ".xlsb": "a binary Excel workbook (.xlsb)",
                 ".ods": "an OpenDocument spreadsheet (.ods)"}


@dataclass(slots=True)
class FoundFiles:
    """The files to read, in order, and a warning for every file of a folder left out."""

    files: list[Path] = field(default_factory=list)
    report: Report = field(default_factory=Report)


def _skip_reason(path: Path) -> tuple[str, str] | None:
    """Why a file found in a folder is not a return to read (None: read it)."""
    name, suffix = path.name, path.suffix.lower()
    if name.startswith("~$"):
        return "an Excel lock file (~$...), not a return", _HINTS["lock"]
    if name.startswith("."):
        return "a hidden file", _HINTS["other"]
    if suffix == ".xlsx":
        return None
    if suffix in _SPREADSHEETS:
        return _SPREADSHEETS[suffix], _HINTS[suffix]
    return f"not a workbook ({suffix or 'no extension'})", _HINTS["other"]


def find_returns(paths: Sequence[Path | str]) -> FoundFiles:
    """Files as given; a folder stands for the workbooks directly inside it (sorted by name).

    Never raises: a folder that cannot be listed is a problem in the report.
    """
    found = FoundFiles()
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            found.files.append(path)
            continue
        try:
            entries = sorted(os.scandir(path), key=lambda entry: entry.name)
        except OSError as exc:
            found.report.add(problem("file-unreadable", Location(str(path)),
                                     reason=exc.strerror or str(exc)))
            continue
        for entry in entries:
            child = path / entry.name
            try:
                is_file = entry.is_file()
            except OSError:
                is_file = False
            if not is_file:
                continue  # sub-folders are not searched
            reason = _skip_reason(child)
            if reason is None:
                found.files.append(child)
            else:
                found.report.add(problem("file-skipped", Location(str(child)),
                                         reason=reason[0], hint=reason[1]))
    return found


def require_returns(paths: Sequence[Path | str]) -> FoundFiles:
    """:func:`find_returns`, refused with ``no-input-files`` when nothing is left to read."""
    from rubric.problems import Refused

    found = find_returns(paths)
    if not found.files:
        named = ", ".join(display_path(p) for p in paths) or "nothing"
        raise Refused(problem("no-input-files", Location(),
                              reason=f"no .xlsx workbooks in {named}"), found.report)
    return found
