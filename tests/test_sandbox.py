"""A reader that dies in its worker costs one file a coded problem; the batch goes on.

The gate refuses every crafted workbook known, so these tests switch a gate check off (or make
the reader abort) in the parent before the workers are forked: the workers then meet what a
future gap in the gate would let through, and must contain it.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rubric.framework.store import FrameworkStore
from rubric.read import returns as responses
from rubric.read import safety, sandbox
from rubric.read.batch import read_many, report_only, with_scores
from tests.conftest import FRAMEWORKS
from tests.hostile.corpus import demo_return_bytes
from tests.workbooks import rewrite_zip

STORE = FrameworkStore(FRAMEWORKS)
SHARED_STRINGS = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxml'
                  b'formats.org/spreadsheetml/2006/main" count="2000000000" '
                  b'uniqueCount="2000000000"><si><t>x</t></si></sst>')


@pytest.fixture(autouse=True)
def fresh_workers() -> Iterator[None]:
    """Workers forked after this test's patches, and none left with them afterwards."""
    sandbox.shutdown_workers()
    yield
    sandbox.shutdown_workers()


def _good(directory: Path, name: str, which: str = "A") -> Path:
    path = directory / name
    path.write_bytes(demo_return_bytes(which))
    return path


def _huge_shared_strings(directory: Path) -> Path:
    """A return whose shared-string table claims two billion entries: calamine reserves room
    for them (48 GB) and aborts the process when the allocation fails."""
    return rewrite_zip(_good(directory, "crafted.xlsx"),
                       lambda parts: parts.__setitem__("xl/sharedStrings.xml", SHARED_STRINGS))


def test_the_gate_refuses_the_crafted_file_itself(tmp_path: Path) -> None:
    found = list(read_many([_huge_shared_strings(tmp_path)], STORE))
    assert found[0].report.codes() == ["workbook-too-large"]
    assert "declares 2,000,000,000 entries" in found[0].report.errors[0].message


def test_a_native_allocation_failure_in_a_worker_is_contained(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "declared_count", lambda data: 0)  # a gap in the gate
    paths = [_good(tmp_path, "good.xlsx"), _huge_shared_strings(tmp_path),
             _good(tmp_path, "good2.xlsx", "B")]
    results = list(read_many(paths, STORE))
    assert [r.path for r in results] == [str(p) for p in paths]
    assert results[0].valid and results[2].valid
    assert results[0].response.authority == "Example Authority A"
    assert results[2].response.authority == "Example Authority B"
    assert results[1].report.codes() == ["workbook-too-large"]
    problem = results[1].report.errors[0]
    assert problem.location.file == str(paths[1])
    assert "memory" in problem.message and "GiB" in problem.message
    again = list(read_many(paths[::2], STORE))  # the pool was started again
    assert again[0].valid


def _dying_reader(real: Callable[..., Any]) -> Callable[..., Any]:
    """responses.read_workbook, but dying on files named abort*, kill* or spin*."""
    def read(path: Any, **options: Any) -> Any:
        name = Path(path).name
        if name.startswith("abort"):
            os.abort()
        if name.startswith("kill"):
            os.kill(os.getpid(), signal.SIGKILL)
        if name.startswith("spin"):
            while True:
                time.process_time()
        return real(path, **options)
    return read


def test_abort_and_kill_in_big_parallel_batches_cost_only_their_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(responses, "read_workbook", _dying_reader(responses.read_workbook))
    paths = [_good(tmp_path, f"r{n:02}.xlsx", "AB"[n % 2]) for n in range(60)]
    paths[7] = _good(tmp_path, "abort.xlsx")
    paths[41] = _good(tmp_path, "kill.xlsx")
    results = list(read_many(paths, STORE, jobs=2, work=with_scores))
    assert [r.path for r, _ in results] == [str(p) for p in paths]
    broken = {n for n, (r, _) in enumerate(results) if not r.valid}
    assert broken == {7, 41}
    assert all(s is not None and s.overall.value is not None
               for n, (_, s) in enumerate(results) if n not in broken)
    assert results[7][0].report.codes() == ["workbook-too-large"]
    assert results[41][0].report.codes() == ["workbook-too-large"]
    assert sandbox.POOL.restarts >= 1


def test_a_reader_that_never_finishes_is_stopped(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(responses, "read_workbook", _dying_reader(responses.read_workbook))
    paths = [_good(tmp_path, "good.xlsx"), _good(tmp_path, "spin.xlsx")]
    results = list(read_many(paths, STORE, work=report_only,
                             limits=sandbox.WorkerLimits(cpu_seconds=1)))
    assert results[0].valid
    assert results[1].report.codes() == ["workbook-too-large"]
    assert "processor time" in results[1].report.errors[0].message


def test_validate_reports_good_files_and_one_coded_problem(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rubric.cli import main

    monkeypatch.setattr(safety, "declared_count", lambda data: 0)
    paths = [_good(tmp_path, "good.xlsx"), _huge_shared_strings(tmp_path),
             _good(tmp_path, "good2.xlsx", "B")]
    run = CliRunner().invoke(main, ["validate", "--frameworks", str(FRAMEWORKS),
                                    *map(str, paths)])
    assert run.exit_code == 1, run.output
    assert f"{paths[0]}: valid" in run.output and f"{paths[2]}: valid" in run.output
    assert f"{paths[1]}: workbook-too-large: " in run.output
    assert "Traceback" not in run.output and "memory allocation" not in run.output


@pytest.mark.parametrize("name, words", [("abort.xlsx", "memory"), ("kill.xlsx", "memory"),
                                         ("spin.xlsx", "processor time")])
def test_one_file_read_alone_is_limited_and_contained_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, words: str) -> None:
    """One file with no pool running gets a process of its own: the same limits, the same
    coded problem when its reader dies, and no pool is started for it."""
    monkeypatch.setattr(responses, "read_workbook", _dying_reader(responses.read_workbook))
    [result] = read_many([_good(tmp_path, name)], STORE, work=report_only,
                         limits=sandbox.WorkerLimits(cpu_seconds=1))
    assert result.report.codes() == ["workbook-too-large"]
    assert words in result.report.errors[0].message
    assert result.report.errors[0].location.file == str(tmp_path / name)
    assert not sandbox.POOL.running
    [good] = read_many([_good(tmp_path, "good.xlsx")], STORE, work=report_only)
    assert good.valid and good.provenance["authority"] == "Example Authority A"


def test_a_bug_in_a_reader_read_alone_is_raised_not_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Any, **options: Any) -> Any:
        raise LookupError("a bug in rubric")
    monkeypatch.setattr(responses, "read_workbook", broken)
    with pytest.raises(LookupError, match="a bug in rubric"):
        list(read_many([_good(tmp_path, "good.xlsx")], STORE))


def test_validate_of_one_crafted_file_reports_it(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from rubric.cli import main

    monkeypatch.setattr(safety, "declared_count", lambda data: 0)
    crafted = _huge_shared_strings(tmp_path)
    run = CliRunner().invoke(main, ["validate", "--frameworks", str(FRAMEWORKS), str(crafted)])
    assert run.exit_code == 1, run.output
    assert f"{crafted}: workbook-too-large: " in run.output
    assert "Traceback" not in run.output and "memory allocation" not in run.output


def test_a_long_running_service_reads_single_files_in_its_warm_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The web service starts its pool once: each upload then costs a round trip to a warm
    worker, not a process of its own."""
    def no_process_per_file(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a single file was given a process of its own")
    sandbox.keep_workers_warm(1)
    try:
        monkeypatch.setattr(sandbox, "run_alone", no_process_per_file)
        for name in ("one.xlsx", "two.xlsx"):
            [result] = read_many([_good(tmp_path, name)], STORE, work=report_only)
            assert result.valid and result.provenance["authority"] == "Example Authority A"
        assert sandbox.POOL.running
    finally:
        sandbox.shutdown_workers()


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux's /proc")
def test_warm_workers_leave_when_their_process_is_killed_outright(tmp_path: Path) -> None:
    """A command killed by SIGKILL (no clean-up runs) must not leave its readers waiting."""
    import subprocess
    import sys

    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from rubric.framework.store import FrameworkStore\n"
        "from rubric.read.batch import read_many, report_only\n"
        "paths = [Path(p) for p in sys.argv[2:]]\n"
        "assert all(r.valid for r in read_many(paths, FrameworkStore(Path(sys.argv[1])),\n"
        "                                      jobs=2, work=report_only))\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n")
    files = [_good(tmp_path, f"r{n}.xlsx") for n in range(3)]
    command = subprocess.Popen([sys.executable, "-c", script, str(FRAMEWORKS), *map(str, files)],
                               start_new_session=True, stderr=subprocess.PIPE)
    assert command.wait(timeout=120) == -signal.SIGKILL, command.stderr.read().decode()

    def left() -> list[int]:
        """The processes still running in the killed command's session."""
        found = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and os.getsid(int(entry.name)) == command.pid and \
                        b"State:\tZ" not in (entry / "status").read_bytes():
                    found.append(int(entry.name))
            except (ProcessLookupError, PermissionError, FileNotFoundError):
                continue
        return found
    try:
        deadline = time.monotonic() + 10
        while left() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert left() == []
    finally:
        for pid in left():
            os.kill(pid, signal.SIGKILL)
