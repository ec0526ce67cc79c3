"""National overview -> workbook: authorities by indicator, with national and family-group
medians and quartiles. Values and formats only; every text written as text."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from rubric._io import atomic_output
from rubric._version import __version__
from rubric.compare.national import NationalOverview, Spread
from rubric.xlsx import styles
from rubric.xlsx.cells import put_number, put_text

SCORE = "0.0"


def _summary_row(sheet: Any, row: int, label: str, spreads: dict[str, Spread], ids: list[str],
                 pick: str) -> None:
    put_text(sheet.cell(row, 1), label).font = styles.BOLD
    for col, indicator_id in enumerate(ids, start=7):
        spread = spreads.get(indicator_id)
        put_number(sheet.cell(row, col), getattr(spread, pick) if spread else None, SCORE)
        sheet.cell(row, col).fill = styles.GROUP_FILL


def build_national_workbook(overview: NationalOverview) -> Workbook:
    framework = overview.framework
    book = Workbook()
    sheet = book.active
    sheet.title = "National overview"
    put_text(sheet.cell(1, 1), f"National overview - {framework.title} ({framework.id} "
             f"{framework.version})").font = styles.TITLE_FONT
    missing = ", ".join(a.name for a in overview.missing) or "none"
    put_text(sheet.cell(2, 1), f"{len(overview.rows)} returns, cycle {overview.cycle}; "
             f"generated {overview.generated_at.isoformat()} by rubric {__version__}. No return "
             f"from: {missing}.")
    for offset, note in enumerate(overview.notes):
        put_text(sheet.cell(3 + offset, 1), f"Note: {note}").font = styles.BOLD
    ids = list(framework.indicator_index)
    header = 4 + len(overview.notes)
    styles.header_cells(sheet, header, ["Authority", "Code", "Family group", "Quad",
                                        "Completion", "Overall", *ids],
                        [30, 8, 8, 16, 11, 9, *([7] * len(ids))], height=40)
    row = header
    for entry in overview.rows:
        row += 1
        put_text(sheet.cell(row, 1), entry.authority)
        put_text(sheet.cell(row, 2), entry.code)
        put_number(sheet.cell(row, 3), entry.family_group)
        put_text(sheet.cell(row, 4), entry.quad)
        put_number(sheet.cell(row, 5), entry.scores.completion, "0%")
        put_number(sheet.cell(row, 6), entry.scores.overall.rounded, SCORE)
        for col, indicator_id in enumerate(ids, start=7):
            score = entry.scores.indicator(indicator_id)
            put_number(sheet.cell(row, col), score.rounded if score else None, SCORE)
    last_authority = row
    row += 1
    for label, pick in (("National median", "median"), ("National lower quartile", "q1"),
                        ("National upper quartile", "q3")):
        row += 1
        _summary_row(sheet, row, label, overview.national, ids, pick)
    for group, spreads in sorted(overview.by_family_group.items()):
        row += 1
        _summary_row(sheet, row, f"Family group {group} median", spreads, ids, "median")
    styles.level_colour_scale(sheet, f"F{header + 1}:{get_column_letter(6 + len(ids))}{row}",
                              framework.scale)
    sheet.freeze_panes = f"G{header + 1}"
    sheet.auto_filter.ref = f"A{header}:{get_column_letter(6 + len(ids))}{last_authority}"
    styles.print_landscape(sheet, header)

    titles = book.create_sheet("Indicators")
    styles.header_cells(titles, 1, ["ID", "Indicator", "Key area", "National median", "Q1",
                                    "Q3", "Returns"], [8, 50, 34, 10, 8, 8, 9])
    for r, (indicator_id, (category, indicator)) in enumerate(
            framework.indicator_index.items(), start=2):
        spread = overview.national[indicator_id]
        put_text(titles.cell(r, 1), indicator_id)
        put_text(titles.cell(r, 2), indicator.title)
        put_text(titles.cell(r, 3), f"{category.id} {category.title}")
        put_number(titles.cell(r, 4), spread.median, SCORE)
        put_number(titles.cell(r, 5), spread.q1, SCORE)
        put_number(titles.cell(r, 6), spread.q3, SCORE)
        put_number(titles.cell(r, 7), spread.count)
    titles.freeze_panes = "C2"
    styles.print_landscape(titles, 1)
    return book


def write_national_xlsx(overview: NationalOverview, path: str | os.PathLike[str], *,
                        force: bool = False) -> Path:
    book = build_national_workbook(overview)
    with atomic_output(path, force=force) as temporary:
        book.save(temporary)
    return Path(path)
