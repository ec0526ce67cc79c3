"""Comparison -> Quad comparison workbook: values, formatting and native charts; no formulas.

Every number is written as a value with a number format; every text (names, evidence typed by
authorities) is written as text through :func:`put_text`, so nothing in a return can become a
live formula here. What each cell says is decided by the comparison
(:mod:`rubric.compare.quad`); this module only lays it out, for screen and for A4 paper: every
sheet prints landscape, fitted to the page width, header repeated, rows tall enough for their
text (:mod:`rubric.export.paper`).

Sheets: Overview, Agenda, Heat map, Themes, Evidence, Strengths and next steps, Measures,
Challenge (every prompt, ranked), Trend and Follow-up (when there is one), Charts.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, RadarChart, Reference
from openpyxl.chart.marker import Marker
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from rubric._io import atomic_output
from rubric._version import __version__
from rubric.compare.challenge import Prompt
from rubric.compare.quad import NO_SCORE, Comparison, ScoreRow
from rubric.export import paper
from rubric.export.follow_up import write_follow_up_sheet
from rubric.xlsx import styles
from rubric.xlsx.cells import put_number, put_text

SCORE_FORMAT = "0.0"
PERCENT_FORMAT = "0%"
CHANGE_FORMAT = "+0.0;-0.0;0.0"
_NO_SCORE_FONT = Font(italic=True, color="595959")
_TITLE_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP_CENTRE = Alignment(horizontal="center", vertical="top", wrap_text=True)
_MARKERS = ("circle", "square", "triangle", "diamond", "x", "star", "dash", "plus")


def _title(sheet: Any, text: str, subtitle: str | None, widths: list[float]) -> int:
    """Title and subtitle merged across the table's width and wrapped between words, so they
    print whole on the page; returns the header row."""
    span = max(len(widths), 1)
    total = sum(widths) or 60
    for row, value, font, points in ((1, text, styles.TITLE_FONT, 20.0),
                                     (2, subtitle, Font(italic=True, color="595959"), 15.0)):
        if not value:
            continue
        cell = put_text(sheet.cell(row, 1), value)
        cell.font, cell.alignment = font, _TITLE_WRAP
        if span > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
        lines = paper.line_count(value, total * (0.75 if row == 1 else 0.95))
        sheet.row_dimensions[row].height = points * lines + 4
    return 4


def _header(sheet: Any, row: int, labels: list[str], widths: list[float]) -> None:
    """The house header row, tall enough that no label is cut."""
    lines = max(paper.line_count(label, width * 0.85) for label, width in
                zip(labels, widths, strict=True))
    styles.header_cells(sheet, row, labels, widths, height=paper.row_height(lines, 2))


def _page(sheet: Any, header_row: int | None, freeze: str | None) -> None:
    styles.print_landscape(sheet, header_row)
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    if freeze:
        sheet.freeze_panes = freeze


def _colour_scale(sheet: Any, ref: str, comparison: Comparison) -> None:
    styles.level_colour_scale(sheet, ref, comparison.framework.scale)


def _score(cell: Any, value: float | None) -> Any:
    """A score as a number, or the comparison's words for no score."""
    if value is None:
        put_text(cell, NO_SCORE).font = _NO_SCORE_FONT
    else:
        put_number(cell, value, SCORE_FORMAT)
    cell.alignment = styles.CENTRE
    return cell


def _wrapped(cell: Any, text: str | None) -> Any:
    put_text(cell, text)
    cell.alignment, cell.border = styles.WRAP_TOP, styles.BORDER
    return cell


def _text_rows(sheet: Any, row: int, item_id: str, title: str,
               columns: list[tuple[Any, float]]) -> int:
    """One item's row: ID, title, then ``columns`` of (value, width) from column 3; a text too
    long for one printed row continues on '(continued)' rows below, cut between words, so every
    word prints and nothing is lost. Numbers are levels (coloured by the sheet's scale).
    Returns the last row written."""
    pieces = [paper.fit_rows(value, width) if isinstance(value, str) and value else [value]
              for value, width in columns]
    title_pieces = paper.fit_rows(title, 24)
    for part in range(max(len(p) for p in [*pieces, title_pieces])):
        row += 1
        first = part == 0
        _wrapped(sheet.cell(row, 1), item_id if first else f"{item_id} (continued)")
        head = title_pieces[part] if part < len(title_pieces) else "(continued)"
        _wrapped(sheet.cell(row, 2), head)
        lines = paper.line_count(head, 24)
        for offset, (chunks, (_, width)) in enumerate(zip(pieces, columns, strict=True)):
            value = chunks[part] if part < len(chunks) else None
            cell = sheet.cell(row, 3 + offset)
            if isinstance(value, int | float) and not isinstance(value, bool):
                put_number(cell, value)
                cell.alignment, cell.border = _TOP_CENTRE, styles.BORDER
            else:
                _wrapped(cell, value)
                if isinstance(value, str):
                    lines = max(lines, paper.line_count(value, width))
        sheet.row_dimensions[row].height = paper.row_height(lines, 2)
    return row


class _Writer:
    def __init__(self, comparison: Comparison) -> None:
        self.c = comparison
        self.book = Workbook()
        self.codes = [m.code for m in comparison.members]
        self.names = [m.name for m in comparison.members]

    def build(self) -> Workbook:
        self._overview(self.book.active)
        self._prompt_sheet("Agenda", self.c.agenda, agenda=True)
        self._heat_map()
        self._themes()
        self._evidence()
        self._strengths()
        if self.c.measures:
            self._measures()
        self._prompt_sheet("Challenge", self.c.prompts, agenda=False)
        if self.c.previous:
            self._trend()
        if self.c.has_follow_up:
            self._follow_up()
        write_follow_up_sheet(self.book, self.c)  # actions by status, when there are any
        self._charts()
        return self.book

    # --- sheets ------------------------------------------------------------------------------

    def _overview(self, sheet: Any) -> None:
        c = self.c
        sheet.title = "Overview"
        labels = ["Member", "Code", "File", "Cycle", "Completion", "Evidence coverage",
                  "Overall score"]
        widths: list[float] = [30, 8, 30, 10, 12, 12, 11]
        if c.previous:
            labels += [f"Overall in {c.previous.cycle}", "Change"]
            widths += [12, 10]
        if c.has_follow_up:
            labels.append("Progress reported on last next steps")
            widths.append(14)
        labels += ["Prompts about it", "On the agenda"]
        widths += [11, 11]
        row = _title(sheet, c.title, f"{c.framework.title} ({c.framework.id} "
                     f"{c.framework.version})", widths)
        facts = [
            ("Framework", f"{c.framework.id} {c.framework.version}: {c.framework.title}"),
            ("Cycle", c.cycle),
            ("Quad", c.quad.name if c.quad else "(no Quad named)"),
            ("Generated at", c.generated_at.isoformat()),
            ("Generated by", f"rubric {__version__}"),
            ("Scores", "Computed by rubric from the returns using the framework's rules "
             f"({c.framework.scoring.theme_to_indicator} of themes, "
             f"{c.framework.scoring.indicator_to_category} of indicators, "
             f"{c.framework.scoring.category_to_overall} of key areas); written as values."),
            ("Agenda", f"{len(c.agenda)} of {len(c.prompts)} challenge prompts: the strongest "
             f"{c.settings.agenda_per_kind} of each kind per member, at most "
             f"{c.settings.agenda_per_member} per member (sheet Agenda); all of them, ranked, "
             "on the sheet Challenge."),
            *(("Note", note) for note in c.notes),
        ]
        value_width = sum(widths[1:])
        for key, value in facts:
            put_text(sheet.cell(row, 1), key).font = styles.BOLD
            sheet.cell(row, 1).alignment = styles.WRAP_TOP
            cell = put_text(sheet.cell(row, 2), value)
            cell.alignment = styles.WRAP_TOP
            if key == "Note":
                cell.font = styles.BOLD
            sheet.merge_cells(start_row=row, start_column=2, end_row=row,
                              end_column=len(widths))
            sheet.row_dimensions[row].height = paper.row_height(
                paper.line_count(value, value_width))
            row += 1
        row += 1
        header = row
        _header(sheet, row, labels, widths)
        agenda_counts = c.prompt_counts(c.agenda)
        all_counts = c.prompt_counts()
        for member in c.members:
            row += 1
            values: list[tuple[Any, str | None]] = [
                (member.name, None), (member.code, None), (Path(member.path).name, None),
                (member.response.cycle, None),
                (member.scores.completion, PERCENT_FORMAT),
                (member.scores.evidence_coverage, PERCENT_FORMAT),
                (member.scores.overall.rounded, "score")]
            if c.previous:
                change = c.overall_change(member.code)
                values += [(change.was, "score"), (change.change, CHANGE_FORMAT)]
            if c.has_follow_up:
                values.append((c.follow_up(member.code).text, None))
            values += [(all_counts[member.code], "0"), (agenda_counts[member.code], "0")]
            for col, (value, fmt) in enumerate(values, start=1):
                cell = sheet.cell(row, col)
                if fmt == "score":
                    _score(cell, value)
                elif fmt is None:
                    put_text(cell, value)
                    if col > 4:  # a count in words ("12 of 60"): centred like the numbers
                        cell.alignment = styles.CENTRE
                else:
                    put_number(cell, value, fmt)
                cell.border = styles.BORDER
        _colour_scale(sheet, f"G{header + 1}:G{row}", c)
        row += 2
        put_text(sheet.cell(row, 1), "Sheets").font = styles.BOLD
        for name, what in (
            ("Agenda", "the meeting-sized list of questions, strongest first within each kind"),
            ("Heat map", "indicator scores side by side, the Quad median, spread and "
             "divergence"),
            ("Themes", "every theme's level for every member"),
            ("Evidence", "each member's level and evidence, side by side, in full"),
            ("Strengths and next steps", "each member's strengths and next steps, side by "
             "side, in full"),
            ("Measures", "baseline, current and change for each measure"),
            ("Challenge", "every challenge prompt, ranked, each with its reason and cells"),
            *((("Trend", f"indicator scores in {c.previous.cycle} and now"),) if c.previous
              else ()),
            *((("Follow-up", "progress on last cycle's next steps"),) if c.has_follow_up
              else ()),
            ("Charts", "key-area scores by member, as bars and as a radar"),
        ):
            row += 1
            put_text(sheet.cell(row, 1), name)
            put_text(sheet.cell(row, 2), what)
            sheet.merge_cells(start_row=row, start_column=2, end_row=row,
                              end_column=len(widths))
        _page(sheet, header, None)

    def _prompt_sheet(self, name: str, prompts: list[Prompt], *, agenda: bool) -> None:
        c = self.c
        sheet = self.book.create_sheet(name)
        labels = ["#", "Kind", "ID", "Theme", "Members", "Reason", "Question for the meeting",
                  "Cells it rests on"]
        widths: list[float] = [5, 16, 8, 24, 20, 40, 40, 44]
        if not agenda:
            labels.append("On the agenda")
            widths.append(9)
        counts = c.prompt_counts(prompts)
        if agenda:
            title = f"Agenda for the Quad meeting - {c.title}"
            subtitle = (f"The strongest {c.settings.agenda_per_kind} prompts of each kind per "
                        f"member, at most {c.settings.agenda_per_member} per member: "
                        f"{len(prompts)} of {len(c.prompts)}; all are on the sheet Challenge. "
                        "Prompts per member: " + ", ".join(
                            f"{c.labels[code]} {n}" for code, n in counts.items()) + ".")
        else:
            title = f"Challenge prompts, all {len(prompts)} - {c.title}"
            subtitle = ("Every prompt, strongest first within each kind; one per theme and "
                        "kind. Cells say where each rests, as 'file: Sheet!Cell'.")
        header = _title(sheet, title, subtitle, widths)
        _header(sheet, header, labels, widths)
        in_agenda = {id(p) for p in c.agenda} if not agenda else set()
        row = header
        for number, prompt in enumerate(prompts, start=1):
            row += 1
            values = [str(number), prompt.kind_title, prompt.item, prompt.title,
                      ", ".join(c.labels.get(m, m) for m in prompt.members), prompt.reason,
                      prompt.question, "\n".join(prompt.cells)]
            if not agenda:
                values.append("Yes" if id(prompt) in in_agenda else "")
            lines = 1
            for col, (text, width) in enumerate(zip(values, widths, strict=True), start=1):
                _wrapped(sheet.cell(row, col), text)
                lines = max(lines, paper.line_count(text, width))
            sheet.row_dimensions[row].height = paper.row_height(lines, 2)
        if not prompts:
            put_text(sheet.cell(row + 1, 1), "No prompts: the members agree closely and their "
                     "evidence supports their grades.")
        sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(labels))}" \
                                f"{max(row, header + 1)}"
        _page(sheet, header, f"A{header + 1}")

    def _score_rows(self, sheet: Any, row: int, item: ScoreRow, bold: bool) -> None:
        put_text(sheet.cell(row, 1), item.id)
        cell = put_text(sheet.cell(row, 2), item.title)
        cell.alignment = styles.WRAP_TOP
        for offset, code in enumerate(self.codes):
            _score(sheet.cell(row, 3 + offset), item.values.get(code))
        after = 3 + len(self.codes)
        _score(sheet.cell(row, after), item.median)
        _score(sheet.cell(row, after + 1), item.spread)
        flag = put_text(sheet.cell(row, after + 2), "Yes" if item.divergent else "")
        if item.divergent:
            flag.fill = styles.FLAG_FILL
        for col in range(1, after + 3):
            cell = sheet.cell(row, col)
            cell.border = styles.BORDER
            if bold:
                cell.font = styles.BOLD
                if not item.divergent or col != after + 2:
                    cell.fill = styles.GROUP_FILL
        sheet.row_dimensions[row].height = paper.row_height(paper.line_count(item.title, 46))

    def _heat_map(self) -> None:
        c = self.c
        sheet = self.book.create_sheet("Heat map")
        labels = ["ID", "Indicator", *self.names, "Quad median", "Spread", "Divergent"]
        widths = [8, 46, *([14] * len(self.names)), 11, 9, 10]
        header = _title(sheet, f"Heat map - {c.title}", "Indicator scores by member; key-area "
                        "rows in blue. Divergent: members "
                        f"{c.settings.divergence_levels}+ levels apart.", widths)
        _header(sheet, header, labels, widths)
        row = header
        for category in c.categories:
            row += 1
            self._score_rows(sheet, row, category, bold=True)
            for indicator in (i for i in c.indicators if i.parent_id == category.id):
                row += 1
                self._score_rows(sheet, row, indicator, bold=False)
        last = get_column_letter(2 + len(self.codes))
        _colour_scale(sheet, f"C{header + 1}:{last}{row}", c)
        _page(sheet, header, f"C{header + 1}")

    def _themes(self) -> None:
        c = self.c
        sheet = self.book.create_sheet("Themes")
        labels = ["ID", "Theme", "Indicator", *self.names, "Spread"]
        widths = [9, 44, 9, *([14] * len(self.names)), 9]
        header = _title(sheet, f"Theme levels - {c.title}", "Levels as answered; special "
                        "answers in words; blank where nothing was chosen.", widths)
        _header(sheet, header, labels, widths)
        row = header
        for theme in c.themes:
            row += 1
            put_text(sheet.cell(row, 1), theme.id).alignment = styles.WRAP_TOP
            put_text(sheet.cell(row, 2), theme.title).alignment = styles.WRAP_TOP
            put_text(sheet.cell(row, 3), theme.indicator_id).alignment = styles.WRAP_TOP
            lines = paper.line_count(theme.title, 44)
            for offset, code in enumerate(self.codes):
                score = theme.scores.get(code)
                cell = sheet.cell(row, 4 + offset)
                if score is not None and score.level is not None:
                    put_number(cell, score.level)
                else:
                    put_text(cell, theme.level_text(code))
                    lines = max(lines, paper.line_count(theme.level_text(code), 14))
                cell.alignment = styles.CENTRE
            put_number(sheet.cell(row, 4 + len(self.codes)), theme.spread).alignment = \
                styles.CENTRE
            sheet.row_dimensions[row].height = paper.row_height(lines)
        last = get_column_letter(3 + len(self.codes))
        _colour_scale(sheet, f"D{header + 1}:{last}{row}", c)
        sheet.auto_filter.ref = f"A{header}:{get_column_letter(4 + len(self.codes))}{row}"
        _page(sheet, header, f"D{header + 1}")

    def _side_by_side(self, name: str, title: str, subtitle: str,
                      parts: list[tuple[str, float]], values: Any) -> None:
        """One row per theme, each member's ``parts`` across; ``values(theme, code)`` gives
        the member's values in ``parts`` order."""
        c = self.c
        sheet = self.book.create_sheet(name)
        labels, widths = ["ID", "Theme"], [8.0, 24.0]
        for member in c.members:
            for part, width in parts:
                labels.append(f"{member.name}: {part}")
                widths.append(width)
        header = _title(sheet, f"{title} - {c.title}", subtitle, widths)
        _header(sheet, header, labels, widths)
        row = header
        for theme in c.themes:
            columns = []
            for member in c.members:
                columns += list(zip(values(theme, member.code), (w for _, w in parts),
                                    strict=True))
            row = _text_rows(sheet, row, theme.id, theme.title, columns)
        _page(sheet, header, f"C{header + 1}")
        return sheet

    def _evidence(self) -> None:
        c = self.c

        def values(theme: Any, code: str) -> list[Any]:
            answer = theme.answers.get(code)
            score = theme.scores.get(code)
            level = score.level if score and score.level is not None else \
                theme.level_text(code) or None
            return [level, answer.evidence if answer else None]

        sheet = self._side_by_side(
            "Evidence", "Evidence side by side", "Each member's level and evidence as it "
            "wrote them, in full; strengths and next steps are on the next sheet.",
            [("level", 9), ("evidence", 36)], values)
        for offset in range(len(c.members)):
            letter = get_column_letter(3 + 2 * offset)
            _colour_scale(sheet, f"{letter}5:{letter}{sheet.max_row}", c)

    def _strengths(self) -> None:
        def values(theme: Any, code: str) -> list[Any]:
            answer = theme.answers.get(code)
            return [answer.strengths, answer.next_steps] if answer else [None, None]

        self._side_by_side("Strengths and next steps", "Strengths and next steps side by side",
                           "As each member wrote them, in full.",
                           [("strengths", 22), ("next steps", 22)], values)

    def _measures(self) -> None:
        c = self.c
        sheet = self.book.create_sheet("Measures")
        labels, widths = ["Measure", "Unit", "Change in", "Better when"], [36, 13, 13, 9]
        for member in c.members:
            labels += [f"{member.name}: baseline", f"{member.name}: current",
                       f"{member.name}: change"]
            widths += [11, 11, 11]
        header = _title(sheet, f"Measures - {c.title}", "Change is current minus baseline; "
                        "a change of a percentage is in percentage points. Red: the wrong "
                        "way.", widths)
        _header(sheet, header, labels, widths)
        row = header
        for measure in c.measures:
            row += 1
            for col, text in enumerate((measure.title, measure.unit, measure.change_unit,
                                        "higher" if measure.higher_is_better else "lower"),
                                       start=1):
                put_text(sheet.cell(row, col), text).alignment = styles.WRAP_TOP
            sheet.row_dimensions[row].height = paper.row_height(max(
                paper.line_count(measure.title, 36), paper.line_count(measure.unit, 13),
                paper.line_count(measure.change_unit, 13)))
            col = 5
            for code in self.codes:
                value = measure.values.get(code)
                put_number(sheet.cell(row, col), value.baseline if value else None, "0.0")
                put_number(sheet.cell(row, col + 1), value.current if value else None, "0.0")
                cell = put_number(sheet.cell(row, col + 2), measure.change(code),
                                  CHANGE_FORMAT)
                worse = measure.got_worse(code)
                if worse is not None:
                    cell.font = Font(color="C00000" if worse else "00703C", bold=True)
                col += 3
        _page(sheet, header, f"E{header + 1}")

    def _trend(self) -> None:
        c = self.c
        assert c.previous is not None
        sheet = self.book.create_sheet("Trend")
        labels, widths = ["ID", "Indicator"], [8.0, 40.0]
        for member in c.members:
            labels += [f"{member.name}: {c.previous.cycle}", f"{member.name}: now",
                       f"{member.name}: change"]
            widths += [11, 11, 11]
        header = _title(sheet, f"Since {c.previous.cycle} - {c.title}", "Indicator scores "
                        "last cycle and now, on this comparison's framework version.", widths)
        _header(sheet, header, labels, widths)
        row = header
        for indicator, changes in c.indicator_changes():
            row += 1
            put_text(sheet.cell(row, 1), indicator.id)
            put_text(sheet.cell(row, 2), indicator.title).alignment = styles.WRAP_TOP
            sheet.row_dimensions[row].height = paper.row_height(
                paper.line_count(indicator.title, 40))
            col = 3
            for code in self.codes:
                change = changes[code]
                _score(sheet.cell(row, col), change.was)
                _score(sheet.cell(row, col + 1), change.now)
                cell = put_number(sheet.cell(row, col + 2), change.change, CHANGE_FORMAT)
                if change.change:
                    cell.font = Font(color="00703C" if change.change > 0 else "C00000",
                                     bold=True)
                col += 3
        _page(sheet, header, f"C{header + 1}")

    def _follow_up(self) -> None:
        c = self.c

        def values(theme: Any, code: str) -> list[Any]:
            answer = theme.answers.get(code)
            return [answer.previous_next_steps if answer else None,
                    answer.progress if answer else None, theme.progressed(code) or None]

        sheet = self._side_by_side(
            "Follow-up", "Follow-up on last cycle's next steps", "What each member said it "
            "would do, and the progress it reports now.",
            [("last cycle's next steps", 26), ("progress", 26), ("progress note written?", 12)],
            values)
        row = sheet.max_row + 2
        put_text(sheet.cell(row, 1), "Themes with progress reported: " + "; ".join(
            f"{m.name} {c.follow_up(m.code).text}" for m in c.members)).font = styles.BOLD

    def _charts(self) -> None:
        c = self.c
        sheet = self.book.create_sheet("Charts")
        labels = ["Key area", *self.names, "Title"]
        widths = [10, *([14] * len(self.names)), 44]
        header = _title(sheet, f"Charts - {c.title}", "Key-area scores by member, in the "
                        "same colours as the HTML report. The table below feeds the charts.",
                        widths)
        _header(sheet, header, labels, widths)
        row = header
        for category in c.categories:
            row += 1
            put_text(sheet.cell(row, 1), f"KA {category.id}")
            for offset, code in enumerate(self.codes):
                put_number(sheet.cell(row, 2 + offset), category.values.get(code), SCORE_FORMAT)
            put_text(sheet.cell(row, 2 + len(self.codes)), category.title)
        scale = c.framework.scale
        low, top = scale.lowest.value, scale.highest.value
        data = Reference(sheet, min_col=2, max_col=1 + len(self.codes), min_row=header,
                         max_row=row)
        categories = Reference(sheet, min_col=1, min_row=header + 1, max_row=row)
        colours = [c.colours[code].lstrip("#") for code in self.codes]

        bars = BarChart()
        bars.type, bars.grouping = "col", "clustered"
        bars.title = "Key-area scores by member"
        bars.y_axis.title, bars.x_axis.title = "Score", "Key area"
        bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, top
        bars.y_axis.majorUnit = 1
        bars.add_data(data, titles_from_data=True)
        bars.set_categories(categories)
        for series, colour in zip(bars.series, colours, strict=True):
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour
        bars.height, bars.width = 11, 26
        bars.y_axis.delete = False
        bars.x_axis.delete = False
        # Each chart on a page of its own, so no chart is cut by a page break; no header row is
        # repeated over them.
        sheet.row_breaks.append(Break(id=row + 1))
        sheet.add_chart(bars, f"A{row + 2}")
        sheet.row_breaks.append(Break(id=row + 26))

        radar = RadarChart()
        radar.type = "marker"
        radar.title = "Key areas by authority"
        radar.add_data(data, titles_from_data=True)
        radar.set_categories(categories)
        for index, (series, colour) in enumerate(zip(radar.series, colours, strict=True)):
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.width = 28575  # 2.25 pt
            series.marker = Marker(symbol=_MARKERS[index % len(_MARKERS)], size=7)
            series.marker.graphicalProperties = GraphicalProperties(solidFill=colour)
            series.marker.graphicalProperties.line.solidFill = colour
            series.smooth = False
        # The axis follows the framework's scale: a 1-to-6 scale starts at 1, not 0.
        radar.y_axis.scaling.min, radar.y_axis.scaling.max = low, top
        radar.y_axis.majorUnit = 1
        radar.y_axis.delete = False
        radar.height, radar.width = 13, 20
        sheet.add_chart(radar, f"A{row + 28}")
        _page(sheet, None, None)


def build_comparison_workbook(comparison: Comparison) -> Workbook:
    return _Writer(comparison).build()


def write_comparison_xlsx(comparison: Comparison, path: str | os.PathLike[str], *,
                          force: bool = False) -> Path:
    """Write the Quad comparison workbook atomically; refuses to replace a file unless ``force``."""
    book = build_comparison_workbook(comparison)
    with atomic_output(path, force=force) as temporary:
        book.save(temporary)
    return Path(path)
