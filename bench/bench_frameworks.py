"""Benchmark: load + lint every bundled framework (not a test; run by hand, see README).

Prints the median of repeated runs per framework, plus the cost of the first load in a fresh
process (imports included), which is what a CLI user waits for.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from rubric.framework.load import load_framework

    print(f"machine: {platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.system()}")
    print(f"{'framework':<32} {'themes':>6} {'load+lint ms':>13}")
    for path in sorted((ROOT / "frameworks").glob("*/*.yaml")):
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = load_framework(path)
            times.append((time.perf_counter() - start) * 1000)
        assert result.valid, path
        themes = len(result.framework.theme_index)
        print(f"{path.relative_to(ROOT)!s:<32} {themes:>6} {statistics.median(times):>13.1f}")
    cold = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "rubric", "framework", "lint",
                        *map(str, sorted((ROOT / "frameworks").glob("*/*.yaml")))],
                       check=True, capture_output=True, cwd=ROOT)
        cold.append((time.perf_counter() - start) * 1000)
    print(f"{'rubric framework lint (all, new process)':<40} {statistics.median(cold):>10.0f} ms")


if __name__ == "__main__":
    main()
