"""The previous cycle as an input of a comparison: each member's scores of that cycle.

It is data handed to :func:`rubric.compare.quad.compare_returns`, built from the history by
:func:`rubric.cycles.trend.previous_cycle_scores` (or by hand in a test), so a built
comparison is never changed afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rubric.scoring import Scores


@dataclass(frozen=True, slots=True)
class PreviousCycle:
    cycle: str
    scores: dict[str, Scores] = field(default_factory=dict)  # member code -> scores then,
    # on the comparison's framework version
    notes: tuple[str, ...] = ()
