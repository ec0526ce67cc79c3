"""A returned workbook -> :class:`Response`, validated against the framework that made it.

Provenance comes first (which framework and version, and was it this exact text), then answers
are located by the ids in the workbook's ID columns, so inserted rows, moved sheets and re-saves
by LibreOffice or Excel do not matter. Every problem is located at ``Sheet!Cell``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from rubric.framework.model import Framework
from rubric.framework.store import FrameworkStore
from rubric.problems import Location, Report, problem
from rubric.read.raw import Engine, RawWorkbook, Sheet, read_workbook
from rubric.response import ActionUpdate, MeasureValue, ReadResult, Response, ThemeAnswer
from rubric.xlsx import layout


def _text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _id(value: Any) -> str:
    """An ID cell as text; a number typed over an ID (1.1) reads as its shortest form."""
    if isinstance(value, float):
        return repr(value).removesuffix(".0")
    return _text(value)


MAX_PROVENANCE_CHARS = 500
# Sheets rubric writes that never hold answers: not worth converting when reading a return.
_NO_ANSWERS = frozenset({layout.INSTRUCTIONS_SHEET, layout.PROGRESS_SHEET, layout.LISTS_SHEET})
_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_DECIMAL_COMMA = re.compile(r"-?\d+,\d+")


def parse_number(value: Any) -> float | str | None:
    """A measure cell -> float, None when blank, or the original text when it is not a number."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return float(value)
    text = _text(value).replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    text = text.removesuffix("%")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return _text(value)
    return number if number == number and abs(number) != float("inf") else _text(value)


class _Reader:
    def __init__(self, book: RawWorkbook, framework: Framework, report: Report) -> None:
        self.book = book
        self.framework = framework
        self.report = report
        self.file = str(book.path)
        self.themes: dict[str, ThemeAnswer] = {}
        self.measures: dict[str, MeasureValue] = {}
        self.first_seen: dict[str, tuple[str, int, int]] = {}  # id -> (sheet, row, column)
        self.ids = set(framework.theme_index) | set(framework.indicator_index)
        self.actions: dict[str, ActionUpdate] = {}
        self.action_ids: set[str] = set()  # the ids the follow-up workbook was made with

    def at(self, sheet: Sheet, row: int, column: int) -> Location:
        return Location(self.file, sheet=sheet.name, cell=layout.cell_name(row, column))

    def first(self, item_id: str) -> str:
        sheet, row, column = self.first_seen[item_id]
        return f"{sheet}!{layout.cell_name(row, column)}"

    def add(self, code: str, sheet: Sheet, row: int, column: int, **context: Any) -> None:
        self.report.add(problem(code, self.at(sheet, row, column), **context))

    def run(self) -> None:
        for sheet in self.book.sheets:
            if sheet.name in layout.SUPPORT_SHEETS:
                continue
            self._read_sheet(sheet)
        self._check_missing()
        self._check_answers()

    # --- tables ------------------------------------------------------------------------------

    def _read_sheet(self, sheet: Sheet) -> None:
        themes = layout.find_header(sheet.rows, layout.ALL_THEME_COLUMNS,
                                    ("id", "level", "evidence", "strengths", "next_steps"))
        if themes is not None:
            self._read_theme_table(sheet, *themes)
            return
        measures = layout.find_header(sheet.rows, layout.MEASURE_COLUMNS,
                                      ("id", "baseline", "current"))
        if measures is not None:
            self._read_measure_table(sheet, *measures)
            return
        actions = layout.find_header(sheet.rows, layout.ACTION_COLUMNS,
                                     ("id", "action", "status", "progress_note"))
        if actions is not None:
            self._read_action_table(sheet, *actions)
            return
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row[:3]):
                if _id(value) in self.framework.theme_index:
                    missing = "Level" if "level" not in _headers(sheet, r) else "ID"
                    self.add("header-missing", sheet, r, c, header=missing)
                    return

    def _read_theme_table(self, sheet: Sheet, header: int, columns: dict[str, int]) -> None:
        id_col, level_col = columns["id"], columns["level"]
        level_at = layout.column_letter(level_col)
        text_cols = [columns.get(key, -1) for key in (*layout.THEME_TEXT_KEYS,
                                                        *layout.FOLLOW_UP_KEYS)]
        answer_cols = {columns[k] for k in layout.THEME_ANSWER_KEYS if k in columns}
        last_known = max(columns.values())
        unknown_inside = [c for c in range(last_known) if c not in columns.values()]
        themes, indicators = self.framework.theme_index, self.framework.indicator_index
        for r in range(header + 1, len(sheet.rows)):
            row = sheet.rows[r]
            width = len(row)
            row_id = _id(row[id_col]) if id_col < width else ""
            if row_id in themes:
                texts = [_text(row[c]) if 0 <= c < width else "" for c in text_cols]
                self._theme(sheet, r, row_id, row[level_col] if level_col < width else "",
                            texts, columns, layout.cell_ref(sheet.name, f"{level_at}{r + 1}"))
            elif row_id in indicators:
                self._stray_answers(sheet, r, row, answer_cols)
            elif row_id:
                self.add("id-unknown", sheet, r, id_col, id=row_id,
                         framework=self.framework.key)
            else:
                self._stray_answers(sheet, r, row, range(width))
                continue
            if width > last_known + 1 or unknown_inside:
                self._stray_answers(sheet, r, row, [*unknown_inside,
                                                    *range(last_known + 1, width)])

    def _theme(self, sheet: Sheet, r: int, theme_id: str, raw_level: Any, texts: list[str],
               columns: dict[str, int], level_cell: str) -> None:
        if theme_id in self.first_seen:
            self.add("id-duplicated", sheet, r, columns["id"], id=theme_id,
                     first=self.first(theme_id))
            return
        self.first_seen[theme_id] = (sheet.name, r, columns["id"])
        answer = layout.LevelAnswer()
        if not layout.is_blank(raw_level):
            scale = self.framework.scale
            parsed = layout.parse_level(raw_level, scale)
            if parsed is None:
                self.add("level-unknown", sheet, r, columns["level"], value=_text(raw_level),
                         choices=", ".join(layout.level_choices(scale)))
            else:
                answer = parsed
        evidence, strengths, next_steps, previous, progress = texts
        if previous == layout.NO_PREVIOUS_STEPS:
            previous = ""
        # Every value here was built by this reader from plain cells: no need to re-validate.
        self.themes[theme_id] = ThemeAnswer.trusted(
            id=theme_id, level=answer.value, special=answer.special, evidence=evidence,
            strengths=strengths, next_steps=next_steps, previous_next_steps=previous,
            progress=progress, cell=level_cell)

    def _stray_answers(self, sheet: Sheet, r: int, row: list[Any], columns: Iterable[int]) -> None:
        for c in sorted(columns):
            if c < len(row) and not layout.is_blank(row[c]):
                value = _text(row[c])
                self.add("answer-outside-framework", sheet, r, c,
                         value=value if len(value) <= 60 else value[:57] + "...")
                return

    def _read_measure_table(self, sheet: Sheet, header: int, columns: dict[str, int]) -> None:
        for r in range(header + 1, len(sheet.rows)):
            row = sheet.rows[r]
            cell = _cells(row, columns)
            measure_id = _id(cell("id"))
            if not measure_id:
                self._stray_answers(sheet, r, row, set(range(len(row))))
                continue
            measure = self.framework.measure_index.get(measure_id)
            if measure is None:
                self.add("id-unknown", sheet, r, columns["id"], id=measure_id,
                         framework=self.framework.key)
                continue
            if measure_id in self.first_seen:
                self.add("id-duplicated", sheet, r, columns["id"], id=measure_id,
                         first=self.first(measure_id))
                continue
            self.first_seen[measure_id] = (sheet.name, r, columns["id"])
            values: dict[str, float | None] = {}
            for key in ("baseline", "current"):
                parsed = parse_number(cell(key))
                if isinstance(parsed, str):
                    self.add("measure-not-a-number", sheet, r, columns[key], value=parsed)
                    parsed = None
                elif parsed is not None and measure.is_percent and 0 < abs(parsed) < 1:
                    self.add("measure-looks-like-fraction", sheet, r, columns[key],
                             id=measure_id, value=parsed)
                values[key] = parsed
            self.measures[measure_id] = MeasureValue(
                id=measure_id, baseline=values["baseline"], current=values["current"],
                notes=_text(cell("notes")),
                cell=layout.cell_ref(sheet.name,
                                     layout.cell_name(r, columns.get("baseline", 0))))

    def _read_action_table(self, sheet: Sheet, header: int, columns: dict[str, int]) -> None:
        statuses = {layout.normalise(s): s for s in layout.ACTION_STATUSES}
        for r in range(header + 1, len(sheet.rows)):
            row = sheet.rows[r]
            cell = _cells(row, columns)
            action_id = _id(cell("id"))
            if not action_id:
                self._stray_answers(sheet, r, row, [columns["status"], columns["progress_note"]])
                continue
            if action_id not in self.action_ids:
                self.add("action-id-unknown", sheet, r, columns["id"], id=action_id)
                continue
            if action_id in self.actions:  # action ids may be theme ids (next steps): own list
                self.add("id-duplicated", sheet, r, columns["id"], id=action_id,
                         first=self.actions[action_id].cell)
                continue
            raw = cell("status")
            status = ""
            if not layout.is_blank(raw):
                found = statuses.get(layout.normalise(raw))
                if found is None:
                    self.add("action-status-unknown", sheet, r, columns["status"],
                             value=_text(raw), choices=", ".join(layout.ACTION_STATUSES))
                    continue
                status = found
            self.actions[action_id] = ActionUpdate(
                id=action_id, action=_text(cell("action")), due=_text(cell("due")),
                status=status, progress=_text(cell("progress_note")),
                cell=layout.cell_ref(sheet.name, layout.cell_name(r, columns['status'])))

    # --- whole-return checks -----------------------------------------------------------------

    def _check_missing(self) -> None:
        for category in self.framework.categories:
            ids = [t.id for i in category.indicators for t in i.themes]
            sheet = layout.category_sheet_name(category)
            where = Location(self.file, sheet=sheet)
            if ids and not any(theme_id in self.themes for theme_id in ids):
                if not any(theme_id in self.first_seen for theme_id in ids):
                    self.report.add(problem("sheet-missing", where,
                                            what=f"key area {category.id} {category.title}"))
                continue
            for theme_id in ids:
                if theme_id not in self.first_seen:
                    self.report.add(problem("theme-missing", where, what="theme", id=theme_id))
        measures = self.framework.measures
        if measures and not self.measures:
            self.report.add(problem("sheet-missing", Location(self.file,
                                    sheet=layout.MEASURES_SHEET), what="the measures"))
        elif measures:
            for measure in measures:
                if measure.id not in self.measures:
                    self.report.add(problem("theme-missing", Location(
                        self.file, sheet=layout.MEASURES_SHEET), what="measure", id=measure.id))

    def _check_answers(self) -> None:
        not_evaluated = self.framework.scale.not_evaluated.label
        for answer in self.themes.values():
            sheet, cell = layout.split_cell_ref(answer.cell)
            where = Location(self.file, sheet=sheet, cell=cell)
            scored = answer.level is not None
            if scored and not answer.evidence:
                self.report.add(problem("level-without-evidence", where, id=answer.id))
            if answer.evidence and answer.level is None and answer.special is None:
                self.report.add(problem("evidence-without-level", where, id=answer.id,
                                        not_evaluated=not_evaluated))


def _headers(sheet: Sheet, row: int) -> set[str]:
    found = set()
    for r in range(max(0, row - layout.HEADER_SEARCH_ROWS), row):
        for value in sheet.rows[r]:
            for column in layout.ALL_THEME_COLUMNS:
                if layout.header_matches(value, column):
                    found.add(column.key)
    return found


def _cells(row: list[Any], columns: dict[str, int]) -> Any:
    def cell(key: str) -> Any:
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else ""
    return cell


def read_provenance(book: RawWorkbook, report: Report) -> dict[str, str]:
    """The provenance sheet's key/value pairs; problems when it is missing or damaged."""
    where = Location(str(book.path), sheet=layout.PROVENANCE_SHEET)
    sheet = book.sheet(layout.PROVENANCE_SHEET)
    if sheet is None:
        report.add(problem("provenance-missing", where,
                           reason=f"no sheet named {layout.PROVENANCE_SHEET!r}"))
        return {}
    values = {_text(row[0]): _text(row[1]) for row in sheet.rows if len(row) >= 2 and row[0]}
    if values.get("format") != layout.FORMAT:
        report.add(problem("provenance-invalid", Location(str(book.path), sheet=sheet.name,
                                                          cell="B1"),
                           reason=f"format is {values.get('format')!r}, expected "
                           f"{layout.FORMAT!r}"))
        return values
    for key in ("framework_id", "framework_version", "framework_hash", "authority"):
        if len(values.get(key, "")) > MAX_PROVENANCE_CHARS:
            row = layout.PROVENANCE_KEYS.index(key) + 1
            report.add(problem("provenance-invalid", Location(str(book.path), sheet=sheet.name,
                                                              cell=f"B{row}"),
                               reason=f"{key} is {len(values[key]):,} characters long"))
        elif not values.get(key):
            row = layout.PROVENANCE_KEYS.index(key) + 1
            report.add(problem("provenance-invalid", Location(str(book.path), sheet=sheet.name,
                                                              cell=f"B{row}"),
                               reason=f"{key} is missing"))
    return values


def _resolve_framework(provenance: dict[str, str], store: FrameworkStore, file: str,
                       report: Report) -> Framework | None:
    framework_id = provenance["framework_id"]
    version = provenance["framework_version"]
    where = Location(file, sheet=layout.PROVENANCE_SHEET, cell="B3")
    loaded = store.get(framework_id, version)
    if loaded is None:
        known = store.versions(framework_id)
        report.add(problem("provenance-unknown-framework", where, framework=framework_id,
                           version=version, directory=store.describe(),
                           known="known versions: " + ", ".join(known) if known
                           else "no versions of it are there"))
        return None
    if not loaded.valid or loaded.framework is None:
        report.add(problem("provenance-framework-invalid", where, path=loaded.path))
        return None
    framework = loaded.framework
    if provenance["framework_hash"] != framework.content_hash:
        report.add(problem("provenance-hash-mismatch", Location(file,
                           sheet=layout.PROVENANCE_SHEET, cell="B4"), framework=framework_id,
                           version=version, found=provenance["framework_hash"][:19],
                           expected=framework.content_hash[:19]))
    return framework


def read_return(path: str | Path, store: FrameworkStore | None = None, *,
                engine: Engine = "calamine") -> ReadResult:
    """Read and validate one returned workbook; bad input becomes problems, never exceptions."""
    store = store or FrameworkStore()
    result = ReadResult(str(path))
    book, problems = read_workbook(path, engine=engine, skip=_NO_ANSWERS)
    result.report.extend(problems)
    if book is None:
        return result
    result.provenance = read_provenance(book, result.report)
    if not result.report.valid:
        return result
    framework = _resolve_framework(result.provenance, store, str(path), result.report)
    if framework is None:
        return result
    result.framework = framework
    reader = _Reader(book, framework, result.report)
    reader.action_ids = {a.strip() for a in provenance_actions(result.provenance) if a.strip()}
    reader.run()
    ordered = {tid: reader.themes[tid] for tid in framework.theme_index if tid in reader.themes}
    provenance = result.provenance
    result.response = Response(
        path=str(path),
        framework_id=framework.id,
        framework_version=framework.version,
        framework_hash=provenance["framework_hash"],
        authority=provenance["authority"],
        authority_code=provenance.get("authority_code", ""),
        cycle=provenance.get("cycle", ""),
        created_at=provenance.get("created_at", ""),
        migrated_from=provenance.get("migrated_from", ""),
        themes=ordered,
        measures=reader.measures,
        actions=reader.actions,
    )
    return result


def provenance_actions(provenance: dict[str, str]) -> list[str]:
    """The action ids a follow-up workbook was made with (its provenance lists them)."""
    return provenance.get("follow_up_actions", "").split(",")


def read_returns(paths: list[Path], store: FrameworkStore | None = None) -> Iterator[ReadResult]:
    store = store or FrameworkStore()
    for path in paths:
        yield read_return(path, store)
