"""Reading untrusted workbooks in warm worker processes with memory and time limits.

The safety gate refuses every crafted workbook we know of before a native reader sees it, but
python-calamine is Rust: whatever slips past the gate and makes it allocate too much does not
raise, it aborts the process. So returns are read in worker processes whose address space and
processor time are limited (``RLIMIT_AS`` / ``RLIMIT_CPU``, set when each worker starts and
renewed per task): a worker that dies costs only the file it was reading a coded problem
(``workbook-too-large`` or ``workbook-unreadable``), the pool is started again, and the batch
(or the service's other requests) goes on. Workers stay warm between calls, so the cost per
return is a round trip through a pipe, not a process start. A single file with no pool running
(``rubric validate one.xlsx``) is read in one forked process with the same limits instead:
starting a pool, its threads and its queues would cost more than the read itself.

When a worker dies, every file it (or its siblings) had in hand is read again, one at a time, in
a fresh limited process: the files that were only unlucky get their real results, and the one
that kills its reader again is the one reported.
"""

from __future__ import annotations

import itertools
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rubric.problems import Location, problem

if TYPE_CHECKING:  # multiprocessing is imported only when a pool (or spawn) is needed
    from concurrent.futures import Future, ProcessPoolExecutor

WORKER_MEMORY = 1024**3  # address space a worker may add to what it has when it starts
WORKER_CPU_SECONDS = 30  # processor time per file (a return takes milliseconds)


@dataclass(frozen=True, slots=True)
class WorkerLimits:
    """What one worker may use while it reads a file."""

    memory_bytes: int = WORKER_MEMORY
    cpu_seconds: int = WORKER_CPU_SECONDS

    def describe_memory(self) -> str:
        return f"{self.memory_bytes / 1024**3:g} GiB" if self.memory_bytes >= 1024**3 \
            else f"{self.memory_bytes / 1024**2:g} MiB"


DEFAULT_LIMITS = WorkerLimits()

Task = Callable[[str], Any]  # path -> output, a module-level function (workers import it)


# --- inside a worker ---------------------------------------------------------------------------

def _address_space() -> int:
    """This process's current address space in bytes (Linux; 0 where unknown)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit(kind: int, soft: int) -> None:
    import resource

    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(kind, (soft, hard))


def _cpu_used() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _start_worker(limits: WorkerLimits) -> None:
    """Worker initializer: bound memory and time; native readers' last words go nowhere (a
    Rust abort prints 'memory allocation of ... failed', which means nothing to a reader of
    rubric's output: the parent reports the file instead)."""
    _leave_with_parent()  # first: its thread's stack and memory are not the reader's to use
    try:
        import resource

        _limit(resource.RLIMIT_AS, _address_space() + limits.memory_bytes)
        _limit(resource.RLIMIT_CPU, int(_cpu_used()) + limits.cpu_seconds)
    except (ImportError, ValueError, OSError):  # no resource limits here (e.g. Windows)
        pass
    import faulthandler

    faulthandler.disable()  # (pytest and python -X faulthandler enable it: nothing to add)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _leave_with_parent() -> None:
    """Exit once the parent has gone, even killed outright: a warm worker would otherwise
    wait for work for ever (a watcher thread, as any thread of the parent may have forked it)."""
    parent = os.getppid()

    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="rubric-parent-watch", daemon=True).start()


_worker_limits = DEFAULT_LIMITS


def _init(limits: WorkerLimits) -> None:
    global _worker_limits
    _worker_limits = limits
    _start_worker(limits)


def _run_chunk(task: Task, paths: list[str]) -> list[Any]:
    outputs = []
    for path in paths:
        try:  # each file gets the full processor budget, however many came before it
            import resource

            _limit(resource.RLIMIT_CPU, int(_cpu_used()) + _worker_limits.cpu_seconds)
        except (ImportError, ValueError, OSError):
            pass
        outputs.append(task(path))
    return outputs


def _run_alone(connection: Any, task: Task, path: str, limits: WorkerLimits) -> None:
    _init(limits)
    try:
        connection.send((True, task(path)))
    except BaseException as exc:  # a bug, not bad input: the parent re-raises it
        connection.send((False, exc))
    finally:
        connection.close()


# --- in the parent -----------------------------------------------------------------------------

def _context() -> Any:
    import multiprocessing

    return multiprocessing.get_context("fork" if _FORK else "spawn")


_FORK = os.name == "posix" and hasattr(os, "fork")


def crash_problem(path: str, exitcode: int | None, limits: WorkerLimits) -> Any:
    """The coded problem for a file whose reader died with ``exitcode``."""
    where = Location(path)
    if exitcode == -getattr(signal, "SIGXCPU", 24):
        return problem("workbook-too-large", where, reason=f"reading it took more than "
                       f"{limits.cpu_seconds} s of processor time (the reader was stopped)")
    if exitcode in (-signal.SIGABRT, -signal.SIGKILL):
        return problem("workbook-too-large", where, reason=f"reading it needed more than the "
                       f"{limits.describe_memory()} of memory a reader may use (the reader was "
                       "stopped)")
    return problem("workbook-unreadable", where, reason=f"the reader stopped on it (exit code "
                   f"{exitcode}); other files were not affected")


def run_alone(task: Task, path: str, limits: WorkerLimits = DEFAULT_LIMITS) -> tuple[bool, Any]:
    """Run ``task(path)`` in a fresh limited process: (True, output) or (False, exit code)."""
    if _FORK:
        return _fork_alone(task, path, limits)
    context = _context()
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_run_alone, args=(send, task, path, limits), daemon=True)
    process.start()
    send.close()
    try:
        ok, output = receive.recv()
    except (EOFError, OSError):
        ok, output = None, None
    finally:
        receive.close()
        process.join()
    return _outcome(ok, output, process.exitcode)


def _fork_alone(task: Task, path: str, limits: WorkerLimits) -> tuple[bool, Any]:
    """:func:`run_alone` by a bare fork: the child inherits every module this process has
    imported and writes its pickled answer down a pipe; multiprocessing is not needed."""
    import pickle

    receive, send = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: whatever happens, it leaves by os._exit (no cleanup of ours)
        code = 1
        try:
            os.close(receive)
            _init(limits)
            try:
                message: tuple[bool, Any] = (True, task(path))
            except BaseException as exc:  # a bug, not bad input: the parent re-raises it
                message = (False, exc)
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(send, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(send)
    reaped = False
    try:
        with os.fdopen(receive, "rb") as incoming:
            data = incoming.read()
        _, status = os.waitpid(pid, 0)
        reaped = True
    finally:
        if not reaped:  # interrupted (Ctrl-C): the child is of no more use
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    exitcode = os.waitstatus_to_exitcode(status)
    try:
        ok, output = pickle.loads(data) if exitcode == 0 else (None, None)
    except Exception:  # cut short: the child died while writing
        ok = None
    return _outcome(ok, output, exitcode if exitcode != 0 else 1)


def _outcome(ok: bool | None, output: Any, exitcode: int | None) -> tuple[bool, Any]:
    """What a lone child sent: its output, its exit code when it sent nothing whole, or the
    bug it raised (raised again here: a bug in rubric is not a problem with the file)."""
    if ok is None:
        return False, exitcode
    if not ok:
        raise output
    return True, output


class WarmPool:
    """Limited worker processes kept between calls; started again after one dies."""

    def __init__(self) -> None:
        self.clean = False  # workers forked from a clean server process (see keep_workers_warm)
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._size = 0
        self._limits = DEFAULT_LIMITS
        self.restarts = 0  # how often a dead worker made the pool start again
        self._exit_hook = False

    @property
    def running(self) -> bool:
        return self._executor is not None

    def executor(self, workers: int, limits: WorkerLimits) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor

        with self._lock:
            if self._executor is None or workers > self._size or limits != self._limits:
                self._shutdown()
                if not self._exit_hook:  # let go of the pool while Python can still run it
                    import atexit

                    atexit.register(self.shutdown)
                    self._exit_hook = True
                context = _clean_context() if self.clean else _context()
                self._executor = ProcessPoolExecutor(workers, mp_context=context,
                                                     initializer=_init, initargs=(limits,))
                self._size, self._limits = workers, limits
            return self._executor

    def broken(self, executor: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is executor:
                self._shutdown()
                self.restarts += 1

    def _shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor, self._size = None, 0

    def shutdown(self) -> None:
        with self._lock:
            self._shutdown()
            self.clean = False


POOL = WarmPool()


def _clean_context() -> Any:
    """Workers forked from a server process started for them, holding nothing of the caller's
    (a worker forked from a web server's thread would keep its open connections alive)."""
    import multiprocessing

    if not _FORK or "forkserver" not in multiprocessing.get_all_start_methods():
        return _context()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["rubric.read.batch", "rubric.read.returns"])
    return context


def _ready() -> bool:
    return True


def keep_workers_warm(workers: int, limits: WorkerLimits = DEFAULT_LIMITS) -> None:
    """Start the warm pool now, for a long-running multi-threaded process (the web service):
    its workers, and any started again after one dies, come from a clean server process, and
    single files go to them rather than a process each."""
    POOL.clean = True
    POOL.executor(workers, limits).submit(_ready).result()


def shutdown_workers() -> None:
    """Stop the warm workers (they are started again when next needed)."""
    POOL.shutdown()


def run_guarded(task: Task, paths: Sequence[str], *, workers: int = 1, chunk: int = 1,
                limits: WorkerLimits = DEFAULT_LIMITS,
                crashed: Callable[[str, Any], Any]) -> Iterator[Any]:
    """``task(path)`` for every path, in warm limited workers, yielded in input order.

    A file whose worker dies yields ``crashed(path, problem)`` instead; the other files are
    read as if nothing had happened. One file with no pool running gets a process of its own.
    """
    if len(paths) == 1 and not POOL.running:
        ok, output = run_alone(task, paths[0], limits)
        yield output if ok else crashed(paths[0], crash_problem(paths[0], output, limits))
        return
    from concurrent.futures.process import BrokenProcessPool

    chunks = [list(paths[i:i + chunk]) for i in range(0, len(paths), max(1, chunk))]
    window = max(2, workers * 2)
    pending: deque[tuple[list[str], Future[list[Any]] | None]] = deque()
    feed = iter(chunks)
    executor = POOL.executor(workers, limits)

    def submit(items: list[str]) -> None:
        nonlocal executor
        try:
            pending.append((items, executor.submit(_run_chunk, task, items)))
        except (BrokenProcessPool, RuntimeError):
            POOL.broken(executor)
            executor = POOL.executor(workers, limits)
            pending.append((items, executor.submit(_run_chunk, task, items)))

    for items in itertools.islice(feed, window):
        submit(items)
    while pending:
        items, future = pending.popleft()
        assert future is not None
        try:
            outputs = future.result()
        except BrokenProcessPool:
            POOL.broken(executor)
            # every chunk in flight failed with it: read each of their files alone
            suspects = [items, *[other for other, _ in pending]]
            pending.clear()
            for group in suspects:
                for path in group:
                    ok, output = run_alone(task, path, limits)
                    yield output if ok else crashed(path, crash_problem(path, output, limits))
            executor = POOL.executor(workers, limits)
            for more in itertools.islice(feed, window):
                submit(more)
            continue
        yield from outputs
        for more in itertools.islice(feed, 1):
            submit(more)
