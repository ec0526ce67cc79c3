"""Cycles: every return kept, trends across cycles and versions, follow-up, safe exports."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from rubric.cli import main
from rubric.cycles.history import MIGRATIONS, HistoryError, open_history
from rubric.cycles.trend import build_trend
from rubric.export.tabular import csv_safe, cycle_csv, cycle_json
from rubric.framework.load import load_framework
from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from rubric.scoring import score_response
from rubric.template.workbook import TemplateInfo, write_template
from rubric.xlsx import layout
from tests.conftest import FRAMEWORKS, ROOT
from tests.workbooks import edit_workbook

STORE = FrameworkStore(FRAMEWORKS)
FIRST = sorted((ROOT / "responses" / "examples").glob("*.xlsx"))
SECOND = sorted((ROOT / "responses" / "examples" / "2026-27").glob("*.xlsx"))


def ingest(history, path: Path, cycle: str):
    result = read_return(path, STORE)
    assert result.valid, [str(p) for p in result.report]
    return history.ingest(result, score_response(result.response, result.framework), cycle)


def test_ingesting_the_same_file_again_changes_nothing(tmp_path: Path) -> None:
    history = open_history(tmp_path / "h.sqlite")
    first = ingest(history, FIRST[0], "2025-26")
    again = ingest(history, FIRST[0], "2025-26")
    assert (first.outcome, again.outcome, again.return_id) == ("ingested", "unchanged",
                                                               first.return_id)
    count = history.connection.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    assert count == 60 and len(history.returns(current_only=False)) == 1
    stored = history.returns()[0]
    assert stored.file_hash.startswith("sha256:") and stored.ingested_at
    assert history.response(stored).themes == {
        k: v.model_copy(update={"cell": ""}) for k, v in
        read_return(FIRST[0], STORE).response.themes.items()}


def test_a_newer_return_supersedes_and_the_old_one_stays(tmp_path: Path) -> None:
    history = open_history(tmp_path / "h.sqlite")
    old = ingest(history, FIRST[0], "2025-26")
    newer = tmp_path / "newer.xlsx"
    shutil.copy(FIRST[0], newer)
    edit_workbook(newer, lambda book: book["1 Key performance outcomes"].__setitem__("F6",
                                                                                     "Revised."))
    replaced = ingest(history, newer, "2025-26")
    assert replaced.outcome == "superseded" and replaced.replaced == old.return_id
    current = history.returns()
    assert [r.id for r in current] == [replaced.return_id]
    everything = history.returns(current_only=False)
    assert [(r.id, r.superseded_by) for r in everything] == [
        (old.return_id, replaced.return_id), (replaced.return_id, None)]
    assert history.response(current[0]).themes["1.1.1"].evidence == "Revised."


def test_trend_across_two_cycles_and_a_framework_version_change(tmp_path: Path) -> None:
    history = open_history(tmp_path / "h.sqlite")
    for path in FIRST:
        ingest(history, path, "2025-26")
    for path in SECOND:
        ingest(history, path, "2026-27")
    trend = build_trend(history, "EXC", STORE)
    assert trend is not None and trend.cycles == ["2025-26", "2026-27"]
    assert trend.framework.version == "1.1.0"
    assert any("1.0.0 -> 1.1.0" in note for note in trend.notes)
    levels = trend.theme_levels()
    first = read_return(FIRST[2], STORE).response
    assert levels["5.6.1"]["2025-26"] == first.themes["5.1.2"].level  # carried by its alias
    assert levels["5.6.2"]["2025-26"] is None  # new in 1.1.0
    scores = trend.indicator_scores()
    assert set(scores["5.6"]) == {"2025-26", "2026-27"}
    assert trend.to_dict()["overall"]["2026-27"] == trend.scores["2026-27"].overall.rounded
    assert trend.measures()["attendance-rate"]["2025-26"]["baseline"] is not None


def test_follow_up_rows_in_the_next_template(tmp_path: Path) -> None:
    framework = load_framework(FRAMEWORKS / "hgioea" / "1.1.0.yaml").framework
    previous = {"1.1.1": "Agree a shared tracker.", "5.6.1": "=Review the senior phase offer"}
    path = tmp_path / "next.xlsx"
    write_template(framework, TemplateInfo("Example Authority A", "2026-27", "EXA",
                                           follow_up=previous), path)
    sheet = openpyxl.load_workbook(path)["1 Key performance outcomes"]
    header = [c.value for c in sheet[layout.HEADER_ROW]]
    assert header[-2:] == ["Last cycle's next steps", "Progress on last cycle's next steps"]
    row = next(r for r in sheet.iter_rows(min_row=5) if r[0].value == "1.1.1")
    assert row[-2].value == "Agree a shared tracker." and row[-2].protection.locked
    assert not row[-1].protection.locked
    other = next(r for r in sheet.iter_rows(min_row=5) if r[0].value == "1.1.2")
    assert other[-2].value == layout.NO_PREVIOUS_STEPS
    new_theme = read_return(SECOND[0], STORE).response.themes["5.6.2"]
    assert new_theme.previous_next_steps == ""  # the placeholder reads back as nothing
    result = read_return(SECOND[0], STORE)
    answered = [a for a in result.response.themes.values() if a.progress]
    assert answered and all(a.previous_next_steps for a in answered)


def _ingest_in_process(args: tuple[str, str, str]) -> str:
    db, path, cycle = args
    history = open_history(db)
    try:
        return ingest(history, Path(path), cycle).outcome
    finally:
        history.close()


def test_concurrent_ingests_neither_corrupt_nor_lose_data(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    open_history(db).close()
    files = []
    for n in range(8):
        target = tmp_path / f"r{n}.xlsx"
        shutil.copy(FIRST[n % 4], target)

        def stamp(book, n=n) -> None:
            book[layout.PROVENANCE_SHEET]["B7"] = f"X{n:02}"

        edit_workbook(target, stamp)
        files.append(target)
    jobs = [(str(db), str(path), "2025-26") for path in files]
    jobs += [(str(db), str(files[0]), "2025-26")] * 4  # the same file, four times at once
    with multiprocessing.get_context("fork").Pool(4) as pool:
        outcomes = pool.map(_ingest_in_process, jobs)
    assert sorted(outcomes).count("ingested") == 8
    assert outcomes.count("unchanged") == 4
    history = open_history(db)
    assert len(history.returns()) == 8
    assert history.connection.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 8 * 60
    assert history.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_schema_is_versioned_and_a_newer_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    open_history(db).close()
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    connection.commit()
    connection.close()
    with pytest.raises(HistoryError, match="newer rubric"):
        open_history(db)


def test_exports_are_complete_and_csv_is_formula_safe(tmp_path: Path) -> None:
    history = open_history(tmp_path / "h.sqlite")
    for path in FIRST:
        ingest(history, path, "2025-26")
    rows = list(csv.DictReader(io.StringIO(cycle_csv(history, "2025-26"))))
    assert len(rows) == 4 * 60
    formula = next(r for r in rows if r["authority_code"] == "EXC" and r["theme_id"] == "2.1.1")
    assert formula["evidence"] == "'=Attainment up 3 points (see tracker)"
    assert all(not r["evidence"].startswith(("=", "+", "-", "@")) for r in rows)
    data = json.loads(cycle_json(history, "2025-26"))
    answers = {(r["authority"]["code"], a["id"]): a for r in data["returns"]
               for a in r["answers"]}
    assert answers[("EXC", "2.1.1")]["evidence"] == "=Attainment up 3 points (see tracker)"
    assert csv_safe("@SUM(1)") == "'@SUM(1)" and csv_safe(4.0) == 4.0


def test_cli_cycle_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "h.sqlite")
    fw = ["--frameworks", str(FRAMEWORKS)]
    first = runner.invoke(main, ["ingest", *map(str, FIRST), "--cycle", "2025-26", "--db", db,
                                 *fw])
    assert first.exit_code == 0, first.output
    second = runner.invoke(main, ["ingest", str(ROOT / "responses" / "examples" / "2026-27"),
                                  "--cycle", "2026-27", "--db", db, *fw, "--json"])
    assert json.loads(second.output)["returns"][0]["outcome"] == "ingested"
    trend = runner.invoke(main, ["trend", "--authority", "Example Authority D", "--db", db,
                                 *fw, "--json"])
    assert json.loads(trend.output)["cycles"] == ["2025-26", "2026-27"]
    out = tmp_path / "quad.xlsx"
    compared = runner.invoke(main, ["compare", str(ROOT / "responses" / "examples" / "2026-27"),
                                    "--previous-cycle", "2025-26", "--db", db, *fw, "-o",
                                    str(out)])
    assert compared.exit_code == 0, compared.output
    book = openpyxl.load_workbook(out)
    assert {"Trend", "Follow-up"} <= set(book.sheetnames)
    summary = [r[0].value for r in book["Follow-up"].iter_rows() if r[0].value and
               str(r[0].value).startswith("Themes with progress reported")]
    assert summary and "Example Authority A" in summary[0]
    bad = runner.invoke(main, ["ingest", str(FIRST[0]), "--cycle", "2025", "--db", db, *fw])
    assert bad.exit_code == 2
    missing = runner.invoke(main, ["trend", "--authority", "Nowhere", "--db", db, *fw])
    assert missing.exit_code == 1 and "no returns recorded" in missing.output


# --- files that are not a usable history -------------------------------------------------------

def _not_a_database(tmp: Path) -> Path:
    path = tmp / "h.sqlite"
    shutil.copy(FIRST[0], path)  # a return passed by mistake
    return path


def _good_history(tmp: Path) -> Path:
    path = tmp / "h.sqlite"
    history = open_history(path)
    ingest(history, FIRST[0], "2025-26")
    history.close()
    return path


def _truncated(tmp: Path) -> Path:
    path = _good_history(tmp)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def _page_size(data: bytes) -> int:
    size = int.from_bytes(data[16:18], "big")  # from the file's header; 1 stands for 65536
    return 65536 if size == 1 else size


def _garbled(tmp: Path) -> Path:
    path = _good_history(tmp)
    data = bytearray(path.read_bytes())
    page = _page_size(data)
    data[page: page * 2] = bytes(range(256)) * (page // 256)  # the second page overwritten
    path.write_bytes(bytes(data))
    return path


def _newer(tmp: Path) -> Path:
    path = _good_history(tmp)
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 3}")
    connection.close()
    return path


def _other_program(tmp: Path) -> Path:
    path = tmp / "h.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE contacts (name TEXT)")
    connection.commit()
    connection.close()
    return path


def _text_file(tmp: Path) -> Path:
    path = tmp / "h.sqlite"
    path.write_text("authority,cycle\nFife,2025-26\n")
    return path


HISTORY_FILES = {  # case: (builder, code)
    "a-return-by-mistake": (_not_a_database, "history-not-a-database"),
    "a-text-file": (_text_file, "history-not-a-database"),
    "another-programs-database": (_other_program, "history-not-a-database"),
    "truncated": (_truncated, "history-corrupt"),
    "garbled-page": (_garbled, "history-corrupt"),
    "newer-rubric": (_newer, "history-newer-version"),
}


@pytest.mark.parametrize("case", sorted(HISTORY_FILES))
def test_a_file_that_is_not_a_usable_history_is_refused_untouched(tmp_path: Path,
                                                                   case: str) -> None:
    from rubric.cycles.history import HistoryError

    build, code = HISTORY_FILES[case]
    path = build(tmp_path)
    before = sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir() if p.is_file())
    with pytest.raises(HistoryError) as raised:
        open_history(path)
    assert raised.value.problem.code == code
    assert raised.value.problem.location.file == str(path)
    runner = CliRunner()
    frameworks = ["--frameworks", str(FRAMEWORKS)]
    for args in (["ingest", str(FIRST[1]), "--cycle", "2025-26", *frameworks],
                 ["trend", "--authority", "Example Authority A", *frameworks],
                 ["export", "--cycle", "2025-26", "--format", "csv"]):
        run = runner.invoke(main, [*args, "--db", str(path)])
        assert run.exit_code == 1, (args, run.output)
        assert f": {code}: " in run.output and "Traceback" not in run.output, run.output
    after = sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir() if p.is_file())
    assert after == before  # nothing written, nothing "repaired", no journal left behind


def test_ingest_checks_the_whole_history_before_writing_not_to_find_files_recorded(
        tmp_path: Path) -> None:
    path = _good_history(tmp_path)  # FIRST[0] recorded
    connection = sqlite3.connect(path)
    root = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'answers'").fetchone()[0]
    connection.close()
    data = bytearray(path.read_bytes())
    page = _page_size(data)
    data[(root - 1) * page: root * page] = bytes(range(256)) * (page // 256)  # the answers
    path.write_bytes(bytes(data))
    before = sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir() if p.is_file())
    runner = CliRunner()
    frameworks = ["--frameworks", str(FRAMEWORKS), "--db", str(path)]
    again = runner.invoke(main, ["ingest", str(FIRST[0]), *frameworks])
    assert again.exit_code == 0 and ": unchanged as #1," in again.output, again.output
    new = runner.invoke(main, ["ingest", str(FIRST[1]), *frameworks])
    assert new.exit_code == 1 and ": history-corrupt: " in new.output, new.output
    for reading in (["trend", "--authority", "Example Authority A", *frameworks],):
        run = runner.invoke(main, reading)
        assert run.exit_code == 1 and ": history-corrupt: " in run.output, run.output
    after = sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir() if p.is_file())
    assert after == before  # nothing written into the damaged history


def test_a_missing_history_is_a_coded_problem_when_it_must_exist(tmp_path: Path) -> None:
    from rubric.cycles.history import HistoryError

    with pytest.raises(HistoryError) as raised:
        open_history(tmp_path / "none.sqlite", create=False)
    assert raised.value.problem.code == "history-missing"
    assert not (tmp_path / "none.sqlite").exists()
