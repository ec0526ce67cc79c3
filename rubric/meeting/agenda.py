"""The meeting's agenda: the strongest challenge prompts, a meeting's worth, per kind and member.

Stands in for the comparison's ranked agenda (``build_agenda`` in rubric/compare/) until that
lands; :func:`agenda_for` is the one place to swap it in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rubric.compare.challenge import Prompt
    from rubric.compare.quad import Comparison

PER_KIND_PER_MEMBER = 3


def agenda_for(comparison: Comparison, per_kind_per_member: int = PER_KIND_PER_MEMBER
               ) -> list[Prompt]:
    """Prompts strongest first within each kind, keeping a prompt while any member it concerns
    has fewer than ``per_kind_per_member`` of that kind; kinds in the comparison's order."""
    kinds = list(dict.fromkeys(p.kind for p in comparison.prompts))
    chosen: list[Prompt] = []
    for kind in kinds:
        found = sorted((p for p in comparison.prompts if p.kind == kind),
                       key=lambda p: (-p.strength, p.item, p.members))
        counts: dict[str, int] = {}
        for prompt in found:
            if any(counts.get(code, 0) < per_kind_per_member for code in prompt.members):
                chosen.append(prompt)
                for code in prompt.members:
                    counts[code] = counts.get(code, 0) + 1
    return chosen
