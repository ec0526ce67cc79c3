"""The meeting record: written from a comparison, filled, read back safely, kept in the history.

Every record problem code is triggered here by a fixture built in code, at its cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from rubric.cycles.history import open_history
from rubric.framework.store import FrameworkStore
from rubric.meeting import layout
from rubric.meeting import store as records
from rubric.meeting.record_read import read_record
from rubric.meeting.store import store_record
from rubric.read.returns import read_return
from rubric.scoring import score_response
from tests.conftest import FRAMEWORKS
from tests.workbooks import edit_workbook, make_record, quad_comparison

STORE = FrameworkStore(FRAMEWORKS)
AGREED = """
| key     | view                    | level | rationale                         |
| EXA 1.1 | Agreed                  | 4     |                                   |
| EXA 2.1 | Evidence suggests lower | 4     | One visit note is not enough.     |
| EXB 1.1 | Agreed                  | 3     |                                   |
| EXB 2.1 | Not discussed           |       | Not reached; taken in the spring. |
"""
ACTIONS = """
| key         | action                 | links      | owner     | due        | success          | status      |
| EXA EXA-A01 | Share tracking widely. | 1.1, 2.1.2 | QI lead   | 2027-03-31 | All schools use. | Not started |
| EXB EXB-A01 | Agree one measure.     | 1.1.1      | Head of E | 31/03/2027 | Measure agreed.  |             |
"""  # noqa: E501


def _cell(sheet: str, ref: str, value: object) -> Callable[[openpyxl.Workbook], None]:
    def change(book: openpyxl.Workbook) -> None:
        book[sheet][ref].value = value
    return change


def _record(evaluation: str = AGREED, actions: str = ACTIONS,
            change: Callable[[openpyxl.Workbook], None] | None = None) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        path = make_record(tmp, evaluation, actions)
        return edit_workbook(path, change) if change else path
    return build


def _insert_action_row(book: openpyxl.Workbook) -> None:
    sheet = book[layout.ACTIONS_SHEET]
    sheet.insert_rows(6)
    sheet["D6"].value = "An extra action agreed at the end."


def _delete_sheet(name: str) -> Callable[[openpyxl.Workbook], None]:
    def change(book: openpyxl.Workbook) -> None:
        del book[name]
    return change


def _clear_row(book: openpyxl.Workbook) -> None:
    for ref in ("A6", "C6"):
        book[layout.EVALUATION_SHEET][ref].value = None


def _with_history(tmp: Path, path: Path, ingest: bool) -> list[str]:
    history = open_history(tmp / "history.sqlite")
    try:
        if ingest:
            for name in ("a.xlsx", "b.xlsx"):
                result = read_return(tmp / name, STORE)
                assert result.response is not None and result.framework is not None
                history.ingest(result, score_response(result.response, result.framework),
                               "2025-26")
        result = read_record(path, STORE)
        assert result.valid, [str(p) for p in result.report]
        return [f"{p.code}@{p.location.sheet or ''}!{p.location.cell or ''}"
                for p in store_record(history, result).report]
    finally:
        history.close()


# code -> (builder, the cell it must be reported at: "Sheet!A1", "Sheet" or None for the file)
FIXTURES: dict[str, tuple[Callable[[Path], Path], str | None]] = {
    "record-table-missing": (_record(change=_delete_sheet(layout.ACTIONS_SHEET)),
                             layout.ACTIONS_SHEET),
    "record-member-unknown": (_record(change=_cell(layout.EVALUATION_SHEET, "A5", "XYZ")),
                              "Evaluation!A5"),
    "record-row-missing": (_record(change=_clear_row), layout.EVALUATION_SHEET),
    "record-view-unknown": (_record("| key | view | level |\n| EXA 1.1 | Mostly agreed | 4 |"),
                            "Evaluation!H5"),
    "record-view-missing": (_record("| key | level |\n| EXA 1.1 | 4 |"), "Evaluation!H5"),
    "record-level-missing": (_record("| key | view |\n| EXA 1.1 | Agreed |"), "Evaluation!I5"),
    "record-rationale-missing": (_record("| key | view | level |\n"
                                         "| EXA 1.1 | Evidence suggests higher | 6 |"),
                                 "Evaluation!J5"),
    "record-view-inconsistent": (_record("| key | view | level | rationale |\n"
                                         "| EXA 1.1 | Evidence suggests higher | 3 | Hmm. |"),
                                 "Evaluation!I5"),
    "record-action-missing": (_record(actions="| key | owner |\n| EXA EXA-A01 | QI lead |"),
                              "Action plans!D5"),
    "record-action-new-row": (_record(change=_insert_action_row), "Action plans!C6"),
    "record-link-unknown": (_record(actions="| key | action | links |\n"
                                            "| EXA EXA-A01 | Do it. | 1.1, 9.9 |"),
                            "Action plans!E5"),
    "record-date-invalid": (_record(actions="| key | action | due |\n"
                                            "| EXA EXA-A01 | Do it. | next spring |"),
                            "Action plans!G5"),
    "record-status-unknown": (_record(actions="| key | action | status |\n"
                                              "| EXA EXA-A01 | Do it. | Done-ish |"),
                              "Action plans!I5"),
    # problems the reader shares with returns, raised by records
    "id-unknown": (_record(change=_cell(layout.EVALUATION_SHEET, "C5", "1.9")), "Evaluation!C5"),
    "id-duplicated": (_record(change=_cell(layout.EVALUATION_SHEET, "C6", "1.1")),
                      "Evaluation!C6"),
    "level-unknown": (_record("| key | view | level |\n| EXA 1.1 | Agreed | 9 |"),
                      "Evaluation!I5"),
    "provenance-hash-mismatch": (_record(change=_cell(layout.PROVENANCE_SHEET, "B4",
                                                      "sha256:" + "0" * 64)), "_rubric!B4"),
    "provenance-invalid": (_record(change=_cell(layout.PROVENANCE_SHEET, "B9", "[{]")),
                           "_rubric!B9"),
    "provenance-missing": (_record(change=_delete_sheet(layout.PROVENANCE_SHEET)), "_rubric"),
}
# Store-time warnings: (builder, ingest the returns first?, expected "code@Sheet!Cell")
STORE_FIXTURES = {
    "record-self-changed": (_record(change=_cell(layout.EVALUATION_SHEET, "E5", 1.0)), True,
                            "record-self-changed@Evaluation!H5"),
    "record-return-not-in-history": (_record(), False, "record-return-not-in-history@!"),
}


@pytest.mark.parametrize("code", sorted(FIXTURES))
def test_each_record_problem_is_found_at_its_cell(code: str, tmp_path: Path) -> None:
    build, where = FIXTURES[code]
    result = read_record(build(tmp_path), STORE)
    found = [p for p in result.report if p.code == code]
    assert found, [str(p) for p in result.report]
    location = found[0].location
    shown = f"{location.sheet}!{location.cell}" if location.cell else location.sheet
    assert shown == where, str(found[0])
    if found[0].is_error:
        assert not result.valid


@pytest.mark.parametrize("code", sorted(STORE_FIXTURES))
def test_storing_warns_when_the_history_disagrees(code: str, tmp_path: Path) -> None:
    build, ingest, expected = STORE_FIXTURES[code]
    assert expected in _with_history(tmp_path, build(tmp_path), ingest)


def test_a_filled_record_reads_back_every_view_and_action(tmp_path: Path) -> None:
    result = read_record(make_record(tmp_path, AGREED, ACTIONS), STORE)
    assert result.valid and not result.report.problems, [str(p) for p in result.report]
    record = result.record
    assert record is not None and record.meeting_date == dt.date(2026, 3, 10)
    assert [m.code for m in record.members] == ["EXA", "EXB"]
    views = {(v.authority_code, v.indicator_id): (v.view, v.level) for v in record.validations}
    assert views == {("EXA", "1.1"): ("Agreed", 4), ("EXA", "2.1"): ("Evidence suggests lower", 4),
                     ("EXB", "1.1"): ("Agreed", 3), ("EXB", "2.1"): ("Not discussed", None)}
    first, second = record.actions
    assert first.links == ("1.1", "2.1.2") and first.due == dt.date(2027, 3, 31)
    assert second.due == dt.date(2027, 3, 31) and second.status == "Not started"


def test_all_problems_of_a_record_come_at_once(tmp_path: Path) -> None:
    evaluation = ("| key | view | level | rationale |\n"
                  "| EXA 1.1 | Evidence suggests lower | 3 | |\n| EXB 2.1 | Agreed | 12 | |")
    actions = "| key | action | links | due |\n| EXA EXA-A01 | Do it. | 7.7 | soon |"
    result = read_record(make_record(tmp_path, evaluation, actions), STORE)
    assert sorted(result.report.codes()) == ["level-unknown", "record-date-invalid",
                                             "record-link-unknown", "record-rationale-missing"]


def test_the_record_is_prefilled_with_what_members_self_evaluated(tmp_path: Path) -> None:
    comparison = quad_comparison(tmp_path)
    book = openpyxl.load_workbook(make_record(tmp_path, comparison=comparison))
    sheet = book[layout.EVALUATION_SHEET]
    rows = {(sheet.cell(r, 1).value, sheet.cell(r, 3).value): r
            for r in range(layout.HEADER_ROW + 1, sheet.max_row + 1)}
    member = comparison.members[0]
    row = rows[(member.code, "1.1")]
    assert sheet.cell(row, 5).value == member.scores.indicator("1.1").rounded == 4.5
    assert sheet.cell(row, 6).value == "1.1.1: 5 Very good\n1.1.2: 4 Good"
    assert sheet.protection.sheet and sheet.cell(row, 5).protection.locked
    assert not sheet.cell(row, 8).protection.locked  # the Quad's view is an answer cell
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    lists = {str(dv.sqref).split(":")[0][:1] for dv in sheet.data_validations.dataValidation}
    assert lists == {"H", "I"}  # the Quad's view and the validated level offer dropdowns
    assert all(not str(c.value).startswith("=") for row in sheet.iter_rows() for c in row
               if c.value is not None)


def test_recording_is_idempotent_and_a_correction_supersedes(tmp_path: Path) -> None:
    history = open_history(tmp_path / "history.sqlite")
    try:
        first = read_record(make_record(tmp_path, AGREED, ACTIONS), STORE)
        assert store_record(history, first).outcome == "recorded"
        again = store_record(history, first)
        assert again.outcome == "unchanged"
        corrected = read_record(make_record(tmp_path, AGREED.replace("| 4     |", "| 3     |", 1),
                                            ACTIONS, name="corrected.xlsx"), STORE)
        outcome = store_record(history, corrected)
        assert outcome.outcome == "superseded" and outcome.replaced == again.record_id
        assert len(records.records(history, current_only=False)) == 2
        current = records.record_for(history, "EXA", "2025-26")
        assert current is not None and current.id == outcome.record_id
        levels = {v.indicator_id: v.level for v in records.validations(history, current.id,
                                                                        "EXA")}
        assert levels == {"1.1": 3, "2.1": 4}
        assert [a.id for a in records.actions(history, current.id, "EXB")] == ["EXB-A01"]
    finally:
        history.close()


def test_validated_levels_sit_beside_the_returns_scores(tmp_path: Path) -> None:
    path = make_record(tmp_path, AGREED, ACTIONS)
    assert _with_history(tmp_path, path, ingest=True) == []
    history = open_history(tmp_path / "history.sqlite")
    try:
        record = records.record_for(history, "EXB", "2025-26")
        assert record is not None
        assert all(return_id is not None for _, _, return_id in records.members(history,
                                                                              record.id))
        [agreed, _] = records.validations(history, record.id, "EXB")
        assert (agreed.indicator_id, agreed.self_score, agreed.level) == ("1.1", 2.5, 3)
    finally:
        history.close()


def test_an_authority_return_is_not_a_record(tmp_path: Path) -> None:
    result = read_record(_a_return(tmp_path), STORE)
    [found] = result.report.problems
    assert found.code == "provenance-invalid" and "not a meeting record" in found.message


def _a_return(tmp_path: Path) -> Path:
    quad_comparison(tmp_path)
    return tmp_path / "a.xlsx"


def test_a_record_naming_authorities_outside_the_quad_is_refused_and_not_kept(
        tmp_path: Path) -> None:
    from rubric.meeting.run import record_meetings

    path = make_record(tmp_path, AGREED, ACTIONS)
    db = tmp_path / "history.sqlite"
    run = record_meetings([path], db, STORE, members=["EXA", "EXZ"])
    (error,) = run.report.errors
    assert error.code == "record-other-quad" and "Example Authority B" in error.message
    assert (error.location.sheet, error.location.cell) == (layout.PROVENANCE_SHEET, "B9")
    assert [stored for _, stored in run.entries] == [None]
    kept = record_meetings([path], db, STORE, members=["exa", "EXB"])  # codes in any case
    assert kept.report.errors == [] and kept.entries[0][1].outcome == "recorded"
