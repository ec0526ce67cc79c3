"""Published measures: the CSV import, templates prefilled from it, returns checked against it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rubric.cli import main
from rubric.cycles.history import open_history
from rubric.cycles.ingest import ingest_returns
from rubric.cycles.measures import import_measures, read_measures_csv
from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from rubric.template.fill import fill_workbook
from rubric.template.targets import make_templates
from tests.conftest import FRAMEWORKS

STORE = FrameworkStore(FRAMEWORKS)
GOOD = """authority,measure,cycle,value,source
Fife,leavers-positive-destinations,2024-25,94.1,SLDR 2025
FIF,leavers-positive-destinations,2025-26,95.3%,SLDR 2026
"Edinburgh, City of",attendance-rate,2025-26,91.5,
Fife,attendance-rate,2025-26,90.0,
"""
# line: problem
BAD = {
    2: ("Fyfe,attendance-rate,2025-26,90.1", "measures-csv-authority"),
    3: ("Fife,attendance-rate,2025/26,90.1", "measures-csv-cycle"),
    4: ("Fife,attendance-rate,2025-26,ninety", "measures-csv-value"),
    5: ("Angus,attendance-rate,2025-26,88", None),
    6: ("Angus,attendance-rate,2025-26,89", "measures-csv-duplicate"),
}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def history(tmp_path: Path):
    opened = open_history(tmp_path / "history.sqlite")
    yield opened
    opened.close()


def test_every_problem_of_a_csv_is_reported_at_its_line_and_nothing_is_recorded(
        tmp_path: Path, history) -> None:
    text = "authority,measure,cycle,value\n" + "\n".join(row for row, _ in BAD.values())
    path = write(tmp_path / "bad.csv", text)
    run = import_measures(path, history)
    found = [(p.location.line, p.code) for p in run.report]
    assert found == [(line, code) for line, (_, code) in BAD.items() if code]
    assert "Did you mean 'Fife'" in run.report.problems[0].hint
    assert run.recorded == 0
    assert history.connection.execute("SELECT COUNT(*) FROM published_measures").fetchone() \
        == (0,)
    assert path.read_text() == text  # the input is never changed


def test_missing_columns_and_an_empty_csv_are_refused(tmp_path: Path) -> None:
    _, report = read_measures_csv(write(tmp_path / "a.csv", "council,id,year,figure\nx,y,z,1\n"))
    [missing] = report.problems
    assert missing.code == "measures-csv-columns" and missing.location.line == 1
    assert "'measure' or 'cycle' or 'value'" in missing.message
    _, report = read_measures_csv(write(tmp_path / "b.csv", "authority,measure,cycle,value\n"))
    assert report.codes() == ["measures-csv-empty"]
    _, report = read_measures_csv(tmp_path / "none.csv")
    assert report.codes() == ["file-not-found"]


def test_figures_are_recorded_from_excel_csvs_and_replaced_on_reimport(tmp_path: Path,
                                                                       history) -> None:
    # Excel's "CSV UTF-8" starts with a BOM; its plain CSV may be Windows-1252 or use ';'.
    path = write(tmp_path / "figures.csv", "\ufeff" + GOOD)
    run = import_measures(path, history)
    assert run.report.problems == [] and run.recorded == 4
    rows = dict(((a, m, c), v) for a, m, c, v in history.connection.execute(
        "SELECT authority_code, measure_id, cycle, value FROM published_measures"))
    assert rows[("FIF", "leavers-positive-destinations", "2025-26")] == 95.3
    assert rows[("EDH", "attendance-rate", "2025-26")] == 91.5
    semicolons = write(tmp_path / "fixed.csv", "Authority;Measure;Cycle;Value\n"
                       "Fife;attendance-rate;2025-26;90,5\nFife;attendance-rate;2025-26;"
                       "90.5\n", "cp1252")
    run = import_measures(semicolons, history)
    assert run.report.codes() == ["measures-csv-value"]  # 90,5: a decimal comma is refused
    write(semicolons, "Authority;Measure;Cycle;Value\nFife;attendance-rate;2025-26;90.5\n")
    assert import_measures(semicolons, history).recorded == 1
    assert history.connection.execute(
        "SELECT value FROM published_measures WHERE authority_code = 'FIF' AND measure_id = "
        "'attendance-rate'").fetchone() == (90.5,)


def test_measures_unknown_to_the_framework_are_warned_about(tmp_path: Path, history) -> None:
    framework = STORE.resolve("hgioea@1.0.0").framework
    path = write(tmp_path / "f.csv", GOOD + "Fife,made-up-measure,2025-26,1\n")
    run = import_measures(path, history, framework=framework)
    [warning] = run.report.problems
    assert warning.code == "measures-csv-measure-unknown" and warning.location.line == 6
    assert run.recorded == 5


def test_templates_are_prefilled_and_returns_checked_against_the_figures(tmp_path: Path) -> None:
    framework = STORE.resolve("hgioea@1.0.0").framework
    db = tmp_path / "history.sqlite"
    history = open_history(db)
    import_measures(write(tmp_path / "figures.csv", GOOD), history)
    history.close()
    run = make_templates(framework, tmp_path / "templates", cycle="2025-26",
                         authorities=["Fife", "Angus"], prefill_measures=True, history_path=db)
    assert run.report.codes() == ["measures-not-published"]
    assert "Angus" in run.report.problems[0].message
    fife = next(t.path for t in run.targets if t.code == "FIF")
    measures = read_return(fife, STORE).response.measures
    assert measures["leavers-positive-destinations"].baseline == 94.1
    assert measures["leavers-positive-destinations"].current == 95.3
    assert measures["attendance-rate"].current == 90.0
    assert measures["attendance-rate"].baseline is None
    # The authority changes one published figure: ingesting it warns at that cell.
    edited = fill_workbook(fife, tmp_path / "fife.xlsx", {
        t: {"level": 4, "evidence": "e"} for t in framework.theme_index},
        {"attendance-rate": {"current": 92.0}})
    history = open_history(db)
    try:
        ingested = ingest_returns([edited], history, STORE)
    finally:
        history.close()
    [warning] = [p for p in ingested.report if p.code == "measure-differs-from-published"]
    assert not warning.is_error and len(ingested.outcomes) == 1
    assert "92 differs from the published figure 90 for Fife in 2025-26" in warning.message
    baseline = read_return(edited, STORE).response.measures["attendance-rate"].cell
    assert baseline.startswith("Measures!F")
    assert (warning.location.sheet, warning.location.cell) == ("Measures", "G" + baseline[10:])
    # validate --db says the same before anything is recorded, still valid (exit 0).
    from click.testing import CliRunner

    from rubric.cli import main

    checked = CliRunner().invoke(main, ["validate", "--json", "--db", str(db), str(edited)])
    assert checked.exit_code == 0, checked.output
    [entry] = json.loads(checked.output)["files"]
    assert [w["code"] for w in entry["warnings"]].count("measure-differs-from-published") == 1
    plain = CliRunner().invoke(main, ["validate", "--json", str(edited)])
    assert "measure-differs-from-published" not in plain.output


def test_measures_import_command(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    path = write(tmp_path / "figures.csv", GOOD)
    result = CliRunner().invoke(main, ["measures", "import", str(path), "--db", str(db),
                                       "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["recorded"] == 4 and data["cycles"] == ["2024-25", "2025-26"]
    bad = write(tmp_path / "bad.csv", "authority,measure,cycle,value\nFyfe,x,2025-26,1\n")
    result = CliRunner().invoke(main, ["measures", "import", str(bad), "--db", str(db)])
    assert result.exit_code == 1 and "measures-csv-authority" in result.output
