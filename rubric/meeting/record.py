"""Comparison -> the meeting record workbook the Quad fills in during or after its meeting.

One row per member and indicator (what it self-evaluated, read only, beside the Quad's view,
the validated level and the rationale) and numbered action-plan rows per member. Provenance is
stamped like a template's; only the answer cells are unlocked; dropdowns offer the views, the
framework's levels and the statuses; due dates must be dates. No formulas anywhere.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break

from rubric._io import atomic_output
from rubric._version import __version__
from rubric.compare.quad import Comparison, Member
from rubric.meeting import layout
from rubric.xlsx import styles
from rubric.xlsx.cells import put_number, put_text
from rubric.xlsx.layout import column_letter, level_choice

_UNLOCKED = Protection(locked=False)
_READ_ONLY_FILL = PatternFill("solid", fgColor="EDEDED")
DATE_FORMAT = "dd/mm/yyyy"
# Excel serial numbers of 1 January 2000 and 31 December 2099: the accepted due dates.
_FIRST_DAY, _LAST_DAY = 36526, 73050


def quad_name(comparison: Comparison) -> str:
    """The Quad's name, or its members' names when the comparison named no Quad."""
    return comparison.quad.name if comparison.quad else " / ".join(
        m.name for m in comparison.members)


def theme_levels(comparison: Comparison, member: Member, indicator_id: str) -> str:
    """``2.1.1: 5 Very good`` per theme of the indicator, one a line, as the member answered."""
    _, indicator = comparison.framework.indicator_index[indicator_id]
    lines = []
    for theme in indicator.themes:
        score = member.scores.theme(theme.id)
        if score is None or (score.level is None and not score.label):
            lines.append(f"{theme.id}: (blank)")
        elif score.level is not None:
            lines.append(f"{theme.id}: {score.level} {score.label}")
        else:
            lines.append(f"{theme.id}: {score.label}")
    return "\n".join(lines)


def _members_json(comparison: Comparison) -> str:
    from rubric.cycles.history import file_hash

    members = []
    for m in comparison.members:
        try:
            digest = file_hash(m.path)
        except OSError:
            digest = ""
        members.append({"code": m.code, "name": m.name, "return_hash": digest})
    return json.dumps(members, ensure_ascii=False)


def _title(sheet: Any, title: str, guidance: str, width: int) -> None:
    put_text(sheet.cell(1, 1), title).font = styles.TITLE_FONT
    put_text(sheet.cell(2, 1), guidance).alignment = styles.WRAP_TOP
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.row_dimensions[1].height = 24
    sheet.row_dimensions[2].height = 46


def _header(sheet: Any, columns: tuple[Any, ...]) -> None:
    styles.header_cells(sheet, layout.HEADER_ROW, [c.header for c in columns],
                        [c.width for c in columns], height=46)


def _protect(sheet: Any) -> None:
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _list_validation(options_column: str, count: int, title: str, prompt: str) -> DataValidation:
    return DataValidation(
        type="list", formula1=f"'{layout.LISTS_SHEET}'!${options_column}$1:"
        f"${options_column}${count}", allow_blank=True, showErrorMessage=True,
        errorStyle="warning", errorTitle=title, error=f"Choose from the list. {prompt}",
        promptTitle=title, prompt=prompt, showInputMessage=True)


class _RecordWriter:
    def __init__(self, comparison: Comparison, meeting_date: dt.date | None,
                 created_at: dt.datetime | None) -> None:
        self.c = comparison
        self.meeting_date = meeting_date
        self.created_at = created_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.book = Workbook()
        scale = comparison.framework.scale
        self.levels = [level_choice(lv.value, lv.label) for lv in reversed(scale.ascending)]

    def build(self) -> Workbook:
        self._instructions(self.book.active)
        self._evaluation()
        self._actions()
        self._lists()
        self._provenance()
        self.book.security = WorkbookProtection(lockStructure=True)
        return self.book

    @property
    def heading(self) -> str:
        day = self.meeting_date
        when = f"{day.day} {day:%B %Y}" if day else "date to be set"
        return f"{quad_name(self.c)}, {self.c.cycle} (meeting {when})"

    def _instructions(self, sheet: Any) -> None:
        sheet.title = layout.INSTRUCTIONS_SHEET
        fw = self.c.framework
        put_text(sheet.cell(1, 1), f"Quad meeting record - {self.heading}").font = \
            styles.TITLE_FONT
        lines = [
            ("What this is", "The Quad's record of its meeting: for each member and indicator, "
             "whether the evidence supports the member's own evaluation, the level the Quad "
             "agrees, and why; then each member's action plan. rubric reads it back with "
             "'rubric meeting record' and keeps it in the history; next year's workbooks list "
             "the actions agreed here so progress can be followed up."),
            ("Framework", f"{fw.title} ({fw.id} {fw.version})"),
            ("Members", "; ".join(f"{m.name} ({m.code})" for m in self.c.members)),
            ("Evaluation sheet", "The grey columns show what each member self-evaluated (read "
             "only). In the yellow cells choose the Quad's view, the validated level and write "
             "the rationale. 'Agreed': the evidence supports the member's evaluation. 'Evidence "
             "suggests higher' or 'lower': say why in the rationale. 'Not discussed': the "
             "Quad chose not to discuss it; say why. Leave the row blank if the meeting did not "
             "reach it."),
            ("Validated level", "Required for every view but 'Not discussed': the level the "
             "Quad agrees the evidence supports."),
            ("Action plans sheet", "Up to "
             f"{layout.ACTION_SLOTS} numbered rows per member: the action, the indicator or "
             "theme ids it serves (e.g. 2.1, 2.1.3), the owner, the due date (a date, e.g. "
             "31/03/2027), how success will be measured, and its status (usually 'Not started' "
             "when agreed). Need more rows? Insert one below the member's rows."),
            ("Do not", "Edit the codes, IDs or the grey columns, rename the sheets, or copy the "
             "record by hand: rubric reads rows by their codes and IDs."),
        ]
        row = 3
        for key, text in lines:
            put_text(sheet.cell(row, 1), key).font = styles.BOLD
            cell = put_text(sheet.cell(row, 2), text)
            cell.alignment = styles.WRAP_TOP
            sheet.row_dimensions[row].height = 15 * max(1, len(text) // 95 + 1) + 4
            row += 1
        sheet.column_dimensions["A"].width = 22
        sheet.column_dimensions["B"].width = 110
        styles.print_landscape(sheet, None)
        _protect(sheet)

    def _evaluation(self) -> None:
        c = self.c
        sheet = self.book.create_sheet(layout.EVALUATION_SHEET)
        columns = layout.EVALUATION_COLUMNS
        keys = [col.key for col in columns]
        _title(sheet, f"The Quad's view of each self-evaluation - {self.heading}",
               "Grey: what the member self-evaluated (read only). Yellow: the Quad's view, the "
               "validated level and the rationale (required unless the view is 'Agreed').",
               len(columns))
        _header(sheet, columns)
        views = _list_validation("A", len(layout.VIEWS), "Quad's view",
                                 "Does the evidence support the member's own evaluation?")
        levels = _list_validation("B", len(self.levels), "Validated level",
                                  "The level the Quad agrees the evidence supports.")
        sheet.add_data_validation(views)
        sheet.add_data_validation(levels)
        row = layout.HEADER_ROW
        medians = {r.id: r.median for r in c.indicators}
        for index, member in enumerate(c.members):
            if index:
                sheet.row_breaks.append(Break(id=row))
            for indicator in c.indicators:
                row += 1
                score = member.scores.indicator(indicator.id)
                values = {"code": member.code, "authority": member.name, "id": indicator.id,
                          "title": indicator.title,
                          "self_levels": theme_levels(c, member, indicator.id)}
                for col, key in enumerate(keys, start=1):
                    cell = sheet.cell(row, col)
                    cell.border, cell.alignment = styles.BORDER, styles.WRAP_TOP
                    if columns[col - 1].answer:
                        cell.fill, cell.protection = styles.ANSWER_FILL, _UNLOCKED
                    elif key == "self_score":
                        put_number(cell, score.rounded if score else None, "0.0")
                    elif key == "median":
                        put_number(cell, medians.get(indicator.id), "0.0").fill = \
                            _READ_ONLY_FILL
                    else:
                        put_text(cell, values[key]).fill = _READ_ONLY_FILL
                views.add(f"{column_letter(keys.index('view'))}{row}")
                levels.add(f"{column_letter(keys.index('level'))}{row}")
                lines = values["self_levels"].count("\n") + 1
                sheet.row_dimensions[row].height = max(32, 15 * lines + 4)
        styles.level_colour_scale(sheet, f"E{layout.HEADER_ROW + 1}:E{row}", c.framework.scale)
        sheet.freeze_panes = sheet.cell(layout.HEADER_ROW + 1, 5)
        styles.print_landscape(sheet, layout.HEADER_ROW)
        _protect(sheet)

    def _actions(self) -> None:
        sheet = self.book.create_sheet(layout.ACTIONS_SHEET)
        columns = layout.ACTION_COLUMNS
        keys = [col.key for col in columns]
        _title(sheet, f"Action plans - {self.heading}",
               "One row per action. Link each to the indicator or theme ids it serves; give a "
               "real due date and how success will be measured. Status is usually 'Not "
               "started' when agreed; next year's follow-up workbook asks for it again.",
               len(columns))
        _header(sheet, columns)
        statuses = _list_validation("C", len(layout.STATUSES), "Status",
                                    "Where the action stands.")
        dates = DataValidation(type="date", operator="between", formula1=str(_FIRST_DAY),
                               formula2=str(_LAST_DAY), allow_blank=True,
                               showErrorMessage=True, errorTitle="A date, please",
                               error="Type the due date as a date, e.g. 31/03/2027.",
                               promptTitle="Due date", prompt="e.g. 31/03/2027",
                               showInputMessage=True)
        sheet.add_data_validation(statuses)
        sheet.add_data_validation(dates)
        row = layout.HEADER_ROW
        for index, member in enumerate(self.c.members):
            if index:
                sheet.row_breaks.append(Break(id=row))
            for number in range(1, layout.ACTION_SLOTS + 1):
                row += 1
                values = {"code": member.code, "authority": member.name,
                          "action_id": layout.action_id(member.code, number)}
                for col, key in enumerate(keys, start=1):
                    cell = sheet.cell(row, col)
                    cell.border, cell.alignment = styles.BORDER, styles.WRAP_TOP
                    if columns[col - 1].answer:
                        cell.fill, cell.protection = styles.ANSWER_FILL, _UNLOCKED
                        if key == "due":
                            cell.number_format = DATE_FORMAT
                    else:
                        put_text(cell, values[key]).fill = _READ_ONLY_FILL
                statuses.add(f"{column_letter(keys.index('status'))}{row}")
                dates.add(f"{column_letter(keys.index('due'))}{row}")
                sheet.row_dimensions[row].height = 45
        sheet.freeze_panes = sheet.cell(layout.HEADER_ROW + 1, 4)
        styles.print_landscape(sheet, layout.HEADER_ROW)
        _protect(sheet)

    def _lists(self) -> None:
        sheet = self.book.create_sheet(layout.LISTS_SHEET)
        for column, options in ((1, layout.VIEWS), (2, self.levels), (3, layout.STATUSES)):
            for row, option in enumerate(options, start=1):
                put_text(sheet.cell(row, column), option)
        sheet.sheet_state = "veryHidden"
        _protect(sheet)

    def _provenance(self) -> None:
        sheet = self.book.create_sheet(layout.PROVENANCE_SHEET)
        fw = self.c.framework
        values = {
            "format": layout.FORMAT,
            "framework_id": fw.id,
            "framework_version": fw.version,
            "framework_hash": fw.content_hash,
            "framework_title": fw.title,
            "quad": quad_name(self.c),
            "cycle": self.c.cycle,
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else "",
            "members": _members_json(self.c),
            "generator": f"rubric {__version__}",
            "created_at": self.created_at.isoformat(),
        }
        for row, key in enumerate(layout.PROVENANCE_KEYS, start=1):
            put_text(sheet.cell(row, 1), key)
            put_text(sheet.cell(row, 2), values[key])
        sheet.sheet_state = "veryHidden"
        _protect(sheet)


def build_record(comparison: Comparison, meeting_date: dt.date | None = None,
                 created_at: dt.datetime | None = None) -> Workbook:
    """The record workbook for the comparison's members, in memory (openpyxl)."""
    return _RecordWriter(comparison, meeting_date, created_at).build()


def write_record(comparison: Comparison, path: str | os.PathLike[str], *,
                 meeting_date: dt.date | None = None, created_at: dt.datetime | None = None,
                 force: bool = False) -> Path:
    """Write the record atomically; an existing file is kept unless ``force``."""
    book = build_record(comparison, meeting_date, created_at)
    with atomic_output(path, force=force) as temporary:
        book.save(temporary)
    return Path(path)


__all__ = ["build_record", "quad_name", "theme_levels", "write_record"]
