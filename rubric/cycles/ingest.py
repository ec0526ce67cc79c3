"""Recording returns in the history: each validated, in its own cycle, never in another.

The cycle a return belongs to is the one its workbook was made for (its provenance). Naming a
cycle is a check, not an override: a 2025-26 return given as 2026-27 would silently supersede
the real 2026-27 return, so it is refused instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rubric.cycles.cycle import check_cycle, is_cycle
from rubric.cycles.history import History, IngestOutcome
from rubric.cycles.measures import check_against_published
from rubric.framework.store import FrameworkStore
from rubric.problems import Location, Report, problem
from rubric.read.batch import read_many
from rubric.scoring import score_response


@dataclass(slots=True)
class IngestRun:
    """What an ingest did: one outcome per recorded return, the paths refused, all problems."""

    outcomes: list[IngestOutcome] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)

    def to_dict(self) -> dict:
        return {"refused": self.refused, "returns": [
            {"path": o.path, "outcome": o.outcome, "id": o.return_id, "authority": o.authority,
             "cycle": o.cycle, "replaced": o.replaced} for o in self.outcomes],
            **self.report.to_dict()}


def ingest_returns(paths: Iterable[Path], history: History, store: FrameworkStore,
                   cycle: str | None = None) -> IngestRun:
    """Validate each return (in the guarded workers) and record it under its own cycle
    (checked against ``cycle``)."""
    expected = check_cycle(cycle) if cycle is not None else None
    run = IngestRun()
    files = list(paths)
    for path, result in zip(files, read_many(files, store), strict=True):
        if not result.valid or result.response is None or result.framework is None:
            run.report.extend(result.report.errors)
            run.refused.append(str(path))
            continue
        found = result.response.cycle
        where = Location(str(path), sheet="_rubric")
        if expected is not None and found and found != expected:
            run.report.add(problem("ingest-cycle-mismatch", where, found=found,
                                   expected=expected))
            run.refused.append(str(path))
            continue
        own = found if is_cycle(found) else expected
        if own is None:
            run.report.add(problem("ingest-cycle-unknown", where))
            run.refused.append(str(path))
            continue
        scores = score_response(result.response, result.framework)
        run.report.extend(check_against_published(result, history))
        run.outcomes.append(history.ingest(result, scores, own))
    return run
