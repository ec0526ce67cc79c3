"""The meeting commands as functions: what ``rubric meeting pack/record`` and ``rubric report``
run, so a web service runs exactly the same."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rubric.framework.store import FrameworkStore
from rubric.meeting.pack import PackResult, write_pack
from rubric.meeting.record_read import RecordResult, read_record
from rubric.meeting.store import StoreOutcome, store_record
from rubric.problems import Location, Problem, Refused, Report, problem
from rubric.read.files import require_returns


def meeting_day(value: str | None) -> dt.date | None:
    """``--meeting-date`` as a date, refused (coded) when it is not one."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise Refused(problem("date-invalid", Location("--meeting-date"), value=value)) from None


def make_pack(paths: Sequence[Path], output: Path, *, store: FrameworkStore | None = None,
              quad: str | None = None, quads_path: Path | None = None,
              meeting_date: dt.date | None = None, force: bool = False) -> PackResult:
    """Compare the Quad's returns and write pack.html, pack.xlsx and record.xlsx."""
    from rubric.compare.pipeline import run_comparison

    compared = run_comparison(paths, store=store, quad=quad, quads_path=quads_path)
    if compared.comparison is None:
        return PackResult(report=compared.report)
    written = write_pack(compared.comparison, output, meeting_date=meeting_date, force=force)
    written.report.problems[:0] = compared.report.problems
    return written


@dataclass(slots=True)
class RecordRun:
    """Each record read (and, when valid, stored), with what happened to it."""

    entries: list[tuple[RecordResult, StoreOutcome | None]] = field(default_factory=list)
    report: Report = field(default_factory=Report)

    def to_dict(self) -> dict[str, Any]:
        records = []
        for result, stored in self.entries:
            entry = result.to_dict()
            if stored is not None:
                entry.update(outcome=stored.outcome, id=stored.record_id,
                             replaced=stored.replaced)
                entry["warnings"] += [p.to_dict() for p in stored.report]
            records.append(entry)
        return {"records": records}


def _read_in_worker(directories: tuple[str, ...], path: str) -> RecordResult:
    """One record, read in a limited worker (module level, so workers can run it)."""
    result = read_record(path, FrameworkStore(*directories))
    result.framework = None  # nothing after reading needs it: cheaper to send back
    return result


def _crashed(path: str, found: Any) -> RecordResult:
    return RecordResult(path, report=Report([found]))


def read_records(paths: Sequence[Path], store: FrameworkStore) -> list[RecordResult]:
    """Read meeting records as untrusted files: in the same limited worker processes as
    returns (:mod:`rubric.read.sandbox`), so one whose reader dies costs only that file."""
    import functools
    import os

    from rubric.read.sandbox import run_guarded

    task = functools.partial(_read_in_worker, tuple(map(str, store.directories)))
    return list(run_guarded(task, [os.fspath(p) for p in paths], crashed=_crashed))


def _other_quad(result: RecordResult, members: Collection[str]) -> Problem | None:
    """A problem when the record names an authority that is not one of ``members``."""
    from rubric.meeting import layout

    record = result.record
    assert record is not None
    wanted = {m.casefold() for m in members}
    strangers = [m.name for m in record.members if m.code.casefold() not in wanted]
    if not strangers:
        return None
    row = layout.PROVENANCE_KEYS.index("members") + 1
    return problem("record-other-quad", Location(result.path, sheet=layout.PROVENANCE_SHEET,
                                                  cell=f"B{row}"), quad=record.quad,
                   strangers=", ".join(strangers))


def record_meetings(paths: Sequence[Path], db_path: Path,
                    store: FrameworkStore | None = None, *,
                    members: Collection[str] | None = None) -> RecordRun:
    """Read filled meeting records and keep the valid ones in the history at ``db_path``.

    With ``members`` (authority codes: a Quad lead's own Quad), a record that names any other
    authority is refused and not kept.
    """
    from rubric.cycles.history import open_history

    found = require_returns(paths)
    store = store or FrameworkStore()
    run = RecordRun(report=Report(list(found.report.problems)))
    history = None
    try:
        for result in read_records(found.files, store):
            if result.valid and members is not None:
                stranger = _other_quad(result, members)
                if stranger is not None:
                    result.report.add(stranger)
            run.report.extend(result.report)
            stored = None
            if result.valid:
                history = history or open_history(db_path)
                stored = store_record(history, result)
                run.report.extend(stored.report)
            run.entries.append((result, stored))
    finally:
        if history is not None:
            history.close()
    return run


REPORT_KINDS = (".html", ".htm", ".docx")


def make_report(db_path: Path, authority: str, cycle: str, output: Path, *,
                store: FrameworkStore | None = None, force: bool = False) -> Report:
    """Write the authority's report for ``cycle`` as HTML or Word, by ``output``'s name."""
    from rubric._io import OutputExists
    from rubric.cycles.cycle import check_cycle
    from rubric.cycles.history import open_existing_history
    from rubric.report.build import build_report

    cycle = check_cycle(cycle)
    kind = output.suffix.lower()
    if kind not in REPORT_KINDS:
        raise Refused(problem("output-name-mismatch", Location(str(output)), path=output,
                              reason="the report is written as .html or .docx",
                              hint="Name it e.g. report.html or report.docx."))
    if output.exists() and not force:
        raise Refused(problem("output-exists", Location(str(output)), path=output))
    history = open_existing_history(db_path)
    try:
        built = build_report(history, authority, cycle, store or FrameworkStore())
    finally:
        history.close()
    if built.document is None:
        return built.report
    try:
        if kind == ".docx":
            from rubric.report.docx import write_report_docx

            write_report_docx(built.document, output, force=force)
        else:
            from rubric.report.html import write_report_html

            write_report_html(built.document, output, force=force)
    except OutputExists:
        raise Refused(problem("output-exists", Location(str(output)), path=output)) from None
    return built.report
