"""Benchmark: validate 32 realistic HGIOEA returns (not a test; run by hand, see README).

Generates the returns once into bench/out/ (filled through the real template with long texts),
then times `read_return` per file and the whole `rubric validate` command over all 32, as medians.
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
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_examples import CYCLE, PROFILES, Profile, answers_for  # noqa: E402

from rubric.framework.load import load_framework  # noqa: E402
from rubric.framework.store import FrameworkStore  # noqa: E402
from rubric.read.returns import read_return  # noqa: E402
from rubric.registry.authorities import all_authorities  # noqa: E402
from rubric.template.fill import fill_workbook  # noqa: E402
from rubric.template.workbook import TemplateInfo, write_template  # noqa: E402

OUT = ROOT / "bench" / "out" / "returns32"


def generate(framework_path: Path) -> list[Path]:
    framework = load_framework(framework_path).framework
    assert framework is not None
    OUT.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, authority in enumerate(all_authorities()):
        target = OUT / f"{authority.code}.xlsx"
        paths.append(target)
        if target.exists():
            continue
        base = PROFILES[n % len(PROFILES)]
        profile = Profile(base.letter, base.mean, base.spread, max(base.evidence_sentences, 3),
                          100 + n, base.measure_trend)
        blank = OUT / f".{authority.code}-blank.xlsx"
        write_template(framework, TemplateInfo(authority.name, CYCLE, authority.code), blank,
                       force=True)
        themes, measures = answers_for(framework, profile)
        fill_workbook(blank, target, themes, measures, force=True)
        blank.unlink()
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    paths = generate(ROOT / "frameworks" / "hgioea" / "1.0.0.yaml")
    size = statistics.median(p.stat().st_size for p in paths)
    store = FrameworkStore(ROOT / "frameworks")
    read_return(paths[0], store)  # warm the framework cache and imports
    per_file = []
    for _ in range(args.repeat):
        for path in paths:
            start = time.perf_counter()
            result = read_return(path, store)
            per_file.append((time.perf_counter() - start) * 1000)
            assert result.valid, [str(p) for p in result.report]
    whole = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "rubric", "validate", str(OUT)], check=True,
                       capture_output=True, cwd=ROOT)
        whole.append((time.perf_counter() - start) * 1000)
    print(f"machine: {platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.system()}")
    print(f"{len(paths)} HGIOEA returns, median size {size / 1024:.0f} KiB")
    print(f"read + validate one return (median): {statistics.median(per_file):.1f} ms")
    print(f"rubric validate <32 returns> in a new process (median): "
          f"{statistics.median(whole):.0f} ms")


if __name__ == "__main__":
    main()
