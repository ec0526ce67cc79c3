"""Reading many returns: in worker processes when it pays, streamed in input order.

A national run reads 32 returns, school-level use of the same engine thousands. Results are
yielded one by one, so a caller that prints and forgets keeps memory flat however many files it
reads. Workers send back results without the framework (the parent has it), to keep pickling
cheap. Small batches stay in this process: starting workers costs more than it saves below a
few dozen files.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from rubric.response import ReadResult
from rubric.scoring import Scores

T = TypeVar("T")

FILES_PER_WORKER = 25  # below this many files per worker, one process is faster

_worker_store: FrameworkStore | None = None
_worker_work: Callable[[ReadResult], object] | None = None


def default_jobs() -> int:
    return os.cpu_count() or 1


def effective_jobs(jobs: int | None, files: int) -> int:
    """Workers worth starting for ``files`` files with at most ``jobs`` (default: CPUs)."""
    wanted = jobs if jobs and jobs > 0 else default_jobs()
    return max(1, min(wanted, files // FILES_PER_WORKER))


def whole(result: ReadResult) -> ReadResult:
    """Keep the whole result (for comparisons, which need every answer)."""
    result.framework = None  # the parent re-attaches its own copy: cheaper than pickling it
    return result


def report_only(result: ReadResult) -> ReadResult:
    """Keep what validation prints: the report and provenance, not the answers."""
    light = (result.response.model_copy(update={"themes": {}, "measures": {}})
             if result.response is not None else None)
    return ReadResult(result.path, light, None, result.report, result.provenance)


def with_scores(result: ReadResult) -> tuple[ReadResult, Scores | None]:
    """Score in the worker; send back the scores and the report, not the answers."""
    from rubric.scoring import score_response

    scores = (score_response(result.response, result.framework)
              if result.valid and result.response and result.framework else None)
    return report_only(result), scores


def _init_worker(directories: tuple[str, ...], work: Callable[[ReadResult], object]) -> None:
    global _worker_store, _worker_work
    _worker_store = FrameworkStore(*directories)
    _worker_work = work


def _read_in_worker(path: str) -> object:
    assert _worker_store is not None and _worker_work is not None
    return _worker_work(read_return(path, _worker_store))


def read_many(paths: list[Path], store: FrameworkStore, *, jobs: int | None = None,
              work: Callable[[ReadResult], T] = whole,  # type: ignore[assignment]
              on_done: Callable[[int], None] | None = None) -> Iterator[T]:
    """Read and validate ``paths`` and apply ``work`` (a module-level function, so workers can
    run it) to each result; yield its outputs in input order as they are ready."""
    workers = effective_jobs(jobs, len(paths))
    if workers == 1:
        for done, path in enumerate(paths, start=1):
            result = read_return(path, store)
            yield result if work is whole else work(result)  # type: ignore[misc]
            if on_done:
                on_done(done)
        return
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(tuple(map(str, store.directories)), work)) as pool:
        chunk = max(1, min(16, len(paths) // (workers * 4)))
        for done, output in enumerate(pool.map(_read_in_worker, map(str, paths),
                                               chunksize=chunk), start=1):
            if isinstance(output, ReadResult) and output.response is not None:
                loaded = store.get(output.response.framework_id,
                                   output.response.framework_version)
                output.framework = loaded.framework if loaded else None
            yield output  # type: ignore[misc]
            if on_done:
                on_done(done)
