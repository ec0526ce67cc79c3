"""Benchmark: what reading returns in limited worker processes costs, per return.

Not part of the test suite. Run `python bench/bench_sandbox.py [--quick]`. Compares, side by
side in one run, reading the same HGIOEA returns in this process (`read_return`, unguarded)
and through `read_many` (a warm worker with memory and time limits, results sent back over a
pipe), for the results validate needs (`report_only`) and the whole result compare needs
(`whole`); and what starting the worker costs once. Medians over repeated runs; compare the
ratios, not the absolute times (these machines drift by up to ~1.8x).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rubric import sandbox  # noqa: E402
from rubric.framework.store import FrameworkStore  # noqa: E402
from rubric.read.batch import read_many, report_only, whole  # noqa: E402
from rubric.read.returns import read_return  # noqa: E402

OUT = ROOT / "bench" / "out" / "sandbox"


def median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def returns(count: int) -> list[Path]:
    examples = sorted((ROOT / "responses" / "examples").glob("*.xlsx"))
    OUT.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        target = OUT / f"r{n:03}.xlsx"
        shutil.copy(examples[n % len(examples)], target)
        paths.append(target)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeat = 3 if args.quick else 9
    store = FrameworkStore(ROOT / "frameworks")
    paths = returns(48)
    for path in paths[:4]:  # frameworks loaded, files in the OS cache
        read_return(path, store)

    sandbox.shutdown_workers()
    start = time.perf_counter()
    list(read_many(paths[:1], store, work=report_only))
    first_call = (time.perf_counter() - start) * 1000

    rows = []
    for label, work in (("report_only (validate)", report_only), ("whole (compare)", whole)):
        inline = median_ms(lambda w=work: [w(read_return(p, store)) for p in paths], repeat)
        guarded = median_ms(lambda w=work: list(read_many(paths, store, jobs=1, work=w)),
                            repeat)
        rows.append((label, inline / len(paths), guarded / len(paths)))
    print(f"{len(paths)} HGIOEA returns (60 themes each), one warm worker, medians of {repeat}")
    print("| work | in this process | in a limited worker | extra per return | ratio |")
    print("|---|---|---|---|---|")
    for label, inline, guarded in rows:
        print(f"| {label} | {inline:.2f} ms | {guarded:.2f} ms | {guarded - inline:+.2f} ms "
              f"| {guarded / inline:.2f}x |")
    print(f"first call in a process (the worker is forked and loads its framework): "
          f"{first_call:.0f} ms")
    print(f"worker limits: {sandbox.DEFAULT_LIMITS.describe_memory()} of address space above "
          f"its start, {sandbox.DEFAULT_LIMITS.cpu_seconds} s of processor time per file")


if __name__ == "__main__":
    main()
