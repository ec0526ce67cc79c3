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
from rubric.xlsx.cells import CELL_LIMIT, cell_id, cell_text


def _raw_text(value: Any) -> str:
    """A continuation cell's text exactly as written: its spaces join the pieces."""
    return value if isinstance(value, str) else _text(value)


_text = cell_text  # the one reading of a cell as text, shared with the meeting record reader


def _cell_text(value: Any) -> str:
    """:func:`_text`, with text cells (nearly all of a return) taken without a call."""
    return value.strip() if type(value) is str else _text(value)


_id = cell_id


MAX_PROVENANCE_CHARS = 500
# A judgement more than this many levels from its graded themes' aggregate gets a warning.
JUDGEMENT_GAP = 1.0
# Sheets rubric writes that never hold answers: not worth converting when reading a return.
_NO_ANSWERS = frozenset({layout.INSTRUCTIONS_SHEET, layout.PROGRESS_SHEET, layout.LISTS_SHEET})
CONTINUED = layout.CONTINUED  # "<id> (continued)": a row going on with a theme's texts
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


# The order of a theme's plain answer (``_Reader.answers``), as ThemeAnswer names its fields.
_ANSWER_FIELDS = ("level", "special", "evidence", "strengths", "next_steps",
                  "previous_next_steps", "progress", "cell")
LEVEL, SPECIAL, EVIDENCE, STRENGTHS, NEXT_STEPS = 0, 1, 2, 3, 4


class _Reader:
    def __init__(self, book: RawWorkbook, framework: Framework, report: Report) -> None:
        self.book = book
        self.framework = framework
        self.report = report
        self.file = str(book.path)
        # theme id -> its answer as plain data (see _ANSWER_FIELDS): models are built only when
        # a caller asks for a Response (``themes()``); scoring and checks use these tuples.
        self.answers: dict[str, tuple[Any, ...]] = {}
        self.judgements: dict[str, ThemeAnswer] = {}  # judged indicators: id -> judgement
        self.measures: dict[str, MeasureValue] = {}
        self.first_seen: dict[str, tuple[str, int, int]] = {}  # id -> (sheet, row, column)
        self.ids = set(framework.theme_index) | set(framework.indicator_index)
        self.actions: dict[str, ActionUpdate] = {}
        self.action_ids: set[str] = set()  # the ids the follow-up workbook was made with
        self.own_sheets = {layout.category_sheet_name(c).casefold()
                           for c in framework.categories} | {layout.MEASURES_SHEET.casefold()}
        # '(continued)' rows: (theme id, their texts as written), joined once all is read
        self.continued: list[tuple[str, list[str]]] = []
        self.text_columns: dict[str, list[int]] = {}  # sheet -> its theme text columns
        # texts exactly a cell's limit long: (theme id, text key, sheet, row, column)
        self.full_cells: list[tuple[str, str, Sheet, int, int]] = []
        # every percentage given: (value, measure id, sheet, row, column)
        self.percentages: list[tuple[float, str, Sheet, int, int]] = []

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
        self._join_continued()
        self._check_missing()
        self._check_judgements()
        self._check_answers()
        self._check_fractions()
        self._check_completion()

    def mark(self, sheet: Sheet, r: int, c: int, value: Any) -> bool:
        """Report a formula or error value in an answer cell; True when the value is lost."""
        found = sheet.marks.get((r, c)) if sheet.marks else None
        if found is None:
            return False
        if found.kind == "error":
            self.add("answer-error-value", sheet, r, c, value=found.text)
            return True
        shown = _text(value)
        self.add("answer-formula", sheet, r, c, formula=found.text,
                 value=shown if len(shown) <= 60 else shown[:57] + "...")
        return False

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
        if sheet.name.casefold() not in self.own_sheets:
            # Someone's own sheet (an action plan, notes): never read, whatever ids it lists.
            self.report.add(problem("sheet-not-in-framework", Location(self.file,
                                    sheet=sheet.name), sheet=sheet.name,
                                    framework=self.framework.key))
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
        self.text_columns[sheet.name] = text_cols
        last_known = max(columns.values())
        unknown_inside = [c for c in range(last_known) if c not in columns.values()]
        themes, indicators = self.framework.theme_index, self.framework.indicator_index
        level_prefix = layout.cell_ref(sheet.name, level_at)  # + row number: the level cell
        # rows at least this wide need no bounds check per text cell (when every column is there)
        full_width = max(text_cols) + 1 if min(text_cols) >= 0 else 1 << 30
        for r in range(header + 1, len(sheet.rows)):
            row = sheet.rows[r]
            width = len(row)
            row_id = _id(row[id_col]) if id_col < width else ""
            if row_id in themes:
                if width >= full_width:
                    raw = [row[c] for c in text_cols]
                else:
                    raw = [row[c] if 0 <= c < width else "" for c in text_cols]
                texts = [v.strip() if type(v) is str else _text(v) for v in raw]
                if sheet.marks:
                    texts = self._marked_texts(sheet, r, row, text_cols, texts)
                for key, c, value in zip(layout.THEME_TEXT_KEYS, text_cols, raw, strict=False):
                    if type(value) is str and len(value) == CELL_LIMIT:
                        self.full_cells.append((row_id, key, sheet, r, c))
                self._theme(sheet, r, row_id, row[level_col] if level_col < width else "",
                            texts, columns, f"{level_prefix}{r + 1}")
            elif row_id.endswith(CONTINUED) and self._continues(row_id.removesuffix(CONTINUED)):
                texts = [_raw_text(row[c]) if 0 <= c < width else "" for c in text_cols]
                self.continued.append((row_id.removesuffix(CONTINUED), texts))
                self._stray_answers(sheet, r, row, [level_col])
            elif row_id in indicators and self.framework.judges(row_id):
                self._judgement(sheet, r, row, row_id, columns, text_cols,
                                layout.cell_ref(sheet.name, f"{level_at}{r + 1}"))
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

    def _marked_texts(self, sheet: Sheet, r: int, row: list[Any], columns: list[int],
                      texts: list[str]) -> list[str]:
        """The row's texts, with a formula or error value in any of them reported (and an
        error value read as blank)."""
        marked = []
        for c, text in zip(columns, texts, strict=True):
            value = row[c] if 0 <= c < len(row) else ""
            marked.append("" if c >= 0 and self.mark(sheet, r, c, value) else text)
        return marked

    def _theme(self, sheet: Sheet, r: int, theme_id: str, raw_level: Any, texts: list[str],
               columns: dict[str, int], level_cell: str) -> None:
        if theme_id in self.first_seen:
            self.add("id-duplicated", sheet, r, columns["id"], id=theme_id,
                     first=self.first(theme_id))
            return
        self.first_seen[theme_id] = (sheet.name, r, columns["id"])
        level = special = None
        if sheet.marks and self.mark(sheet, r, columns["level"], raw_level):
            raw_level = ""
        if not layout.is_blank(raw_level):
            scale = self.framework.scale
            parsed = layout.parse_level(raw_level, scale)
            if parsed is None:
                self.add("level-unknown", sheet, r, columns["level"], value=_text(raw_level),
                         choices=", ".join(layout.level_choices(scale)))
            else:
                level, special = parsed.value, parsed.special
        evidence, strengths, next_steps, previous, progress = texts
        if previous == layout.NO_PREVIOUS_STEPS:
            previous = ""
        self.answers[theme_id] = (level, special, evidence, strengths, next_steps, previous,
                                  progress, level_cell)

    def themes(self, order: Iterable[str]) -> dict[str, ThemeAnswer]:
        """The answers as models, in ``order`` (the framework's), for a :class:`Response`."""
        answers = self.answers
        # Every value was built by this reader from plain cells: no need to re-validate.
        return {tid: ThemeAnswer.trusted(id=tid, **dict(zip(_ANSWER_FIELDS, answers[tid],
                                                            strict=True)))
                for tid in order if tid in answers}

    def _continues(self, item_id: str) -> bool:
        """Whether '<item_id> (continued)' rows may go on with its texts: a theme's, or a
        judged indicator's."""
        return item_id in self.framework.theme_index or (
            item_id in self.framework.indicator_index and self.framework.judges(item_id))

    def _judgement(self, sheet: Sheet, r: int, row: list[Any], indicator_id: str,
                   columns: dict[str, int], text_cols: list[int], level_cell: str) -> None:
        """An indicator's own row, when the framework judges it as a whole: its level and
        texts, read as a theme's are."""
        if indicator_id in self.first_seen:
            self.add("id-duplicated", sheet, r, columns["id"], id=indicator_id,
                     first=self.first(indicator_id))
            return
        self.first_seen[indicator_id] = (sheet.name, r, columns["id"])
        width = len(row)
        texts = [_text(row[c]) if 0 <= c < width else "" for c in text_cols]
        if sheet.marks:
            texts = self._marked_texts(sheet, r, row, text_cols, texts)
        raw_level = row[columns["level"]] if columns["level"] < width else ""
        if sheet.marks and self.mark(sheet, r, columns["level"], raw_level):
            raw_level = ""
        answer = layout.LevelAnswer()
        if not layout.is_blank(raw_level):
            scale = self.framework.scale
            parsed = layout.parse_level(raw_level, scale)
            if parsed is None:
                self.add("level-unknown", sheet, r, columns["level"], value=_text(raw_level),
                         choices=", ".join(layout.level_choices(scale)))
            else:
                answer = parsed
        evidence, strengths, next_steps, _, progress = texts
        self.judgements[indicator_id] = ThemeAnswer.trusted(
            id=indicator_id, level=answer.value, special=answer.special, evidence=evidence,
            strengths=strengths, next_steps=next_steps, previous_next_steps="",
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
                raw = cell(key)
                if sheet.marks and key in columns and self.mark(sheet, r, columns[key], raw):
                    raw = ""
                parsed = parse_number(raw)
                if isinstance(parsed, str):
                    self.add("measure-not-a-number", sheet, r, columns[key], value=parsed)
                    parsed = None
                elif parsed is not None and measure.is_percent:
                    self.percentages.append((parsed, measure_id, sheet, r, columns[key]))
                values[key] = parsed
            notes = _text(cell("notes"))
            if isinstance(cell("notes"), str) and len(cell("notes")) == CELL_LIMIT:
                self.add("text-at-cell-limit", sheet, r, columns["notes"], limit=CELL_LIMIT)
            if sheet.marks and "notes" in columns and self.mark(sheet, r, columns["notes"],
                                                                cell("notes")):
                notes = ""
            self.measures[measure_id] = MeasureValue.model_construct(  # values made here
                id=measure_id, baseline=values["baseline"], current=values["current"],
                notes=notes,
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
            if ids and not any(theme_id in self.answers for theme_id in ids):
                if not any(theme_id in self.first_seen for theme_id in ids):
                    self.report.add(problem("sheet-missing", self._category_sheet(category),
                                            what=f"key area {category.id} {category.title}"))
                continue
            for theme_id in ids:
                if theme_id not in self.first_seen:
                    self.report.add(problem("theme-missing", self._category_sheet(category),
                                            what="theme", id=theme_id))
        for category in self.framework.categories:
            for indicator in category.indicators:
                if (self.framework.judges(indicator) and indicator.id not in self.first_seen
                        and any(t.id in self.first_seen for t in indicator.themes)):
                    self.report.add(problem("theme-missing", self._category_sheet(category),
                                            what="indicator",
                                            id=indicator.id))
        measures = self.framework.measures
        if measures and not self.measures:
            self.report.add(problem("sheet-missing", Location(self.file,
                                    sheet=layout.MEASURES_SHEET), what="the measures"))
        elif measures:
            for measure in measures:
                if measure.id not in self.measures:
                    self.report.add(problem("theme-missing", Location(
                        self.file, sheet=layout.MEASURES_SHEET), what="measure", id=measure.id))

    def _category_sheet(self, category: Any) -> Location:
        return Location(self.file, sheet=layout.category_sheet_name(category))

    def _join_continued(self) -> None:
        """Texts above a cell's limit go on over '(continued)' rows (as migration and
        comparisons write them): join them, in order and exactly, to the theme's own texts."""
        if not self.continued:
            return
        joined: dict[str, list[str]] = {}
        for theme_id, texts in self.continued:
            if theme_id not in self.answers and theme_id not in self.judgements:
                continue  # the theme's own row was refused: its problem is reported there
            if theme_id not in joined:
                sheet_name, r, _ = self.first_seen[theme_id]
                row = next(s for s in self.book.sheets if s.name == sheet_name).rows[r]
                joined[theme_id] = [_raw_text(row[c]) if 0 <= c < len(row) else ""
                                    for c in self.text_columns[sheet_name]]
            joined[theme_id] = [own + more for own, more in zip(joined[theme_id], texts,
                                                                strict=True)]
        keys = (*layout.THEME_TEXT_KEYS, *layout.FOLLOW_UP_KEYS)
        for theme_id, texts in joined.items():
            if theme_id in self.judgements:
                values = dict(self.judgements[theme_id].__dict__)
                values.update({key: text.strip() for key, text in zip(keys, texts, strict=True)
                               if key != "previous_next_steps"})
                self.judgements[theme_id] = ThemeAnswer.trusted(**values)
                continue
            values = dict(zip(_ANSWER_FIELDS, self.answers[theme_id], strict=True))
            values.update({key: text.strip() for key, text in zip(keys, texts, strict=True)
                           if key != "previous_next_steps"})
            self.answers[theme_id] = tuple(values[key] for key in _ANSWER_FIELDS)

    def _check_answers(self) -> None:
        not_evaluated = self.framework.scale.not_evaluated.label
        for theme_id, answer in self.answers.items():
            level, special, evidence = answer[LEVEL], answer[SPECIAL], answer[EVIDENCE]
            if level is not None and not evidence:
                self.report.add(problem("level-without-evidence", self._cell(answer),
                                        id=theme_id))
            elif (evidence and level is None and special is None
                  and self.framework.grades_themes(self.framework.theme_index[theme_id][1])):
                self.report.add(problem("evidence-without-level", self._cell(answer),
                                        id=theme_id, not_evaluated=not_evaluated))
        for theme_id, key, sheet_at, r, c in self.full_cells:
            found = self.answers.get(theme_id)
            if found is not None and len(found[_ANSWER_FIELDS.index(key)]) <= CELL_LIMIT:
                self.add("text-at-cell-limit", sheet_at, r, c, limit=CELL_LIMIT)  # not continued

    def _cell(self, answer: tuple[Any, ...]) -> Location:
        """Where a theme's level cell is (made only for a problem there)."""
        sheet, cell = layout.split_cell_ref(answer[-1])
        return Location(self.file, sheet=sheet, cell=cell)

    def _check_judgements(self) -> None:
        """What is graded is the framework's: a level on a theme its indicator is judged
        without is reported and not used; a judged indicator needs its judgement, grounded in
        evidence and, when its themes are graded too, not far from them."""
        from rubric.scoring import aggregate

        framework = self.framework
        not_evaluated = framework.scale.not_evaluated.label
        for indicator in framework.indicators():
            grading = framework.grading_of(indicator)
            if grading == "themes":
                continue
            themes = [(t.id, self.answers[t.id]) for t in indicator.themes
                      if t.id in self.answers]
            if grading == "indicator":
                for theme_id, answer in themes:
                    if answer[LEVEL] is None and answer[SPECIAL] is None:
                        continue
                    self.report.add(problem("level-not-graded", self._cell(answer),
                                            id=theme_id, indicator=indicator.id))
                    self.answers[theme_id] = (None, None, *answer[2:])
                themes = [(theme_id, self.answers[theme_id]) for theme_id, _ in themes]
            judgement = self.judgements.get(indicator.id)
            if judgement is None:
                continue  # no row: reported by _check_missing
            sheet, cell = layout.split_cell_ref(judgement.cell)
            where = Location(self.file, sheet=sheet, cell=cell)
            evidence = bool(judgement.evidence) or any(a[EVIDENCE] for _, a in themes)
            if judgement.level is None and judgement.special is None:
                if judgement.has_text or any(any(a[EVIDENCE:NEXT_STEPS + 1]) or
                                             a[LEVEL] is not None for _, a in themes):
                    self.report.add(problem("judgement-missing", where, id=indicator.id,
                                            not_evaluated=not_evaluated))
                continue
            if judgement.level is not None and not evidence:
                self.report.add(problem("judgement-without-evidence", where, id=indicator.id))
            levels = [(float(a[LEVEL]), t.weight) for t in indicator.themes
                      if (a := self.answers.get(t.id)) is not None and a[LEVEL] is not None]
            if grading == "both" and judgement.level is not None and levels:
                rule = framework.scoring.theme_to_indicator
                value = aggregate(rule, [v for v, _ in levels], [w for _, w in levels])
                if abs(judgement.level - value) > JUDGEMENT_GAP:
                    self.report.add(problem(
                        "judgement-far-from-themes", where, id=indicator.id,
                        level=judgement.level, themes=round(value, 2),
                        rule=rule.replace("_", " ")))

    def _check_fractions(self) -> None:
        """A percentage typed as a fraction (0.7) is an error when the return's other
        percentages are clearly on a 0-100 scale; a warning when all of them look like
        fractions (the return may be consistently wrong, or the figures really are small)."""
        fractions = [p for p in self.percentages if 0 < abs(p[0]) < 1]
        if not fractions:
            return
        wholes = [p for p in self.percentages if abs(p[0]) > 1]
        for value, measure_id, sheet, r, c in fractions:
            if wholes:
                other, _, other_sheet, other_r, other_c = wholes[0]
                self.add("measure-fraction-among-percentages", sheet, r, c, value=value,
                         other=other, percent=round(value * 100, 6),
                         other_cell=f"{other_sheet.name}!{layout.cell_name(other_r, other_c)}")
            else:
                self.add("measure-looks-like-fraction", sheet, r, c, id=measure_id,
                         value=value)

    def _check_completion(self) -> None:
        """Say how complete a return is when no level is chosen or it is mostly empty; what
        counts is what the framework grades (themes, indicators' judgements or both)."""
        framework = self.framework
        graded = [t.id for i in framework.indicators() if framework.grades_themes(i)
                  for t in i.themes]
        judged = [i.id for i in framework.indicators() if framework.judges(i)]
        total = len(graded) + len(judged)
        given = [(a[LEVEL], a[SPECIAL]) for t in graded if (a := self.answers.get(t))]
        given += [(j.level, j.special) for i in judged if (j := self.judgements.get(i))]
        answers = [a for a in given if a[0] is not None or a[1] is not None]
        levels = sum(a[0] is not None for a in answers)
        threshold = self.framework.scoring.min_answered_share
        if total == 0 or (levels and len(answers) / total >= threshold):
            return
        scale = self.framework.scale
        self.report.add(problem(
            "return-incomplete", Location(self.file), answered=len(answers), total=total,
            percent=round(100 * len(answers) / total), threshold=round(100 * threshold),
            what="themes" if not judged else "judgements" if not graded
            else "themes and judgements", one="theme" if not judged else "indicator"
            if not graded else "theme and indicator",
            detail="" if levels else "; no level chosen",
            not_applicable=scale.not_applicable.label, not_evaluated=scale.not_evaluated.label))


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
    loaded, usable = store.usable(framework_id, version)
    if loaded is None:
        known = store.versions(framework_id)
        report.add(problem("provenance-unknown-framework", where, framework=framework_id,
                           version=version, directory=store.describe(),
                           known="known versions: " + ", ".join(known) if known
                           else "no versions of it are there"))
        return None
    if not usable or loaded.framework is None:
        report.add(problem("provenance-framework-invalid", where, path=loaded.path))
        return None
    framework = loaded.framework
    if provenance["framework_hash"] != framework.content_hash:
        report.add(problem("provenance-hash-mismatch", Location(file,
                           sheet=layout.PROVENANCE_SHEET, cell="B4"), framework=framework_id,
                           version=version, found=provenance["framework_hash"][:19],
                           expected=framework.content_hash[:19]))
    return framework


def _read(path: str | Path, store: FrameworkStore | None, engine: Engine
          ) -> tuple[ReadResult, _Reader | None]:
    """Read and check one return; the reader holds its answers as plain data (None when the
    return could not be read that far)."""
    store = store or FrameworkStore()
    result = ReadResult(str(path))
    book, problems = read_workbook(path, engine=engine, skip=_NO_ANSWERS)
    result.report.extend(problems)
    if book is None:
        return result, None
    result.provenance = read_provenance(book, result.report)
    if not result.report.valid:
        return result, None
    framework = _resolve_framework(result.provenance, store, str(path), result.report)
    if framework is None:
        return result, None
    result.framework = framework
    reader = _Reader(book, framework, result.report)
    reader.action_ids = {a.strip() for a in provenance_actions(result.provenance) if a.strip()}
    reader.run()
    return result, reader


def _response(result: ReadResult, framework: Framework, reader: _Reader, *,
              answers: bool) -> Response:
    """The response read; without its theme answers and measures when ``answers`` is false
    (what validation reports and the hot path need)."""
    provenance = result.provenance
    # Built from values this reader made itself; validated when the answers are asked for
    # (the API boundary), trusted on the hot path.
    build = Response if answers else Response.model_construct
    return build(
        path=result.path,
        framework_id=framework.id,
        framework_version=framework.version,
        framework_hash=provenance["framework_hash"],
        authority=provenance["authority"],
        authority_code=provenance.get("authority_code", ""),
        cycle=provenance.get("cycle", ""),
        created_at=provenance.get("created_at", ""),
        migrated_from=provenance.get("migrated_from", ""),
        themes=reader.themes(framework.theme_index) if answers else {},
        judgements={i: reader.judgements[i] for i in framework.indicator_index
                    if i in reader.judgements},
        measures=reader.measures if answers else {},
        actions=reader.actions,
    )


def read_return(path: str | Path, store: FrameworkStore | None = None, *,
                engine: Engine = "calamine") -> ReadResult:
    """Read and validate one returned workbook; bad input becomes problems, never exceptions."""
    result, reader = _read(path, store, engine)
    if reader is not None and result.framework is not None:
        result.response = _response(result, result.framework, reader, answers=True)
    return result


PlainAnswers = dict[str, tuple[Any, ...]]  # theme id -> (level, special, evidence, ...)


def read_return_plain(path: str | Path, store: FrameworkStore | None = None, *,
                      engine: Engine = "calamine") -> tuple[ReadResult, PlainAnswers]:
    """:func:`read_return` for the hot path: the same report and provenance, a response
    without its answers (no models built for them), and the theme answers as plain tuples
    (in :data:`ANSWER_FIELDS` order) for :func:`rubric.scoring.score_answers`."""
    result, reader = _read(path, store, engine)
    if reader is None or result.framework is None:
        return result, {}
    result.response = _response(result, result.framework, reader, answers=False)
    return result, reader.answers


def read_return_plain_measures(path: str | Path, store: FrameworkStore | None = None, *,
                               engine: Engine = "calamine") -> tuple[ReadResult, PlainAnswers]:
    """:func:`read_return_plain` with the measure values in the response (what the history
    records besides the theme answers)."""
    result, reader = _read(path, store, engine)
    if reader is None or result.framework is None:
        return result, {}
    response = _response(result, result.framework, reader, answers=False)
    result.response = response.model_copy(update={"measures": reader.measures})
    return result, reader.answers


ANSWER_FIELDS = _ANSWER_FIELDS


def provenance_actions(provenance: dict[str, str]) -> list[str]:
    """The action ids a follow-up workbook was made with (its provenance lists them)."""
    return provenance.get("follow_up_actions", "").split(",")


def read_returns(paths: list[Path], store: FrameworkStore | None = None) -> Iterator[ReadResult]:
    store = store or FrameworkStore()
    for path in paths:
        yield read_return(path, store)
