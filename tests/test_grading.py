"""What is graded is part of the framework: themes, the indicator as a whole, or both.

A fixture framework of each kind goes the whole way: template -> fill -> validate -> score ->
compare -> migrate -> history, through real .xlsx files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from rubric.compare.quad import compare_returns
from rubric.cycles.history import open_history
from rubric.framework.load import load_framework
from rubric.framework.model import SEMVER_PATTERN
from rubric.framework.schema import framework_json_schema
from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from rubric.scoring import explain_lines, score_response
from rubric.template.fill import fill_workbook
from rubric.template.workbook import TemplateInfo, write_template
from rubric.versions.diff import diff_frameworks
from rubric.versions.migrate import migrate_response, write_migrated_workbook
from rubric.xlsx import layout
from tests.conftest import DEMO
from tests.framework_fixtures import GRADING_VERSIONS, apply_edits, graded_demo
from tests.workbooks import edit_workbook, parse_table

KINDS = ("themes", "indicator", "both")

# Theme levels where themes are graded; judgements in the indicators' own rows where judged.
THEMES = """
| id    | level | evidence                              | next_steps           |
| 1.1.1 | 5     | Three years of attainment data.       | Share the tracking.  |
| 1.1.2 | 4     | Gap figures by quintile, 2023-25.     |                      |
| 2.1.1 | 3     | Staff survey and visit notes.         | Agree one vision.    |
| 2.1.2 | 4     | Plans reviewed with head teachers.    |                      |
| 3.1.1 |       | Review actions closed, 2022-25.       |                      |
"""
JUDGEMENTS = """
| id  | level | evidence                         |
| 1.1 | 5     | Taken with the themes below.     |
| 2.1 | 3     | The vision is not yet shared.    |
| 3.1 | 4     | Our track record and plans.      |
"""


@pytest.fixture
def store(tmp_path: Path) -> FrameworkStore:
    """The demo 1.0.0 beside a fixture framework of each grading kind (same id, later
    versions), as the lookup path finds them."""
    folder = tmp_path / "frameworks" / "demo"
    folder.mkdir(parents=True)
    text = DEMO.read_text(encoding="utf-8")
    (folder / "1.0.0.yaml").write_text(text, encoding="utf-8")
    for kind, version in GRADING_VERSIONS.items():
        (folder / f"{version}.yaml").write_text(graded_demo(text, kind), encoding="utf-8")
    return FrameworkStore(tmp_path / "frameworks")


def framework_of(store: FrameworkStore, kind: str):
    loaded = store.get("demo", GRADING_VERSIONS[kind])
    assert loaded is not None and loaded.valid, [str(p) for p in loaded.report]
    return loaded.framework


def answers(framework, themes: str = THEMES, judgements: str = JUDGEMENTS) -> dict:
    """The answer table cut to what ``framework`` grades: no theme level where its indicator
    is judged as a whole, no judgement where it is not."""
    table = {}
    for item, values in parse_table(themes).items():
        indicator = framework.theme_index[item][1]
        table[item] = {k: v for k, v in values.items()
                       if k != "level" or framework.grades_themes(indicator)}
    for item, values in parse_table(judgements).items():
        if framework.judges(item):
            table[item] = values
    return table


def make(directory: Path, framework, table: dict, who: tuple[str, str] = ("Example Authority A",
                                                                          "EXA")) -> Path:
    blank = directory / f"blank-{who[1]}-{framework.version}.xlsx"
    write_template(framework, TemplateInfo(who[0], "2025-26", who[1]), blank, force=True)
    return fill_workbook(blank, directory / f"{who[1]}-{framework.version}.xlsx", table,
                         force=True)


def codes(result) -> list[str]:
    return [p.code for p in result.report]


# --- the framework ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_each_grading_kind_lints_clean(store, kind) -> None:
    loaded = store.get("demo", GRADING_VERSIONS[kind])
    assert loaded is not None and loaded.valid and not list(loaded.report), \
        [str(p) for p in loaded.report]
    framework = loaded.framework
    assert framework.grading == kind
    assert framework.grading_of("3.1") == "indicator"  # its own setting wins
    assert [c.id for c in framework.categories if c.overall_judgement] == ["3"]


def test_every_schema_field_is_described_and_version_is_semver() -> None:
    schema = framework_json_schema()
    undescribed = [f"{name}.{field}" for name, model in [("Framework", schema),
                                                          *schema["$defs"].items()]
                   for field, spec in model.get("properties", {}).items()
                   if not spec.get("description")]
    assert undescribed == []
    pattern = re.compile(schema["properties"]["version"]["pattern"])
    assert schema["properties"]["version"]["pattern"] == SEMVER_PATTERN
    assert pattern.match("1.2.0") and pattern.match("2.0.0-draft.1")
    assert not pattern.match("1.2") and not pattern.match("01.2.0")
    grading = schema["properties"]["grading"]
    assert grading["enum"] == ["themes", "indicator", "both"]
    assert "whole-number judgement" in grading["description"]
    assert json.dumps(schema)  # plain JSON for the editor


def test_adding_grading_leaves_existing_hashes_alone(demo_framework) -> None:
    """Defaults stay out of the content hash: returns made before grading existed still
    match their framework."""
    explicit = load_framework_text(DEMO.read_text(encoding="utf-8").replace(
        "\nscale:\n", "\ngrading: themes\nscale:\n"))
    assert explicit.content_hash == demo_framework.content_hash


def load_framework_text(text: str):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.yaml"
        path.write_text(text, encoding="utf-8")
        loaded = load_framework(path)
    assert loaded.valid, [str(p) for p in loaded.report]
    return loaded.framework


@pytest.mark.parametrize(("old", "new"), [("themes", "indicator"), ("indicator", "both")])
def test_diff_classifies_a_change_of_grading_kind_as_major(store, old, new) -> None:
    before = store.get("demo", GRADING_VERSIONS[old])
    after = store.get("demo", GRADING_VERSIONS[new])
    diff = diff_frameworks(before, after)
    changed = [c for c in diff.changes if c.kind == "grading-changed"]
    assert {c.new_id for c in changed} == {"1.1", "2.1"}  # 3.1 keeps its own 'indicator'
    assert all(c.severity == "major" and c.input_breaks and not c.output_comparable
               for c in changed)
    assert diff.required_bump == "major" and diff.bump_ok
    under = apply_edits(graded_demo(DEMO.read_text(encoding="utf-8"), new),
                        [(f'version: "{GRADING_VERSIONS[new]}"', 'version: "1.2.0"')])
    (Path(after.path).parent / "1.2.0.yaml").write_text(under, encoding="utf-8")
    bumped = diff_frameworks(before, load_framework(Path(after.path).parent / "1.2.0.yaml"))
    assert bumped.required_bump == "major" and not bumped.bump_ok


def test_making_a_key_area_an_overall_judgement_is_major(store) -> None:
    themes = store.get("demo", GRADING_VERSIONS["themes"])
    text = Path(themes.path).read_text(encoding="utf-8")
    folder = Path(themes.path).parent
    (folder / "4.0.0.yaml").write_text(text.replace("    overall_judgement: true\n", "").replace(
        'version: "1.1.0"', 'version: "4.0.0"').replace('- version: "1.1.0"',
                                                         '- version: "4.0.0"'), encoding="utf-8")
    diff = diff_frameworks(load_framework(folder / "4.0.0.yaml"), themes)
    [change] = [c for c in diff.changes if c.kind == "overall-judgement-changed"]
    assert change.severity == "major" and not change.output_comparable


# --- template -> fill -> validate -> score ---------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_template_asks_for_what_is_graded(tmp_path, store, kind) -> None:
    framework = framework_of(store, kind)
    path = make(tmp_path, framework, {})
    book = openpyxl.load_workbook(path)
    sheet = book["1 Outcomes"]
    rows = {sheet.cell(r, 1).value: r for r in range(5, sheet.max_row + 1)}
    level = [c.key for c in layout.THEME_COLUMNS].index("level") + 1
    validated = {str(cell) for dv in sheet.data_validations.dataValidation
                 for rng in dv.sqref.ranges for cell in [rng.coord]}

    def answerable(item: str) -> bool:
        return not sheet.cell(rows[item], level).protection.locked

    assert answerable("1.1") == (kind != "themes")
    assert answerable("1.1.1") == (kind != "indicator")
    assert (f"E{rows['1.1']}" in validated) == (kind != "themes")
    assert (f"E{rows['1.1.1']}" in validated) == (kind != "indicator")
    capacity = book["3 Capacity for improvement"]
    assert [capacity.cell(r, 1).value for r in (5, 6)] == ["3.1", "3.1.1"]
    assert not capacity.cell(5, level).protection.locked  # judged in every fixture
    assert capacity.cell(6, level).protection.locked  # its theme is evidence only
    instructions = " ".join(str(c.value) for row in book["Instructions"].iter_rows()
                            for c in row if c.value)
    assert "Key area 3 Capacity for improvement is an overall judgement" in instructions
    assert "never an average" in instructions
    assert ("(indicators 3.1)" in instructions) == (kind == "themes")


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_validates_and_scores_as_practice_grades(tmp_path, store, kind) -> None:
    framework = framework_of(store, kind)
    result = read_return(make(tmp_path, framework, answers(framework)), store)
    assert result.valid, [str(p) for p in result.report]
    assert set(result.response.judgements) == {i.id for i in framework.indicators()
                                               if framework.judges(i)}
    scores = score_response(result.response, framework)
    by_id = {s.id: s for s in scores.indicators}
    if kind == "themes":
        assert by_id["1.1"].rounded == 4.5 and by_id["1.1"].rule == "mean"
    else:  # the judgement, a whole number, never the mean of the themes
        assert by_id["1.1"].rounded == 5.0 and by_id["1.1"].rule == "judgement"
        assert by_id["2.1"].rounded == 3.0
    # Key area 3 is reported on its own and never averaged into the overall score.
    [capacity] = scores.overall_judgements
    assert capacity.id == "3" and capacity.rounded == 4.0
    assert "3" in dict(scores.overall.excluded)
    assert {i for i, _, _ in scores.overall.inputs} == {"1", "2"}
    assert scores.completion == 1.0
    explained = "\n".join(explain_lines(scores))
    assert "3 left out: an overall judgement" in explained
    if kind != "themes":
        assert "1.1 Improvement in performance: 5.0 = judgement(1.1=5)" in explained
        assert "the indicator's own judgement" in explained
    if kind == "both":
        assert "its graded themes give 4.5 (mean), not used for the score" in explained
    data = scores.to_dict(explain=True)
    assert [j["id"] for j in data["judgements"]] == [i for i in ("1.1", "2.1", "3.1")
                                                     if framework.judges(i)]
    assert data["overall_judgements"][0]["score"] == 4.0


def test_a_judgement_far_from_its_themes_is_a_warning(tmp_path, store) -> None:
    framework = framework_of(store, "both")
    table = answers(framework, judgements=JUDGEMENTS.replace("| 1.1 | 5 ", "| 1.1 | 2 "))
    result = read_return(make(tmp_path, framework, table), store)
    assert result.valid
    [far] = [p for p in result.report if p.code == "judgement-far-from-themes"]
    assert far.location.cell == "E5" and "judgement 2" in far.message and "4.5" in far.message


def test_judgements_missing_or_without_evidence_are_warnings(tmp_path, store) -> None:
    framework = framework_of(store, "indicator")
    table = answers(framework)
    del table["1.1"]  # themes have evidence, but nobody judged 1.1
    table["3.1"] = {"level": 4}
    table["3.1.1"] = {}
    result = read_return(make(tmp_path, framework, table), store)
    assert result.valid
    found = {(p.code, p.location.sheet, p.location.cell) for p in result.report.warnings}
    assert ("judgement-missing", "1 Outcomes", "E5") in found
    assert ("judgement-without-evidence", "3 Capacity for improvement", "E5") in found
    assert "evidence-without-level" not in codes(result)  # themes are evidence here
    assert score_response(result.response, framework).indicator("1.1").rounded is None


def test_a_level_typed_on_a_theme_that_is_not_graded_is_reported_and_not_used(
        tmp_path, store) -> None:
    framework = framework_of(store, "indicator")
    path = make(tmp_path, framework, answers(framework))

    def type_level(book) -> None:
        book["1 Outcomes"]["E6"] = "2 - Weak"  # theme 1.1.1's grey level cell

    result = read_return(edit_workbook(path, type_level), store)
    assert result.valid
    [problem] = [p for p in result.report if p.code == "level-not-graded"]
    assert (problem.location.sheet, problem.location.cell) == ("1 Outcomes", "E6")
    assert "indicator '1.1'" in problem.message
    assert result.response.themes["1.1.1"].level is None
    assert score_response(result.response, framework).indicator("1.1").rounded == 5.0


def test_a_deleted_indicator_row_is_an_error_where_it_is_judged(tmp_path, store) -> None:
    framework = framework_of(store, "indicator")
    path = make(tmp_path, framework, answers(framework))
    result = read_return(edit_workbook(path, lambda b: b["1 Outcomes"].delete_rows(5)), store)
    assert not result.valid
    assert "indicator '1.1' has no row in this workbook" in [p.message for p in
                                                              result.report.errors]


# --- compare, migrate, history ---------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_compares_on_what_is_graded(tmp_path, store, kind) -> None:
    framework = framework_of(store, kind)
    low = JUDGEMENTS.replace("| 1.1 | 5 ", "| 1.1 | 2 ")
    low_themes = THEMES.replace("| 1.1.1 | 5 ", "| 1.1.1 | 2 ").replace("| 1.1.2 | 4 ",
                                                                        "| 1.1.2 | 2 ")
    paths = [make(tmp_path, framework, answers(framework)),
             make(tmp_path, framework, answers(framework, low_themes, low),
                  ("Example Authority B", "EXB"))]
    outcome = compare_returns([read_return(p, store) for p in paths])
    comparison = outcome.comparison
    assert comparison is not None, [str(p) for p in outcome.report]
    indicator = next(r for r in comparison.indicators if r.id == "1.1")
    assert indicator.values == ({"EXA": 4.5, "EXB": 2.0} if kind == "themes"
                                else {"EXA": 5.0, "EXB": 2.0})
    rows = {r.id: r for r in comparison.themes}
    assert rows["3.1"].judgement and rows["3.1"].levels() == {"EXA": 4, "EXB": 4}
    prompts = {(p.kind, p.item) for p in comparison.prompts}
    # Members far apart on what they graded: the judgement where judged, the themes where not.
    assert (("divergence", "1.1") in prompts) == (kind != "themes")
    assert (("divergence", "1.1.1") in prompts) == (kind != "indicator")
    assert any("overall judgement" in note for note in comparison.notes)
    data = comparison.to_dict()
    assert next(t for t in data["themes"] if t["id"] == "1.1.1")["levels"]["EXA"]["status"] == \
        ("evidence" if kind == "indicator" else "scored")


@pytest.mark.parametrize("kind", ["indicator", "both"])
def test_migrating_to_a_judged_version_keeps_every_level_and_makes_up_no_judgement(
        tmp_path, store, kind) -> None:
    old_loaded = store.get("demo", "1.0.0")
    old, new = old_loaded.framework, framework_of(store, kind)
    themes = {k: v for k, v in parse_table(THEMES).items() if k != "3.1.1"}
    source = read_return(make(tmp_path, old, themes), store)
    assert source.valid
    migration = migrate_response(source.response, old, new)
    assert migration.response.judgements == {}  # a judgement is the authority's to make
    kept = {a.id for a, _ in migration.carried_over}
    assert kept == ({"1.1.1", "1.1.2", "2.1.1", "2.1.2"} if kind == "indicator" else set())
    assert migration.response.themes["1.1.1"].evidence == "Three years of attainment data."
    out = write_migrated_workbook(migration, old, new, tmp_path / f"migrated-{kind}.xlsx")
    again = read_return(out, store)
    assert again.valid, [str(p) for p in again.report]
    assert again.response.migrated_from == "demo 1.0.0"
    if kind == "indicator":
        sheet = openpyxl.load_workbook(out)[layout.CARRIED_OVER_SHEET]
        former = {sheet.cell(r, 1).value: sheet.cell(r, 3).value for r in range(4, 8)}
        assert former["1.1.1"] == "5 - Very good"
    # Judgements follow their indicator across versions that both judge it.
    both = framework_of(store, "both")
    judged = read_return(make(tmp_path, framework_of(store, "indicator"),
                              answers(framework_of(store, "indicator"))), store)
    carried = migrate_response(judged.response, framework_of(store, "indicator"), both)
    assert carried.response.judgements["1.1"].level == 5
    back = migrate_response(judged.response, framework_of(store, "indicator"),
                            framework_of(store, "themes"))
    assert "1.1" not in back.response.judgements
    assert "1.1" in {a.id for a, _ in back.carried_over}


@pytest.mark.parametrize("kind", KINDS)
def test_history_keeps_judgements_apart_from_themes(tmp_path, store, kind) -> None:
    framework = framework_of(store, kind)
    result = read_return(make(tmp_path, framework, answers(framework)), store)
    scores = score_response(result.response, framework)
    history = open_history(tmp_path / "history.sqlite")
    try:
        history.ingest(result, scores, "2025-26")
        [stored] = history.returns()
        again = history.response(stored)
        assert {k: v.level for k, v in again.judgements.items()} == \
            {k: v.level for k, v in result.response.judgements.items()}
        assert set(again.themes) == set(result.response.themes)
        assert score_response(again, framework).indicator("1.1").rounded == \
            scores.indicator("1.1").rounded
        assert history.scores(stored)[("category", "3")] == 4.0
    finally:
        history.close()
