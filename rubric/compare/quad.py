"""A Quad comparison as plain data: members side by side per theme, indicator and measure.

The exports (xlsx, HTML, JSON) only render this; everything a reader sees is decided here: the
rows, the prompts and the agenda, each member's colour, the change since the previous cycle,
follow-up counts and what a missing score reads as. A compatibility gate comes first: one
framework id, version and text, one cycle, no authority twice.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rubric.compare.agenda import build_agenda
from rubric.compare.challenge import ChallengeSettings, Prompt, challenge_prompts
from rubric.compare.previous import PreviousCycle
from rubric.compare.wording import change_text, change_unit, join_names
from rubric.framework.grading import grading_notes
from rubric.framework.model import Framework
from rubric.problems import Location, Report, display_path, problem
from rubric.registry.quads import Quad
from rubric.response import MeasureValue, ReadResult, Response, ThemeAnswer
from rubric.scoring import Scores, ThemeScore, score_response

NO_SCORE = "no score"  # what every output shows where a member has no score
# Okabe-Ito, reordered so the first four (a Quad) are the most distinct on white; one colour per
# member in every chart of every output.
MEMBER_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
                  "#000000")


@dataclass(frozen=True, slots=True)
class Member:
    code: str
    name: str
    path: str
    response: Response
    scores: Scores
    family_group: int | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """A score last cycle and now; ``change`` only when both exist."""

    was: float | None
    now: float | None

    @property
    def change(self) -> float | None:
        return None if self.was is None or self.now is None else round(self.now - self.was, 6)

    def to_dict(self) -> dict[str, float | None]:
        return {"was": self.was, "now": self.now, "change": self.change}


@dataclass(frozen=True, slots=True)
class FollowUp:
    """Last cycle's next steps carried into a member's return, and how many report progress."""

    planned: int
    progressed: int

    @property
    def text(self) -> str:
        return f"{self.progressed} of {self.planned}"


@dataclass(frozen=True, slots=True)
class ThemeRow:
    id: str
    title: str
    indicator_id: str
    category_id: str
    answers: dict[str, ThemeAnswer | None]
    scores: dict[str, ThemeScore]
    paths: dict[str, str]
    judgement: bool = False  # an indicator judged as a whole (id and indicator_id are its id)

    def levels(self) -> dict[str, int]:
        return {code: a.level for code, a in self.answers.items()
                if a is not None and a.level is not None}

    def cell(self, code: str) -> str:
        answer = self.answers.get(code)
        return f"{self.paths[code]}: {answer.cell}" if answer and answer.cell else \
            self.paths[code]

    def level_text(self, code: str) -> str:
        """``5 - Very good``, a special answer's label, or empty when nothing was chosen."""
        score = self.scores.get(code)
        if score is None:
            return ""
        if score.level is not None:
            return f"{score.level} - {score.label}"
        return score.label or ""

    def progressed(self, code: str) -> str:
        """``Yes`` when progress on last cycle's next steps is reported, ``No`` when next steps
        were set but no progress is reported, empty when there was nothing to follow up."""
        answer = self.answers.get(code)
        if answer is None:
            return ""
        if answer.progress.strip():
            return "Yes"
        return "No" if answer.previous_next_steps else ""

    @property
    def spread(self) -> int | None:
        levels = list(self.levels().values())
        return max(levels) - min(levels) if len(levels) >= 2 else None


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """An indicator or a category across members, with the Quad's median and spread."""

    id: str
    title: str
    parent_id: str
    values: dict[str, float | None]
    divergence_levels: int

    @property
    def present(self) -> list[float]:
        return [v for v in self.values.values() if v is not None]

    @property
    def median(self) -> float | None:
        return float(statistics.median(self.present)) if self.present else None

    @property
    def spread(self) -> float | None:
        return max(self.present) - min(self.present) if len(self.present) >= 2 else None

    @property
    def divergent(self) -> bool:
        return self.spread is not None and self.spread >= self.divergence_levels

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "values": dict(self.values),
                "median": self.median, "spread": self.spread, "divergent": self.divergent}


@dataclass(frozen=True, slots=True)
class MeasureRow:
    id: str
    title: str
    unit: str
    is_percent: bool
    higher_is_better: bool
    values: dict[str, MeasureValue | None]
    paths: dict[str, str] = field(default_factory=dict)

    @property
    def change_unit(self) -> str:
        """What a change is counted in: percentage points for a percentage."""
        return change_unit(self.unit, self.is_percent)

    def change(self, code: str) -> float | None:
        value = self.values.get(code)
        if value is None or value.baseline is None or value.current is None:
            return None
        return round(value.current - value.baseline, 6)

    def worse_by(self, code: str) -> float | None:
        """How far the change went the wrong way (negative when it improved)."""
        change = self.change(code)
        if change is None:
            return None
        return -change if self.higher_is_better else change

    def got_worse(self, code: str) -> bool | None:
        worse = self.worse_by(code)
        return None if worse is None or worse == 0 else worse > 0

    def change_text(self, code: str) -> str:
        """``+1.6 percentage points``; empty when there is no change to show."""
        change = self.change(code)
        return "" if change is None else change_text(change, self.unit, self.is_percent)

    def cell(self, code: str) -> str:
        value = self.values.get(code)
        return f"{self.paths[code]}: {value.cell}" if value and value.cell and code in \
            self.paths else ""

    def to_dict(self, codes: list[str]) -> dict[str, Any]:
        values = {}
        for code in codes:
            value = self.values.get(code)
            values[code] = {"baseline": value.baseline if value else None,
                            "current": value.current if value else None,
                            "change": self.change(code), "change_text": self.change_text(code),
                            "got_worse": self.got_worse(code)}
        return {"id": self.id, "title": self.title, "unit": self.unit,
                "change_unit": self.change_unit,
                "better": "higher" if self.higher_is_better else "lower", "values": values}


@dataclass(slots=True)
class Comparison:
    framework: Framework
    members: list[Member]
    cycle: str
    generated_at: dt.datetime
    settings: ChallengeSettings
    quad: Quad | None = None
    themes: list[ThemeRow] = field(default_factory=list)
    indicators: list[ScoreRow] = field(default_factory=list)
    categories: list[ScoreRow] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)
    prompts: list[Prompt] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    previous: PreviousCycle | None = None
    mixed_cycles: bool = False

    # --- who ---------------------------------------------------------------------------------

    @property
    def labels(self) -> dict[str, str]:
        return {m.code: m.name for m in self.members}

    @property
    def colours(self) -> dict[str, str]:
        """One colour per member, the same in the workbook's and the HTML's charts."""
        return {m.code: MEMBER_COLOURS[i % len(MEMBER_COLOURS)]
                for i, m in enumerate(self.members)}

    @property
    def title(self) -> str:
        who = self.quad.name if self.quad else " / ".join(m.name for m in self.members)
        return f"Quad comparison: {who}, {self.cycle}"

    def member(self, code: str) -> Member:
        return next(m for m in self.members if m.code == code)

    def measures_of(self, code: str) -> dict[str, MeasureValue]:
        return self.member(code).response.measures

    def measure_change(self, code: str, measure_id: str) -> float | None:
        row = next((r for r in self.measures if r.id == measure_id), None)
        return row.change(code) if row else None

    # --- prompts -----------------------------------------------------------------------------

    @property
    def agenda(self) -> list[Prompt]:
        """The meeting-sized selection of :attr:`prompts` (see :mod:`rubric.compare.agenda`)."""
        return build_agenda(self.prompts, self.settings.agenda_per_kind,
                            self.settings.agenda_per_member)

    def prompt_counts(self, prompts: list[Prompt] | None = None) -> dict[str, int]:
        """Member code -> how many of ``prompts`` (all of them by default) concern it."""
        counts = Counter(code for p in (self.prompts if prompts is None else prompts)
                         for code in p.members)
        return {m.code: counts[m.code] for m in self.members}

    # --- the previous cycle and follow-up ----------------------------------------------------

    @property
    def previous_cycle(self) -> str | None:
        return self.previous.cycle if self.previous else None

    def overall_change(self, code: str) -> Change:
        before = self.previous.scores.get(code) if self.previous else None
        return Change(before.overall.rounded if before else None,
                      self.member(code).scores.overall.rounded)

    def indicator_changes(self) -> list[tuple[ScoreRow, dict[str, Change]]]:
        """Each indicator with every member's score last cycle and now."""
        rows = []
        for row in self.indicators:
            changes = {}
            for member in self.members:
                before = self.previous.scores.get(member.code) if self.previous else None
                old = before.indicator(row.id) if before else None
                changes[member.code] = Change(old.rounded if old else None,
                                              row.values.get(member.code))
            rows.append((row, changes))
        return rows

    @property
    def has_follow_up(self) -> bool:
        return any(a is not None and (a.previous_next_steps or a.progress)
                   for row in self.themes for a in row.answers.values())

    def follow_up(self, code: str) -> FollowUp:
        planned = progressed = 0
        for row in self.themes:
            answer = row.answers.get(code)
            if answer is None:
                continue
            planned += bool(answer.previous_next_steps)
            progressed += bool(answer.progress.strip())
        return FollowUp(planned, progressed)

    # --- as data -----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Everything the outputs show, as JSON-ready data (no objects, no NaN)."""
        codes = [m.code for m in self.members]
        agenda = self.agenda
        in_agenda = {id(p) for p in agenda}
        agenda_counts = self.prompt_counts(agenda)
        all_counts = self.prompt_counts()
        members = []
        for m in self.members:
            entry: dict[str, Any] = {
                "code": m.code, "name": m.name, "path": display_path(m.path),
                "cycle": m.response.cycle,
                "colour": self.colours[m.code], "family_group": m.family_group,
                "completion": round(m.scores.completion, 4),
                "evidence_coverage": round(m.scores.evidence_coverage, 4),
                "overall": m.scores.overall.rounded,
                "categories": {s.id: s.rounded for s in m.scores.categories},
                "prompts": all_counts[m.code], "agenda_prompts": agenda_counts[m.code]}
            if self.previous:
                entry["since_previous_cycle"] = self.overall_change(m.code).to_dict()
            if self.has_follow_up:
                follow = self.follow_up(m.code)
                entry["follow_up"] = {"planned": follow.planned, "progressed": follow.progressed}
            members.append(entry)
        previous = None
        if self.previous:
            previous = {
                "cycle": self.previous.cycle,
                "members_found": sorted(c for c in codes if c in self.previous.scores),
                "overall": {c: self.overall_change(c).to_dict() for c in codes},
                "indicators": [{"id": row.id, "title": row.title,
                                "values": {c: ch.to_dict() for c, ch in changes.items()}}
                               for row, changes in self.indicator_changes()],
                "notes": list(self.previous.notes)}
        return {
            "title": self.title,
            "framework": {"id": self.framework.id, "version": self.framework.version,
                          "title": self.framework.title,
                          "scale": {"lowest": self.framework.scale.lowest.value,
                                    "highest": self.framework.scale.highest.value}},
            "cycle": self.cycle,
            "mixed_cycles": self.mixed_cycles,
            "quad": self.quad.name if self.quad else None,
            "generated_at": self.generated_at.isoformat(),
            "no_score": NO_SCORE,
            "members": members,
            "categories": [r.to_dict() for r in self.categories],
            "indicators": [r.to_dict() | {"category": r.parent_id} for r in self.indicators],
            "themes": [{"id": r.id, "title": r.title, "indicator": r.indicator_id,
                        "judgement": r.judgement, "spread": r.spread,
                        "levels": {c: {"level": s.level, "label": s.label, "status": s.status}
                                   for c, s in r.scores.items()},
                        "cells": {c: r.cell(c) for c in codes}} for r in self.themes],
            "measures": [r.to_dict(codes) for r in self.measures],
            "prompts": [p.to_dict() | {"rank": i + 1, "in_agenda": id(p) in in_agenda}
                        for i, p in enumerate(self.prompts)],
            "agenda": {"per_kind_per_member": self.settings.agenda_per_kind,
                       "per_member": self.settings.agenda_per_member,
                       "prompts": [p.to_dict() for p in agenda]},
            "previous_cycle": previous,
            "notes": list(self.notes),
        }


@dataclass(slots=True)
class CompareResult:
    comparison: Comparison | None
    report: Report = field(default_factory=Report)

    @property
    def valid(self) -> bool:
        return self.comparison is not None and self.report.valid


def _code(response: Response) -> str:
    from rubric.registry.authorities import find

    if response.authority_code:
        return response.authority_code
    found = find(response.authority)
    return found.code if found else response.authority


def member_codes(results: list[ReadResult]) -> list[str]:
    """The authority code of each readable return, as the comparison will key its members."""
    return [_code(r.response) for r in results if r.response is not None]


def cycle_label(cycle: str) -> str:
    return cycle or "no cycle"


def check_compatible(results: list[ReadResult], quad: Quad | None = None, *,
                     allow_mixed_cycles: bool = False) -> Report:
    """The gate: every return valid, one framework text, one cycle (unless mixed cycles are
    allowed, then a warning), no authority twice, Quad members."""
    report = Report()
    usable = [r for r in results if r.response is not None and r.framework is not None]
    for result in results:
        if not result.valid:
            report.add(problem("compare-invalid-return", Location(result.path),
                               errors=len(result.report.errors)))
    if len(results) < 2:
        report.add(problem("compare-too-few", Location(), count=len(results)))
    if usable:
        first = usable[0]
        for result in usable[1:]:
            a, b = first.response, result.response
            assert a is not None and b is not None
            if (a.framework_id, a.framework_version) != (b.framework_id, b.framework_version):
                report.add(problem("compare-framework-mismatch", Location(result.path),
                                   found=f"{b.framework_id} {b.framework_version}",
                                   expected=f"{a.framework_id} {a.framework_version}",
                                   first=first.path))
            elif a.framework_hash != b.framework_hash:
                report.add(problem("compare-framework-mismatch", Location(result.path),
                                   found=f"{b.framework_id} {b.framework_version} (other text)",
                                   expected=f"{a.framework_id} {a.framework_version}",
                                   first=first.path))
            if a.cycle != b.cycle:
                report.add(problem(
                    "compare-cycles-mixed" if allow_mixed_cycles else "compare-cycle-mismatch",
                    Location(result.path), found=cycle_label(b.cycle),
                    expected=cycle_label(a.cycle), first=first.path))
    seen: dict[str, str] = {}
    for result in usable:
        assert result.response is not None
        code = _code(result.response)
        if code in seen:
            report.add(problem("compare-duplicate-authority", Location(result.path),
                               authority=result.response.authority, first=seen[code]))
        seen[code] = result.path
        if quad is not None and code not in {m.code for m in quad.members}:
            report.add(problem("compare-not-in-quad", Location(result.path),
                               authority=result.response.authority, quad=quad.name))
    if quad is not None:
        for member in quad.members:
            if member.code not in seen:
                report.add(problem("compare-member-missing", Location(), authority=member.name,
                                   quad=quad.name))
    return report


def compare_returns(
    results: list[ReadResult],
    *,
    quad: Quad | None = None,
    settings: ChallengeSettings | None = None,
    generated_at: dt.datetime | None = None,
    previous: PreviousCycle | None = None,
    allow_mixed_cycles: bool = False,
) -> CompareResult:
    """Build the comparison of validated returns, or say exactly why they cannot be compared.

    ``previous`` (see :func:`rubric.cycles.trend.previous_cycle_scores`) adds each member's
    scores of an earlier cycle; ``allow_mixed_cycles`` compares returns of different cycles
    with a warning that every output repeats, instead of refusing them.
    """
    report = check_compatible(results, quad, allow_mixed_cycles=allow_mixed_cycles)
    if not report.valid:
        return CompareResult(None, report)
    settings = settings or ChallengeSettings()
    framework = results[0].framework
    assert framework is not None
    members = []
    for result in results:
        assert result.response is not None
        code = _code(result.response)
        family = None
        if quad is not None:
            family = next((m.family_group for m in quad.members if m.code == code), None)
        members.append(Member(code, result.response.authority, result.path, result.response,
                              score_response(result.response, framework), family))
    if quad is not None:
        order = [m.code for m in quad.members]
        members.sort(key=lambda m: order.index(m.code))
    else:
        members.sort(key=lambda m: m.name)
    cycles = sorted({m.response.cycle for m in members if m.response.cycle})
    comparison = Comparison(
        framework=framework,
        members=members,
        cycle=quad.cycle if quad else ", ".join(cycles) or "unknown cycle",
        generated_at=generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0),
        settings=settings,
        quad=quad,
        previous=previous,
        mixed_cycles=len({m.response.cycle for m in members}) > 1,
    )
    if comparison.mixed_cycles:
        by_cycle = {c: [m.name for m in members if m.response.cycle == c]
                    for c in sorted({m.response.cycle for m in members})}
        comparison.notes.append(
            "Returns of different cycles are compared here: " + "; ".join(
                f"{cycle_label(c)}: {join_names(names)}" for c, names in by_cycle.items())
            + ". Levels from different years may not be comparable.")
    for member in members:
        completion = member.scores.completion
        if completion < settings.min_completion:
            found = problem("compare-low-completion", Location(member.path),
                            authority=member.name, completion=f"{completion:.0%}",
                            threshold=f"{settings.min_completion:.0%}")
            report.add(found)
            comparison.notes.append(f"{found.message[:1].upper()}{found.message[1:]}.")
    if previous is not None:
        comparison.notes.extend(previous.notes)
    comparison.notes.extend(grading_notes(comparison.framework))
    _fill_rows(comparison)
    comparison.prompts = challenge_prompts(comparison, settings)
    return CompareResult(comparison, report)


def _fill_rows(comparison: Comparison) -> None:
    framework = comparison.framework
    members = comparison.members
    paths = {m.code: display_path(m.path) for m in members}  # shown in cell citations
    for category in framework.categories:
        for indicator in category.indicators:
            if framework.judges(indicator):  # the judgement first, then the evidence for it
                comparison.themes.append(ThemeRow(
                    indicator.id, indicator.title, indicator.id, category.id,
                    {m.code: m.response.judgements.get(indicator.id) for m in members},
                    {m.code: s for m in members
                     if (s := m.scores.judgement(indicator.id)) is not None}, paths, True))
            for theme in indicator.themes:
                comparison.themes.append(ThemeRow(
                    theme.id, theme.title, indicator.id, category.id,
                    {m.code: m.response.themes.get(theme.id) for m in members},
                    {m.code: s for m in members if (s := m.scores.theme(theme.id)) is not None},
                    paths))
    levels = comparison.settings.divergence_levels
    for category in framework.categories:
        comparison.categories.append(ScoreRow(
            category.id, category.title, "", {
                m.code: (s.rounded if (s := m.scores.category(category.id)) else None)
                for m in members}, levels))
        for indicator in category.indicators:
            comparison.indicators.append(ScoreRow(
                indicator.id, indicator.title, category.id, {
                    m.code: (s.rounded if (s := m.scores.indicator(indicator.id)) else None)
                    for m in members}, levels))
    for measure in framework.measures:
        comparison.measures.append(MeasureRow(
            measure.id, measure.title, measure.unit, measure.is_percent, measure.higher_is_better,
            {m.code: m.response.measures.get(measure.id) for m in members}, paths))
