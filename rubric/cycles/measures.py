"""Published figures per authority, measure and cycle, kept in the history.

Measures such as leaver destinations are published nationally; typing them into every
workbook invites slips. ``rubric measures import FILE.csv`` records them (columns
``authority, measure, cycle, value``, optional ``source``); templates are prefilled from them
(the baseline from the previous cycle, the current value from the template's cycle), and a
return's values are checked against them after reading, with a warning where they differ.

A CSV with any error imports nothing: all its problems are reported in one pass, located at
their line. Importing a figure again replaces it (a corrected publication).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rubric.cycles.cycle import is_cycle, previous_cycle
from rubric.cycles.history import History
from rubric.framework.model import Framework
from rubric.framework.store import FrameworkStore
from rubric.problems import Location, Problem, Report, display_path, problem
from rubric.response import ReadResult

MAX_CSV_BYTES = 20 * 1024 * 1024
COLUMNS = {  # column -> the header texts accepted for it (compared in lower case)
    "authority": ("authority", "authority code", "authority_code", "council", "code"),
    "measure": ("measure", "measure id", "measure_id"),
    "cycle": ("cycle", "school year"),
    "value": ("value",),
    "source": ("source",),
}
REQUIRED = ("authority", "measure", "cycle", "value")


@dataclass(frozen=True, slots=True)
class PublishedFigure:
    authority_code: str
    measure_id: str
    cycle: str
    value: float
    line: int = 0
    source: str = ""


@dataclass(slots=True)
class MeasuresImport:
    """What an import did: the figures read, how many were recorded, and every problem."""

    path: str
    figures: list[PublishedFigure] = field(default_factory=list)
    recorded: int = 0
    report: Report = field(default_factory=Report)

    def to_dict(self) -> dict:
        return {"path": display_path(self.path), "figures": len(self.figures),
                "recorded": self.recorded,
                "authorities": len({f.authority_code for f in self.figures}),
                "cycles": sorted({f.cycle for f in self.figures})}


def _decode(data: bytes) -> str:
    """UTF-8 (with or without Excel's BOM), else Windows-1252 as Excel's plain CSV writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_bytes(path: Path, report: Report) -> bytes | None:
    where = Location(str(path))
    try:
        if not path.is_file():
            report.add(problem("file-not-found", where) if not path.exists() else
                       problem("file-unreadable", where, reason="it is not a regular file"))
            return None
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            report.add(problem("file-too-large", where, size=size, limit=MAX_CSV_BYTES))
            return None
        return path.read_bytes()
    except OSError as exc:
        report.add(problem("file-unreadable", where, reason=exc.strerror or str(exc)))
        return None


def _number(text: str) -> float | None:
    cleaned = text.strip().removesuffix("%").strip()
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_measures_csv(path: str | Path) -> tuple[list[PublishedFigure], Report]:
    """Every figure in the CSV and every problem found, each at its line."""
    from rubric.registry.authorities import find, suggest

    report = Report()
    data = _read_bytes(Path(path), report)
    if data is None:
        return [], report
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else \
        "\t" if "\t" in first_line and "," not in first_line else ","
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    where = str(path)
    header = next(rows, None)
    names = [" ".join(h.split()).lower() for h in header or []]
    columns = {key: next((i for i, n in enumerate(names) if n in accepted), None)
               for key, accepted in COLUMNS.items()}
    missing = [key for key in REQUIRED if columns[key] is None]
    if missing:
        report.add(problem("measures-csv-columns", Location(where, 1), missing=" or ".join(
            repr(m) for m in missing), found=", ".join(repr(h) for h in header or []) or
            "nothing"))
        return [], report
    figures: list[PublishedFigure] = []
    seen: dict[tuple[str, str, str], PublishedFigure] = {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(key: str, row: list[str] = row) -> str:
            index = columns[key]
            return row[index].strip() if index is not None and index < len(row) else ""

        at = Location(where, line)
        name, measure, cycle, raw = (cell(k) for k in REQUIRED)
        authority = find(name) if name else None
        ok = True
        if authority is None:
            close = suggest(name) if name else []
            report.add(problem("measures-csv-authority", at, name=name, suggestion=(
                f"Did you mean {' or '.join(repr(c) for c in close)}? " if close else "")))
            ok = False
        if not is_cycle(cycle):
            report.add(problem("measures-csv-cycle", at, value=cycle))
            ok = False
        value = _number(raw)
        if value is None:
            report.add(problem("measures-csv-value", at, value=raw))
            ok = False
        if not measure:
            report.add(problem("measures-csv-columns", at, missing="'measure'",
                               found="an empty measure id on this line"))
            ok = False
        if not ok:
            continue
        assert authority is not None and value is not None
        figure = PublishedFigure(authority.code, measure, cycle, value, line, cell("source"))
        key = (figure.authority_code, measure, cycle)
        earlier = seen.get(key)
        if earlier is not None:
            if earlier.value != value:
                report.add(problem("measures-csv-duplicate", at, authority=authority.name,
                                   measure=measure, cycle=cycle, first=earlier.line))
            continue
        seen[key] = figure
        figures.append(figure)
    if not figures and report.valid:
        report.add(problem("measures-csv-empty", Location(where, 1)))
    return figures, report


def import_measures(path: str | Path, history: History, *,
                    framework: Framework | None = None) -> MeasuresImport:
    """Read the CSV and, when it has no errors, record every figure (replacing any earlier
    figure for the same authority, measure and cycle). With ``framework``, measure ids it does
    not know are warned about."""
    figures, report = read_measures_csv(path)
    run = MeasuresImport(str(path), figures, 0, report)
    if framework is not None:
        known = set(framework.measure_index) | {a for m in framework.measures
                                                 for a in m.aliases}
        for measure in sorted({f.measure_id for f in figures} - known):
            line = next(f.line for f in figures if f.measure_id == measure)
            report.add(problem("measures-csv-measure-unknown", Location(str(path), line),
                               framework=framework.key, measure=measure))
    if not report.valid or not figures:
        return run
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    source = display_path(Path(path).name)
    with history._write() as cursor:
        cursor.executemany(
            "INSERT INTO published_measures VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT "
            "(authority_code, measure_id, cycle) DO UPDATE SET value = excluded.value, "
            "source = excluded.source, imported_at = excluded.imported_at",
            [(f.authority_code, f.measure_id, f.cycle, f.value, f.source or source, now)
             for f in figures])
    run.recorded = len(figures)
    return run


def published(history: History, authority_code: str,
              cycles: Iterable[str]) -> dict[tuple[str, str], float]:
    """(measure id, cycle) -> the published figure, for one authority and the cycles given."""
    wanted = list(cycles)
    if not wanted:
        return {}
    marks = ", ".join("?" * len(wanted))
    return {(row[0], row[1]): row[2] for row in history.connection.execute(
        f"SELECT measure_id, cycle, value FROM published_measures WHERE authority_code = ? "
        f"AND cycle IN ({marks})", [authority_code, *wanted])}


def _figure(found: dict[tuple[str, str], float], framework: Framework, measure_id: str,
            cycle: str) -> float | None:
    """The figure for a measure, under its id or any former id (alias)."""
    measure = framework.measure_index[measure_id]
    for key in (measure_id, *measure.aliases):
        if (key, cycle) in found:
            return found[(key, cycle)]
    return None


def prefill_values(history: History, framework: Framework, authority_code: str,
                   cycle: str) -> dict[str, dict[str, float]]:
    """Measure id -> {"baseline": previous cycle's figure, "current": this cycle's}, for the
    figures published; empty when there are none."""
    before = previous_cycle(cycle)
    found = published(history, authority_code, (before, cycle))
    values: dict[str, dict[str, float]] = {}
    for measure_id in framework.measure_index:
        entry = {}
        for key, when in (("baseline", before), ("current", cycle)):
            value = _figure(found, framework, measure_id, when)
            if value is not None:
                entry[key] = value
        if entry:
            values[measure_id] = entry
    return values


def _current_cell(baseline_cell: str) -> str:
    """The Current cell beside a Baseline cell, as the template lays them out."""
    from rubric.xlsx import layout

    if not baseline_cell:
        return ""
    sheet, cell = layout.split_cell_ref(baseline_cell)
    letters = cell.rstrip("0123456789")
    row = cell[len(letters):]
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter.upper()) - 64
    keys = [c.key for c in layout.MEASURE_COLUMNS]
    shift = keys.index("current") - keys.index("baseline")
    return layout.cell_ref(sheet, f"{layout.column_letter(index - 1 + shift)}{row}")


def check_against_published(result: ReadResult, history: History) -> list[Problem]:
    """A warning at each measure value of the return that differs from the published figure
    (compared at the measure's own decimals)."""
    response, framework = result.response, result.framework
    if response is None or framework is None or not response.measures:
        return []
    from rubric.registry.authorities import find

    authority = find(response.authority_code) or find(response.authority)
    if authority is None or not is_cycle(response.cycle):
        return []
    before = previous_cycle(response.cycle)
    found = published(history, authority.code, (before, response.cycle))
    if not found:
        return []
    problems = []
    for measure_id, value in response.measures.items():
        measure = framework.measure_index.get(measure_id)
        if measure is None:
            continue
        for which, given, cycle, cell in (
                ("baseline", value.baseline, before, value.cell),
                ("current", value.current, response.cycle, _current_cell(value.cell))):
            figure = _figure(found, framework, measure_id, cycle)
            if given is None or figure is None:
                continue
            if round(given, measure.decimals) != round(figure, measure.decimals):
                sheet, ref = _split(cell)
                problems.append(problem(
                    "measure-differs-from-published", Location(result.path, sheet=sheet,
                                                               cell=ref),
                    which=f"{which} ({measure_id})", found=given, published=figure,
                    authority=authority.name, cycle=cycle))
    return problems


def _split(ref: str) -> tuple[str | None, str | None]:
    from rubric.xlsx import layout

    if not ref:
        return None, None
    return layout.split_cell_ref(ref)


def checked_against_published(results: Iterable[ReadResult], db_path: Path,
                              store: FrameworkStore) -> Iterator[ReadResult]:
    """Each result, with a warning at every measure value that differs from the figure
    published for its authority and cycle in the history at ``db_path`` (which must exist)."""
    from rubric.cycles.history import open_existing_history

    history = open_existing_history(db_path)
    try:
        for result in results:
            if result.valid and result.response is not None:
                if result.framework is None:
                    loaded = store.get(result.response.framework_id,
                                       result.response.framework_version)
                    result.framework = loaded.framework if loaded else None
                result.report.extend(check_against_published(result, history))
            yield result
    finally:
        history.close()
