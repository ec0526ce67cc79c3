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

from rubric.framework.store import FrameworkStore
from rubric.responses import ReadResult, read_return

FILES_PER_WORKER = 25  # below this many files per worker, one process is faster

_worker_store: FrameworkStore | None = None


def default_jobs() -> int:
    return os.cpu_count() or 1


def effective_jobs(jobs: int | None, files: int) -> int:
    """Workers worth starting for ``files`` files with at most ``jobs`` (default: CPUs)."""
    wanted = jobs if jobs and jobs > 0 else default_jobs()
    return max(1, min(wanted, files // FILES_PER_WORKER))


def _init_worker(directory: str) -> None:
    global _worker_store
    _worker_store = FrameworkStore(Path(directory))


def _read_in_worker(path: str) -> ReadResult:
    assert _worker_store is not None
    result = read_return(path, _worker_store)
    result.framework = None  # the parent re-attaches its own copy
    return result


def read_many(paths: list[Path], store: FrameworkStore, *, jobs: int | None = None,
              on_done: Callable[[int], None] | None = None) -> Iterator[ReadResult]:
    """Read and validate ``paths``, yielding results in input order as they are ready."""
    workers = effective_jobs(jobs, len(paths))
    if workers == 1:
        for done, path in enumerate(paths, start=1):
            yield read_return(path, store)
            if on_done:
                on_done(done)
        return
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(str(store.directory),)) as pool:
        chunk = max(1, min(16, len(paths) // (workers * 4)))
        for done, result in enumerate(pool.map(_read_in_worker, map(str, paths),
                                               chunksize=chunk), start=1):
            if result.response is not None:
                loaded = store.get(result.response.framework_id,
                                   result.response.framework_version)
                result.framework = loaded.framework if loaded else None
            yield result
            if on_done:
                on_done(done)
