"""A Quad comparison as plain data: members side by side per theme, indicator and measure.

The exports (xlsx, HTML) only render this; everything a reader sees is decided here. A
compatibility gate comes first: one framework id, version and text, no authority twice.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from rubric.compare.challenge import ChallengeSettings, Prompt, challenge_prompts
from rubric.framework.model import Framework
from rubric.problems import Location, Report, display_path, problem
from rubric.registry.quads import Quad
from rubric.responses import MeasureValue, ReadResult, Response, ThemeAnswer
from rubric.scoring import Scores, ThemeScore, score_response


@dataclass(frozen=True, slots=True)
class Member:
    code: str
    name: str
    path: str
    response: Response
    scores: Scores
    family_group: int | None = None


@dataclass(frozen=True, slots=True)
class ThemeRow:
    id: str
    title: str
    indicator_id: str
    category_id: str
    answers: dict[str, ThemeAnswer | None]
    scores: dict[str, ThemeScore]
    paths: dict[str, str]

    def levels(self) -> dict[str, int]:
        return {code: a.level for code, a in self.answers.items()
                if a is not None and a.level is not None}

    def cell(self, code: str) -> str:
        answer = self.answers.get(code)
        return f"{self.paths[code]}: {answer.cell}" if answer else self.paths[code]

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


@dataclass(frozen=True, slots=True)
class MeasureRow:
    id: str
    title: str
    unit: str
    is_percent: bool
    higher_is_better: bool
    values: dict[str, MeasureValue | None]

    def change(self, code: str) -> float | None:
        value = self.values.get(code)
        if value is None or value.baseline is None or value.current is None:
            return None
        return round(value.current - value.baseline, 6)


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
    previous_cycle: str | None = None
    previous: dict[str, Scores] = field(default_factory=dict)  # member code -> last cycle

    @property
    def has_follow_up(self) -> bool:
        return any(a is not None and (a.previous_next_steps or a.progress)
                   for row in self.themes for a in row.answers.values())

    @property
    def labels(self) -> dict[str, str]:
        return {m.code: m.name for m in self.members}

    @property
    def title(self) -> str:
        who = self.quad.name if self.quad else " / ".join(m.name for m in self.members)
        return f"Quad comparison: {who}, {self.cycle}"

    def measures_of(self, code: str) -> dict[str, MeasureValue]:
        member = next(m for m in self.members if m.code == code)
        return member.response.measures

    def measure_change(self, code: str, measure_id: str) -> float | None:
        row = next((r for r in self.measures if r.id == measure_id), None)
        return row.change(code) if row else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "framework": {"id": self.framework.id, "version": self.framework.version,
                          "title": self.framework.title},
            "cycle": self.cycle,
            "quad": self.quad.name if self.quad else None,
            "generated_at": self.generated_at.isoformat(),
            "members": [{"code": m.code, "name": m.name, "path": display_path(m.path),
                         "completion": round(m.scores.completion, 4),
                         "evidence_coverage": round(m.scores.evidence_coverage, 4),
                         "overall": m.scores.overall.rounded} for m in self.members],
            "indicators": [{"id": r.id, "title": r.title, "values": r.values,
                            "median": r.median, "spread": r.spread, "divergent": r.divergent}
                           for r in self.indicators],
            "themes": [{"id": r.id, "levels": {c: (s.level, s.label) for c, s in
                                               r.scores.items()}} for r in self.themes],
            "prompts": [p.to_dict() for p in self.prompts],
            "notes": self.notes,
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


def check_compatible(results: list[ReadResult], quad: Quad | None = None) -> Report:
    """The gate: every return valid, one framework text, no authority twice, Quad members."""
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
) -> CompareResult:
    """Build the comparison of validated returns, or say exactly why they cannot be compared."""
    report = check_compatible(results, quad)
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
    )
    _fill_rows(comparison)
    comparison.prompts = challenge_prompts(comparison, settings)
    return CompareResult(comparison, report)


def _fill_rows(comparison: Comparison) -> None:
    framework = comparison.framework
    members = comparison.members
    paths = {m.code: display_path(m.path) for m in members}  # shown in cell citations
    for theme_id, (category, indicator, theme) in framework.theme_index.items():
        comparison.themes.append(ThemeRow(
            theme_id, theme.title, indicator.id, category.id,
            {m.code: m.response.themes.get(theme_id) for m in members},
            {m.code: s for m in members if (s := m.scores.theme(theme_id)) is not None},
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
            {m.code: m.response.measures.get(measure.id) for m in members}))
