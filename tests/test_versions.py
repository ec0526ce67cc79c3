"""Framework versions: every kind of change, the bump check, and migration that loses nothing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rubric.cli import main
from rubric.framework.load import LoadResult, load_framework, load_framework_text
from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from rubric.response import ThemeAnswer
from rubric.versions.diff import diff_frameworks, version_bump
from rubric.versions.migrate import CARRIED_OVER_SHEET, migrate_response, write_migrated_workbook
from tests.conftest import DEMO, FRAMEWORKS, ROOT
from tests.workbooks import make_return

BASE = DEMO.read_text()
STORE = FrameworkStore(FRAMEWORKS)
V100, V110 = FRAMEWORKS / "hgioea" / "1.0.0.yaml", FRAMEWORKS / "hgioea" / "1.1.0.yaml"


def variant(*edits: tuple[str, str], version: str = "2.0.0") -> LoadResult:
    text = BASE.replace('version: "1.0.0"', f'version: "{version}"').replace(
        '  - version: "1.0.0"', f'  - version: "{version}"')
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    result = load_framework_text(text, "new.yaml")
    assert result.valid, [str(p) for p in result.report]
    return result


ORIGINAL = load_framework(DEMO)
THEME_112 = ('          - id: "1.1.2"\n            title: Closing the gap\n'
             '            illustrations:\n'
             '              5: The gap between the most and least deprived learners is narrowing '
             'quickly.\n              2: The gap is wide and shows no sign of narrowing.\n')

# change kind -> (edits, expected severity, does an old workbook break, are scores comparable)
CASES: dict[str, tuple[list[tuple[str, str]], str, bool, bool]] = {
    "metadata-changed": ([("publisher: rubric project (illustrative)",
                           "publisher: rubric project")], "patch", False, True),
    "levels-changed": ([("    - {value: 1, label: Unsatisfactory, meaning: Major weaknesses "
                         "needing immediate action.}\n", "")], "major", True, False),
    "level-relabelled": ([("label: Satisfactory", "label: Adequate")], "minor", True, True),
    "level-reworded": ([("meaning: Major strengths.", "meaning: Many major strengths.")],
                       "minor", False, True),
    "special-answer-changed": ([("    scoring: exclude", "    scoring: lowest")], "major", False,
                               False),
    "scoring-changed": ([("theme_to_indicator: mean", "theme_to_indicator: median")], "major",
                        False, False),
    "added": ([("            measures: [leavers-positive-destinations]\n",
                "            measures: [leavers-positive-destinations]\n" + THEME_112.replace(
                    '"1.1.2"', '"1.1.3"').replace("Closing the gap", "New theme"))], "minor",
              True, False),
    "removed": ([(THEME_112, "")], "major", True, False),
    "renamed": ([('id: "1.1.2"', 'id: "1.1.5"\n            aliases: ["1.1.2"]')], "minor", True,
                True),
    "moved": ([(THEME_112, ""), ("            title: Shared vision\n",
                                 "            title: Shared vision\n")], "major", True, False),
    "retitled": ([("title: Closing the gap", "title: Narrowing the gap")], "minor", False,
                 True),
    "guidance-changed": ([("How well do we act on the gaps our data shows?",
                           "How well do we act on what our data shows?")], "patch", False, True),
    "weight-changed": ([("    weight: 2\n", "    weight: 3\n")], "major", False, False),
    "measures-linked": ([("measures: [leavers-positive-destinations]", "measures: []")],
                        "minor", False, True),
    "measure-changed": ([("higher_is_better: true", "higher_is_better: false")], "major", False,
                        False),
    "illustration-added": ([("              2: Plans list many", "              3: Some plans "
                             "are clear.\n              2: Plans list many")], "minor", False,
                           True),
    "illustration-removed": ([("              2: Plans list many actions with no clear "
                               "priorities.\n", "")], "minor", False, True),
    "reworded": ([("5: Plans set few, clear priorities", "5: Plans set a few clear priorities")],
                 "minor", False, True),
}
# A theme moved to another indicator keeps its id in a real framework only when ids are not
# prefixed; with prefixed ids a move is a rename (alias) plus a move, as tested below.
CASES["moved"] = ([(THEME_112, ""), ("            features:\n              - The vision is "
                                     "revisited",
                                     THEME_112.replace('"1.1.2"', '"2.1.3"\n            aliases:'
                                                       ' ["1.1.2"]') + "            features:\n"
                                     "              - The vision is revisited")],
                  "minor", False, False)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_change_kind_is_reported_with_its_impact(kind: str) -> None:
    edits, severity, breaks, comparable = CASES[kind]
    diff = diff_frameworks(ORIGINAL, variant(*edits))
    found = [c for c in diff.changes if c.kind == kind]
    assert found, [c.kind for c in diff.changes]
    change = found[0]
    assert (change.severity, change.input_breaks, change.output_comparable) == (
        severity, breaks, comparable), change
    assert change.new_location.startswith("new.yaml:") or change.old_location


def test_mappings_and_tombstones() -> None:
    split = variant(
        (THEME_112, ""),
        ("measures:\n  - id: leavers", 'retired:\n  - id: "1.1.2"\n    since: "2.0.0"\n'
         '    replaced_by: ["1.1.1"]\nmappings:\n  - from_version: "1.0.0"\n    old: "2.1"\n'
         '    new: ["2.1"]\n    relation: subset\nmeasures:\n  - id: leavers'))
    kinds = Counter(c.kind for c in diff_frameworks(ORIGINAL, split).changes)
    assert kinds["removed"] == 1 and kinds["scope-changed"] == 1
    removed = next(c for c in diff_frameworks(ORIGINAL, split).changes if c.kind == "removed")
    assert "retired (replaced by 1.1.1)" in removed.detail
    mapped = variant((THEME_112, ""), ("measures:\n  - id: leavers", 'mappings:\n  - '
                     'from_version: "1.0.0"\n    old: "1.1.2"\n    new: ["1.1.1"]\n'
                     '    relation: subset\nmeasures:\n  - id: leavers'))
    [change] = [c for c in diff_frameworks(ORIGINAL, mapped).changes if c.kind == "mapped"]
    assert (change.old_id, change.new_id, change.output_comparable) == ("1.1.2", "1.1.1", False)


def test_version_bumps() -> None:
    assert version_bump("1.0.0", "2.0.0") == "major"
    assert version_bump("1.0.0", "1.1.0") == "minor"
    assert version_bump("1.0.0", "1.0.1") == "patch"
    assert version_bump("1.2.0", "1.2.0") == "none"
    assert version_bump("1.2.0", "1.1.9") == "downgrade"


def _write(tmp: Path, name: str, result_text: str) -> Path:
    path = tmp / name
    path.write_text(result_text)
    return path


def _variant_text(version: str, *edits: tuple[str, str]) -> str:
    text = BASE.replace('version: "1.0.0"', f'version: "{version}"').replace(
        '  - version: "1.0.0"', f'  - version: "{version}"')
    for old, new in edits:
        text = text.replace(old, new, 1)
    return text


def test_check_catches_an_under_bumped_version_and_passes_a_right_one(tmp_path: Path) -> None:
    runner = CliRunner()
    weight = ("    weight: 2\n", "    weight: 3\n")
    under = _write(tmp_path, "under.yaml", _variant_text("1.1.0", weight))
    right = _write(tmp_path, "right.yaml", _variant_text("2.0.0", weight))
    result = runner.invoke(main, ["framework", "diff", "--check", str(DEMO), str(under)])
    assert result.exit_code == 1 and "version bump is smaller" in result.output
    assert runner.invoke(main, ["framework", "diff", "--check", str(DEMO),
                                str(right)]).exit_code == 0
    same = runner.invoke(main, ["framework", "diff", "--check", str(DEMO), str(DEMO)])
    assert same.exit_code == 0


def test_check_wants_reworded_text_acknowledged(tmp_path: Path) -> None:
    runner = CliRunner()
    edit = ("title: Closing the gap", "title: Narrowing the gap")
    drift = _write(tmp_path, "drift.yaml", _variant_text("1.1.0", edit))
    result = runner.invoke(main, ["framework", "diff", "--check", str(DEMO), str(drift)])
    assert result.exit_code == 1 and "not acknowledged" in result.output
    acked = _write(tmp_path, "acked.yaml", _variant_text(
        "1.1.0", edit, ("      - First version.", '      - Retitled 1.1.2.\n'
                                                   '    acknowledged: ["1.1.2"]')))
    assert runner.invoke(main, ["framework", "diff", "--check", str(DEMO),
                                str(acked)]).exit_code == 0


def test_the_cli_check_is_the_library_check_the_web_service_runs(tmp_path: Path) -> None:
    """``framework diff --check`` and the editor's page give the same verdict and problem."""
    import json

    from rubric.versions.check import check_new_version

    runner = CliRunner()
    cases = {"under": _variant_text("1.1.0", ("    weight: 2\n", "    weight: 3\n")),
             "drift": _variant_text("1.1.0", ("title: Closing the gap",
                                              "title: Narrowing the gap")),
             "right": _variant_text("2.0.0", ("    weight: 2\n", "    weight: 3\n"))}
    for name, text in cases.items():
        path = _write(tmp_path, f"{name}.yaml", text)
        result = runner.invoke(main, ["framework", "diff", "--check", "--json", str(DEMO),
                                      str(path)])
        body = json.loads(result.output)
        diff, report = check_new_version(load_framework(DEMO), load_framework(path),
                                         where=str(path))
        assert result.exit_code == report.exit_code == (0 if name == "right" else 1)
        assert body["errors"] == [p.to_dict() for p in report.errors]
        assert body["required_bump"] == diff.required_bump
    # without --check the same differences are listed and nothing is refused
    plain = runner.invoke(main, ["framework", "diff", "--json", str(DEMO),
                                 str(tmp_path / "under.yaml")])
    assert plain.exit_code == 0 and json.loads(plain.output)["errors"] == []


def test_shipped_revision_diff_and_check() -> None:
    diff = diff_frameworks(load_framework(V100), load_framework(V110))
    kinds = Counter(c.kind for c in diff.changes)
    assert kinds["added"] >= 2 and kinds["renamed"] >= 2 and kinds["reworded"] >= 3
    assert kinds["scope-changed"] == 1 and kinds["removed"] == 0
    assert diff.required_bump == "minor" and diff.ok, diff.to_dict()["unacknowledged_drift"]
    output = CliRunner().invoke(main, ["framework", "changelog", str(V100), str(V110)]).output
    assert output.startswith("# ") and "## Minor" in output


# --- migration -------------------------------------------------------------------------------

def _answers(response) -> Counter:
    return Counter((a.level, a.special, a.evidence, a.strengths, a.next_steps)
                   for a in response.themes.values()
                   if a.level is not None or a.special is not None or a.has_text)


EXAMPLES = sorted((ROOT / "responses" / "examples").glob("*.xlsx"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_migrating_an_example_keeps_every_answer(example: Path, tmp_path: Path) -> None:
    old_result = read_return(example, STORE)
    new_framework = load_framework(V110).framework
    migration = migrate_response(old_result.response, old_result.framework, new_framework)
    target = write_migrated_workbook(migration, old_result.framework, new_framework,
                                     tmp_path / "migrated.xlsx")
    new_result = read_return(target, STORE)
    assert new_result.valid, [str(p) for p in new_result.report]
    assert new_result.response.migrated_from == "hgioea 1.0.0"
    carried = Counter()
    book = openpyxl.load_workbook(target)
    if CARRIED_OVER_SHEET in book.sheetnames:
        for row in book[CARRIED_OVER_SHEET].iter_rows(min_row=4, values_only=True):
            carried[row[0]] += 1
    placed = _answers(new_result.response)
    original = _answers(old_result.response)
    assert sum(original.values()) == sum(placed.values()) + sum(carried.values())
    assert not (original - placed) or sum((original - placed).values()) == sum(carried.values())
    assert placed <= original + placed  # nothing invented
    assert new_result.response.themes["5.6.1"].evidence == \
        old_result.response.themes["5.1.2"].evidence
    assert new_result.response.measures == {
        k: v.model_copy(update={"cell": new_result.response.measures[k].cell})
        for k, v in old_result.response.measures.items()}


def test_unplaceable_answers_are_kept_on_the_carried_over_sheet(tmp_path: Path) -> None:
    old_path = make_return(tmp_path, """
| theme | level | evidence         | strengths | next_steps |
| 1.1.1 | 5     | Keep me.         | S1        | N1         |
| 1.1.2 | 2     | I lose my theme. | S2        | N2         |
""")
    old = read_return(old_path, STORE)
    text = _variant_text("2.0.0", (THEME_112, ""), (
        "measures:\n  - id: leavers", 'retired:\n  - id: "1.1.2"\n    since: "2.0.0"\n'
        "measures:\n  - id: leavers"))
    new = load_framework_text(text, "2.0.0.yaml").framework
    migration = migrate_response(old.response, old.framework, new)
    assert [a.id for a, _ in migration.carried_over] == ["1.1.2"]
    store = tmp_path / "store" / "demo"
    store.mkdir(parents=True)
    (store / "2.0.0.yaml").write_text(text)
    target = write_migrated_workbook(migration, old.framework, new, tmp_path / "new.xlsx")
    result = read_return(target, FrameworkStore(tmp_path / "store"))
    assert result.valid, [str(p) for p in result.report]
    rows = list(openpyxl.load_workbook(target)[CARRIED_OVER_SHEET].iter_rows(
        min_row=4, values_only=True))
    assert rows[0][:6] == ("1.1.2", "Closing the gap", "2 - Weak", "I lose my theme.", "S2",
                           "N2")


def test_compare_mixed_versions_needs_migrate(tmp_path: Path) -> None:
    migrated = tmp_path / "b-1.1.0.xlsx"
    runner = CliRunner()
    assert runner.invoke(main, ["migrate", str(EXAMPLES[1]), "--to", str(V110), "-o",
                                str(migrated), "--frameworks", str(FRAMEWORKS)]).exit_code == 0
    files = [str(EXAMPLES[0]), str(migrated), str(EXAMPLES[2])]
    refused = runner.invoke(main, ["compare", *files, "-o", str(tmp_path / "q.xlsx"),
                                   "--frameworks", str(FRAMEWORKS)])
    assert refused.exit_code == 1 and "--migrate" in refused.output
    done = runner.invoke(main, ["compare", *files, "-o", str(tmp_path / "q.xlsx"),
                                "--frameworks", str(FRAMEWORKS), "--migrate", "--json"])
    assert done.exit_code == 0, done.output
    assert "1.1.0" in done.output and "Migrated for this comparison" in done.output


# --- properties --------------------------------------------------------------------------------

TITLE = st.text(alphabet="abcdefgh ", min_size=1, max_size=12).map(lambda t: t.strip() or "t")


@st.composite
def frameworks(draw) -> str:
    """Small random frameworks as YAML text: shapes and words vary, the format holds."""
    lines = ['id: gen', 'title: Generated', 'version: "1.0.0"', 'status: draft',
             'description: x', 'publisher: y', 'scale:', '  levels:',
             *(f'    - {{value: {v}, label: L{v}, meaning: m{v}}}' for v in range(1, 5)),
             'categories:']
    for c in range(1, draw(st.integers(1, 3)) + 1):
        lines += [f'  - id: "{c}"', f'    title: "{draw(TITLE)} {c}"', '    indicators:']
        for i in range(1, draw(st.integers(1, 3)) + 1):
            lines += [f'      - id: "{c}.{i}"', f'        title: "{draw(TITLE)} {c}.{i}"',
                      f'        weight: {draw(st.integers(1, 3))}',
                      '        challenge_questions: ["How well?"]', '        themes:']
            for t in range(1, draw(st.integers(1, 3)) + 1):
                lines += [f'          - id: "{c}.{i}.{t}"', f'            title: "{draw(TITLE)}"',
                          f'            illustrations: {{3: "{draw(TITLE)}"}}']
    return "\n".join(lines) + "\n"


@settings(max_examples=30, deadline=None)
@given(text=frameworks())
def test_diff_of_a_framework_with_itself_is_empty(text: str) -> None:
    loaded = load_framework_text(text, "gen.yaml")
    assert loaded.valid, [str(p) for p in loaded.report]
    diff = diff_frameworks(loaded, load_framework_text(text, "again.yaml"))
    assert diff.changes == [] and diff.ok


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=frameworks(), data=st.data())
def test_migrating_to_the_same_version_changes_no_answer(text: str, data) -> None:
    from rubric.response import Response

    framework = load_framework_text(text, "gen.yaml").framework
    answer = st.builds(ThemeAnswer, id=st.just("x"), level=st.one_of(st.none(),
                       st.integers(1, 4)), evidence=TITLE, strengths=TITLE, next_steps=TITLE)
    themes = {tid: data.draw(answer).model_copy(update={"id": tid})
              for tid in framework.theme_index}
    response = Response(path="r.xlsx", framework_id="gen", framework_version="1.0.0",
                        framework_hash=framework.content_hash, authority="A", themes=themes)
    migration = migrate_response(response, framework, framework)
    assert migration.carried_over == []
    assert migration.response.themes.keys() == response.themes.keys() or all(
        not (a.level or a.has_text) for tid, a in response.themes.items()
        if tid not in migration.response.themes)
    for tid, before in response.themes.items():
        if tid in migration.response.themes:
            after = migration.response.themes[tid]
            assert (after.level, after.evidence, after.strengths, after.next_steps) == (
                before.level, before.evidence, before.strengths, before.next_steps)
