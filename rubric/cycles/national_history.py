"""The history as a source for the national picture: one cycle's returns, and the national
spread of every earlier cycle (the trend), each read on the picture's framework version.

Earlier cycles may be on older versions; they are carried to the picture's version through the
versioning mappings (as ``rubric trend`` does), so every cycle is read in the same ids.
"""

from __future__ import annotations

from rubric.compare.national import TrendPoint, trend_point
from rubric.cycles.history import History
from rubric.cycles.trend import response_on
from rubric.framework.model import Framework
from rubric.framework.store import FrameworkStore
from rubric.problems import Location, Refused, Report, problem
from rubric.response import ReadResult
from rubric.scoring import score_response


def history_results(history: History, store: FrameworkStore, cycle: str) -> list[ReadResult]:
    """The current return of every authority for ``cycle``, as read results on the framework
    version each was made from (the national gate then checks they agree)."""
    results = []
    for stored in history.returns(cycle=cycle):
        loaded = store.get(stored.framework_id, stored.framework_version)
        if loaded is None or loaded.framework is None:
            raise Refused(problem("history-framework-missing", Location(),
                                  framework=stored.framework_id,
                                  version=stored.framework_version, searched=store.describe()))
        results.append(ReadResult(stored.path, history.response(stored), loaded.framework,
                                  Report()))
    return results


def national_trend(history: History, store: FrameworkStore, framework: Framework,
                   before: str) -> tuple[list[TrendPoint], list[str]]:
    """The national spread in every cycle the history holds before ``before`` (returns of
    ``framework``'s id only), and a note for each cycle that could not be read."""
    points: list[TrendPoint] = []
    notes: list[str] = []
    for cycle in history.cycles():
        if cycle >= before:
            continue
        stored = [s for s in history.returns(cycle=cycle) if s.framework_id == framework.id]
        if not stored:
            continue
        try:
            scores = [score_response(response_on(s, history, store, framework)[0], framework)
                      for s in stored]
        except Refused as refused:
            notes.append(f"{cycle} is left out of the trend: {refused.problem.message}.")
            continue
        points.append(trend_point(cycle, scores, framework))
    return points, notes
