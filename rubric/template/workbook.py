"""Framework -> authority workbook (.xlsx), every cell generated from the model.

The workbook explains the process to a first-time participant, carries its provenance on a very
hidden sheet, offers levels through a dropdown fed from a cell range (so long labels work), and
protects structure and rubric text while leaving the answer cells editable. It holds no score
formulas: rubric computes scores in Python.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from rubric._io import OutputExists, atomic_output
from rubric._version import __version__
from rubric.cycles.cycle import previous_cycle
from rubric.framework.model import Framework, Indicator, Theme
from rubric.template import instructions
from rubric.xlsx import layout, styles
from rubric.xlsx.cells import clean_text, put_number, put_text

_BORDER = styles.BORDER
_WRAP_TOP = styles.WRAP_TOP
_HEADER_FILL = styles.HEADER_FILL
_HEADER_FONT = styles.HEADER_FONT
_INDICATOR_FILL = styles.GROUP_FILL
_ANSWER_FILL = styles.ANSWER_FILL
_TITLE_FONT = styles.TITLE_FONT
_NOT_GRADED_FILL = styles.NOT_GRADED_FILL
_UNLOCKED = Protection(locked=False)
_LINE_HEIGHT = 15.0
_MAX_ROW_HEIGHT = 409.0
_ANSWER_ROOM = 6  # lines of space left for writing in a theme row


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    """Who a workbook is for; stamped on its provenance sheet and its title rows."""

    authority: str
    cycle: str
    authority_code: str = ""
    created_at: dt.datetime | None = None
    migrated_from: str = ""
    # Follow-up: theme id -> the next steps this authority recorded last cycle. When given,
    # theme rows show them beside a column for reporting progress on them.
    follow_up: Mapping[str, str] | None = field(default=None, hash=False, compare=False)
    # Follow-up: the actions to report on, each a mapping of layout.ACTION_COLUMNS keys (id,
    # action, links, owner, due, success; status as last known) -> text. When given, an Actions
    # sheet lists them with a status dropdown and a progress note.
    actions: tuple[Mapping[str, str], ...] | None = field(default=None, hash=False,
                                                          compare=False)
    # Published figures to prefill: measure id -> {"baseline", "current"} -> value (from
    # rubric.cycles.measures.prefill_values). The authority may still correct them.
    measures: Mapping[str, Mapping[str, float]] | None = field(default=None, hash=False,
                                                               compare=False)


def _lines(text: str, width: float) -> int:
    per_line = max(int(width * 1.15), 8)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _fit_height(texts: dict[int, str], widths: dict[int, float], minimum_lines: int) -> float:
    lines = max([minimum_lines, *(_lines(t, widths[c]) for c, t in texts.items() if t)])
    return min(_MAX_ROW_HEIGHT, lines * _LINE_HEIGHT + 6)


def _bullets(items: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


def _illustrations(framework: Framework, theme: Theme) -> str:
    parts = []
    for level in reversed(framework.scale.ascending):
        text = theme.illustrations.get(level.value)
        if text:
            parts.append(f"{level.label} ({level.value}): {text}")
    if theme.features:
        parts.append("Features of highly effective practice:\n" + _bullets(theme.features))
    if theme.description:
        parts.insert(0, theme.description)
    return "\n\n".join(parts)


def _judgement_guidance(framework: Framework, indicator: Indicator) -> str:
    """What the indicator's row asks for when the framework judges it as a whole."""
    if framework.grades_themes(indicator):
        return (f"Grade each theme below, then choose one level for {indicator.id} as a whole in "
                "this row: the indicator's score is this judgement, not an average of its "
                "themes.")
    return (f"Choose one level for {indicator.id} as a whole in this row, informed by the "
            "themes below: write your evidence, strengths and next steps against each theme "
            "(themes are not graded).")


def _protect(sheet: Worksheet) -> None:
    """Lock rubric text against accidents (no password); resizing rows and columns stays open."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False


def _print_setup(sheet: Worksheet, header_row: int | None) -> None:
    styles.print_landscape(sheet, header_row)
    sheet.page_margins.left = sheet.page_margins.right = 0.4


def _title_rows(sheet: Worksheet, title: str, guidance: str, width: int) -> None:
    put_text(sheet.cell(1, 1), title).font = _TITLE_FONT
    cell = put_text(sheet.cell(2, 1), guidance)
    cell.alignment = _WRAP_TOP
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.row_dimensions[1].height = 24
    sheet.row_dimensions[2].height = 34


def _header(sheet: Worksheet, columns: tuple[layout.Column, ...], labels: dict[str, str]) -> None:
    row = layout.HEADER_ROW
    for index, column in enumerate(columns, start=1):
        cell = put_text(sheet.cell(row, index), labels.get(column.key, column.header))
        cell.fill, cell.font, cell.border = _HEADER_FILL, _HEADER_FONT, _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[layout.column_letter(index - 1)].width = column.width
    sheet.row_dimensions[row].height = 32


class _TemplateWriter:
    def __init__(self, framework: Framework, info: TemplateInfo) -> None:
        self.framework = framework
        self.info = info
        self.book = Workbook()
        self.columns = layout.ALL_THEME_COLUMNS if info.follow_up is not None \
            else layout.THEME_COLUMNS
        self.widths = {i: c.width for i, c in enumerate(self.columns, start=1)}
        self.choices = layout.level_choices(framework.scale)
        self.level_ranges: dict[str, tuple[int, int]] = {}

    def build(self) -> Workbook:
        instructions.write_instructions(self.book.active, self.framework, self.info)
        for category in self.framework.categories:
            self._category_sheet(category)
        if self.framework.measures:
            self._measures_sheet()
        if self.info.actions:
            self._actions_sheet()
        self._progress_sheet()
        self._lists_sheet()
        self._provenance_sheet()
        self.book.security = WorkbookProtection(lockStructure=True)
        self.book.calculation.fullCalcOnLoad = True
        return self.book

    # --- key-area sheets ---------------------------------------------------------------------

    def _category_sheet(self, category: Any) -> None:
        name = layout.category_sheet_name(category)
        sheet = self.book.create_sheet(name)
        width = len(self.columns)
        _title_rows(
            sheet,
            f"Key area {category.id}: {category.title} - {self.info.authority}, "
            f"{self.info.cycle}",
            "For each theme, read what it looks like and its challenge questions, then choose a "
            "level and write your evidence, strengths and next steps in the yellow cells.",
            width,
        )
        _header(sheet, self.columns, {})
        validation = DataValidation(
            type="list",
            formula1=f"'{layout.LISTS_SHEET}'!$A$1:$A${len(self.choices)}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="Choose a level",
            error="Pick a level from the list (or type its number or label).",
            promptTitle="Level",
            prompt="Choose the level that best fits your evidence.",
            showInputMessage=True,
        )
        sheet.add_data_validation(validation)
        row = layout.HEADER_ROW + 1
        first = row
        for indicator in category.indicators:
            self._indicator_row(sheet, row, indicator)
            if self.framework.judges(indicator):
                validation.add(f"{self._level_letter}{row}")
            row += 1
            for theme in indicator.themes:
                self._theme_row(sheet, row, indicator, theme)
                if self.framework.grades_themes(indicator):
                    validation.add(f"{self._level_letter}{row}")
                row += 1
        self.level_ranges[name] = (first, row - 1)
        sheet.freeze_panes = sheet.cell(layout.HEADER_ROW + 1, 3)
        _print_setup(sheet, layout.HEADER_ROW)
        _protect(sheet)

    @property
    def _level_letter(self) -> str:
        return layout.column_letter([c.key for c in layout.THEME_COLUMNS].index("level"))

    def _indicator_row(self, sheet: Worksheet, row: int, indicator: Indicator) -> None:
        texts = {
            "id": indicator.id,
            "title": indicator.title,
            "illustrations": indicator.description or "",
            "questions": _bullets(indicator.challenge_questions),
        }
        judged = self.framework.judges(indicator)
        if judged:
            texts["illustrations"] = "\n\n".join(
                t for t in (indicator.description, _judgement_guidance(self.framework,
                                                                       indicator)) if t)
        for index, column in enumerate(self.columns, start=1):
            cell = put_text(sheet.cell(row, index), texts.get(column.key))
            cell.fill, cell.border, cell.alignment = _INDICATOR_FILL, _BORDER, _WRAP_TOP
            cell.font = Font(bold=column.key in {"id", "title"})
            if judged and column.answer and column.key != "progress":
                cell.fill, cell.protection = _ANSWER_FILL, _UNLOCKED
        wrapped = {i: texts.get(c.key, "") for i, c in enumerate(self.columns, start=1)}
        sheet.row_dimensions[row].height = _fit_height(wrapped, self.widths,
                                                       _ANSWER_ROOM if judged else 2)

    def _theme_row(self, sheet: Worksheet, row: int, indicator: Indicator, theme: Theme) -> None:
        texts = {
            "id": theme.id,
            "title": theme.title,
            "illustrations": _illustrations(self.framework, theme),
            "questions": _bullets(theme.challenge_questions),
        }
        if self.info.follow_up is not None:
            texts["previous_next_steps"] = self.info.follow_up.get(theme.id) or \
                layout.NO_PREVIOUS_STEPS
        graded = self.framework.grades_themes(indicator)
        for index, column in enumerate(self.columns, start=1):
            cell = sheet.cell(row, index)
            cell.border, cell.alignment = _BORDER, _WRAP_TOP
            if column.key == "level" and not graded:
                cell.fill = _NOT_GRADED_FILL  # evidence only: the indicator is judged whole
            elif column.answer:
                cell.fill, cell.protection = _ANSWER_FILL, _UNLOCKED
            else:
                put_text(cell, texts.get(column.key))
        sheet.cell(row, 2).font = Font(bold=True)
        wrapped = {i: texts.get(c.key, "") for i, c in enumerate(self.columns, start=1)}
        sheet.row_dimensions[row].height = _fit_height(wrapped, self.widths, _ANSWER_ROOM)

    # --- measures, progress, lists, provenance -----------------------------------------------

    def _measures_sheet(self) -> None:
        sheet = self.book.create_sheet(layout.MEASURES_SHEET)
        baseline, current = previous_cycle(self.info.cycle), self.info.cycle
        prefilled = self.info.measures or {}
        _title_rows(
            sheet,
            f"Measures - {self.info.authority}, {self.info.cycle}",
            ("Values already filled in are the published figures: check them, and if you "
             "change one say why in Notes. " if prefilled else "")
            + "Enter each value as a plain number (95.8 for 95.8%). Use Notes for the source, "
            "the group it covers, or why a value is missing.",
            len(layout.MEASURE_COLUMNS),
        )
        _header(sheet, layout.MEASURE_COLUMNS,
                {"baseline": f"Baseline ({baseline})", "current": f"Current ({current})"})
        numbers = DataValidation(type="decimal", operator="between", formula1="-1000000000",
                                 formula2="1000000000", allow_blank=True, showErrorMessage=True,
                                 errorTitle="A number, please",
                                 error="Enter the value as a plain number, e.g. 95.8.")
        sheet.add_data_validation(numbers)
        for row, measure in enumerate(self.framework.measures, start=layout.HEADER_ROW + 1):
            values = {
                "id": measure.id,
                "title": measure.title,
                "indicator": measure.indicator,
                "unit": measure.unit,
                "direction": "higher" if measure.higher_is_better else "lower",
            }
            for index, column in enumerate(layout.MEASURE_COLUMNS, start=1):
                cell = sheet.cell(row, index)
                cell.border, cell.alignment = _BORDER, _WRAP_TOP
                if column.answer:
                    cell.fill, cell.protection = _ANSWER_FILL, _UNLOCKED
                    if column.key in {"baseline", "current"}:
                        cell.number_format = "0." + "0" * measure.decimals if measure.decimals \
                            else "0"
                        numbers.add(cell.coordinate)
                        put_number(cell, prefilled.get(measure.id, {}).get(column.key))
                else:
                    put_text(cell, values[column.key])
            sheet.row_dimensions[row].height = 32
        sheet.freeze_panes = sheet.cell(layout.HEADER_ROW + 1, 3)
        _print_setup(sheet, layout.HEADER_ROW)
        _protect(sheet)

    def _actions_sheet(self) -> None:
        """The actions agreed last cycle, each with a status to choose and a progress note."""
        sheet = self.book.create_sheet(layout.ACTIONS_SHEET)
        columns = layout.ACTION_COLUMNS
        _title_rows(
            sheet,
            f"Actions agreed last cycle - {self.info.authority}, {self.info.cycle}",
            "For each action choose where it stands now and say briefly what has happened. "
            "'Not started' is never counted as progress.",
            len(columns),
        )
        _header(sheet, columns, {})
        first = len(self.choices) + 1
        statuses = DataValidation(
            type="list", formula1=f"'{layout.LISTS_SHEET}'!$A${first}:$A$"
            f"{first + len(layout.ACTION_STATUSES) - 1}", allow_blank=True,
            showErrorMessage=True, errorStyle="warning", errorTitle="Choose a status",
            error="Pick a status from the list.", promptTitle="Status",
            prompt="Where does this action stand now?", showInputMessage=True)
        sheet.add_data_validation(statuses)
        widths = {i: c.width for i, c in enumerate(columns, start=1)}
        for row, action in enumerate(self.info.actions or (), start=layout.HEADER_ROW + 1):
            texts = {}
            for index, column in enumerate(columns, start=1):
                cell = sheet.cell(row, index)
                cell.border, cell.alignment = _BORDER, _WRAP_TOP
                if column.answer:
                    cell.fill, cell.protection = _ANSWER_FILL, _UNLOCKED
                else:
                    texts[index] = str(action.get(column.key, "") or "")
                    put_text(cell, texts[index])
            statuses.add(f"{layout.column_letter(columns.index(columns[6]))}{row}")
            sheet.row_dimensions[row].height = _fit_height(texts, widths, 3)
        sheet.freeze_panes = sheet.cell(layout.HEADER_ROW + 1, 3)
        _print_setup(sheet, layout.HEADER_ROW)
        _protect(sheet)

    def _progress_sheet(self) -> None:
        """Live counts of answered themes: counting, not scoring, so formulas are safe here."""
        sheet = self.book.create_sheet(layout.PROGRESS_SHEET, 1)
        _title_rows(sheet, f"Progress - {self.info.authority}, {self.info.cycle}",
                    "How much of the return is filled in. This sheet updates as you work; it "
                    "does not score anything.", 5)
        headers = ("Key area", "Levels to choose", "Level chosen", "Evidence written",
                   "Still to choose")
        for index, text in enumerate(headers, start=1):
            cell = put_text(sheet.cell(layout.HEADER_ROW, index), text)
            cell.fill, cell.font, cell.border = _HEADER_FILL, _HEADER_FONT, _BORDER
        for letter, width in zip("ABCDE", (44, 10, 14, 16, 15), strict=True):
            sheet.column_dimensions[letter].width = width
        level = self._level_letter
        evidence = layout.column_letter([c.key for c in layout.THEME_COLUMNS].index("evidence"))
        row = layout.HEADER_ROW + 1
        for category in self.framework.categories:
            name = layout.category_sheet_name(category)
            first, last = self.level_ranges[name]
            themes = sum(len(i.themes) * self.framework.grades_themes(i)
                         + self.framework.judges(i) for i in category.indicators)
            put_text(sheet.cell(row, 1), f"{category.id} {category.title}")
            put_number(sheet.cell(row, 2), themes)
            sheet.cell(row, 3).value = f"=COUNTA('{name}'!{level}{first}:{level}{last})"
            sheet.cell(row, 4).value = f"=COUNTA('{name}'!{evidence}{first}:{evidence}{last})"
            sheet.cell(row, 5).value = f"=B{row}-C{row}"
            for col in range(1, 6):
                sheet.cell(row, col).border = _BORDER
            row += 1
        put_text(sheet.cell(row, 1), "All key areas").font = Font(bold=True)
        for col, letter in ((2, "B"), (3, "C"), (4, "D"), (5, "E")):
            cell = sheet.cell(row, col)
            cell.value = f"=SUM({letter}{layout.HEADER_ROW + 1}:{letter}{row - 1})"
            cell.font, cell.border = Font(bold=True), _BORDER
        _print_setup(sheet, None)
        _protect(sheet)

    def _lists_sheet(self) -> None:
        sheet = self.book.create_sheet(layout.LISTS_SHEET)
        extra = list(layout.ACTION_STATUSES) if self.info.actions else []
        for row, choice in enumerate([*self.choices, *extra], start=1):
            put_text(sheet.cell(row, 1), choice)
        sheet.sheet_state = "veryHidden"
        _protect(sheet)

    def _provenance_sheet(self) -> None:
        sheet = self.book.create_sheet(layout.PROVENANCE_SHEET)
        created = self.info.created_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
        values = {
            "format": layout.FORMAT,
            "framework_id": self.framework.id,
            "framework_version": self.framework.version,
            "framework_hash": self.framework.content_hash,
            "framework_title": self.framework.title,
            "authority": self.info.authority,
            "authority_code": self.info.authority_code,
            "cycle": self.info.cycle,
            "generator": f"rubric {__version__}",
            "created_at": created.isoformat(),
            "migrated_from": self.info.migrated_from,
            "follow_up_actions": ", ".join(str(a.get("id", "")) for a in self.info.actions or ()),
        }
        for row, key in enumerate(layout.PROVENANCE_KEYS, start=1):
            put_text(sheet.cell(row, 1), key)
            put_text(sheet.cell(row, 2), values[key])
        sheet.sheet_state = "veryHidden"
        _protect(sheet)


# Placeholders written into the shared body and replaced per authority (see stamp_template).
AUTHORITY_TOKEN = "@@rubric-authority@@"
CODE_TOKEN = "@@rubric-authority-code@@"


def build_template(framework: Framework, info: TemplateInfo) -> Workbook:
    """The workbook for one authority, in memory (openpyxl), ready to save."""
    return _TemplateWriter(framework, info).build()


def build_template_body(framework: Framework, cycle: str,
                        created_at: dt.datetime | None = None, migrated_from: str = "") -> bytes:
    """The .xlsx bytes shared by every authority's workbook, with placeholders for who it is for.

    Building a workbook costs ~100x more than replacing two strings in it, so a batch builds
    the body once and stamps each authority's name and code into it.
    """
    info = TemplateInfo(AUTHORITY_TOKEN, cycle, CODE_TOKEN, created_at, migrated_from)
    buffer = io.BytesIO()
    build_template(framework, info).save(buffer)
    return buffer.getvalue()


def stamp_template(body: bytes, info: TemplateInfo) -> bytes:
    """Copy ``body`` with the placeholders replaced by ``info``'s authority name and code."""
    replacements = {AUTHORITY_TOKEN.encode(): _xml_text(info.authority),
                    CODE_TOKEN.encode(): _xml_text(info.authority_code)}
    source = zipfile.ZipFile(io.BytesIO(body))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if AUTHORITY_TOKEN.encode() in data or CODE_TOKEN.encode() in data:
                for token, value in replacements.items():
                    data = data.replace(token, value)
            target.writestr(item, data)
    return buffer.getvalue()


def _xml_text(value: str) -> bytes:
    return xml_escape(clean_text(value), {'"': "&quot;", "'": "&apos;"}).encode("utf-8")


def write_templates(framework: Framework, targets: list[tuple[TemplateInfo, Path]], *,
                    force: bool = False) -> list[Path]:
    """Write one workbook per (info, path) atomically, stamping a body built once per cycle."""
    bodies: dict[tuple[str, dt.datetime | None, str], bytes] = {}
    for _, path in targets:
        if path.exists() and not force:
            raise OutputExists(str(path))
    written = []
    for info, path in targets:
        with atomic_output(path, force=force) as temporary:
            if info.follow_up is not None or info.actions or info.measures:  # per authority
                build_template(framework, info).save(temporary)
            else:
                key = (info.cycle, info.created_at, info.migrated_from)
                if key not in bodies:
                    bodies[key] = build_template_body(framework, *key)
                temporary.write_bytes(stamp_template(bodies[key], info))
        written.append(path)
    return written


def write_template(
    framework: Framework,
    info: TemplateInfo,
    path: str | os.PathLike[str],
    *,
    force: bool = False,
) -> Path:
    """Write the authority's workbook atomically; refuses to replace a file unless ``force``."""
    return write_templates(framework, [(info, Path(path))], force=force)[0]
