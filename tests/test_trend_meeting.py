"""A cycle followed up: the Quad's validated levels and the action plan's statuses in the trend."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from rubric.cli import main
from rubric.cycles.history import open_history
from rubric.cycles.ingest import ingest_returns
from rubric.cycles.trend import trend_for
from rubric.framework.store import FrameworkStore
from rubric.meeting.actions import follow_up_items
from rubric.meeting.record_read import read_record
from rubric.meeting.store import store_record
from rubric.template.fill import fill_workbook
from rubric.template.workbook import TemplateInfo, write_template
from rubric.xlsx import layout
from tests.conftest import FRAMEWORKS
from tests.workbooks import demo_framework, make_record

STORE = FrameworkStore(FRAMEWORKS)
EVALUATION = """
| key     | view                    | level | rationale                     |
| EXA 1.1 | Agreed                  | 4     |                               |
| EXA 2.1 | Evidence suggests lower | 3     | One visit note is not enough. |
"""
ACTIONS = """
| key         | action          | links | due        | status      |
| EXA EXA-A01 | Share tracking. | 1.1   | 2026-01-31 | Not started |
| EXA EXA-A02 | Report termly.  | 2.1   | 2026-06-30 | Not started |
| EXA EXA-A03 | Visit schools.  | 2.1.1 | 2027-06-30 | Not started |
"""
STATUSES = {"EXA-A01": "Not started", "EXA-A02": "In progress", "EXA-A03": "Completed"}


def _cycle_recorded(tmp: Path) -> Path:
    """2025-26 returns of A and B ingested and the Quad's filled record stored."""
    record = make_record(tmp, EVALUATION, ACTIONS)
    db = tmp / "history.sqlite"
    history = open_history(db)
    try:
        run = ingest_returns([tmp / "a.xlsx", tmp / "b.xlsx"], history, STORE, jobs=1)
        assert not run.refused, [str(p) for p in run.report]
        assert store_record(history, read_record(record, STORE)).outcome == "recorded"
    finally:
        history.close()
    return db


def _follow_up_return(tmp: Path, db: Path, statuses: dict[str, str], name: str) -> Path:
    """A's 2026-27 follow-up workbook (its agreed actions), filled with a status and a note
    "Not yet started: delayed by staffing" on each action."""
    history = open_history(db)
    try:
        follow = follow_up_items(history, "EXA", "2025-26", STORE, demo_framework())
    finally:
        history.close()
    assert follow.source == "record"
    blank = tmp / f"blank-{name}"
    write_template(demo_framework(), TemplateInfo("Example Authority A", "2026-27", "EXA",
                                                  actions=follow.template_actions()), blank,
                   force=True)
    keys = [c.key for c in layout.ACTION_COLUMNS]

    def fill(book: openpyxl.Workbook) -> None:
        sheet = book[layout.ACTIONS_SHEET]
        for row in range(layout.HEADER_ROW + 1, sheet.max_row + 1):
            action_id = sheet.cell(row, 1).value
            if action_id in statuses:
                sheet.cell(row, keys.index("status") + 1).value = statuses[action_id]
                sheet.cell(row, keys.index("progress_note") + 1).value = \
                    f"Not yet started: delayed by staffing ({action_id})"
    return fill_workbook(blank, tmp / name, {"1.1.1": {"level": 5}, "2.1.1": {"level": 4}}, {},
                         before_save=fill, force=True)


def _ingest(db: Path, *paths: Path) -> list[str]:
    history = open_history(db)
    try:
        run = ingest_returns(list(paths), history, STORE, jobs=1)
    finally:
        history.close()
    assert not run.refused, [str(p) for p in run.report]
    return [o.outcome for o in run.outcomes]


def _updates(db: Path) -> list[tuple]:
    history = open_history(db)
    try:
        return list(history.connection.execute(
            "SELECT r.cycle, r.superseded_by IS NULL, u.action_id, u.status, u.progress "
            "FROM action_updates u JOIN returns r ON r.id = u.return_id ORDER BY u.rowid"))
    finally:
        history.close()


def test_trend_shows_validated_levels_and_the_statuses_reported_a_cycle_later(
        tmp_path: Path) -> None:
    db = _cycle_recorded(tmp_path)
    follow_up = _follow_up_return(tmp_path, db, STATUSES, "a-2026-27.xlsx")
    assert _ingest(db, follow_up) == ["ingested"]
    assert _ingest(db, follow_up) == ["unchanged"]  # the same file again: nothing new stored
    assert [(u[2], u[3]) for u in _updates(db)] == list(STATUSES.items())

    trend = trend_for(db, "Example Authority A", STORE)
    assert trend.cycles == ["2025-26", "2026-27"]
    validated = trend.validated["2025-26"]
    assert (validated["1.1"].view, validated["1.1"].level) == ("Agreed", 4)
    assert (validated["2.1"].view, validated["2.1"].level) == ("Evidence suggests lower", 3)
    assert validated["2.1"].self_score == trend.indicator_scores()["2.1"]["2025-26"]
    assert "2026-27" not in trend.validated  # no meeting record for that cycle yet
    reported = {a.id: (a.agreed_in, a.followed_up_in, a.status, a.progressed)
                for a in trend.actions}
    assert reported == {"EXA-A01": ("2025-26", "2026-27", "Not started", False),
                        "EXA-A02": ("2025-26", "2026-27", "In progress", True),
                        "EXA-A03": ("2025-26", "2026-27", "Completed", True)}

    runner = CliRunner()
    fw = ["--frameworks", str(FRAMEWORKS)]
    shown = runner.invoke(main, ["trend", "--authority", "EXA", "--db", str(db), *fw, "--json"])
    assert shown.exit_code == 0, shown.output
    payload = json.loads(shown.stdout)
    assert payload["validated"]["2025-26"]["2.1"]["validated"] == 3
    assert [a["progressed"] for a in payload["actions"]] == [False, True, True]
    text = runner.invoke(main, ["trend", "--authority", "EXA", "--db", str(db), *fw])
    assert text.exit_code == 0, text.output
    assert "Evidence suggests lower" in text.output and "One visit note" in text.output
    assert "progress on 2 of 3" in text.output
    assert "EXA-A01" in text.output and "Not started" in text.output


def test_a_corrected_follow_up_return_supersedes_its_statuses_which_stay_in_history(
        tmp_path: Path) -> None:
    db = _cycle_recorded(tmp_path)
    first = _follow_up_return(tmp_path, db, {"EXA-A01": "Not started"}, "first.xlsx")
    corrected = _follow_up_return(tmp_path, db, {"EXA-A01": "Completed",
                                                 "EXA-A02": "Not started"}, "corrected.xlsx")
    assert _ingest(db, first) == ["ingested"]
    assert _ingest(db, corrected) == ["superseded"]
    kept = {(current, action, status) for _, current, action, status, _ in _updates(db)}
    assert (0, "EXA-A01", "Not started") in kept  # the superseded return's status, kept
    assert (1, "EXA-A01", "Completed") in kept
    trend = trend_for(db, "EXA", STORE)
    statuses = {a.id: a.status for a in trend.actions}
    assert statuses == {"EXA-A01": "Completed", "EXA-A02": "Not started", "EXA-A03": ""}
    assert [a.progressed for a in trend.actions] == [True, False, False]


def test_without_a_follow_up_return_the_agreed_actions_show_as_not_reported(
        tmp_path: Path) -> None:
    db = _cycle_recorded(tmp_path)
    trend = trend_for(db, "EXA", STORE)
    assert [(a.id, a.followed_up_in, a.status) for a in trend.actions] == [
        ("EXA-A01", "", None), ("EXA-A02", "", None), ("EXA-A03", "", None)]
    assert not any(a.progressed for a in trend.actions)
    shown = CliRunner().invoke(main, ["trend", "--authority", "EXA", "--db", str(db),
                                      "--frameworks", str(FRAMEWORKS)])
    assert shown.exit_code == 0, shown.output
    assert "no follow-up return yet" in shown.output
