"""Quad comparisons: the gate, every prompt kind, and a workbook that keeps every answer."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from rubric.compare.challenge import ChallengeSettings
from rubric.compare.quad import compare_returns
from rubric.export.xlsx import write_comparison_xlsx
from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from rubric.xlsx import layout
from tests.conftest import FRAMEWORKS, ROOT
from tests.workbooks import (
    INFO,
    demo_framework,
    edit_workbook,
    libreoffice_convert,
    make_return,
    soffice,
)

STORE = FrameworkStore(FRAMEWORKS)
EXAMPLES = sorted((ROOT / "responses" / "examples").glob("*.xlsx"))


@pytest.fixture(scope="module")
def examples():
    return [read_return(path, STORE) for path in EXAMPLES]


@pytest.fixture(scope="module")
def example_workbook(examples, tmp_path_factory) -> tuple[Path, object]:
    comparison = compare_returns(examples).comparison
    path = tmp_path_factory.mktemp("quad") / "quad.xlsx"
    write_comparison_xlsx(comparison, path)
    return path, comparison


def _member(tmp: Path, letter: str, table: str, measures: str = "") -> object:
    path = make_return(tmp, table, measures, name=f"{letter}.xlsx")

    def rename(book) -> None:
        sheet = book[layout.PROVENANCE_SHEET]
        sheet["B6"] = f"Example Authority {letter}"
        sheet["B7"] = f"EX{letter}"

    edit_workbook(path, rename)
    return read_return(path, STORE)


def test_every_level_and_evidence_text_arrives_exactly(examples, example_workbook) -> None:
    path, comparison = example_workbook
    book = openpyxl.load_workbook(path)
    themes_sheet, evidence_sheet = book["Themes"], book["Evidence"]
    columns = {m.code: i for i, m in enumerate(comparison.members)}
    theme_rows = {row[0].value: row for row in themes_sheet.iter_rows(min_row=5)}
    evidence_rows = {row[0].value: row for row in evidence_sheet.iter_rows(min_row=5)}
    other_rows = {row[0].value: row for row in
                  book["Strengths and next steps"].iter_rows(min_row=5)}
    checked = 0
    for result in examples:
        response = result.response
        code = response.authority_code
        for theme_id, answer in response.themes.items():
            level_cell = theme_rows[theme_id][3 + columns[code]]
            if answer.level is not None:
                assert level_cell.value == answer.level
            level, evidence = evidence_rows[theme_id][2 + 2 * columns[code]: 4 + 2 * columns[code]]
            row = next(t for t in comparison.themes if t.id == theme_id)
            assert level.value == (answer.level if answer.level is not None
                                   else row.level_text(code) or None)
            assert (evidence.value or "") == answer.evidence
            strengths, next_steps = other_rows[theme_id][2 + 2 * columns[code]:
                                                         4 + 2 * columns[code]]
            assert [strengths.value or "", next_steps.value or ""] == [
                answer.strengths, answer.next_steps]
            checked += 1
    assert checked == 4 * 60


def test_formula_looking_evidence_arrives_as_text(example_workbook) -> None:
    path, _ = example_workbook
    book = openpyxl.load_workbook(path)
    cells = [c for row in book["Evidence"].iter_rows() for c in row
             if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert any(c.value.startswith("=Attainment up 3 points") for c in cells)
    assert cells and all(c.data_type == "s" for c in cells)
    formulas = [c.coordinate for ws in book.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas == []


def test_sheets_and_charts(example_workbook) -> None:
    path, _ = example_workbook
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Overview", "Agenda", "Heat map", "Themes", "Evidence",
                               "Strengths and next steps", "Measures", "Challenge", "Charts"]
    assert len(book["Charts"]._charts) == 2
    heat = book["Heat map"]
    assert heat.conditional_formatting and heat["C5"].number_format == "0.0"


def test_gate_refuses_mixed_versions_duplicates_and_invalid_returns(tmp_path: Path,
                                                                     examples) -> None:
    demo = _member(tmp_path, "A", "| theme | level | evidence |\n| 1.1.1 | 5 | x |")
    outcome = compare_returns([examples[0], demo])
    assert "compare-framework-mismatch" in outcome.report.codes()
    assert outcome.comparison is None
    assert "compare-duplicate-authority" in compare_returns(
        [examples[0], examples[0]]).report.codes()
    assert compare_returns([examples[0]]).report.codes() == ["compare-too-few"]
    broken = read_return(tmp_path / "missing.xlsx", STORE)
    assert "compare-invalid-return" in compare_returns([examples[0], broken]).report.codes()


# --- every prompt kind from compact tables ---------------------------------------------------

A = """
| theme | level | evidence |
| 1.1.1 | 6     | Attainment rose in 3 years for all groups, by school and by SIMD, in our data. |
| 1.1.2 | 2     | The gap between quintiles has not narrowed in three years of tracking data. |
| 2.1.1 | 6 | Seen in all staff, pupil and partner surveys, in focus groups and on our visits. |
| 2.1.2 | 2     | Plans list many actions; head teachers could not name the priorities. |
"""
B = """
| theme | level | evidence |
| 1.1.1 | 3     | Some improvement in primary; secondary flat over two years of data. |
| 1.1.2 | 2     | Gap unchanged in our own tracking data across the last three years. |
| 2.1.1 | 3     | Vision known centrally, less so in schools according to the staff survey. |
| 2.1.2 | 1     | No improvement plan agreed this year; interim priorities only. |
"""
C = """
| theme | level | evidence       |
| 1.1.1 | 3     | Mixed picture across schools according to attainment data and visits. |
| 1.1.2 | 1     | Gap widening at every stage in our tracking data and in national figures. |
| 2.1.1 | 3     | Partly shared, as focus groups with staff and partners show clearly. |
| 2.1.2 | 2     | Priorities unclear to schools and partners, as visit notes record. |
"""
D_GENEROUS = """
| theme | level | evidence      |
| 1.1.1 | 6     | Very strong.  |
| 1.1.2 | 2     | Gap is wide and shows no sign of narrowing in the data we hold. |
| 2.1.1 | 4     | Most staff can describe it in their own words, says the survey. |
| 2.1.2 | 2     | Plans are long and the priorities are unclear to our schools. |
"""
WORSE = """
| measure                       | baseline | current |
| leavers-positive-destinations | 95.0     | 92.0    |
"""


@pytest.fixture(scope="module")
def demo_comparison(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prompts")
    members = [_member(tmp, "A", A, WORSE), _member(tmp, "B", B), _member(tmp, "C", C),
               _member(tmp, "D", D_GENEROUS)]
    outcome = compare_returns(members)
    assert outcome.comparison is not None, [str(p) for p in outcome.report]
    return outcome.comparison, members


def _prompts(comparison, kind: str) -> list:
    return [p for p in comparison.prompts if p.kind == kind]


def test_divergence_prompt(demo_comparison) -> None:
    comparison, _ = demo_comparison
    found = {p.item: p for p in _prompts(comparison, "divergence")}
    assert set(found) >= {"1.1.1", "2.1.1"}
    prompt = found["1.1.1"]
    assert prompt.members[0] in {"EXA", "EXD"} and prompt.members[1] in {"EXB", "EXC"}
    assert "3 levels apart" in prompt.reason
    assert all(cell.endswith(": '1 Outcomes'!E6") for cell in prompt.cells)


def test_generous_prompt_for_thin_evidence(demo_comparison) -> None:
    comparison, _ = demo_comparison
    [prompt] = _prompts(comparison, "generous")
    assert (prompt.item, prompt.members) == ("1.1.1", ("EXD",))
    assert "rates 6 with 2 words of evidence." in prompt.reason


def test_shared_weakness_prompt(demo_comparison) -> None:
    comparison, _ = demo_comparison
    assert [p.item for p in _prompts(comparison, "shared-weakness")] == ["1.1.2", "2.1.2"]


def test_measure_worse_prompt(demo_comparison) -> None:
    comparison, _ = demo_comparison
    [prompt] = _prompts(comparison, "measure-worse")
    assert (prompt.item, prompt.members) == ("1.1.1", ("EXA",))
    assert "-3.0 percentage points" in prompt.reason
    assert any("Measures!" in cell for cell in prompt.cells)


def test_learn_from_prompt(demo_comparison) -> None:
    comparison, _ = demo_comparison
    assert [(p.item, p.members) for p in _prompts(comparison, "learn-from")] == [
        ("2.1.1", ("EXA",))]


def test_thresholds_are_configurable(demo_comparison) -> None:
    _, members = demo_comparison
    loose = compare_returns(members, settings=ChallengeSettings(
        divergence_levels=4, thin_evidence_words=1, weak_level=1, learn_gap=4)).comparison
    assert not _prompts(loose, "divergence") and not _prompts(loose, "generous")
    assert not _prompts(loose, "shared-weakness") and not _prompts(loose, "learn-from")


def test_heat_map_rows_have_median_spread_and_divergence(demo_comparison) -> None:
    comparison, _ = demo_comparison
    row = next(r for r in comparison.indicators if r.id == "2.1")
    # A (6+2)/2=4, B (3+1)/2=2, C (3+2)/2=2.5, D (4+2)/2=3 -> median 2.75, spread 2
    assert row.values == {"EXA": 4.0, "EXB": 2.0, "EXC": 2.5, "EXD": 3.0}
    assert row.median == 2.75 and row.spread == 2.0 and row.divergent


def test_demo_framework_template_info_is_fictional() -> None:
    assert INFO.authority.startswith("Example Authority")
    assert demo_framework().id == "demo"


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed; "
                    ".ci/run installs it")
def test_comparison_renders_to_pdf_with_charts(example_workbook, tmp_path: Path) -> None:
    path, _ = example_workbook
    pdf = libreoffice_convert(path, tmp_path / "pdf", "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                              text=True).stdout
        assert "Key-area scores by member" in text  # chart titles are drawn as text
        assert "Key areas by authority" in text
        assert "Heat map" in text


def test_a_quad_member_without_a_return_is_a_warning(tmp_path: Path) -> None:
    from rubric.registry.quads import load_quads

    results = []
    for code, name in (("ABE", "Aberdeen City"), ("EDH", "City of Edinburgh")):
        path = make_return(tmp_path, "| theme | level | evidence |\n| 1.1.1 | 4 | x |",
                           name=f"{code}.xlsx")

        def stamp(book, code=code, name=name) -> None:
            book[layout.PROVENANCE_SHEET]["B6"] = name
            book[layout.PROVENANCE_SHEET]["B7"] = code

        edit_workbook(path, stamp)
        results.append(read_return(path, STORE))
    quad = load_quads(ROOT / "quads.yaml").get("FG1 Quad A")
    outcome = compare_returns(results, quad=quad)
    assert outcome.comparison is not None
    missing = [p for p in outcome.report if p.code == "compare-member-missing"]
    assert [p.message.split(",")[0] for p in missing] == [
        "no return from Aberdeenshire", "no return from East Dunbartonshire"]
    assert [m.code for m in outcome.comparison.members] == ["ABE", "EDH"]
