"""Benchmark: reading, batches, memory, start-up and templates, side by side in one run.

Not part of the test suite. Run through `bash scripts/bench.sh` (which installs the optional
pandas baseline), or directly with `python bench/bench_performance.py [--quick]`. Generated
files go to bench/out/ (ignored by git). Every figure is a median over repeated runs; compare
ratios measured together rather than absolute times (these machines drift by up to ~1.8x).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rubric.framework.load import load_framework  # noqa: E402
from rubric.framework.model import Framework  # noqa: E402
from rubric.framework.store import FrameworkStore  # noqa: E402
from rubric.read.returns import read_return  # noqa: E402
from rubric.scoring import score_response  # noqa: E402
from rubric.template.fill import fill_workbook  # noqa: E402
from rubric.template.workbook import TemplateInfo, write_template, write_templates  # noqa: E402

OUT = ROOT / "bench" / "out" / "perf"
SIZES = {"medium": (16, 24), "large": (40, 24)}  # indicators, themes per indicator
_PROSE = ("attainment data quality improvement visit notes learner parent surveys views partners "
          "we triangulated evidence from school reviews leadership teams moderation shows that "
          "most staff confidently use tracking systems to plan interventions for children young "
          "people families who need support while attendance exclusions and positive "
          "destinations improved across clusters although variation remains between "
          "establishments in rural areas where recruitment is harder")
WORDS = tuple(_PROSE.split(" "))


def theme_texts(theme_id: str, authority: int) -> dict[str, str]:
    """Distinct texts for one theme of one authority, as long as real returns' (shared strings
    are not deduplicated across themes, as they are not in real returns)."""
    rng = random.Random(f"{theme_id}/{authority}")

    def sentences(words: int) -> str:
        text = " ".join(rng.choice(WORDS) for _ in range(words))
        return f"{theme_id}: {text[0].upper()}{text[1:]}."
    return {"evidence": sentences(rng.randint(110, 150)), "strengths": sentences(45),
            "next_steps": sentences(40)}


def median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def synthetic_framework(size: str, indicators: int, themes: int, directory: Path) -> Path:
    """A framework of the given size, written as YAML into a store folder under its own id
    (``bench-medium``, ``bench-large``), so the sizes never overwrite each other."""
    lines = [
        f'id: bench-{size}', 'title: Benchmark framework', 'version: "1.0.0"', "status: draft",
        "description: Synthetic framework for benchmarks.", "publisher: rubric bench",
        "scale:", "  levels:",
        *(f"    - {{value: {v}, label: L{v}, meaning: Level {v}.}}" for v in range(6, 0, -1)),
        "categories:",
    ]
    for i in range(1, indicators + 1):
        category = (i - 1) // 4 + 1
        if (i - 1) % 4 == 0:
            lines += [f'  - id: "{category}"', f"    title: Area {category}", "    indicators:"]
        lines += [f'      - id: "{category}.{i}"', f"        title: Indicator {i}",
                  "        challenge_questions: [How well do we know?]", "        themes:"]
        for t in range(1, themes + 1):
            lines += [f'          - id: "{category}.{i}.{t}"', f"            title: Theme {t}",
                      "            illustrations:",
                      f"              5: {'Very good practice looks like this. ' * 4}",
                      f"              2: {'Weak practice looks like this. ' * 3}"]
    path = directory / f"bench-{size}" / "1.0.0.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def make_returns(framework: Framework, size: str, count: int) -> list[Path]:
    """``count`` returns: four distinct filled workbooks, copied (readers do not care).

    Cached under the framework's content hash, so a changed framework never reuses stale files.
    """
    folder = OUT / size / f"returns-{framework.content_hash[7:19]}"
    folder.mkdir(parents=True, exist_ok=True)
    distinct = []
    for n in range(4):
        target = folder / f"distinct-{n}.xlsx"
        if not target.exists():
            blank = OUT / size / f"blank-{n}.xlsx"
            write_template(framework, TemplateInfo(f"Authority {n}", "2025-26"), blank,
                           force=True)
            answers = {tid: {"level": random.Random(f"{tid}/{n}").randint(1, 6),
                             **theme_texts(tid, n)} for tid in framework.theme_index}
            fill_workbook(blank, target, answers, force=True)
            blank.unlink()
        distinct.append(target)
    paths = []
    for n in range(count):
        path = folder / f"r{n:05}.xlsx"
        if not path.exists():
            os.link(distinct[n % 4], path)
        paths.append(path)
    return paths


def per_return(paths: list[Path], store: FrameworkStore, repeat: int) -> dict[str, float]:
    from python_calamine import CalamineWorkbook

    def bare(path: Path) -> None:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()

    def ours(path: Path) -> None:
        result = read_return(path, store)
        assert result.valid
        score_response(result.response, result.framework)

    def openpyxl_read(path: Path) -> None:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for sheet in book.worksheets:
            for _ in sheet.iter_rows(values_only=True):
                pass
        book.close()

    readers: dict[str, Callable[[Path], None]] = {
        "rubric read + validate + score": ours, "python-calamine bare read": bare,
        "openpyxl read-only": openpyxl_read}
    try:
        import pandas

        readers["pandas.read_excel (all sheets)"] = lambda p: pandas.read_excel(
            p, sheet_name=None, header=None, engine="openpyxl")
    except ImportError:
        pass
    sample = paths[:4]
    return {name: median_ms(lambda f=f: [f(p) for p in sample], repeat) / len(sample)
            for name, f in readers.items()}


def cli(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "rubric", *args]


def timed_cli(args: list[str], repeat: int) -> float:
    return median_ms(lambda: subprocess.run(cli(args), cwd=ROOT, check=False,
                                            capture_output=True), repeat)


def peak_rss_mb(args: list[str]) -> float:
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], "
             "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *cli(args)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return int(out.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer files and repeats")
    args = parser.parse_args()
    repeat = 3 if args.quick else 5
    big = 500 if args.quick else 2500
    store_dir = OUT / "frameworks"
    rows: list[tuple[str, str, str]] = []

    def add(what: str, value: str, target: str = "") -> None:
        rows.append((what, value, target))
        print(f"  {what}: {value} {target}", file=sys.stderr, flush=True)

    for size, (indicators, themes) in SIZES.items():
        framework = load_framework(synthetic_framework(indicators, themes, store_dir)).framework
        assert framework is not None
        paths = make_returns(framework, size, 32 if size == "large" else big)
        store = FrameworkStore(store_dir)
        kb = paths[0].stat().st_size / 1024
        times = per_return(paths, store, repeat)
        for name, ms in times.items():
            add(f"{size} ({indicators} indicators, {indicators * themes} themes, {kb:.0f} KB): "
                f"{name}", f"{ms:.1f} ms")
        ratio = times["rubric read + validate + score"] / times["python-calamine bare read"]
        add(f"{size}: rubric / bare calamine", f"{ratio:.2f}x", "(target <= 2.0x)")
        if size != "medium":
            continue
        folder32 = OUT / size / "batch32"
        shutil.rmtree(folder32, ignore_errors=True)
        folder32.mkdir()
        for path in paths[:32]:
            os.link(path, folder32 / path.name)
        for jobs in (1, 2):
            add(f"medium: rubric score, 32 returns, --jobs {jobs}",
                f"{timed_cli(['score', '--frameworks', str(store_dir), '--jobs', str(jobs), str(folder32)], repeat):.0f} ms")  # noqa: E501
        only = paths[:big]
        one = timed_cli(["score", "--frameworks", str(store_dir), "--jobs", "1", *map(str, only)],
                        1)
        two = timed_cli(["score", "--frameworks", str(store_dir), "--jobs", "2", *map(str, only)],
                        1)
        add(f"medium: rubric score, {big} returns, --jobs 1", f"{one / 1000:.1f} s")
        add(f"medium: rubric score, {big} returns, --jobs 2", f"{two / 1000:.1f} s",
            f"(speed-up {one / two:.2f}x; target >= 1.7x)")
        small = only[: big // 10]
        rss_small = peak_rss_mb(["score", "--frameworks", str(store_dir), "--jobs", "1",
                                 *map(str, small)])
        rss_big = peak_rss_mb(["score", "--frameworks", str(store_dir), "--jobs", "1",
                               *map(str, only)])
        add(f"medium: peak memory, score {len(small)} returns", f"{rss_small:.0f} MB")
        add(f"medium: peak memory, score {len(only)} returns", f"{rss_big:.0f} MB",
            f"({rss_big / rss_small:.2f}x; target <= 1.2x)")
        templates = OUT / size / "templates"
        shutil.rmtree(templates, ignore_errors=True)
        templates.mkdir()

        def write(count: int, framework: Framework = framework,
                  templates: Path = templates) -> None:
            write_templates(framework, [(TemplateInfo(f"Authority {n}", "2025-26"),
                                         templates / f"t{n}.xlsx") for n in range(count)],
                            force=True)

        t1, t32 = median_ms(lambda: write(1), repeat), median_ms(lambda: write(32), repeat)
        add("medium: 1 template", f"{t1:.0f} ms")
        add("medium: 32 templates", f"{t32:.0f} ms", f"({t32 / t1:.2f}x; target <= 4x)")

    startup = timed_cli(["--help"], repeat * 3)
    click_only = median_ms(lambda: subprocess.run([sys.executable, "-c", "import click"],
                                                  check=True), repeat * 3)
    add("rubric --help", f"{startup:.0f} ms")
    add('python -c "import click"', f"{click_only:.0f} ms",
        f"(rubric {startup / click_only:.2f}x; target <= 2x)")

    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} CPUs, "
          f"{platform.python_implementation()} {platform.python_version()}, {platform.system()}")
    print("| measure | result | target |\n|---|---|---|")
    for what, value, target in rows:
        print(f"| {what} | {value} | {target} |")
    (OUT / "results.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
