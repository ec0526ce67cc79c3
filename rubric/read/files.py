"""Which files a command reads: files as named, folders scanned for returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rubric.problems import Location, Refused, Report, problem


@dataclass(slots=True)
class FoundFiles:
    files: list[Path] = field(default_factory=list)
    report: Report = field(default_factory=Report)  # warnings: files skipped and why


def find_returns(paths: Sequence[Path]) -> FoundFiles:
    """Files as given; a folder stands for the .xlsx files directly inside it."""
    found = FoundFiles()
    for path in paths:
        if path.is_dir():
            found.files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() == ".xlsx"
                                      and not p.name.startswith("~$") and p.is_file()))
        else:
            found.files.append(path)
    return found


def require_returns(paths: Sequence[Path]) -> FoundFiles:
    """:func:`find_returns`, refused with ``no-input-files`` when nothing is left to read."""
    found = find_returns(paths)
    if not found.files:
        named = ", ".join(str(p) for p in paths) or "nothing"
        raise Refused(problem("no-input-files", Location(named),
                              reason=f"no .xlsx workbooks in {named}"), found.report)
    return found
