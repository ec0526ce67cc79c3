"""Reading many returns: in warm, limited worker processes, streamed in input order.

A national run reads 32 returns, school-level use of the same engine thousands. Every return is
read in a worker process with memory and time limits (:mod:`rubric.read.sandbox`), for one file as
for thousands, so a workbook that makes the native reader abort costs that file a coded problem
and the batch goes on: :func:`read_many` is the guarded way to read untrusted returns.
(:func:`rubric.read.returns.read_return` reads in the calling process: the safety gate still runs,
but nothing contains a native crash; use it for files you trust, or from inside a worker.)
Results are yielded one by one, so a caller that prints and forgets keeps memory flat however
many files it reads. Workers send back results without the framework, except the first result
of each framework in a call, to keep pickling cheap.
"""


from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rubric.framework.store import FrameworkStore
from rubric.problems import Problem, Report
from rubric.read.returns import (
    EVIDENCE,
    LEVEL,
    SPECIAL,
    PlainAnswers,
    read_return,
    read_return_plain,
)
from rubric.read.sandbox import DEFAULT_LIMITS, WorkerLimits, run_guarded
from rubric.response import ReadResult

if TYPE_CHECKING:  # validation needs neither scoring nor the model's names
    from rubric.framework.model import Framework
    from rubric.scoring import Scores

T = TypeVar("T")

FILES_PER_WORKER = 25  # below this many files per worker, one worker is faster
_worker_stores: dict[tuple[str, ...], FrameworkStore] = {}
_sent: set[tuple[str, tuple[str, ...], str, str]] = set()  # (call, dirs, id, version) sent


def default_jobs() -> int:
    return os.cpu_count() or 1


def effective_jobs(jobs: int | None, files: int) -> int:
    """Workers worth using for ``files`` files with at most ``jobs`` (default: CPUs)."""
    wanted = jobs if jobs and jobs > 0 else default_jobs()
    return max(1, min(wanted, files // FILES_PER_WORKER))


def plain(work: Callable[..., T]) -> Callable[..., T]:
    """Mark ``work`` as taking ``(result, answers)``: the worker then reads the return on the
    hot path (:func:`~rubric.read.returns.read_return_plain`: the same report, no answer models
    built) and passes the theme answers as plain tuples. Called with a whole result and no
    answers, such a work must do the same from the result's response."""
    work.plain = True  # type: ignore[attr-defined]
    return work


def plain_with(reader: Callable[..., tuple[ReadResult, PlainAnswers]]
               ) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """:func:`plain`, with ``reader`` (a module-level function taking ``(path, store)``, such
    as :func:`~rubric.read.returns.read_return_plain_measures`) in place of
    :func:`~rubric.read.returns.read_return_plain`."""
    def mark(work: Callable[..., T]) -> Callable[..., T]:
        work.reader = reader  # type: ignore[attr-defined]
        return plain(work)
    return mark


def whole(result: ReadResult) -> ReadResult:
    """Keep the whole result (for comparisons, which need every answer)."""
    result.framework = None  # the parent re-attaches its own copy: cheaper than pickling it
    return result


@plain
def report_only(result: ReadResult, answers: PlainAnswers | None = None) -> ReadResult:
    """Keep what validation prints: the report and provenance, not the answers."""
    light = result.response
    if light is not None and (light.themes or light.measures):
        light = light.model_copy(update={"themes": {}, "measures": {}})
    return ReadResult(result.path, light, None, result.report, result.provenance)


def scores_of(result: ReadResult, answers: PlainAnswers | None = None) -> Scores | None:
    """The scores of a valid result: from its plain answers when given (the hot path), else
    from its response (the same figures: a test holds them equal on every fixture)."""
    from rubric.scoring import score_answers, score_response

    response, framework = result.response, result.framework
    if not result.valid or response is None or framework is None:
        return None
    if answers is None:
        return score_response(response, framework)
    return score_answers({tid: (a[LEVEL], a[SPECIAL], bool(a[EVIDENCE]))
                          for tid, a in answers.items()}, framework,
                         authority_code=response.authority_code, authority=response.authority,
                         cycle=response.cycle, path=response.path,
                         judgements={iid: (a.level, a.special, bool(a.evidence))
                                     for iid, a in response.judgements.items()})


@plain
def with_scores(result: ReadResult, answers: PlainAnswers | None = None
                ) -> tuple[ReadResult, Scores | None]:
    """Score in the worker; send back the scores and the report, not the answers."""
    return report_only(result), scores_of(result, answers)


def _read_in_worker(call: str, directories: tuple[str, ...],
                    work: Callable[[ReadResult], object], path: str) -> object:
    """One file, in a worker: read, apply ``work``; the first whole result of each framework
    in a call carries the framework, so the parent need not load it again."""
    store = _worker_stores.get(directories)
    if store is None:
        store = _worker_stores[directories] = FrameworkStore(*directories)
    if getattr(work, "plain", False):
        result, answers = getattr(work, "reader", read_return_plain)(path, store)
        return work(result, answers)
    result = read_return(path, store)
    framework = result.framework
    output = work(result)
    if work is whole and framework is not None and isinstance(output, ReadResult):
        key = (call, directories, framework.id, framework.version)
        if key not in _sent:
            if len(_sent) > 1000:
                _sent.clear()
            _sent.add(key)
            output.framework = framework
    return output


def _crashed(work: Callable[[ReadResult], Any], path: str, found: Problem) -> Any:
    """A file whose reader died: a result that says so, shaped by ``work`` as usual."""
    empty = ReadResult(path, report=Report([found]))
    return work(empty, {}) if getattr(work, "plain", False) else work(empty)


def read_many(paths: list[Path], store: FrameworkStore, *, jobs: int | None = None,
              work: Callable[[ReadResult], T] = whole,  # type: ignore[assignment]
              on_done: Callable[[int], None] | None = None,
              limits: WorkerLimits = DEFAULT_LIMITS) -> Iterator[T]:
    """Read and validate ``paths`` in limited workers and apply ``work`` (a module-level
    function, so workers can run it; it must also accept a result without a response, as it is
    applied in this process to a file whose worker died) to each result; yield its outputs in
    input order as they are ready."""
    workers = effective_jobs(jobs, len(paths))
    chunk = max(1, min(16, len(paths) // (workers * 4)))
    task = functools.partial(_read_in_worker, uuid.uuid4().hex,
                             tuple(map(str, store.directories)), work)
    frameworks: dict[tuple[str, str], Framework | None] = {}
    outputs = run_guarded(task, [os.fspath(p) for p in paths], workers=workers, chunk=chunk,
                          limits=limits, crashed=functools.partial(_crashed, work))
    for done, output in enumerate(outputs, start=1):
        if work is whole and isinstance(output, ReadResult) and output.response is not None:
            key = (output.response.framework_id, output.response.framework_version)
            if output.framework is not None:
                frameworks[key] = output.framework
            elif key not in frameworks:
                loaded = store.get(*key)
                frameworks[key] = loaded.framework if loaded else None
            output.framework = frameworks[key]
        yield output  # type: ignore[misc]
        if on_done:
            on_done(done)


def report_and_measures(result: ReadResult) -> ReadResult:
    """Keep the report, provenance and measure values (to check them against published
    figures), not the theme answers."""
    light = result.response
    if light is not None and light.themes:
        light = light.model_copy(update={"themes": {}})
    return ReadResult(result.path, light, None, result.report, result.provenance)
