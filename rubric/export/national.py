"""National picture -> workbook: authorities by indicator and key area with national,
family-group and Quad medians and quartiles, change since the previous cycle, the national
trend, and native charts. Values and formats only (no formulas); every text written as text.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.marker import Marker
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from rubric._io import atomic_output
from rubric._version import __version__
from rubric.compare.national import FAMILY_GROUPS, ItemSummary, NationalOverview, Spread
from rubric.xlsx import styles
from rubric.xlsx.cells import put_number, put_text

SCORE = "0.0"
CHANGE = "+0.0;-0.0;0.0"
FIRST = 7  # the first item column on the authority sheets
# Quads' colours in the charts (as in the HTML page), distinguishable in print.
QUAD_COLOURS = ("1F4E79", "C55A11", "548235", "7030A0", "BF9000", "2E75B6", "A50021",
                "00A3A3")


def _summary_row(sheet: Any, row: int, label: str, spreads: list[Spread | None],
                 pick: str) -> None:
    put_text(sheet.cell(row, 1), label).font = styles.BOLD
    for col, spread in enumerate(spreads, start=FIRST):
        put_number(sheet.cell(row, col), getattr(spread, pick) if spread else None, SCORE)
        sheet.cell(row, col).fill = styles.GROUP_FILL


def _heading(sheet: Any, overview: NationalOverview, title: str) -> int:
    """Title, provenance and notes; returns the header row."""
    fw = overview.framework
    put_text(sheet.cell(1, 1), f"{title} - {fw.title} ({fw.id} {fw.version})").font = \
        styles.TITLE_FONT
    who = "authorities shown by family group and Quad only" if overview.anonymised else \
        "authorities named"
    put_text(sheet.cell(2, 1), f"{len(overview.rows)} returns, cycle {overview.cycle}"
             + (f", compared with {overview.previous_cycle}" if overview.previous_cycle else "")
             + f"; {who}; generated {overview.generated_at.isoformat()} by rubric "
             f"{__version__}. No return from: {overview.missing_text()}.")
    notes = overview.all_notes
    for offset, note in enumerate(notes):
        put_text(sheet.cell(3 + offset, 1), f"Note: {note}").font = styles.BOLD
    return 4 + len(notes)


def _authority_sheet(sheet: Any, overview: NationalOverview, title: str,
                     items: list[ItemSummary], *, change: bool = False) -> None:
    """One row per authority, one column per item, then the medians and quartiles."""
    header = _heading(sheet, overview, title)
    overall = overview.overall
    assert overall is not None
    ids = [item.id for item in items]
    styles.header_cells(sheet, header, ["Authority", "Code", "Family group", "Quad",
                                        "Completion", "Overall" + (" change" if change else ""),
                                        *ids], [30, 8, 8, 16, 11, 9, *([7] * len(ids))],
                        height=40)
    fmt = CHANGE if change else SCORE
    row = header
    for entry in overview.rows:
        row += 1
        put_text(sheet.cell(row, 1), entry.authority)
        put_text(sheet.cell(row, 2), entry.code)
        put_number(sheet.cell(row, 3), entry.family_group)
        put_text(sheet.cell(row, 4), entry.quad)
        put_number(sheet.cell(row, 5), entry.scores.completion, "0%")
        for col, item in enumerate([overall, *items], start=FIRST - 1):
            value = item.change(entry.key) if change else item.values.get(entry.key)
            put_number(sheet.cell(row, col), value, fmt)
    last_authority = row
    last_col = get_column_letter(FIRST - 1 + len(items))
    if change:
        row += 1
        put_text(sheet.cell(row + 1, 1), "Change in the national median").font = styles.BOLD
        for col, item in enumerate([overall, *items], start=FIRST - 1):
            put_number(sheet.cell(row + 1, col), item.median_change, CHANGE)
            sheet.cell(row + 1, col).fill = styles.GROUP_FILL
    else:
        row += 1
        for label, pick in (("National median", "median"), ("National lower quartile", "q1"),
                            ("National upper quartile", "q3")):
            row += 1
            _summary_row(sheet, row, label, [i.national for i in items], pick)
            put_number(sheet.cell(row, FIRST - 1), getattr(overall.national, pick), SCORE)
        for group in FAMILY_GROUPS:
            row += 1
            _summary_row(sheet, row, f"Family group {group} median",
                         [i.by_family_group[group] for i in items], "median")
            put_number(sheet.cell(row, FIRST - 1), overall.by_family_group[group].median, SCORE)
        for quad in overview.quads:
            row += 1
            _summary_row(sheet, row, f"{quad} median",
                         [i.by_quad.get(quad) for i in items], "median")
            put_number(sheet.cell(row, FIRST - 1), overall.by_quad[quad].median, SCORE)
        styles.level_colour_scale(sheet, f"F{header + 1}:{last_col}{row}",
                                  overview.framework.scale)
    sheet.freeze_panes = f"G{header + 1}"
    sheet.auto_filter.ref = f"A{header}:{last_col}{last_authority}"
    styles.print_landscape(sheet, header)


def _items_sheet(book: Workbook, overview: NationalOverview) -> None:
    """Every indicator, key area and the overall score: national spread, family groups, Quads,
    and the change in the national median."""
    sheet = book.create_sheet("Indicators")
    quads = overview.quads
    labels = ["ID", "Indicator or key area", "Key area", "National median", "Q1", "Q3",
              "Returns", *(f"FG{g} median" for g in FAMILY_GROUPS)]
    widths = [8, 44, 28, 10, 8, 8, 9, *([9] * 4)]
    if overview.previous_cycle:
        labels += [f"Median {overview.previous_cycle}", "Change"]
        widths += [10, 8]
    labels += [f"{q} median" for q in quads]
    widths += [11] * len(quads)
    styles.header_cells(sheet, 1, labels, widths, height=44)
    titles = {c.id: f"{c.id} {c.title}" for c in overview.framework.categories}
    for r, item in enumerate(overview.items, start=2):
        bold = item.kind != "indicator"
        put_text(sheet.cell(r, 1), "Overall" if item.kind == "overall" else item.id)
        put_text(sheet.cell(r, 2), item.title if item.kind == "indicator" else
                 f"Key area: {item.title}" if item.kind == "category" else
                 "Overall score")
        put_text(sheet.cell(r, 3), titles.get(item.parent or ""))
        spread = item.national
        for col, value in enumerate((spread.median, spread.q1, spread.q3), start=4):
            put_number(sheet.cell(r, col), value, SCORE)
        put_number(sheet.cell(r, 7), spread.count)
        col = 8
        for group in FAMILY_GROUPS:
            put_number(sheet.cell(r, col), item.by_family_group[group].median, SCORE)
            col += 1
        if overview.previous_cycle:
            before = item.national_previous.median if item.national_previous else None
            put_number(sheet.cell(r, col), before, SCORE)
            put_number(sheet.cell(r, col + 1), item.median_change, CHANGE)
            col += 2
        for quad in quads:
            found = item.by_quad.get(quad)
            put_number(sheet.cell(r, col), found.median if found else None, SCORE)
            col += 1
        if bold:
            for c in range(1, col):
                sheet.cell(r, c).font = styles.BOLD
                sheet.cell(r, c).fill = styles.GROUP_FILL
    sheet.freeze_panes = "C2"
    styles.print_landscape(sheet, 1)


def _trend_sheet(book: Workbook, overview: NationalOverview) -> tuple[Any, int]:
    sheet = book.create_sheet("Trend")
    categories = overview.framework.categories
    labels = ["Cycle", "Returns", "Overall median", "Overall Q1", "Overall Q3",
              *(f"KA {c.id} median" for c in categories)]
    styles.header_cells(sheet, 1, labels, [10, 9, 10, 10, 10, *([9] * len(categories))],
                        height=44)
    for r, point in enumerate(overview.trend, start=2):
        put_text(sheet.cell(r, 1), point.cycle)
        put_number(sheet.cell(r, 2), point.returns)
        for col, value in enumerate((point.overall.median, point.overall.q1,
                                     point.overall.q3), start=3):
            put_number(sheet.cell(r, col), value, SCORE)
        for col, category in enumerate(categories, start=6):
            spread = point.categories.get(category.id)
            put_number(sheet.cell(r, col), spread.median if spread else None, SCORE)
    styles.print_landscape(sheet, 1)
    return sheet, 1 + len(overview.trend)


def _charts(book: Workbook, overview: NationalOverview, trend: Any, trend_last: int) -> None:
    """Native charts: every authority's indicator scores as points with the national median
    marked; Quad medians per key area side by side; the national trend."""
    sheet = book.create_sheet("Charts")
    top = overview.framework.scale.highest.value
    low = overview.framework.scale.lowest.value
    put_text(sheet.cell(1, 1), "Charts - the tables below feed them").font = styles.TITLE_FONT
    # Distribution: one column per authority (points only) and the national median.
    header = 3
    keys = [row.key for row in overview.rows]
    styles.header_cells(sheet, header, ["Indicator", "National median", *keys],
                        [10, 10, *([6] * len(keys))], height=60)
    for r, item in enumerate(overview.indicators, start=header + 1):
        put_text(sheet.cell(r, 1), item.id)
        put_number(sheet.cell(r, 2), item.national.median, SCORE)
        for col, key in enumerate(keys, start=3):
            put_number(sheet.cell(r, col), item.values.get(key), SCORE)
    last = header + len(overview.indicators)
    points = LineChart()
    points.title = "Indicator scores: every authority (grey) and the national median (dark)"
    points.y_axis.title, points.x_axis.title = "Score", "Indicator"
    points.y_axis.scaling.min, points.y_axis.scaling.max = low, top
    points.y_axis.majorUnit = 1
    points.add_data(Reference(sheet, min_col=2, max_col=2 + len(keys), min_row=header,
                              max_row=last), titles_from_data=True)
    points.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=last))
    for index, series in enumerate(points.series):
        series.graphicalProperties.line.noFill = True
        series.smooth = False
        if index == 0:
            series.marker = Marker(symbol="dash", size=14)
            series.marker.graphicalProperties = None
        else:
            series.marker = Marker(symbol="circle", size=4)
    points.legend = None
    points.height, points.width = 11, 26
    points.y_axis.delete = points.x_axis.delete = False
    # Quad medians per key area, side by side.
    row = last + 2
    quads = overview.quads
    qheader = row
    styles.header_cells(sheet, qheader, ["Key area", "National median", *quads],
                        None, height=44)
    for r, item in enumerate(overview.categories, start=qheader + 1):
        put_text(sheet.cell(r, 1), f"KA {item.id}")
        put_number(sheet.cell(r, 2), item.national.median, SCORE)
        for col, quad in enumerate(quads, start=3):
            found = item.by_quad.get(quad)
            put_number(sheet.cell(r, col), found.median if found else None, SCORE)
    qlast = qheader + len(overview.categories)
    anchor = qlast + 2
    sheet.row_breaks.append(Break(id=anchor - 1))
    sheet.add_chart(points, f"A{anchor}")
    anchor += 24
    if quads:
        bars = BarChart()
        bars.type, bars.grouping = "col", "clustered"
        bars.title = "Quad medians by key area"
        bars.y_axis.title, bars.x_axis.title = "Median key-area score", "Key area"
        bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, top
        bars.y_axis.majorUnit = 1
        bars.add_data(Reference(sheet, min_col=3, max_col=2 + len(quads), min_row=qheader,
                                max_row=qlast), titles_from_data=True)
        bars.set_categories(Reference(sheet, min_col=1, min_row=qheader + 1, max_row=qlast))
        for index, series in enumerate(bars.series):
            colour = QUAD_COLOURS[index % len(QUAD_COLOURS)]
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour
        bars.height, bars.width = 11, 26
        bars.y_axis.delete = bars.x_axis.delete = False
        sheet.row_breaks.append(Break(id=anchor - 1))
        sheet.add_chart(bars, f"A{anchor}")
        anchor += 24
    line = LineChart()
    line.title = "National median across cycles (overall, with quartiles)"
    line.y_axis.title, line.x_axis.title = "Overall score", "Cycle"
    line.y_axis.scaling.min, line.y_axis.scaling.max = low, top
    line.y_axis.majorUnit = 1
    line.add_data(Reference(trend, min_col=3, max_col=5, min_row=1, max_row=trend_last),
                  titles_from_data=True)
    line.set_categories(Reference(trend, min_col=1, min_row=2, max_row=trend_last))
    for series, width in zip(line.series, (38100, 12700, 12700), strict=True):
        series.graphicalProperties.line.width = width
        series.marker = Marker(symbol="circle", size=6)
        series.smooth = False
    line.height, line.width = 10, 20
    line.y_axis.delete = line.x_axis.delete = False
    sheet.row_breaks.append(Break(id=anchor - 1))
    sheet.add_chart(line, f"A{anchor}")
    styles.print_landscape(sheet, None)


def build_national_workbook(overview: NationalOverview) -> Workbook:
    book = Workbook()
    first = book.active
    first.title = "National overview"
    _authority_sheet(first, overview, "National overview", overview.indicators)
    _authority_sheet(book.create_sheet("Key areas"), overview, "Key areas",
                     overview.categories)
    if overview.previous_cycle:
        _authority_sheet(book.create_sheet("Change"), overview,
                         f"Change since {overview.previous_cycle}",
                         [*overview.categories, *overview.indicators], change=True)
    _items_sheet(book, overview)
    trend, trend_last = _trend_sheet(book, overview)
    _charts(book, overview, trend, trend_last)
    return book


def write_national_xlsx(overview: NationalOverview, path: str | os.PathLike[str], *,
                        force: bool = False) -> Path:
    book = build_national_workbook(overview)
    with atomic_output(path, force=force) as temporary:
        book.save(temporary)
    return Path(path)
