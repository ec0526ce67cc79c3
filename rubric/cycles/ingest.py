"""Recording returns in the history: each validated, in its own cycle, never in another.

The cycle a return belongs to is the one its workbook was made for (its provenance). Naming a
cycle is a check, not an override: a 2025-26 return given as 2026-27 would silently supersede
the real 2026-27 return, so it is refused instead.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rubric.cycles.cycle import check_cycle, is_cycle
from rubric.cycles.history import History, IngestOutcome, file_hash
from rubric.problems import Location, Report, problem

if TYPE_CHECKING:
    from rubric.cycles.rows import ReturnRows
    from rubric.framework.store import FrameworkStore
    from rubric.response import ReadResult

T = TypeVar("T")


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


def __getattr__(name: str) -> Any:
    """``read_many``, imported when first needed: a run that finds every file recorded
    already never loads the reader."""
    if name == "read_many":
        from rubric.read.batch import read_many

        return read_many
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _hashes(files: list[Path]) -> list[str]:
    """Every file's hash: a share of the files per thread (hashing and reading release the
    GIL), not a task per file (thousands of futures cost more than they save)."""
    threads = max(1, min(4, os.cpu_count() or 1, len(files) // 8))
    if threads == 1:
        return [_hash_or_blank(path) for path in files]
    found: list[str] = [""] * len(files)
    failed: list[BaseException] = []

    def share(start: int) -> None:
        try:
            for index in range(start, len(files), threads):
                found[index] = _hash_or_blank(files[index])
        except BaseException as exc:  # re-raised below, as hashing in this thread would
            failed.append(exc)

    workers = [threading.Thread(target=share, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failed:
        raise failed[0]
    return found


def _hash_or_blank(path: Path) -> str:
    """A file's hash; blank when it cannot be read (gone, a folder, no permission): the
    reader then says why, as a coded problem."""
    try:
        return file_hash(path)
    except OSError:
        return ""


def _ahead(items: Iterator[T], size: int) -> Iterator[T]:
    """``items``, drawn up to ``size`` ahead by a thread: the workers go on reading while this
    thread records (SQLite releases the GIL while it writes)."""
    done = object()
    hand: queue.Queue[Any] = queue.Queue(maxsize=size)
    stop = threading.Event()

    def pump() -> None:
        try:
            for item in items:
                if stop.is_set():
                    break
                hand.put((True, item))
            hand.put((True, done))
        except BaseException as exc:  # re-raised in the caller's thread
            hand.put((False, exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=pump, name="rubric-ingest-read", daemon=True)
    thread.start()
    try:
        while True:
            ok, item = hand.get()
            if not ok:
                raise item
            if item is done:
                return
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # let the pump see the stop (it may wait on a full hand)
            with contextlib.suppress(queue.Empty):
                hand.get(timeout=0.1)
        thread.join()


def _read_and_record(files: list[Path], digests: list[str], history: History,
                     store: FrameworkStore, expected: str | None, run: IngestRun, *,
                     jobs: int | None, batch: int) -> Iterator[tuple[int, IngestOutcome]]:
    """Read ``files`` in the guarded workers, check each and record the valid ones in
    batches; yield (position, outcome) for each recorded; refusals go into ``run``."""
    from rubric.cycles.rows import rows_for_history

    read_many = sys.modules[__name__].read_many  # (as a test may replace it)
    outputs = _ahead(read_many(files, store, jobs=jobs, work=rows_for_history),
                     max(2, 2 * batch))
    with contextlib.closing(outputs):  # (a refusal to write stops the reading at once)
        yield from _check_and_record(files, digests, outputs, history, store, expected, run,
                                     batch)


def _check_and_record(files: list[Path], digests: list[str],
                      outputs: Iterator[tuple[ReadResult, ReturnRows | None]],
                      history: History, store: FrameworkStore, expected: str | None,
                      run: IngestRun, batch: int) -> Iterator[tuple[int, IngestOutcome]]:
    from rubric.cycles.measures import check_against_published

    frameworks: dict[tuple[str, str], Any] = {}
    pending: list[tuple[int, tuple[ReturnRows, str, str]]] = []
    for at, (result, rows) in enumerate(outputs):
        path = files[at]
        if not result.valid or result.response is None or rows is None:
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
        if result.response.measures:  # checked against the published figures
            key = (result.response.framework_id, result.response.framework_version)
            if key not in frameworks:
                loaded = store.get(*key)
                frameworks[key] = loaded.framework if loaded else None
            result.framework = frameworks[key]
            run.report.extend(check_against_published(result, history))
        digest = digests[at] or _hash_or_blank(path)  # (unreadable when first hashed)
        if not digest:
            run.report.add(problem("file-unreadable", Location(str(path)),
                                   reason="it changed or went while it was being recorded"))
            run.refused.append(str(path))
            continue
        pending.append((at, (rows, own, digest)))
        if len(pending) >= batch:
            yield from zip([i for i, _ in pending],
                           history.ingest_many([item for _, item in pending]), strict=True)
            pending.clear()
    if pending:
        yield from zip([i for i, _ in pending],
                       history.ingest_many([item for _, item in pending]), strict=True)


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
    known = history.known_files(sorted(set(digests) - {""})) if digests else {}
    slots: list[IngestOutcome | None] = [None] * len(files)
    to_read: list[int] = []
    for index, (path, digest) in enumerate(zip(files, digests, strict=True)):
        recorded = [r for r in known.get(digest, ()) if expected is None or r[2] == expected]
        if recorded:
            return_id, authority, own = recorded[-1]
            slots[index] = IngestOutcome(str(path), "unchanged", return_id, authority, own)
        else:
            to_read.append(index)
    if to_read:
        with history.synchronous("NORMAL"):
            read = _read_and_record([files[i] for i in to_read],
                                    [digests[i] for i in to_read], history, store, expected,
                                    run, jobs=jobs, batch=batch)
            for at, outcome in read:
                slots[to_read[at]] = outcome
    run.outcomes = [outcome for outcome in slots if outcome is not None]
    return run
