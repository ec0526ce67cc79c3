"""Template -> filled workbook -> Response, through real .xlsx files and real programs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from rubric.template.fill import fill_workbook
from rubric.xlsx import layout
from tests.conftest import FRAMEWORKS
from tests.workbooks import (
    blank_template,
    demo_framework,
    edit_workbook,
    libreoffice_convert,
    make_return,
    soffice,
)

STORE = FrameworkStore(FRAMEWORKS)
FIXTURE_OK = [HealthCheck.function_scoped_fixture]
needs_libreoffice = pytest.mark.skipif(
    soffice() is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")

ANSWERS = """
| theme | level          | evidence                        | strengths      | next_steps        |
| 1.1.1 | 5 - Very good  | Attainment rose three years.    | Clear data     | Share the tracker |
| 1.1.2 |   weak         | =Gap narrowed by 2 points       |                | Target 5 schools  |
| 2.1.1 | 4              | Staff survey, 72% response.     | Shared vision  |                   |
| 2.1.2 | Not applicable | We have no separate plan.       |                |                   |
"""
MEASURES = """
| measure                       | baseline | current | notes          |
| leavers-positive-destinations | 94.1     | 95.8    | All pupils     |
"""


def read(path: Path):
    return read_return(path, STORE)


def test_template_carries_provenance_protection_and_a_ranged_dropdown(tmp_path: Path) -> None:
    path = blank_template(tmp_path)
    book = openpyxl.load_workbook(path)
    framework = demo_framework()
    assert book.sheetnames[:2] == [layout.INSTRUCTIONS_SHEET, layout.PROGRESS_SHEET]
    provenance = book[layout.PROVENANCE_SHEET]
    assert provenance.sheet_state == "veryHidden"
    values = {row[0].value: row[1].value for row in provenance.iter_rows()}
    assert values["framework_id"] == "demo" and values["framework_version"] == "1.0.0"
    assert values["framework_hash"] == framework.content_hash
    assert values["authority"] == "Example Authority A" and values["cycle"] == "2025-26"
    assert values["generator"].startswith("rubric ") and values["created_at"]
    sheet = book["1 Outcomes"]
    assert sheet.protection.sheet and book.security.lockStructure
    assert sheet.freeze_panes == "C5" and sheet.print_title_rows == "$4:$4"
    [validation] = sheet.data_validations.dataValidation
    assert validation.formula1 == f"'{layout.LISTS_SHEET}'!$A$1:$A$8"
    lists = [c.value for c in book[layout.LISTS_SHEET]["A"]]
    assert lists == layout.level_choices(framework.scale)
    level_cell = sheet["E6"]
    assert not level_cell.protection.locked and sheet["C6"].protection.locked
    formulas = [(ws.title, c.coordinate) for ws in book.worksheets for row in ws.iter_rows()
                for c in row if c.data_type == "f"]
    assert formulas and {title for title, _ in formulas} == {layout.PROGRESS_SHEET}


def test_table_of_answers_comes_back_exactly(tmp_path: Path) -> None:
    result = read(make_return(tmp_path, ANSWERS, MEASURES))
    assert result.valid, [str(p) for p in result.report]
    themes = result.response.themes
    assert (themes["1.1.1"].level, themes["1.1.2"].level, themes["2.1.1"].level) == (5, 2, 4)
    assert themes["2.1.2"].special == "not_applicable" and themes["2.1.2"].level is None
    assert themes["1.1.2"].evidence == "=Gap narrowed by 2 points"
    assert themes["1.1.1"].cell == "'1 Outcomes'!E6"
    measure = result.response.measures["leavers-positive-destinations"]
    assert (measure.baseline, measure.current, measure.notes) == (94.1, 95.8, "All pupils")
    assert result.response.authority == "Example Authority A"


def test_calamine_and_openpyxl_read_the_same(tmp_path: Path) -> None:
    path = make_return(tmp_path, ANSWERS, MEASURES)
    assert read_return(path, STORE, engine="openpyxl").response == read(path).response


# --- property: random answers survive the round trip -----------------------------------------

FRAMEWORK = demo_framework()
LEVEL_FORMS = st.sampled_from(FRAMEWORK.scale.levels).flatmap(lambda lv: st.sampled_from([
    (lv.value, None, lv.value),
    (lv.value, None, f"{lv.value} - {lv.label}"),
    (lv.value, None, f"  {lv.label.upper()} "),
    (lv.value, None, lv.label.lower()),
    (lv.value, None, str(lv.value)),
]))
SPECIAL_FORMS = st.sampled_from([
    (None, "not_applicable", "Not applicable"),
    (None, "not_applicable", "n/a"),
    (None, "not_evaluated", "not yet EVALUATED"),
    (None, None, ""),
])
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t=+-@"),
    max_size=300,
).map(str.strip)
ANSWER = st.tuples(st.one_of(LEVEL_FORMS, SPECIAL_FORMS), TEXT, TEXT, TEXT)
ANSWER_SETS = st.fixed_dictionaries({tid: ANSWER for tid in FRAMEWORK.theme_index})


def _fill(answers: dict, blank: Path, target: Path) -> None:
    fill_workbook(blank, target, {
        tid: {"level": form, "evidence": ev, "strengths": st_, "next_steps": ns}
        for tid, ((_, _, form), ev, st_, ns) in answers.items()
    }, force=True)


def _assert_same(answers: dict, path: Path) -> None:
    result = read(path)
    assert result.response is not None, [str(p) for p in result.report]
    assert not result.report.errors, [str(p) for p in result.report.errors]
    for tid, ((value, special, _), ev, st_, ns) in answers.items():
        got = result.response.themes[tid]
        assert (got.level, got.special) == (value, special)
        assert (got.evidence, got.strengths, got.next_steps) == (ev, st_, ns)


@settings(max_examples=25, deadline=None, suppress_health_check=FIXTURE_OK)
@given(answers=ANSWER_SETS)
def test_random_answers_round_trip(tmp_path: Path, answers: dict) -> None:
    blank = blank_template(tmp_path)
    target = tmp_path / "filled.xlsx"
    _fill(answers, blank, target)
    _assert_same(answers, target)


# --- what people and programs do to workbooks ------------------------------------------------

FIXED_ANSWERS = {
    "1.1.1": ((5, None, "5 - Very good"), "Evidence one", "Strong", "Keep going"),
    "1.1.2": ((2, None, "weak"), "=Leading equals sign", "", "Act now"),
    "2.1.1": ((None, "not_applicable", "N/A"), "Does not apply", "", ""),
    "2.1.2": ((3, None, 3), "Lines\nover two", "Some", "-Dash first"),
}


def test_inserted_blank_row_above_a_theme(tmp_path: Path) -> None:
    target = tmp_path / "filled.xlsx"
    _fill(FIXED_ANSWERS, blank_template(tmp_path), target)
    edit_workbook(target, lambda book: book["2 Leadership"].insert_rows(7))
    _assert_same(FIXED_ANSWERS, target)


def test_reordered_sheets(tmp_path: Path) -> None:
    target = tmp_path / "filled.xlsx"
    _fill(FIXED_ANSWERS, blank_template(tmp_path), target)

    def reorder(book) -> None:
        book._sheets.reverse()
        book.active = 0

    edit_workbook(target, reorder)
    _assert_same(FIXED_ANSWERS, target)


@needs_libreoffice
def test_libreoffice_resave_keeps_every_answer(tmp_path: Path) -> None:
    filled = tmp_path / "filled.xlsx"
    _fill(FIXED_ANSWERS, blank_template(tmp_path), filled)
    resaved = libreoffice_convert(filled, tmp_path / "lo")
    assert resaved.read_bytes() != filled.read_bytes()
    _assert_same(FIXED_ANSWERS, resaved)
    assert read_return(resaved, STORE, engine="openpyxl").response.themes == \
        read(resaved).response.themes


@needs_libreoffice
@settings(max_examples=3, deadline=None, suppress_health_check=FIXTURE_OK)
@given(answers=ANSWER_SETS)
def test_random_answers_survive_libreoffice(tmp_path: Path, answers: dict) -> None:
    filled = tmp_path / "filled.xlsx"
    _fill(answers, blank_template(tmp_path), filled)
    _assert_same(answers, libreoffice_convert(filled, tmp_path / "lo"))


@needs_libreoffice
def test_template_renders_to_pdf(tmp_path: Path) -> None:
    from rubric.framework.load import load_framework
    from rubric.template.workbook import TemplateInfo, write_template

    framework = load_framework(FRAMEWORKS / "hgioea" / "1.0.0.yaml").framework
    path = tmp_path / "hgioea.xlsx"
    write_template(framework, TemplateInfo("Example Authority A", "2025-26"), path)
    pdf = libreoffice_convert(path, tmp_path / "pdf", "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines()
                         if line.startswith("Pages:")))
        assert pages >= 10  # instructions, progress, ten key areas, measures


def test_trusted_answers_equal_model_construct() -> None:
    from rubric.response import ThemeAnswer

    values = {"id": "1.1.1", "level": 5, "special": None, "evidence": "e", "strengths": "s",
              "next_steps": "n", "previous_next_steps": "", "progress": "", "cell": "S!E6"}
    fast, slow = ThemeAnswer.trusted(**values), ThemeAnswer.model_construct(**values)
    assert fast == slow and fast.model_dump() == slow.model_dump()
    assert fast.model_copy(update={"level": 4}).level == 4 and hash(fast) == hash(slow)
