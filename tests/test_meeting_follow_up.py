"""Follow-up by status: agreed actions onto next cycle's workbook, statuses back, counted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from rubric.compare.quad import compare_returns
from rubric.cycles.history import open_history
from rubric.export.follow_up import follow_up_html
from rubric.export.xlsx import build_comparison_workbook
from rubric.framework.store import FrameworkStore
from rubric.meeting.actions import follow_up_items, status_counts
from rubric.meeting.record_read import read_record
from rubric.meeting.store import store_record
from rubric.read.returns import read_return
from rubric.scoring import score_response
from rubric.template.fill import fill_workbook
from rubric.template.workbook import TemplateInfo, write_template
from rubric.xlsx import layout
from tests.conftest import FRAMEWORKS
from tests.workbooks import demo_framework, make_record

STORE = FrameworkStore(FRAMEWORKS)
ACTIONS = """
| key         | action           | links | due        | status      |
| EXA EXA-A01 | Share tracking.  | 1.1   | 2026-01-31 | Not started |
| EXA EXA-A02 | Report termly.   | 2.1   | 2026-06-30 | Not started |
| EXA EXA-A03 | Review with Quad | 2.1.2 | 2027-06-30 | Not started |
"""


def _follow_up(tmp: Path) -> list:
    path = make_record(tmp, "", ACTIONS)
    history = open_history(tmp / "history.sqlite")
    try:
        for name in ("a.xlsx", "b.xlsx"):
            result = read_return(tmp / name, STORE)
            history.ingest(result, score_response(result.response, result.framework), "2025-26")
        store_record(history, read_record(path, STORE))
        found = follow_up_items(history, "EXA", "2025-26", STORE, demo_framework())
        steps = follow_up_items(history, "EXB", "2025-26", STORE, demo_framework())
        none = follow_up_items(history, "EXA", "2024-25", STORE, demo_framework())
    finally:
        history.close()
    assert (found.source, steps.source, none.source) == ("record", "next-steps", "none")
    assert [i.id for i in steps.items] == ["1.1.1", "1.1.2", "2.1.1"]  # B's next steps
    return [found, steps]


def _typed(tmp: Path, follow, code: str, name: str, statuses: dict[str, str]) -> Path:
    blank = tmp / f"blank-{code}.xlsx"
    write_template(demo_framework(), TemplateInfo(name, "2026-27", code,
                                                  actions=follow.template_actions()), blank)

    def fill(book: openpyxl.Workbook) -> None:
        sheet = book[layout.ACTIONS_SHEET]
        for row in range(layout.HEADER_ROW + 1, sheet.max_row + 1):
            if sheet.cell(row, 1).value in statuses:
                sheet.cell(row, 7).value = statuses[sheet.cell(row, 1).value]
                sheet.cell(row, 8).value = "Started: delayed by staffing"
    return fill_workbook(blank, tmp / f"{code}-next.xlsx", {"1.1.1": {"level": 4}}, {},
                         before_save=fill)


def test_statuses_come_back_and_not_started_is_never_progress(tmp_path: Path) -> None:
    record, steps = _follow_up(tmp_path)
    assert [i.id for i in record.items] == ["EXA-A01", "EXA-A02", "EXA-A03"]
    a = _typed(tmp_path, record, "EXA", "Example Authority A",
               {"EXA-A01": "Not started", "EXA-A02": "in progress", "EXA-A03": "Completed"})
    b = _typed(tmp_path, steps, "EXB", "Example Authority B",
               {"1.1.1": "Not started", "1.1.2": "Not started"})
    results = [read_return(p, STORE) for p in (a, b)]
    assert all(r.valid for r in results), [str(p) for r in results for p in r.report.errors]
    assert results[0].response.actions["EXA-A02"].status == "In progress"
    comparison = compare_returns(results, generated_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
                                 ).comparison
    counts = {c.code: c for c in status_counts(comparison)}
    assert counts["EXA"].progressed == 2 and counts["EXB"].progressed == 0
    assert counts["EXB"].counts["Not started"] == 2 and counts["EXB"].counts["Not reported"] == 1
    assert [o[0] for o in counts["EXA"].overdue] == ["EXA-A01", "EXA-A02"]  # A03 not due yet
    sheet = build_comparison_workbook(comparison)["Follow-up"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] == "Example Authority B"]
    assert rows[0][1:4] == (2, 0, 0)  # Not started 2, In progress 0, Completed 0
    page = follow_up_html(comparison)
    assert "0 of 3" in page and "2 of 3" in page and "EXA-A01" in page


def test_a_tampered_action_id_or_status_is_refused_at_its_cell(tmp_path: Path) -> None:
    record, _ = _follow_up(tmp_path)
    path = _typed(tmp_path, record, "EXA", "Example Authority A",
                  {"EXA-A01": "Nearly there"})
    book = openpyxl.load_workbook(path)
    book[layout.ACTIONS_SHEET]["A6"].value = "EXA-A99"
    book.save(path)
    found = {p.code: f"{p.location.sheet}!{p.location.cell}"
             for p in read_return(path, STORE).report.errors}
    assert found == {"action-status-unknown": "Actions!G5", "action-id-unknown": "Actions!A6"}
