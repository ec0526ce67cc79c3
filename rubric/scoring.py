"""Scores: theme levels -> indicators -> categories -> overall, by the framework's own rules.

Computed in Python, never by workbook formulas (which break across locales), and explained: every
score keeps the rule it used, the inputs it combined and what it left out and why. Aggregation
works on unrounded values; rounding (half-up unless the framework says otherwise) is applied to
what is reported.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any, Literal

from rubric.framework.model import Framework, Scoring
from rubric.problems import display_path
from rubric.response import Response, ThemeAnswer

# "evidence": a theme of an indicator judged as a whole; it informs the judgement, no level.
Status = Literal["scored", "unanswered", "excluded", "evidence"]


@dataclass(frozen=True, slots=True)
class ThemeScore:
    id: str
    title: str
    status: Status
    value: float | None  # the number that enters the indicator's score
    level: int | None  # the level as answered (None for special answers and blanks)
    label: str | None  # the level's label, or the special answer's label
    reason: str  # how the answer was treated
    has_evidence: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "level": self.level, "label": self.label, "status": self.status,
                "value": self.value}


@dataclass(frozen=True, slots=True)
class Score:
    """One aggregated score with its derivation."""

    id: str
    title: str
    value: float | None  # unrounded; None when too little was answered
    rounded: float | None
    answered: int
    total: int
    rule: str
    inputs: tuple[tuple[str, float, float], ...] = ()  # (id, value, weight)
    excluded: tuple[tuple[str, str], ...] = ()  # (id, why)
    note: str = ""

    def to_dict(self, explain: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "score": self.rounded, "answered": self.answered,
                                "total": self.total}
        if explain:
            data["explain"] = {
                "rule": self.rule,
                "inputs": [{"id": i, "value": v, "weight": w} for i, v, w in self.inputs],
                "excluded": [{"id": i, "why": why} for i, why in self.excluded],
                "note": self.note,
                "unrounded": self.value,
            }
        return data


@dataclass(slots=True)
class Scores:
    """All scores of one response."""

    authority_code: str
    authority: str
    framework_id: str
    framework_version: str
    cycle: str
    path: str
    completion: float  # answered themes / themes that apply
    evidence_coverage: float  # scored themes with evidence / scored themes
    overall: Score
    categories: list[Score] = field(default_factory=list)
    indicators: list[Score] = field(default_factory=list)
    themes: list[ThemeScore] = field(default_factory=list)
    # Indicators judged as a whole: each judgement as answered (id is the indicator's).
    judgements: list[ThemeScore] = field(default_factory=list)
    # Key areas that are overall judgements (also in ``categories``): never in ``overall``.
    overall_judgements: list[Score] = field(default_factory=list)

    def judgement(self, indicator_id: str) -> ThemeScore | None:
        return next((j for j in self.judgements if j.id == indicator_id), None)

    def indicator(self, indicator_id: str) -> Score | None:
        return next((s for s in self.indicators if s.id == indicator_id), None)

    def category(self, category_id: str) -> Score | None:
        return next((s for s in self.categories if s.id == category_id), None)

    def theme(self, theme_id: str) -> ThemeScore | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def to_dict(self, explain: bool = False) -> dict[str, Any]:
        overall = self.overall.to_dict(explain)
        return {
            "path": display_path(self.path),
            "authority": {"code": self.authority_code, "name": self.authority},
            "framework": {"id": self.framework_id, "version": self.framework_version},
            "cycle": self.cycle,
            "completion": round(self.completion, 4),
            "evidence_coverage": round(self.evidence_coverage, 4),
            "overall": overall["score"],
            **({"overall_explain": overall["explain"]} if explain else {}),
            "categories": [s.to_dict(explain) for s in self.categories],
            "indicators": [s.to_dict(explain) for s in self.indicators],
            "themes": [t.to_dict() | ({"reason": t.reason} if explain else {})
                       for t in self.themes],
            "judgements": [j.to_dict() | ({"reason": j.reason} if explain else {})
                           for j in self.judgements],
            "overall_judgements": [s.to_dict(explain) for s in self.overall_judgements],
        }


_ROUNDED: dict[tuple[float, str, int], float] = {}  # scores repeat: means of a few levels


def round_score(value: float, scoring: Scoring) -> float:
    key = (value, scoring.rounding, scoring.decimals)
    found = _ROUNDED.get(key)
    if found is None:
        mode = ROUND_HALF_UP if scoring.rounding == "half_up" else ROUND_HALF_EVEN
        quantum = Decimal(1).scaleb(-scoring.decimals)
        found = float(Decimal(repr(value)).quantize(quantum, rounding=mode))
        if len(_ROUNDED) >= 4096:
            _ROUNDED.clear()
        _ROUNDED[key] = found
    return found


def aggregate(rule: str, values: list[float], weights: list[float]) -> float:
    if rule == "mean":
        return sum(values) / len(values)
    if rule == "median":
        return float(statistics.median(values))
    if rule == "minimum":
        return min(values)
    if rule == "weighted_mean":
        return sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)
    raise ValueError(f"unknown aggregation rule {rule!r}")


_REASONS: dict[int, tuple[Any, dict[int, tuple[str, str]]]] = {}


def _level_reasons(scale: Any) -> dict[int, tuple[str, str]]:
    """Level -> (label, reason), once per scale (by identity; see layout._level_lookup)."""
    cached = _REASONS.get(id(scale))
    if cached is None or cached[0] is not scale:
        cached = (scale, {lv.value: (lv.label, f"level {lv.value} ({lv.label})")
                          for lv in scale.levels})
        _REASONS[id(scale)] = cached
    return cached[1]


def _theme_score(framework: Framework, theme_id: str, title: str,
                 answer: ThemeAnswer | None) -> ThemeScore:
    scale = framework.scale
    evidence = bool(answer and answer.evidence)
    if answer is None or (answer.level is None and answer.special is None):
        return ThemeScore(theme_id, title, "unanswered", None, None, None, "no level given",
                          evidence)
    if answer.level is not None:
        label, reason = _level_reasons(scale)[answer.level]
        return ThemeScore(theme_id, title, "scored", float(answer.level), answer.level, label,
                          reason, evidence)
    special = scale.not_applicable if answer.special == "not_applicable" else scale.not_evaluated
    if special.scoring == "exclude":
        return ThemeScore(theme_id, title, "excluded", None, None, special.label,
                          f"'{special.label}': left out (framework policy: exclude)", evidence)
    if special.scoring == "lowest":
        low = scale.lowest
        return ThemeScore(theme_id, title, "scored", float(low.value), None, special.label,
                          f"'{special.label}': scored as level {low.value} ({low.label}) "
                          "(framework policy: lowest)", evidence)
    return ThemeScore(theme_id, title, "unanswered", None, None, special.label,
                      f"'{special.label}': counts as unanswered (framework policy: unanswered)",
                      evidence)


Part = tuple[str, float | None, float, str | None]  # (id, value, weight, why left out)

JUDGEMENT = "judgement"  # the rule of an indicator's score when it is judged as a whole
OVERALL_JUDGEMENT = "an overall judgement, reported on its own (never averaged in)"


def _evidence_theme(theme_id: str, title: str, has_evidence: bool) -> ThemeScore:
    """A theme of an indicator judged as a whole: evidence for the judgement, no level."""
    return ThemeScore(theme_id, title, "evidence", None, None, None,
                      "evidence for its indicator's judgement (themes are not graded)",
                      has_evidence)


def _judgement(plan: _Plan, indicator: Any, answer: Answer,
               themes: list[ThemeScore]) -> ThemeScore:
    """The indicator's own judgement; its evidence may be written against its themes."""
    scored = plan.theme(indicator.id, indicator.title, answer)
    if not scored.has_evidence and any(t.has_evidence for t in themes):
        scored = ThemeScore(scored.id, scored.title, scored.status, scored.value, scored.level,
                            scored.label, scored.reason, True)
    return scored


def _judged_indicator(indicator: Any, judgement: ThemeScore, from_themes: Score | None,
                      scoring: Scoring) -> Score:
    """An indicator judged as a whole: its score is the judgement, a whole number, not an
    aggregate; when its themes are graded too, what they give is said beside it."""
    beside = ""
    if from_themes is not None and from_themes.value is not None:
        beside = (f"; its graded themes give {round_score(from_themes.value, scoring):g} "
                  f"({from_themes.rule}), not used for the score")
    if judgement.status == "excluded":
        return Score(indicator.id, indicator.title, None, None, 0, 0, JUDGEMENT,
                     excluded=((indicator.id, judgement.reason),),
                     note="the indicator's judgement is left out, so there is no score")
    if judgement.value is None:
        return Score(indicator.id, indicator.title, None, None, 0, 1, JUDGEMENT,
                     excluded=((indicator.id, judgement.reason),),
                     note="no judgement of the indicator as a whole" + beside)
    return Score(indicator.id, indicator.title, judgement.value,
                 round_score(judgement.value, scoring), 1, 1, JUDGEMENT,
                 ((indicator.id, judgement.value, 1.0),),
                 note=f"the indicator's own judgement ({judgement.reason})" + beside)


def _combine(item_id: str, title: str, rule: str, parts: list[Part], answered: int, total: int,
             scoring: Scoring) -> Score:
    """Combine children's values; ``answered``/``total`` count the themes underneath.

    A score needs at least the framework's minimum share of its applicable themes answered;
    it then combines whichever children have a value.
    """
    excluded = tuple((pid, why) for pid, _, _, why in parts if why is not None)
    used = [(pid, value, weight) for pid, value, weight, why in parts
            if why is None and value is not None]
    missing = tuple((pid, "no score") for pid, value, _, why in parts
                    if why is None and value is None)
    if total == 0:
        return Score(item_id, title, None, None, 0, 0, rule, excluded=excluded,
                     note="nothing here applies, so there is no score")
    if not used or answered / total < scoring.min_answered_share:
        return Score(item_id, title, None, None, answered, total, rule, tuple(used),
                     excluded + missing,
                     note=f"{answered} of {total} themes answered, below the framework's "
                     f"minimum share of {scoring.min_answered_share:g}")
    value = aggregate(rule, [v for _, v, _ in used], [w for _, _, w in used])
    return Score(item_id, title, value, round_score(value, scoring), answered, total, rule,
                 tuple(used), excluded + missing)


# A theme's answer as scoring sees it: (level, special answer, has evidence).
Answer = tuple[int | None, str | None, bool]
_NO_ANSWER: Answer = (None, None, False)


class _Plan:
    """What scoring needs of a framework, flattened once, and every theme score already made
    (a theme score depends only on the theme and its answer, so it is made once per process)."""

    __slots__ = ("categories", "framework", "made")

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.categories = [
            (category, [(indicator, [(t.id, t.title, t.weight) for t in indicator.themes],
                         framework.grades_themes(indicator), framework.judges(indicator))
                        for indicator in category.indicators])
            for category in framework.categories]
        self.made: dict[tuple[str, Answer], ThemeScore] = {}

    def theme(self, theme_id: str, title: str, answer: Answer) -> ThemeScore:
        key = (theme_id, answer)
        found = self.made.get(key)
        if found is None:
            level, special, evidence = answer
            found = self.made[key] = _theme_score(
                self.framework, theme_id, title,
                None if answer is _NO_ANSWER else ThemeAnswer.trusted(
                    id=theme_id, level=level, special=special, evidence="x" if evidence else ""))
        return found


_PLANS: dict[int, _Plan] = {}


def _plan(framework: Framework) -> _Plan:
    """The plan of ``framework``, by identity (hashing a frozen model walks all its fields)."""
    found = _PLANS.get(id(framework))
    if found is None or found.framework is not framework:
        if len(_PLANS) > 32:
            _PLANS.clear()
        found = _PLANS[id(framework)] = _Plan(framework)
    return found


def score_response(response: Response, framework: Framework) -> Scores:
    """Score one response by ``framework``'s rules (the framework that made the response)."""
    answers = {tid: (a.level, a.special, bool(a.evidence))
               for tid, a in response.themes.items()}
    judgements = {iid: (a.level, a.special, bool(a.evidence))
                  for iid, a in response.judgements.items()}
    return score_answers(answers, framework, authority_code=response.authority_code,
                         authority=response.authority, cycle=response.cycle,
                         path=response.path, judgements=judgements)


def score_answers(answers: Mapping[str, Answer], framework: Framework, *,
                  authority_code: str, authority: str, cycle: str, path: str,
                  judgements: Mapping[str, Answer] | None = None) -> Scores:
    """Score plain answers (theme id -> (level, special, has evidence); the same for the
    indicators judged as a whole in ``judgements``) by ``framework``'s rules: what
    :func:`score_response` does, without needing a :class:`Response`."""
    scoring = framework.scoring
    plan = _plan(framework)
    judged = judgements or {}
    themes: list[ThemeScore] = []
    indicators: list[Score] = []
    categories: list[Score] = []
    category_parts: list[Part] = []
    judgement_scores: list[ThemeScore] = []
    counts = [0, 0, 0, 0]  # applicable, scored, with a level, with a level and evidence

    def count(scored: ThemeScore) -> None:
        if scored.status not in ("evidence", "excluded"):
            counts[0] += 1
            counts[1] += scored.status == "scored"
        if scored.level is not None:
            counts[2] += 1
            counts[3] += scored.has_evidence

    for category, category_indicators in plan.categories:
        indicator_parts: list[Part] = []
        children: list[Score] = []
        for indicator, indicator_themes, graded, judges in category_indicators:
            theme_parts: list[Part] = []
            applicable = answered = 0
            own: list[ThemeScore] = []
            for theme_id, title, weight in indicator_themes:
                answer = answers.get(theme_id, _NO_ANSWER)
                scored = (plan.theme(theme_id, title, answer) if graded
                          else _evidence_theme(theme_id, title, answer[2]))
                themes.append(scored)
                own.append(scored)
                count(scored)
                if scored.status == "excluded":
                    theme_parts.append((theme_id, scored.value, weight, scored.reason))
                else:
                    theme_parts.append((theme_id, scored.value, weight, None))
                    applicable += 1
                    answered += scored.value is not None
            result = _combine(indicator.id, indicator.title, scoring.theme_to_indicator,
                              theme_parts, answered, applicable, scoring)
            if judges:
                judgement = _judgement(plan, indicator, judged.get(indicator.id, _NO_ANSWER),
                                       own)
                judgement_scores.append(judgement)
                count(judgement)
                result = _judged_indicator(indicator, judgement, result if graded else None,
                                           scoring)
            indicators.append(result)
            children.append(result)
            why = "all its themes are left out" if result.total == 0 else None
            indicator_parts.append((indicator.id, result.value, indicator.weight, why))
        result = _combine(category.id, category.title, scoring.indicator_to_category,
                          indicator_parts, sum(s.answered for s in children),
                          sum(s.total for s in children), scoring)
        categories.append(result)
        why = "nothing in it applies" if result.total == 0 else None
        if category.overall_judgement:
            why = OVERALL_JUDGEMENT
        category_parts.append((category.id, result.value, category.weight, why))
    overall_judgements = [s for s, c in zip(categories, framework.categories, strict=True)
                          if c.overall_judgement]
    in_overall = [s for s, c in zip(categories, framework.categories, strict=True)
                  if not c.overall_judgement]
    overall = _combine("overall", framework.title, scoring.category_to_overall, category_parts,
                       sum(s.answered for s in in_overall), sum(s.total for s in in_overall),
                       scoring)
    applicable_count, scored_count, levels, levels_with_evidence = counts
    return Scores(
        authority_code=authority_code,
        authority=authority,
        framework_id=framework.id,
        framework_version=framework.version,
        cycle=cycle,
        path=path,
        completion=scored_count / applicable_count if applicable_count else 0.0,
        evidence_coverage=levels_with_evidence / levels if levels else 0.0,
        overall=overall,
        categories=categories,
        indicators=indicators,
        themes=themes,
        judgements=judgement_scores,
        overall_judgements=overall_judgements,
    )


def explain_lines(scores: Scores) -> list[str]:
    """A readable derivation: each score, its rule, inputs and exclusions."""
    lines = [f"{scores.authority} ({scores.framework_id} {scores.framework_version}): overall "
             f"{_fmt(scores.overall.rounded)}; completion {scores.completion:.0%}, evidence "
             f"for {scores.evidence_coverage:.0%} of levels"]

    def describe(score: Score, indent: str) -> None:
        inputs = ", ".join(f"{i}={v:g}" + (f"x{w:g}" if w != 1 else "")
                           for i, v, w in score.inputs)
        lines.append(f"{indent}{score.id} {score.title}: {_fmt(score.rounded)} = {score.rule}"
                     f"({inputs}){' [' + score.note + ']' if score.note else ''}")
        for item, why in score.excluded:
            lines.append(f"{indent}  - {item} left out: {why}")

    describe(scores.overall, "")
    by_indicator: dict[str, list[ThemeScore]] = {}
    for theme in scores.themes:
        by_indicator.setdefault(theme.id.rsplit(".", 1)[0], []).append(theme)
    judged = {j.id: j for j in scores.judgements}
    for category in scores.categories:
        describe(category, "  ")
        for indicator in scores.indicators:
            if indicator.id in {i for i, _, _ in category.inputs} | {
                    i for i, _ in category.excluded}:
                describe(indicator, "    ")
                if indicator.id in judged:
                    lines.append(f"      {indicator.id} (judged as a whole): "
                                 f"{judged[indicator.id].reason}")
                for theme in by_indicator.get(indicator.id, []):
                    lines.append(f"      {theme.id}: {theme.reason}")
    return lines


def _fmt(value: float | None) -> str:
    return "no score" if value is None else str(value)
