"""Challenge prompts: where a Quad should ask each other questions, each with its reason and cells.

Each check is a generator over the comparison yielding at most one prompt per theme (all the
members and linked measures concerned are named in it), so adding one is adding a function to
``CHECKS``. Thresholds live in :class:`ChallengeSettings`, not in the checks. Prompts are ranked
by strength within their kind; :mod:`rubric.compare.agenda` picks a meeting's worth of them.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from rubric.compare.wording import join_names, plural

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
    min_completion: float = 0.8  # a member who answered less of its return gets a warning
    agenda_per_kind: int = 3  # the agenda: at most this many prompts of a kind per member
    agenda_per_member: int = 12  # ... and at most this many prompts about any one member


@dataclass(frozen=True, slots=True)
class Prompt:
    kind: PromptKind
    item: str  # theme or indicator id
    title: str
    members: tuple[str, ...]  # member codes concerned
    reason: str
    question: str
    cells: tuple[str, ...]  # where it rests: "file: 'Sheet'!Cell"
    strength: float  # for ranking within a kind: larger is stronger
    measures: tuple[str, ...] = ()  # ids of the measures it names

    @property
    def kind_title(self) -> str:
        return KIND_TITLES.get(self.kind, self.kind)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "kind_title": self.kind_title, "item": self.item,
                "title": self.title, "members": list(self.members), "reason": self.reason,
                "question": self.question, "cells": list(self.cells),
                "measures": list(self.measures), "strength": round(self.strength, 4)}


Check = Callable[["Comparison", ChallengeSettings], Iterator[Prompt]]


def _words(text: str) -> int:
    return len(text.split())


def divergence(comparison: Comparison, settings: ChallengeSettings) -> Iterator[Prompt]:
    """Members far apart; stronger the wider the gap and the more the members disagree."""
    names = comparison.labels
    for row in comparison.themes:
        levels = row.levels()
        if len(levels) < 2:
            continue
        high = max(levels, key=lambda code: levels[code])
        low = min(levels, key=lambda code: levels[code])
        gap = levels[high] - levels[low]
        if gap >= settings.divergence_levels:
            spread = statistics.pstdev(levels.values())
            yield Prompt(
                "divergence", row.id, row.title, (high, low),
                f"{names[high]} rates {levels[high]}, {names[low]} rates {levels[low]}: "
                f"{gap} levels apart.",
                f"What does {names[high]} see in its evidence for {row.id} that "
                f"{names[low]} does not, and which view would an outsider share?",
                tuple(row.cell(code) for code in (high, low)), gap + spread / 10)


def generous(comparison: Comparison, settings: ChallengeSettings) -> Iterator[Prompt]:
    """High grades resting on thin evidence: one prompt per theme naming every such member."""
    names = comparison.labels
    for row in comparison.themes:
        thin: list[tuple[str, int, int]] = []
        for code, answer in row.answers.items():
            if answer is None or answer.level is None or answer.level < settings.high_level:
                continue
            words = _words(answer.evidence)
            if words < settings.thin_evidence_words:
                thin.append((code, answer.level, words))
        if not thin:
            continue
        said = [f"{names[code]} rates {level} with "
                f"{'no evidence' if words == 0 else plural(words, 'word') + ' of evidence'}"
                for code, level, words in thin]
        codes = tuple(code for code, _, _ in thin)
        if len(thin) == 1:
            code, level, _ = thin[0]
            question = (f"How does {names[code]} know {row.id} is at level {level}? What would "
                        "the Quad need to see to agree?")
        else:
            question = (f"How do {join_names([names[c] for c in codes])} know {row.id} is at "
                        "the level they give? What would the Quad need to see to agree?")
        strength = max(settings.thin_evidence_words - words + level for _, level, words in thin)
        yield Prompt("generous", row.id, row.title, codes, "; ".join(said) + ".", question,
                     tuple(row.cell(code) for code in codes), strength + (len(thin) - 1) / 10)


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
    """A high grade while a linked measure moved the wrong way: one prompt per theme naming
    every member and every linked measure concerned."""
    framework = comparison.framework
    names = comparison.labels
    rows = {r.id: r for r in comparison.measures}
    for row in comparison.themes:
        # The theme's own measures when it names some, else every measure of its indicator
        # (an indicator's judgement: its indicator's).
        own = () if row.judgement else framework.theme_index[row.id][2].measures
        linked = list(own) or [m.id for m in framework.measures
                               if m.indicator == row.indicator_id]
        found: list[tuple[str, int, list[tuple[str, float]]]] = []
        cells: list[str] = []
        for code, answer in row.answers.items():
            if answer is None or answer.level is None or answer.level < settings.high_level:
                continue
            moved = []
            for measure_id in linked:
                measure_row = rows.get(measure_id)
                worse = measure_row.worse_by(code) if measure_row else None
                if worse is not None and worse > settings.measure_tolerance:
                    moved.append((measure_id, worse))
            if not moved:
                continue
            found.append((code, answer.level, moved))
            cells.append(row.cell(code))
            cells.extend(rows[m].cell(code) for m, _ in moved if rows[m].cell(code))
        if not found:
            continue
        parts = []
        for code, level, moved in found:
            changes = join_names([f"'{rows[m].title}' moved {rows[m].change_text(code)}"
                                  for m, _ in moved])
            parts.append(f"{names[code]} rates {level}, but {changes}, "
                         f"{'the wrong way' if len(moved) == 1 else 'each the wrong way'}")
        measures = tuple(dict.fromkeys(m for _, _, moved in found for m, _ in moved))
        who = join_names([names[code] for code, _, _ in found])
        verb = "does" if len(found) == 1 else "do"
        trend = join_names([rows[m].title for m in measures])
        pairs = sum(len(moved) for _, _, moved in found)
        yield Prompt(
            "measure-worse", row.id, row.title, tuple(code for code, _, _ in found),
            "; ".join(parts) + ".",
            f"How {verb} {who} reconcile a high grade for {row.id} with the trend in {trend}?",
            tuple(cells), max(w for _, _, moved in found for _, w in moved) + (pairs - 1) / 10,
            measures)


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
                tuple(row.cell(code) for code in levels), gap + levels[best] / 10)


CHECKS: tuple[Check, ...] = (divergence, generous, shared_weakness, measure_worse, learn_from)


def challenge_prompts(comparison: Comparison, settings: ChallengeSettings) -> list[Prompt]:
    """All prompts, grouped by kind (in ``CHECKS`` order), strongest first within a kind and
    in framework order between equals; at most one per theme and kind."""
    order = {row.id: i for i, row in enumerate(comparison.themes)}
    prompts: list[Prompt] = []
    for check in CHECKS:
        found = {(p.kind, p.item): p for p in check(comparison, settings)}
        prompts.extend(sorted(found.values(),
                              key=lambda p: (-p.strength, order.get(p.item, len(order)))))
    return prompts
