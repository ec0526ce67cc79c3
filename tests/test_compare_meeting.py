"""A meeting-sized Quad comparison: prompts ranked and deduplicated, an agenda, one cycle (or a
warning everywhere), the previous cycle as an input, and every output rendering the same facts."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from rubric.cli import main
from rubric.compare.agenda import build_agenda
from rubric.compare.challenge import ChallengeSettings, Prompt
from rubric.compare.national import national_overview
from rubric.compare.previous import PreviousCycle
from rubric.compare.quad import NO_SCORE, compare_returns
from rubric.cycles.history import open_history
from rubric.cycles.trend import previous_cycle_scores
from rubric.export import paper
from rubric.export.html import render_html
from rubric.export.national import write_national_xlsx
from rubric.export.xlsx import write_comparison_xlsx
from rubric.framework.store import FrameworkStore
from rubric.problems import Refused
from rubric.read.returns import read_return
from rubric.scoring import score_response
from rubric.xlsx import layout
from tests.conftest import FRAMEWORKS, ROOT
from tests.workbooks import edit_workbook, make_return

STORE = FrameworkStore(FRAMEWORKS)
EXAMPLES = sorted((ROOT / "responses" / "examples").glob("*.xlsx"))
NEXT_CYCLE = sorted((ROOT / "responses" / "examples" / "2026-27").glob("*.xlsx"))


@pytest.fixture(scope="module")
def examples():
    return [read_return(path, STORE) for path in EXAMPLES]


@pytest.fixture(scope="module")
def demo(examples):
    outcome = compare_returns(examples)
    assert outcome.comparison is not None
    return outcome.comparison


def _member(tmp: Path, letter: str, table: str, measures: str = "", cycle: str = "2025-26"):
    path = make_return(tmp, table, measures, name=f"{letter}-{cycle}.xlsx")

    def stamp(book) -> None:
        sheet = book[layout.PROVENANCE_SHEET]
        sheet["B6"] = f"Example Authority {letter}"
        sheet["B7"] = f"EX{letter}"
        assert sheet["A8"].value == "cycle"
        sheet["B8"] = cycle

    edit_workbook(path, stamp)
    return read_return(path, STORE)


FULL = """
| theme | level | evidence |
| 1.1.1 | 4 | Attainment rose in three years for most groups, by school and by SIMD. |
| 1.1.2 | 3 | The gap between quintiles has narrowed a little in our own tracking data. |
| 2.1.1 | 4 | Staff, pupil and partner surveys and focus groups show the vision is known. |
| 2.1.2 | 3 | Plans list priorities that head teachers could name on our visits. |
"""
HALF = """
| theme | level | evidence |
| 1.1.1 | 2 | Attainment fell in most schools according to our own data this year. |
| 1.1.2 | 5 | Seen in all staff, pupil and partner surveys and focus groups we ran. |
"""


# --- prompts: one per theme and kind, ranked, worded consistently ----------------------------

def test_prompts_are_one_per_theme_and_kind_ranked_by_strength(demo) -> None:
    keys = Counter((p.kind, p.item) for p in demo.prompts)
    assert keys and max(keys.values()) == 1
    for kind in {p.kind for p in demo.prompts}:
        strengths = [p.strength for p in demo.prompts if p.kind == kind]
        assert strengths == sorted(strengths, reverse=True)


def test_thin_evidence_from_several_members_is_one_prompt(tmp_path: Path) -> None:
    thin = "| theme | level | evidence |\n| 1.1.1 | 6 | Very strong. |\n| 2.1.1 | 2 | " \
           "Staff could not describe the vision in our survey or in any focus group. |"
    other = "| theme | level | evidence |\n| 1.1.1 | 5 |  |\n| 2.1.1 | 2 | The survey " \
            "shows the vision is not known by staff or partners in most schools. |"
    members = [_member(tmp_path, "A", thin), _member(tmp_path, "B", other)]
    comparison = compare_returns(members).comparison
    [prompt] = [p for p in comparison.prompts if p.kind == "generous"]
    assert prompt.members == ("EXA", "EXB")
    assert prompt.reason == ("Example Authority A rates 6 with 2 words of evidence; Example "
                             "Authority B rates 5 with no evidence.")
    assert "How do Example Authority A and Example Authority B know 1.1.1" in prompt.question


def test_measure_prompt_names_every_linked_measure_keeping_their_case(demo) -> None:
    prompts = [p for p in demo.prompts if p.kind == "measure-worse"]
    assert prompts and len({p.item for p in prompts}) == len(prompts)
    gap = next(p for p in prompts if "literacy-gap-simd" in p.measures)
    assert ("'Literacy attainment gap between SIMD quintiles 1 and 5' moved +1.6 percentage "
            "points") in gap.reason
    assert "Literacy attainment gap between SIMD quintiles 1 and 5" in gap.question
    assert all(p.reason.count(" moved ") == len(p.measures) for p in prompts)
    several = next(p for p in prompts if len(p.measures) >= 2)
    titles = [m.title for m in demo.framework.measures if m.id in several.measures]
    assert all(f"'{title}' moved" in several.reason and title in several.question
               for title in titles)
    assert "Exclusions per 1,000 pupils' moved +1.2 per 1,000 pupils" in several.reason
    assert not any("(percentage points)" in p.reason or " pp" in p.reason for p in prompts)
    # every measure named has its cell cited
    assert sum("Measures!" in cell for cell in several.cells) == len(several.measures)


def test_cells_are_cited_with_quoted_sheet_names_as_excel_writes_them(demo) -> None:
    cells = [cell for p in demo.prompts for cell in p.cells]
    assert any(cell.endswith(": '7 Management and support of sta'!E11") for cell in cells)
    assert any(cell.endswith(": Measures!F6") for cell in cells)
    pattern = re.compile(r": ('([^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)![A-Z]+[0-9]+$")
    assert all(pattern.search(cell) for cell in cells), [c for c in cells
                                                         if not pattern.search(c)][:3]
    assert layout.split_cell_ref("'It''s here'!B2") == ("It's here", "B2")
    assert layout.cell_ref("It's here", "B2") == "'It''s here'!B2"
    assert layout.cell_ref("A1", "B2") == "'A1'!B2"


# --- the agenda --------------------------------------------------------------------------------

def test_the_demo_agenda_is_meeting_sized_and_keeps_the_strongest(demo) -> None:
    agenda = demo.agenda
    per_member = demo.prompt_counts(agenda)
    assert len(demo.prompts) > 100 and 0 < len(agenda) <= 4 * 12
    assert max(per_member.values()) <= 12 and min(per_member.values()) >= 1
    per_kind = Counter((code, p.kind) for p in agenda for code in p.members)
    assert max(per_kind.values()) <= 3
    kinds = {p.kind for p in demo.prompts}
    for kind in kinds:  # the strongest prompt of every kind is on the agenda
        assert next(p for p in demo.prompts if p.kind == kind) in agenda
    assert [p for p in demo.prompts if p in agenda] == agenda  # ranked order kept


def _prompt(kind: str, item: str, members: tuple[str, ...], strength: float) -> Prompt:
    return Prompt(kind, item, item, members, "r", "q", (), strength)  # type: ignore[arg-type]


def test_build_agenda_caps_per_kind_and_per_member() -> None:
    prompts = [_prompt("divergence", f"1.{i}", ("A", "B"), 10 - i) for i in range(5)]
    prompts += [_prompt("divergence", "2.1", ("C", "D"), 1)]
    prompts += [_prompt("generous", f"3.{i}", ("A",), 5 - i) for i in range(4)]
    agenda = build_agenda(prompts, per_kind_per_member=2, per_member=3)
    assert [p.item for p in agenda] == ["1.0", "1.1", "2.1", "3.0"]
    assert [p.item for p in build_agenda(prompts, 3, 12)] == [
        "1.0", "1.1", "1.2", "2.1", "3.0", "3.1", "3.2"]


def test_agenda_settings_are_options(examples) -> None:
    small = compare_returns(examples, settings=ChallengeSettings(
        agenda_per_kind=1, agenda_per_member=2)).comparison
    assert max(small.prompt_counts(small.agenda).values()) <= 2


# --- one cycle, or a warning in every output ---------------------------------------------------

def test_returns_of_different_cycles_are_refused_or_compared_with_a_warning(
        tmp_path: Path) -> None:
    a = _member(tmp_path, "A", FULL)
    b = _member(tmp_path, "B", FULL, cycle="2026-27")
    refused = compare_returns([a, b])
    assert refused.comparison is None
    [found] = [p for p in refused.report if p.code == "compare-cycle-mismatch"]
    assert found.location.file == b.path and "2026-27" in found.message

    allowed = compare_returns([a, b], allow_mixed_cycles=True)
    comparison = allowed.comparison
    assert comparison is not None and comparison.mixed_cycles
    assert allowed.report.codes() == ["compare-cycles-mixed"]
    note = next(n for n in comparison.notes if "different cycles" in n)
    assert "2025-26: Example Authority A" in note and "2026-27: Example Authority B" in note
    assert note in comparison.to_dict()["notes"] and comparison.to_dict()["mixed_cycles"]
    assert note in render_html(comparison).replace("&#x27;", "'")
    path = write_comparison_xlsx(comparison, tmp_path / "mixed.xlsx")
    overview = [c.value for row in openpyxl.load_workbook(path)["Overview"].iter_rows()
                for c in row]
    assert note in overview


def test_national_overview_refuses_or_flags_mixed_cycles(tmp_path: Path) -> None:
    a = _member(tmp_path, "A", FULL)
    b = _member(tmp_path, "B", FULL, cycle="2026-27")
    refused = national_overview([a, b])
    assert refused.overview is None and "compare-cycle-mismatch" in refused.report.codes()
    allowed = national_overview([a, b], allow_mixed_cycles=True)
    assert allowed.report.codes() == ["compare-cycles-mixed"]
    [note] = allowed.overview.notes
    path = write_national_xlsx(allowed.overview, tmp_path / "national.xlsx")
    texts = [c.value for row in openpyxl.load_workbook(path)["National overview"].iter_rows()
             for c in row if isinstance(c.value, str)]
    assert f"Note: {note}" in texts


def test_a_member_below_the_completion_threshold_gets_a_warning(tmp_path: Path) -> None:
    members = [_member(tmp_path, "A", FULL), _member(tmp_path, "B", HALF)]
    outcome = compare_returns(members)
    [warning] = [p for p in outcome.report if p.code == "compare-low-completion"]
    assert not warning.is_error and warning.location.file == members[1].path
    assert warning.message.startswith("Example Authority B answered 50% of the themes")
    assert "80%" in warning.message
    assert any("Example Authority B answered 50%" in n for n in outcome.comparison.notes)
    lenient = compare_returns(members, settings=ChallengeSettings(min_completion=0.5))
    assert "compare-low-completion" not in lenient.report.codes()


# --- the previous cycle is an input --------------------------------------------------------------

def test_previous_cycle_is_passed_in_and_every_output_renders_the_change(tmp_path: Path) -> None:
    import rubric.cycles.trend

    assert not hasattr(rubric.cycles.trend, "attach_previous_cycle")
    history = open_history(tmp_path / "h.sqlite")
    for path in EXAMPLES:
        result = read_return(path, STORE)
        history.ingest(result, score_response(result.response, result.framework), "2025-26")
    now = [read_return(path, STORE) for path in NEXT_CYCLE]
    framework = now[0].framework
    codes = [r.response.authority_code for r in now]
    previous = previous_cycle_scores(history, STORE, framework, [*codes, "NOPE"], "2025-26")
    assert isinstance(previous, PreviousCycle) and set(previous.scores) == set(codes)
    assert previous.notes[-1] == "Previous cycle 2025-26: returns found for 4 of 5 members."
    comparison = compare_returns(now, previous=previous).comparison
    assert comparison.previous is previous
    change = comparison.overall_change("EXA")
    assert change.was == previous.scores["EXA"].overall.rounded
    assert change.change == pytest.approx(change.now - change.was)
    data = comparison.to_dict()
    assert data["previous_cycle"]["cycle"] == "2025-26"
    assert data["members"][0]["since_previous_cycle"]["was"] == change.was
    assert data["members"][0]["follow_up"] == {"planned": 60, "progressed": 60}
    page = render_html(comparison)
    assert "Overall in 2025-26" in page and "60 of 60" in page
    book = openpyxl.load_workbook(write_comparison_xlsx(comparison, tmp_path / "q.xlsx"))
    assert {"Trend", "Follow-up"} <= set(book.sheetnames)
    for sheet in book.worksheets:  # no header label is cut: the row fits its wrapped lines
        if sheet.title in ("Overview", "Charts"):
            continue
        for cell in sheet[4]:
            if cell.value:
                width = sheet.column_dimensions[cell.column_letter].width
                lines = paper.line_count(cell.value, width * 0.85)
                assert sheet.row_dimensions[4].height >= 15 * lines, (sheet.title, cell.value)
    overview = {c.value for row in book["Overview"].iter_rows() for c in row}
    assert {"Overall in 2025-26", "60 of 60"} <= overview
    follow = [c.value for row in book["Follow-up"].iter_rows() for c in row]
    assert any(isinstance(v, str) and "Example Authority A 60 of 60" in v for v in follow)
    history.close()
    with pytest.raises(Refused):
        previous_cycle_scores(open_history(tmp_path / "h.sqlite"), FrameworkStore(tmp_path),
                              framework, codes, "2025-26")


# --- presentation facts decided once -------------------------------------------------------------

def test_no_score_reads_the_same_in_every_output(tmp_path: Path) -> None:
    members = [_member(tmp_path, "A", FULL), _member(tmp_path, "B", HALF)]
    comparison = compare_returns(members).comparison
    row = next(r for r in comparison.indicators if r.values["EXB"] is None)
    assert row.values["EXA"] is not None
    sheet = openpyxl.load_workbook(write_comparison_xlsx(comparison,
                                                         tmp_path / "q.xlsx"))["Heat map"]
    cells = {r[0].value: r for r in sheet.iter_rows(min_row=5)}
    assert cells[row.id][3].value == NO_SCORE
    heat = render_html(comparison).split('id="heatmap"')[1].split('id="charts"')[0]
    assert f">{NO_SCORE}</td>" in heat


def test_to_dict_is_a_complete_json_comparison(demo) -> None:
    data = json.loads(json.dumps(demo.to_dict(), allow_nan=False))
    assert {"members", "categories", "indicators", "themes", "measures", "prompts", "agenda",
            "notes", "previous_cycle", "framework", "cycle"} <= set(data)
    first = demo.members[0].response.themes["1.1.1"]
    assert len(data["themes"]) == 60 and data["themes"][0]["levels"]["EXA"]["level"] == \
        first.level
    assert data["themes"][0]["cells"]["EXA"].endswith("'1 Key performance outcomes'!E6")
    assert len(data["prompts"]) == len(demo.prompts)
    assert [p["rank"] for p in data["prompts"]][:3] == [1, 2, 3]
    assert len(data["agenda"]["prompts"]) == len(demo.agenda)
    assert sum(p["in_agenda"] for p in data["prompts"]) == len(demo.agenda)
    assert data["members"][0]["agenda_prompts"] == demo.prompt_counts(demo.agenda)["EXA"]
    gap = next(m for m in data["measures"] if m["id"] == "literacy-gap-simd")
    assert gap["change_unit"] == "percentage points"
    assert gap["values"]["EXD"]["change_text"] == "+1.6 percentage points"

    def no_nan(value) -> bool:
        if isinstance(value, float):
            return not math.isnan(value)
        if isinstance(value, dict):
            return all(no_nan(v) for v in value.values())
        if isinstance(value, list):
            return all(no_nan(v) for v in value)
        return value is None or isinstance(value, str | int | bool)

    assert no_nan(data)


def test_compare_json_without_an_output_prints_the_comparison() -> None:
    result = CliRunner().invoke(main, ["compare", "--frameworks", str(FRAMEWORKS), "--json",
                                       str(ROOT / "responses" / "examples")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["comparison"]["members"]) == 4 and data["comparison"]["agenda"]["prompts"]
    assert data["errors"] == [] and data["written"] == []


def test_xlsx_agenda_sheet_and_ranked_challenge_sheet(demo, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_comparison_xlsx(demo, tmp_path / "q.xlsx"))
    assert book.sheetnames[:2] == ["Overview", "Agenda"]
    agenda = [r for r in book["Agenda"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert [r[6] for r in agenda] == [p.question for p in demo.agenda]
    everything = [r for r in book["Challenge"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert len(everything) == len(demo.prompts)
    assert sum(r[8] == "Yes" for r in everything) == len(demo.agenda)


# --- charts ------------------------------------------------------------------------------------

def test_charts_follow_the_scale_and_share_member_colours(demo, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_comparison_xlsx(demo, tmp_path / "q.xlsx"))
    sheet = book["Charts"]
    bars, radar = sheet._charts
    assert radar.y_axis.scaling.min == demo.framework.scale.lowest.value == 1
    colours = [demo.colours[m.code].lstrip("#").upper() for m in demo.members]

    def rgb(fill) -> str:
        return str(getattr(fill.srgbClr, "val", fill.srgbClr)).upper()

    assert [rgb(s.graphicalProperties.solidFill) for s in bars.series] == colours
    assert [rgb(s.graphicalProperties.line.solidFill) for s in radar.series] == colours
    assert sheet.print_title_rows is None  # no header row repeated over the charts
    page = render_html(demo)
    for colour in demo.colours.values():
        assert f'fill="{colour}"' in page
    svg = re.findall(r"<svg\b.*?</svg>", page, re.DOTALL)[1]
    centre = float(re.search(r'<line x1="[\d.]+" y1="([\d.]+)"[^>]*class="spoke"', svg)[1])
    ticks = {int(t): float(y) for y, t in
             re.findall(r'<text x="[\d.]+" y="([\d.]+)" class="tick">(\d+)</text>', svg)}
    assert sorted(ticks) == [1, 2, 3, 4, 5, 6]
    assert ticks[1] == pytest.approx(centre - 3)  # the scale's lowest level is the centre


# --- the workbook reads on screen and on paper ---------------------------------------------------

def test_every_sheet_prints_a4_landscape_fitted_to_width_with_whole_texts(
        demo, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_comparison_xlsx(demo, tmp_path / "q.xlsx"))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (str(setup.paperSize), setup.orientation) == ("9", "landscape"), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1
        assert "A1:" in " ".join(str(r) for r in sheet.merged_cells.ranges), sheet.title
        title = sheet["A1"]
        assert title.alignment.wrap_text, sheet.title  # a long title wraps between words
    for name in ("Themes", "Measures", "Evidence"):  # names longer than a line wrap, whole
        sheet = book[name]
        checked = 0
        for row in sheet.iter_rows(min_row=5, max_col=2):
            for cell in row:
                width = sheet.column_dimensions[cell.column_letter].width
                if isinstance(cell.value, str) and len(cell.value) > 1.3 * width:
                    assert cell.alignment.wrap_text, (name, cell.coordinate)
                    assert sheet.row_dimensions[cell.row].height >= 30, (name, cell.coordinate)
                    checked += 1
        assert checked, name
    evidence = book["Evidence"]
    assert evidence.cell(5, 1).alignment.vertical == "top"
    assert evidence.cell(5, 2).alignment.vertical == "top"
    assert len([c for c in evidence[4] if c.value]) == 2 + 2 * len(demo.members)
