"""What a framework grades, said in words for every output that shows its scores.

A score that is an authority's own judgement (a whole number) reads differently from an average
of themes, and an overall judgement is not part of the overall score: comparisons, exports and
reports carry these notes so nobody reads 4 as the mean of anything.
"""

from __future__ import annotations

from rubric.framework.model import Framework


def _ids(ids: list[str]) -> str:
    return ", ".join(ids[:-1]) + f" and {ids[-1]}" if len(ids) > 1 else ids[0]


def grading_notes(framework: Framework) -> list[str]:
    """One sentence per way of grading the framework uses beyond themes, and per overall
    judgement; empty for a framework that grades themes only."""
    notes = []
    whole = [i.id for i in framework.indicators() if framework.grading_of(i) == "indicator"]
    both = [i.id for i in framework.indicators() if framework.grading_of(i) == "both"]
    if whole:
        notes.append(f"Indicator{'s' if len(whole) > 1 else ''} {_ids(whole)} "
                     f"{'are' if len(whole) > 1 else 'is'} judged as a whole: the score is the "
                     "authority's own judgement (a whole number); themes give the evidence and "
                     "are not graded.")
    if both:
        notes.append(f"Indicator{'s' if len(both) > 1 else ''} {_ids(both)} "
                     f"{'have' if len(both) > 1 else 'has'} graded themes and a judgement of "
                     "the indicator as a whole: the score is the judgement (a whole number), "
                     "not an average of the themes.")
    for category in framework.categories:
        if category.overall_judgement:
            notes.append(f"Key area {category.id} {category.title} is an overall judgement: "
                         "reported on its own and never averaged into the overall score.")
    return notes
