"""The data of one authority's report for one cycle, gathered from the history.

Its scores beside the Quad median (the record's members' returns) and the national median
(when the history holds enough returns of the cycle), the Quad's validated evaluation with its
rationale, strengths and areas for improvement in the authority's own words, its action plan,
and change since the last cycle. Renderers (``html``, ``docx``) decide nothing.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from rubric.cycles.cycle import previous_cycle
from rubric.cycles.history import History, StoredReturn
from rubric.framework.model import Framework
from rubric.framework.store import FrameworkStore
from rubric.meeting import store as records
from rubric.meeting.record_read import Action, Validation
from rubric.problems import Location, Report, problem
from rubric.scoring import Scores, score_response

NATIONAL_MINIMUM = 8  # returns of the cycle (on the same framework) before a national median


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    id: str
    title: str
    category_id: str
    score: float | None
    quad_median: float | None = None
    national_median: float | None = None
    previous: float | None = None
    validation: Validation | None = None


@dataclass(frozen=True, slots=True)
class OwnWords:
    """A text the authority wrote, once, with every theme it wrote it for."""

    text: str
    theme_ids: tuple[str, ...]


@dataclass(slots=True)
class AuthorityReport:
    authority: str
    authority_code: str
    cycle: str
    framework: Framework
    scores: Scores
    generated_at: dt.datetime
    quad: str | None = None
    quad_members: list[str] = field(default_factory=list)
    meeting_date: dt.date | None = None
    national_returns: int = 0
    previous_cycle: str | None = None
    previous_overall: float | None = None
    indicators: list[IndicatorLine] = field(default_factory=list)
    categories: list[IndicatorLine] = field(default_factory=list)
    strengths: list[OwnWords] = field(default_factory=list)
    improvements: list[OwnWords] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    changes: list[tuple[str, str, int, int]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"Self-evaluation report: {self.authority}, {self.cycle}"

    @property
    def has_record(self) -> bool:
        return self.quad is not None

    def to_dict(self) -> dict[str, Any]:
        """What the report says, as data (the web service's JSON; files come from the
        writers)."""
        def item(line: IndicatorLine) -> dict[str, Any]:
            v = line.validation
            return {"id": line.id, "title": line.title, "score": line.score,
                    "quad_median": line.quad_median, "national_median": line.national_median,
                    "previous": line.previous, "view": v.view if v else None,
                    "validated_level": v.level if v else None,
                    "rationale": v.rationale if v else None}

        return {"authority": self.authority, "authority_code": self.authority_code,
                "cycle": self.cycle, "framework": f"{self.framework.id}@{self.framework.version}",
                "generated_at": self.generated_at.isoformat(),
                "overall": self.scores.overall.rounded,
                "quad": self.quad, "quad_members": list(self.quad_members),
                "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
                "national_returns": self.national_returns,
                "previous_cycle": self.previous_cycle, "previous_overall": self.previous_overall,
                "views": self.views(), "categories": [item(c) for c in self.categories],
                "indicators": [item(i) for i in self.indicators],
                "strengths": [{"text": w.text, "themes": list(w.theme_ids)}
                              for w in self.strengths],
                "next_steps": [{"text": w.text, "themes": list(w.theme_ids)}
                               for w in self.improvements],
                "actions": [{"id": a.id, "action": a.action, "links": list(a.links),
                             "owner": a.owner, "due": a.due.isoformat() if a.due else None,
                             "success": a.success, "status": a.status} for a in self.actions],
                "changes": [{"theme": t, "title": title, "from": a, "to": b}
                            for t, title, a, b in self.changes]}

    def views(self) -> dict[str, int]:
        """How many indicators the Quad agreed, or saw higher or lower evidence for."""
        counts: dict[str, int] = {}
        for line in self.indicators:
            if line.validation is not None:
                counts[line.validation.view] = counts.get(line.validation.view, 0) + 1
        return counts


@dataclass(slots=True)
class ReportResult:
    document: AuthorityReport | None = None
    report: Report = field(default_factory=Report)

    @property
    def valid(self) -> bool:
        return self.document is not None and self.report.valid


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return float(statistics.median(present)) if present else None


def _indicator_scores(history: History, stored: StoredReturn) -> dict[str, float | None]:
    return {item: value for (kind, item), value in history.scores(stored).items()
            if kind in ("indicator", "category", "overall")}


def build_report(history: History, authority: str, cycle: str, store: FrameworkStore, *,
                 generated_at: dt.datetime | None = None,
                 national_minimum: int = NATIONAL_MINIMUM) -> ReportResult:
    """Everything the authority's report for ``cycle`` shows; problems when it cannot be made."""
    result = ReportResult()
    code = history.code_for(authority)
    stored = history.returns(authority_code=code, cycle=cycle) if code else []
    if not stored or code is None:
        result.report.add(problem("report-no-return", Location(str(history.path)),
                                  authority=authority, cycle=cycle))
        return result
    own = stored[-1]
    loaded = store.get(own.framework_id, own.framework_version)
    if loaded is None or loaded.framework is None:
        result.report.add(problem("provenance-unknown-framework", Location(str(history.path)),
                                  framework=own.framework_id, version=own.framework_version,
                                  directory=store.describe(), known="check --frameworks"))
        return result
    framework = loaded.framework
    response = history.response(own)
    scores = score_response(response, framework)
    doc = AuthorityReport(own.authority, code, cycle, framework, scores,
                          generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0))
    result.document = doc

    # The Quad: the record's members' returns of this cycle.
    quad_scores: list[dict[str, float | None]] = []
    validations: dict[str, Validation] = {}
    record = records.record_for(history, code, cycle)
    if record is None:
        result.report.add(problem("report-no-record", Location(str(history.path)),
                                  authority=own.authority, cycle=cycle))
    else:
        doc.quad = record.quad
        doc.meeting_date = dt.date.fromisoformat(record.meeting_date) \
            if record.meeting_date else None
        for member_code, name, _ in records.members(history, record.id):
            doc.quad_members.append(name)
            found = history.returns(authority_code=member_code, cycle=cycle)
            if found and found[-1].framework_hash == own.framework_hash:
                quad_scores.append(_indicator_scores(history, found[-1]))
        validations = {v.indicator_id: v for v in records.validations(history, record.id, code)}
        doc.actions = records.actions(history, record.id, code)

    # National: every current return of the cycle on the same framework text.
    national = [s for s in history.returns(cycle=cycle) if s.framework_hash == own.framework_hash]
    doc.national_returns = len(national)
    national_scores = [_indicator_scores(history, s) for s in national] \
        if len(national) >= national_minimum else []

    # Last cycle, read on this cycle's framework version.
    earlier = history.returns(authority_code=code, cycle=previous_cycle(cycle))
    before: Scores | None = None
    if earlier:
        from rubric.cycles.trend import response_on

        try:
            previous_response, _ = response_on(earlier[-1], history, store, framework)
        except LookupError:
            previous_response = None
        if previous_response is not None:
            before = score_response(previous_response, framework)
            doc.previous_cycle = earlier[-1].cycle
            doc.previous_overall = before.overall.rounded
            for theme_id, answer in response.themes.items():
                was = previous_response.themes.get(theme_id)
                if was and was.level is not None and answer.level is not None and \
                        was.level != answer.level:
                    title = framework.theme_index[theme_id][2].title
                    doc.changes.append((theme_id, title, was.level, answer.level))

    def line(item_id: str, title: str, parent: str, own_score: float | None) -> IndicatorLine:
        was = None
        if before is not None:
            score = before.indicator(item_id) or before.category(item_id)
            was = score.rounded if score else None
        return IndicatorLine(
            item_id, title, parent, own_score,
            _median([s.get(item_id) for s in quad_scores]) if quad_scores else None,
            _median([s.get(item_id) for s in national_scores]) if national_scores else None,
            was, validations.get(item_id))

    for category in framework.categories:
        score = scores.category(category.id)
        doc.categories.append(line(category.id, category.title, "",
                                   score.rounded if score else None))
        for indicator in category.indicators:
            score = scores.indicator(indicator.id)
            doc.indicators.append(line(indicator.id, indicator.title, category.id,
                                       score.rounded if score else None))
    doc.strengths = _own_words({t: a.strengths for t, a in response.themes.items()})
    doc.improvements = _own_words({t: a.next_steps for t, a in response.themes.items()})
    return result


def _own_words(texts: dict[str, str]) -> list[OwnWords]:
    """Each distinct text once, in the order first written, with the themes it was written for."""
    themes: dict[str, list[str]] = {}
    for theme_id, text in texts.items():
        if text.strip():
            themes.setdefault(text, []).append(theme_id)
    return [OwnWords(text, tuple(ids)) for text, ids in themes.items()]
