"""Recording returns in the history: each validated, in its own cycle, never in another.

The cycle a return belongs to is the one its workbook was made for (its provenance). Naming a
cycle is a check, not an override: a 2025-26 return given as 2026-27 would silently supersede
the real 2026-27 return, so it is refused instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rubric.cycles.cycle import check_cycle, is_cycle
from rubric.cycles.history import History, IngestOutcome, file_hash
from rubric.cycles.measures import check_against_published
from rubric.framework.store import FrameworkStore
from rubric.problems import Location, Report, problem
from rubric.read.batch import read_many
from rubric.response import ReadResult
from rubric.scoring import Scores, score_response


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


BATCH = 64  # returns recorded per transaction: one commit per file costs more than reading it


def _read_and_score(result: ReadResult) -> tuple[ReadResult, Scores | None]:
    """In the worker: the whole result (the history keeps every answer) and its scores."""
    scores = (score_response(result.response, result.framework)
              if result.valid and result.response is not None and result.framework is not None
              else None)
    result.framework = None  # not needed to record it: cheaper not to send it back
    return result, scores


def _hashes(files: list[Path]) -> list[str]:
    """Every file's hash (threads: hashing large buffers releases the GIL)."""
    if len(files) < 8:
        return [file_hash(path) for path in files]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max(2, min(4, os.cpu_count() or 1))) as pool:
        return list(pool.map(file_hash, files))


def ingest_returns(paths: Iterable[Path], history: History, store: FrameworkStore,
                   cycle: str | None = None, *, jobs: int | None = None,
                   batch: int = BATCH) -> IngestRun:
    """Validate each return (in the guarded workers) and record it under its own cycle
    (checked against ``cycle``).

    A file whose exact bytes the history already holds (for ``cycle``, when given) is
    ``unchanged`` without being read again. New returns are recorded in batches, each in one
    transaction: a process killed part-way loses only the batch in hand, never half a return,
    and running the same ingest again records what is missing.
    """
    expected = check_cycle(cycle) if cycle is not None else None
    run = IngestRun()
    files = list(paths)
    digests = _hashes(files) if files else []
    known = history.known_files(sorted(set(digests))) if digests else {}
    slots: list[IngestOutcome | None] = [None] * len(files)
    to_read: list[int] = []
    for index, (path, digest) in enumerate(zip(files, digests, strict=True)):
        recorded = [r for r in known.get(digest, ()) if expected is None or r[2] == expected]
        if recorded:
            return_id, authority, own = recorded[-1]
            slots[index] = IngestOutcome(str(path), "unchanged", return_id, authority, own)
        else:
            to_read.append(index)
    pending: list[tuple[int, tuple[ReadResult, Scores, str, str]]] = []

    def commit() -> None:
        outcomes = history.ingest_many([item for _, item in pending])
        for (index, _), outcome in zip(pending, outcomes, strict=True):
            slots[index] = outcome
        pending.clear()

    outputs = read_many([files[i] for i in to_read], store, jobs=jobs, work=_read_and_score)
    for index, (result, scores) in zip(to_read, outputs, strict=True):
        path = files[index]
        if not result.valid or result.response is None or scores is None:
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
        if result.framework is None:  # the worker did not send it back: the parent's copy
            loaded = store.get(result.response.framework_id, result.response.framework_version)
            result.framework = loaded.framework if loaded else None
        run.report.extend(check_against_published(result, history))
        pending.append((index, (result, scores, own, digests[index])))
        if len(pending) >= batch:
            commit()
    if pending:
        commit()
    run.outcomes = [outcome for outcome in slots if outcome is not None]
    return run
