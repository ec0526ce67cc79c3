"""Meeting records kept in the history database, beside the returns they validate.

Recording the same file again changes nothing; a corrected record for the same Quad and cycle
supersedes the old one, which stays in the history. Each member's validated levels are stored
next to the self-evaluated scores of its return in the history (found by the return's file
hash, else its current return for the cycle); tables come from the history's migrations.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Literal

from rubric.cycles.history import History, file_hash
from rubric.meeting.record_read import Action, RecordResult, Validation
from rubric.problems import Location, Report, problem

Outcome = Literal["recorded", "unchanged", "superseded"]


@dataclass(slots=True)
class StoreOutcome:
    path: str
    outcome: Outcome | None = None
    record_id: int | None = None
    replaced: int | None = None
    report: Report = field(default_factory=Report)


@dataclass(frozen=True, slots=True)
class StoredRecord:
    id: int
    quad: str
    cycle: str
    framework_id: str
    framework_version: str
    framework_hash: str
    meeting_date: str | None
    file_hash: str
    path: str
    recorded_at: str
    superseded_by: int | None


def _write(history: History) -> AbstractContextManager[sqlite3.Cursor]:
    """The history's own immediate transaction: one writer at a time, all or nothing."""
    return history.transaction()


def _return_for(cursor: sqlite3.Cursor, code: str, cycle: str, digest: str
                ) -> int | None:
    if digest:
        row = cursor.execute("SELECT id FROM returns WHERE file_hash = ? AND cycle = ?",
                             (digest, cycle)).fetchone()
        if row:
            return row[0]
    row = cursor.execute("SELECT id FROM returns WHERE authority_code = ? AND cycle = ? AND "
                         "superseded_by IS NULL", (code, cycle)).fetchone()
    return row[0] if row else None


def store_record(history: History, result: RecordResult, *,
                 digest: str | None = None) -> StoreOutcome:
    """Keep a valid record in the history; idempotent per file."""
    record = result.record
    assert record is not None and result.valid
    outcome = StoreOutcome(result.path)
    digest = digest or file_hash(result.path)
    with _write(history) as cursor:
        found = cursor.execute("SELECT id FROM meeting_records WHERE file_hash = ?",
                               (digest,)).fetchone()
        if found:
            outcome.outcome, outcome.record_id = "unchanged", found[0]
            return outcome
        previous = cursor.execute(
            "SELECT id FROM meeting_records WHERE quad = ? AND cycle = ? AND superseded_by IS "
            "NULL", (record.quad, record.cycle)).fetchone()
        cursor.execute(
            "INSERT INTO meeting_records (quad, cycle, framework_id, framework_version, "
            "framework_hash, meeting_date, file_hash, path, recorded_at) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record.quad, record.cycle, record.framework_id, record.framework_version,
             record.framework_hash, record.meeting_date.isoformat() if record.meeting_date
             else None, digest, record.path,
             dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
        record_id = cursor.lastrowid
        assert record_id is not None
        returns: dict[str, int | None] = {}
        for member in record.members:
            returns[member.code] = _return_for(cursor, member.code, record.cycle,
                                               member.return_hash)
            if returns[member.code] is None:
                outcome.report.add(problem("record-return-not-in-history",
                                           Location(result.path), authority=member.name))
            cursor.execute("INSERT INTO meeting_members VALUES (?, ?, ?, ?)",
                           (record_id, member.code, member.name, returns[member.code]))
        rows = []
        for v in record.validations:
            score = v.self_score
            return_id = returns.get(v.authority_code)
            if return_id is not None:
                stored = cursor.execute(
                    "SELECT score FROM scores WHERE return_id = ? AND item_kind = 'indicator' "
                    "AND item_id = ?", (return_id, v.indicator_id)).fetchone()
                kept = stored[0] if stored else None
                if kept is not None and (score is None or abs(kept - score) > 0.05):
                    member = record.member(v.authority_code)
                    sheet, _, cell = v.cell.rpartition("!")
                    outcome.report.add(problem(
                        "record-self-changed", Location(result.path, sheet=sheet, cell=cell),
                        authority=member.name if member else v.authority_code,
                        id=v.indicator_id, found="blank" if score is None else f"{score:.1f}",
                        expected=f"{kept:.1f}"))
                score = kept if kept is not None else score
            rows.append((record_id, v.authority_code, v.indicator_id, score, v.view, v.level,
                         v.rationale))
        cursor.executemany("INSERT INTO validations VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        cursor.executemany(
            "INSERT INTO actions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(record_id, a.authority_code, a.id, a.action, json.dumps(list(a.links)), a.owner,
              a.due.isoformat() if a.due else None, a.success, a.status)
             for a in record.actions])
        if previous:
            cursor.execute("UPDATE meeting_records SET superseded_by = ? WHERE id = ?",
                           (record_id, previous[0]))
    outcome.outcome = "superseded" if previous else "recorded"
    outcome.record_id, outcome.replaced = record_id, previous[0] if previous else None
    return outcome


# --- reading -------------------------------------------------------------------------------------

def records(history: History, *, authority_code: str | None = None, cycle: str | None = None,
            current_only: bool = True) -> list[StoredRecord]:
    """Records (current ones unless asked), oldest cycle first; filtered by member and cycle."""
    sql = "SELECT r.* FROM meeting_records r WHERE 1 = 1"
    args: list[str] = []
    if authority_code is not None:
        sql += (" AND EXISTS (SELECT 1 FROM meeting_members m WHERE m.record_id = r.id AND "
                "m.authority_code = ?)")
        args.append(authority_code)
    if cycle is not None:
        sql += " AND r.cycle = ?"
        args.append(cycle)
    if current_only:
        sql += " AND r.superseded_by IS NULL"
    sql += " ORDER BY r.cycle, r.id"
    return [StoredRecord(*row) for row in history.connection.execute(sql, args)]


def record_for(history: History, authority_code: str, cycle: str) -> StoredRecord | None:
    """The current record of ``cycle`` that the authority is a member of, if any."""
    found = records(history, authority_code=authority_code, cycle=cycle)
    return found[-1] if found else None


def members(history: History, record_id: int) -> list[tuple[str, str, int | None]]:
    """(code, name, return id) of each member of a stored record."""
    return [tuple(row) for row in history.connection.execute(  # type: ignore[misc]
        "SELECT authority_code, authority, return_id FROM meeting_members WHERE record_id = ? "
        "ORDER BY rowid", (record_id,))]


def validations(history: History, record_id: int, authority_code: str) -> list[Validation]:
    return [Validation(code, indicator, score, view, level, rationale)
            for code, indicator, score, view, level, rationale in history.connection.execute(
                "SELECT authority_code, indicator_id, self_score, view, level, rationale FROM "
                "validations WHERE record_id = ? AND authority_code = ? ORDER BY rowid",
                (record_id, authority_code))]


def actions(history: History, record_id: int, authority_code: str) -> list[Action]:
    found = []
    for code, action_id, text, links, owner, due, success, status in history.connection.execute(
            "SELECT authority_code, action_id, action, links, owner, due, success, status FROM "
            "actions WHERE record_id = ? AND authority_code = ? ORDER BY rowid",
            (record_id, authority_code)):
        found.append(Action(code, action_id, text, tuple(json.loads(links)), owner,
                            dt.date.fromisoformat(due) if due else None, success, status))
    return found
