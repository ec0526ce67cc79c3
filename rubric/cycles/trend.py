"""One authority across cycles: level changes per theme and indicator, measures over time.

Returns from earlier cycles may be on older framework versions; they are brought to the newest
version through the versioning aliases and mappings (as ``rubric migrate`` does) and rescored
with its rules, so every cycle is read in the same ids and by the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rubric.compare.previous import PreviousCycle
from rubric.cycles.history import History, StoredReturn
from rubric.framework.model import Framework
from rubric.framework.store import FrameworkStore
from rubric.problems import Location, Refused, problem
from rubric.response import Response
from rubric.scoring import Scores, score_response
from rubric.versions.migrate import migrate_response, newest


@dataclass(frozen=True, slots=True)
class ValidatedLevel:
    """The Quad's view of one self-evaluated indicator, from the cycle's meeting record."""

    self_score: float | None  # the self-evaluated score, as stored with the return
    view: str  # Agreed, Evidence suggests higher/lower, Not discussed
    level: int | None  # the validated level (None when not discussed)
    rationale: str

    def to_dict(self) -> dict[str, Any]:
        return {"self": self.self_score, "view": self.view, "validated": self.level,
                "rationale": self.rationale}


@dataclass(frozen=True, slots=True)
class ActionStatus:
    """One action agreed at a Quad meeting and how the next cycle's return reported it.

    ``status`` is None when no follow-up return of the next cycle is in the history (or it did
    not list the action); "" when the return listed it but no status was chosen."""

    agreed_in: str  # the cycle of the meeting record
    id: str
    action: str
    due: str  # ISO date, or ""
    followed_up_in: str  # the cycle whose return reports on it
    status: str | None = None
    progress: str = ""

    @property
    def progressed(self) -> bool:
        """Only In progress and Completed are progress, never Not started (whatever the note
        says)."""
        from rubric.meeting.layout import PROGRESS_STATUSES

        return self.status in PROGRESS_STATUSES

    def to_dict(self) -> dict[str, Any]:
        return {"agreed_in": self.agreed_in, "id": self.id, "action": self.action,
                "due": self.due or None, "followed_up_in": self.followed_up_in,
                "status": self.status, "progress": self.progress,
                "progressed": self.progressed}


@dataclass(slots=True)
class Trend:
    authority: str
    authority_code: str
    framework: Framework
    cycles: list[str] = field(default_factory=list)
    responses: dict[str, Response] = field(default_factory=dict)  # cycle -> on newest version
    scores: dict[str, Scores] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Cycle -> indicator id -> the Quad's view in that cycle's meeting record (cycles without a
    # record are absent).
    validated: dict[str, dict[str, ValidatedLevel]] = field(default_factory=dict)
    # The actions agreed in each cycle's record, with the status reported a cycle later.
    actions: list[ActionStatus] = field(default_factory=list)

    def theme_levels(self) -> dict[str, dict[str, int | str | None]]:
        """Theme id -> cycle -> level (or the special answer's label)."""
        scale = self.framework.scale
        rows: dict[str, dict[str, int | str | None]] = {}
        for theme_id in self.framework.theme_index:
            row = {}
            for cycle in self.cycles:
                answer = self.responses[cycle].themes.get(theme_id)
                if answer is None:
                    row[cycle] = None
                elif answer.level is not None:
                    row[cycle] = answer.level
                elif answer.special:
                    row[cycle] = (scale.not_applicable if answer.special == "not_applicable"
                                  else scale.not_evaluated).label
                else:
                    row[cycle] = None
            rows[theme_id] = row
        return rows

    def indicator_scores(self) -> dict[str, dict[str, float | None]]:
        return {iid: {cycle: (s.rounded if (s := self.scores[cycle].indicator(iid)) else None)
                      for cycle in self.cycles} for iid in self.framework.indicator_index}

    def measures(self) -> dict[str, dict[str, dict[str, float | None]]]:
        return {mid: {cycle: {"baseline": v.baseline, "current": v.current}
                      for cycle in self.cycles
                      if (v := self.responses[cycle].measures.get(mid)) is not None}
                for mid in self.framework.measure_index}

    def changes(self) -> list[tuple[str, str, int, int]]:
        """(theme id, title, earlier level, latest level) where the level moved."""
        if len(self.cycles) < 2:
            return []
        first, last = self.cycles[-2], self.cycles[-1]
        moved = []
        for theme_id, row in self.theme_levels().items():
            before, after = row.get(first), row.get(last)
            if isinstance(before, int) and isinstance(after, int) and before != after:
                moved.append((theme_id, self.framework.theme_index[theme_id][2].title, before,
                              after))
        return moved

    def to_dict(self) -> dict[str, Any]:
        return {
            "authority": {"code": self.authority_code, "name": self.authority},
            "framework": {"id": self.framework.id, "version": self.framework.version},
            "cycles": self.cycles,
            "overall": {c: self.scores[c].overall.rounded for c in self.cycles},
            "indicators": self.indicator_scores(),
            "themes": self.theme_levels(),
            "measures": self.measures(),
            "validated": {cycle: {iid: v.to_dict() for iid, v in by_id.items()}
                          for cycle, by_id in self.validated.items()},
            "actions": [a.to_dict() for a in self.actions],
            "notes": self.notes,
        }


def _framework_missing(store: FrameworkStore, framework_id: str, version: str) -> Refused:
    return Refused(problem("history-framework-missing", Location(), framework=framework_id,
                           version=version, searched=store.describe()))


def response_on(stored: StoredReturn, history: History, store: FrameworkStore,
                target: Framework) -> tuple[Response, str | None]:
    """A stored return as a response on ``target`` (migrated when its version differs)."""
    response = history.response(stored)
    if (stored.framework_id, stored.framework_version) == (target.id, target.version):
        return response, None
    loaded = store.get(stored.framework_id, stored.framework_version)
    if loaded is None or loaded.framework is None:
        raise _framework_missing(store, stored.framework_id, stored.framework_version)
    migration = migrate_response(response, loaded.framework, target)
    return migration.response, migration.summary


def build_trend(history: History, authority_code: str, store: FrameworkStore) -> Trend | None:
    """The authority's current return of every cycle, on the newest framework version."""
    stored = history.returns(authority_code=authority_code)
    if not stored:
        return None
    framework_ids = {s.framework_id for s in stored}
    latest_id = stored[-1].framework_id
    versions = [s.framework_version for s in stored if s.framework_id == latest_id]
    loaded = store.get(latest_id, newest(versions))
    if loaded is None or loaded.framework is None:
        raise _framework_missing(store, latest_id, newest(versions))
    target = loaded.framework
    trend = Trend(stored[-1].authority, authority_code, target)
    if len(framework_ids) > 1:
        trend.notes.append(f"Only cycles on {latest_id} are shown (also found: "
                           f"{', '.join(sorted(framework_ids - {latest_id}))}).")
    for entry in stored:
        if entry.framework_id != latest_id:
            continue
        response, note = response_on(entry, history, store, target)
        trend.cycles.append(entry.cycle)
        trend.responses[entry.cycle] = response
        trend.scores[entry.cycle] = score_response(response, target)
        if note:
            trend.notes.append(f"{entry.cycle}: {note}.")
    _add_meeting_records(trend, history, {e.cycle: e for e in stored
                                          if e.framework_id == latest_id})
    return trend


def _add_meeting_records(trend: Trend, history: History,
                         returns: dict[str, StoredReturn]) -> None:
    """Each cycle's validated levels and agreed actions from the Quad's meeting record, with
    the statuses the next cycle's return reported on those actions."""
    from rubric.cycles.cycle import previous_cycle
    from rubric.meeting import store as records

    code = trend.authority_code
    followed_up = {previous_cycle(cycle): cycle for cycle in returns}
    for record in records.records(history, authority_code=code):
        if record.cycle in returns:
            scores = trend.scores[record.cycle]
            validated = {}
            for v in records.validations(history, record.id, code):
                own = scores.indicator(v.indicator_id)  # as the trend scores it, else as kept
                validated[v.indicator_id] = ValidatedLevel(
                    own.rounded if own is not None else v.self_score, v.view, v.level,
                    v.rationale)
            trend.validated[record.cycle] = validated
            if record.framework_id != trend.framework.id:
                trend.notes.append(f"{record.cycle}: the meeting record is on "
                                   f"{record.framework_id}; its indicator ids are as recorded.")
        later = followed_up.get(record.cycle, "")
        updates = history.action_updates(returns[later].id) if later else {}
        for action in records.actions(history, record.id, code):
            update = updates.get(action.id)
            trend.actions.append(ActionStatus(
                record.cycle, action.id, action.action,
                action.due.isoformat() if action.due else "", later,
                update.status if update else None, update.progress if update else ""))


def previous_next_steps(history: History, authority: str, cycle: str,
                        store: FrameworkStore, target: Framework) -> dict[str, str] | None:
    """Theme id (on ``target``) -> the next steps the authority (a name or code) recorded in
    ``cycle``; None when it has no return for that cycle."""
    code = history.code_for(authority)
    stored = history.returns(authority_code=code, cycle=cycle) if code else []
    if not stored:
        return None
    response, _ = response_on(stored[-1], history, store, target)
    return {tid: a.next_steps for tid, a in response.themes.items() if a.next_steps}


def previous_cycle_scores(history: History, store: FrameworkStore, framework: Framework,
                          member_codes: list[str], cycle: str) -> PreviousCycle:
    """Each member's current return of ``cycle``, scored on ``framework`` (migrated through the
    versioning mappings when it was on another version), as the input
    :func:`rubric.compare.quad.compare_returns` takes. Refused (``history-framework-missing``)
    when a framework version a stored return needs is not available."""
    scores: dict[str, Scores] = {}
    notes: list[str] = []
    for code in member_codes:
        stored = history.returns(authority_code=code, cycle=cycle)
        if not stored:
            continue
        response, note = response_on(stored[-1], history, store, framework)
        scores[code] = score_response(response, framework)
        if note:
            notes.append(f"Previous cycle {cycle}: {note}.")
    notes.append(f"Previous cycle {cycle}: returns found for {len(scores)} of "
                 f"{len(member_codes)} members.")
    return PreviousCycle(cycle, scores, tuple(notes))


def trend_for(db_path: Path, authority: str, store: FrameworkStore) -> Trend:
    """The trend of ``authority`` (a name or code) from the history at ``db_path``; refused
    (coded) when the history is missing or holds no returns from it."""
    import difflib

    from rubric.cycles.history import open_existing_history

    history = open_existing_history(db_path)
    try:
        code = history.code_for(authority)
        found = build_trend(history, code, store) if code else None
        names = sorted({s.authority for s in history.returns()})
    finally:
        history.close()
    if found is None:
        close = difflib.get_close_matches(authority, names, n=3, cutoff=0.5)
        close += [n for n in names if authority.casefold() in n.casefold() and n not in close]
        known = (f"Did you mean {' or '.join(repr(c) for c in close[:3])}? " if close else
                 f"The history holds returns from {', '.join(names)}. " if names else "")
        raise Refused(problem("history-no-returns", Location(str(db_path)),
                              what=repr(authority), path=db_path, known=known))
    return found
