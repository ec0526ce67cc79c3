"""A meeting-sized agenda: the strongest few prompts about each member, every kind heard.

A Quad meeting has time for about a dozen questions per member, not a hundred. The agenda takes
prompts strongest first, one round per rank across the kinds (the strongest of every kind before
any kind's second), and keeps a prompt only while every member it concerns has room for it, so
no member is asked more than ``per_kind_per_member`` questions of one kind or ``per_member`` in
all. The full list stays available beside it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rubric.compare.challenge import KIND_TITLES, Prompt


def build_agenda(prompts: Sequence[Prompt], per_kind_per_member: int = 3,
                 per_member: int = 12) -> list[Prompt]:
    """The agenda drawn from ``prompts`` (grouped by kind, strongest first within a kind, as
    :func:`rubric.compare.challenge.challenge_prompts` returns them), in that same order."""
    kinds = list(KIND_TITLES)
    rank: Counter[str] = Counter()
    ranked = []
    for index, prompt in enumerate(prompts):
        ranked.append((rank[prompt.kind], kinds.index(prompt.kind) if prompt.kind in kinds
                       else len(kinds), index))
        rank[prompt.kind] += 1
    of_kind: Counter[tuple[str, str]] = Counter()
    total: Counter[str] = Counter()
    chosen: set[int] = set()
    for _, _, index in sorted(ranked):
        prompt = prompts[index]
        if all(of_kind[(code, prompt.kind)] < per_kind_per_member and total[code] < per_member
               for code in prompt.members):
            chosen.add(index)
            for code in prompt.members:
                of_kind[(code, prompt.kind)] += 1
                total[code] += 1
    return [prompt for index, prompt in enumerate(prompts) if index in chosen]
