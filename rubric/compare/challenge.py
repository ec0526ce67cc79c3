"""Challenge prompts: where a Quad should ask each other questions, each with its reason and cells.

Each check is a generator over the comparison, so adding one is adding a function to ``CHECKS``.
Thresholds live in :class:`ChallengeSettings`, not in the checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from rubric.problems import plural

if TYPE_CHECKING:
    from rubric.compare.quad import Comparison

PromptKind = Literal["divergence", "generous", "shared-weakness", "measure-worse", "learn-from"]

KIND_TITLES: dict[str, str] = {
    "divergence": "Members far apart",
    "generous": "High grade, thin evidence",
    "shared-weakness": "A shared priority",
    "measure-worse": "High grade, measure got worse",
    "learn-from": "Someone to learn from",
}


@dataclass(frozen=True, slots=True)
class ChallengeSettings:
    divergence_levels: int = 2  # members this many levels apart or more on a theme
    high_level: int = 5  # a grade at or above this is "high"
    thin_evidence_words: int = 15  # evidence shorter than this is "thin"
    weak_level: int = 2  # every answering member at or below this: a shared weakness
    min_answering: int = 2  # members who must have answered for a shared-weakness prompt
    learn_gap: int = 2  # a member this far above every other member on a theme
    measure_tolerance: float = 0.0  # a change worse than this counts as "got worse"


@dataclass(frozen=True, slots=True)
class Prompt:
    kind: PromptKind
    item: str  # theme or indicator id
    title: str
    members: tuple[str, ...]  # member codes concerned
    reason: str
    question: str
    cells: tuple[str, ...]  # where it rests: "file: Sheet!Cell"
    strength: float  # for ordering within a kind: larger is stronger

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "item": self.item, "title": self.title,
                "members": list(self.members), "reason": self.reason,
                "question": self.question, "cells": list(self.cells)}


Check = Callable[["Comparison", ChallengeSettings], Iterator[Prompt]]


def _words(text: str) -> int:
    return len(text.split())


def divergence(comparison: Comparison, settings: ChallengeSettings) -> Iterator[Prompt]:
    for row in comparison.themes:
        levels = row.levels()
        if len(levels) < 2:
            continue
        high = max(levels, key=lambda code: levels[code])
        low = min(levels, key=lambda code: levels[code])
        gap = levels[high] - levels[low]
        if gap >= settings.divergence_levels:
            names = comparison.labels
            yield Prompt(
                "divergence", row.id, row.title, (high, low),
                f"{names[high]} rates {levels[high]}, {names[low]} rates {levels[low]}: "
                f"{gap} levels apart.",
                f"What does {names[high]} see in its evidence for {row.id} that "
                f"{names[low]} does not, and which view would an outsider share?",
                tuple(row.cell(code) for code in (high, low)), gap)


def generous(comparison: Comparison, settings: ChallengeSettings) -> Iterator[Prompt]:
    for row in comparison.themes:
        for code, answer in row.answers.items():
            if answer is None or answer.level is None or answer.level < settings.high_level:
                continue
            words = _words(answer.evidence)
            if words >= settings.thin_evidence_words:
                continue
            label = comparison.labels[code]
            said = "no evidence" if words == 0 else f"{plural(words, 'word')} of evidence"
            yield Prompt(
                "generous", row.id, row.title, (code,),
                f"{label} rates {answer.level} with {said}.",
                f"How does {label} know {row.id} is at level {answer.level}? What would the "
                "Quad need to see to agree?",
                (row.cell(code),), settings.thin_evidence_words - words + answer.level)


def shared_weakness(comparison: Comparison, settings: ChallengeSettings) -> Iterator[Prompt]:
    for row in comparison.themes:
        levels = row.levels()
        if len(levels) < settings.min_answering:
            continue
        if max(levels.values()) <= settings.weak_level:
            yield Prompt(
                "shared-weakness", row.id, row.title, tuple(levels),
                f"All {len(levels)} members who answered rate it {settings.weak_level} or "
                f"below (highest {max(levels.values())}).",
                f"Should {row.id} be a shared Quad priority, with joint work and a shared "
                "measure of progress?",
                tuple(row.cell(code) for code in levels),
                settings.weak_level - sum(levels.values()) / len(levels) + len(levels))


def measure_worse(comparison: Comparison, settings: ChallengeSettings) -> Iterator[Prompt]:
    framework = comparison.framework
    for row in comparison.themes:
        _, indicator, theme = framework.theme_index[row.id]
        linked = list(dict.fromkeys([*theme.measures, *(m.id for m in framework.measures
                                                        if m.indicator == indicator.id)]))
        for code, answer in row.answers.items():
            if answer is None or answer.level is None or answer.level < settings.high_level:
                continue
            for measure_id in linked:
                change = comparison.measure_change(code, measure_id)
                if change is None:
                    continue
                measure = framework.measure_index[measure_id]
                worse = -change if measure.higher_is_better else change
                if worse > settings.measure_tolerance:
                    unit = " percentage points" if measure.is_percent else f" ({measure.unit})"
                    label = comparison.labels[code]
                    value = comparison.measures_of(code).get(measure_id)
                    cells = (row.cell(code),) + ((f"{row.paths[code]}: {value.cell}",)
                                                  if value else ())
                    yield Prompt(
                        "measure-worse", row.id, row.title, (code,),
                        f"{label} rates {answer.level}, but '{measure.title}' moved "
                        f"{change:+.1f}{unit}, the wrong way.",
                        f"How does {label} reconcile a high grade for {row.id} with the trend "
                        f"in {measure.title.lower()}?",
                        cells, worse)


def learn_from(comparison: Comparison, settings: ChallengeSettings) -> Iterator[Prompt]:
    for row in comparison.themes:
        levels = row.levels()
        if len(levels) < 3:
            continue
        best = max(levels, key=lambda code: levels[code])
        others = [level for code, level in levels.items() if code != best]
        gap = levels[best] - max(others)
        if gap >= settings.learn_gap:
            label = comparison.labels[best]
            yield Prompt(
                "learn-from", row.id, row.title, (best,),
                f"{label} rates {levels[best]}; every other member {max(others)} or below.",
                f"What could the Quad learn from {label}'s practice in {row.id}, and could "
                f"{label} host a visit?",
                tuple(row.cell(code) for code in levels), gap)


CHECKS: tuple[Check, ...] = (divergence, generous, shared_weakness, measure_worse, learn_from)


def challenge_prompts(comparison: Comparison, settings: ChallengeSettings) -> list[Prompt]:
    """All prompts, grouped by kind (in ``CHECKS`` order), strongest first within a kind."""
    prompts: list[Prompt] = []
    for check in CHECKS:
        found = list(check(comparison, settings))
        found.sort(key=lambda p: (-p.strength, p.item))
        prompts.extend(found)
    return prompts
