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


def bare_read(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def resaved_by_libreoffice(path: Path) -> Path | None:
    """``path`` opened and saved again by LibreOffice, as an authority's Excel or LibreOffice
    saves a filled return (texts move to shared strings); None without LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    folder = path.parent / "resaved"
    target = folder / path.name
    if soffice is None:
        return None
    if not target.exists():
        profile = OUT / "lo-profile"
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(folder),
                        str(path)], check=False, capture_output=True, timeout=180)
    return target if target.exists() else None


def hot_path(store: FrameworkStore) -> Callable[[Path], None]:
    """What a worker of `rubric score` does per return: gate, read, check, score."""
    from rubric.read.batch import scores_of
    from rubric.read.returns import read_return_plain

    def read(path: Path) -> None:
        result, answers = read_return_plain(path, store)
        assert result.valid and scores_of(result, answers) is not None
    return read


def model_path(store: FrameworkStore) -> Callable[[Path], None]:
    def read(path: Path) -> None:
        result = read_return(path, store)
        assert result.valid
        score_response(result.response, result.framework)
    return read


def paired(first: Callable[[], object], second: Callable[[], object], repeat: int
           ) -> tuple[float, float]:
    """Medians (ms) of ``first`` and ``second`` run alternately, so drift hits both alike."""
    a, b = [], []
    for _ in range(repeat):
        for work, times in ((first, a), (second, b)):
            start = time.perf_counter()
            work()
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(a), statistics.median(b)


def cli(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "rubric", *args]


def run_cli(args: list[str], env: dict[str, str] | None = None) -> Callable[[], None]:
    def run() -> None:
        subprocess.run(cli(args), cwd=ROOT, check=False, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env)
    return run


def peak_rss_mb(args: list[str]) -> float:
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], "
             "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *cli(args)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return int(out.strip()) / 1024


def distinct_copies(sources: list[Path], count: int, folder: Path) -> list[Path]:
    """``count`` returns with distinct bytes (a zip comment each), as new returns would be."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"n{n:05}.xlsx"
        if not path.exists():
            data = sources[n % len(sources)].read_bytes()
            comment = f"bench copy {n}".encode()
            assert data[-2:] == b"\0\0", "the source already has a zip comment"
            path.write_bytes(data[:-2] + len(comment).to_bytes(2, "little") + comment)
        paths.append(path)
    return paths


Row = tuple[str, str, str, str]  # measure, result, target, met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer files and repeats")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    big = 500 if args.quick else 2500
    store_dir = OUT / "frameworks"
    cache_home = OUT / "xdg-cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    os.environ["XDG_CACHE_HOME"] = str(cache_home)
    # An installed rubric has its bytecode (pip compiles it); a checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would compile every module again in every timed process.
    import compileall

    compileall.compile_dir(ROOT / "rubric", quiet=1)
    rows: list[Row] = []
    extra: list[tuple[str, str]] = []

    def add(what: str, value: float, unit: str, target: str, met: bool) -> None:
        shown = f"{value:.2f}x" if unit == "x" else f"{value:.2f} {unit}"
        rows.append((what, shown, target, "met" if met else "**not met**"))
        print(f"  {what}: {shown} (target {target}): {'met' if met else 'NOT MET'}",
              file=sys.stderr, flush=True)

    def note(what: str, value: str) -> None:
        extra.append((what, value))
        print(f"  {what}: {value}", file=sys.stderr, flush=True)

    medium: list[Path] = []
    for size, (indicators, themes) in SIZES.items():
        framework = load_framework(synthetic_framework(size, indicators, themes,
                                                       store_dir)).framework
        assert framework is not None
        paths = make_returns(framework, size, 4)
        store = FrameworkStore(store_dir)
        sample = paths[:4]
        for path in sample:
            model_path(store)(path)  # warm: framework loaded, files in the OS cache
        hot_read, model_read = hot_path(store), model_path(store)

        def each(read: Callable[[Path], None], files: list[Path] = sample) -> Callable[[], None]:
            return lambda: [read(p) for p in files]
        hot, bare = paired(each(hot_read), each(bare_read), repeat * 3)
        model, bare2 = paired(each(model_read), each(bare_read), repeat)
        kb = sample[0].stat().st_size / 1024
        note(f"{size} return ({indicators * themes} themes, {kb:.0f} KB): bare calamine / "
             "rubric hot path / model path (read_return + score_response)",
             f"{bare / 4:.1f} / {hot / 4:.1f} / {model / 4:.1f} ms "
             f"(model path {model / bare2:.2f}x bare)")
        resaved = resaved_by_libreoffice(paths[0]) if size == "medium" else None
        if resaved is not None:
            hot_lo, bare_lo = paired(each(hot_read, [resaved]), each(bare_read, [resaved]),
                                     repeat * 6)
            note("medium return re-saved by LibreOffice, as a filled return comes back (texts "
                 f"in shared strings, {resaved.stat().st_size / 1024:.0f} KB): bare calamine / "
                 "rubric hot path", f"{bare_lo:.1f} / {hot_lo:.1f} ms = {hot_lo / bare_lo:.2f}x")
        label = "one medium return" if size == "medium" else "one large return"
        add(f"read + validate + score {label} / bare python-calamine read of all sheets",
            hot / bare, "x", "<= 1.5x", hot / bare <= 1.5)
        if size == "medium":
            medium = paths

    # HGIOEA returns: the whole score command against a bare calamine loop, both new processes
    examples = sorted((ROOT / "responses" / "examples").glob("*.xlsx"))
    hgioea = distinct_copies(examples, 48, OUT / "hgioea48")
    frameworks = ["--frameworks", str(ROOT / "frameworks")]
    loop = ("import sys\nfrom python_calamine import CalamineWorkbook\nfor p in sys.argv[1:]:\n"
            "    b = CalamineWorkbook.from_path(p)\n    for n in b.sheet_names:\n"
            "        b.get_sheet_by_name(n).to_python()\n")
    run_cli(["validate", str(hgioea[0])], env)()  # the framework cache is warm
    whole, bare_loop = paired(
        run_cli(["score", *frameworks, "--jobs", "1", "--json", *map(str, hgioea)], env),
        lambda: subprocess.run([sys.executable, "-c", loop, *map(str, hgioea)], check=True),
        repeat)
    add("`rubric score --jobs 1 --json` over 48 HGIOEA returns, whole process / a bare calamine "
        "loop over them in one process", whole / bare_loop, "x", "<= 2.0x",
        whole / bare_loop <= 2.0)

    one = str(hgioea[0])
    click_only = lambda: subprocess.run([sys.executable, "-c", "import click"],  # noqa: E731
                                        check=True)
    warm, click_ms = paired(run_cli(["validate", *frameworks, one], env), click_only,
                            repeat * 2)
    add("`rubric validate one.xlsx` (warm framework cache) / `python -c \"import click\"`",
        warm / click_ms, "x", "<= 2.5x", warm / click_ms <= 2.5)
    cold_env = {**env, "RUBRIC_NO_CACHE": "1"}
    cold, click_ms2 = paired(run_cli(["validate", *frameworks, one], cold_env), click_only,
                             repeat)
    note("`rubric validate one.xlsx`: warm cache / no cache / python -c \"import click\"",
         f"{warm:.0f} / {cold:.0f} / {click_ms:.0f} ms (no cache {cold / click_ms2:.2f}x)")

    # many returns: memory, two workers, ingest
    many = distinct_copies(medium[:4], big, OUT / "medium" / f"distinct{big}")
    score = ["score", "--frameworks", str(store_dir)]
    rss_small = peak_rss_mb([*score, "--jobs", "1", "--json", *map(str, many[:big // 10])])
    rss_big = peak_rss_mb([*score, "--jobs", "1", "--json", *map(str, many)])
    add(f"peak RSS of `score --json`, {big:,} / {big // 10:,} returns", rss_big / rss_small,
        "x", "<= 1.2x", rss_big / rss_small <= 1.2)
    note(f"peak RSS of `score --json`, {big // 10:,} / {big:,} returns",
         f"{rss_small:.0f} / {rss_big:.0f} MB")
    speedups = []
    for form in ([], ["--json"]):
        timing = {}
        for jobs in ("1", "2"):
            start = time.perf_counter()
            run_cli([*score, "--jobs", jobs, *form, *map(str, many)], env)()
            timing[jobs] = time.perf_counter() - start
        speedups.append(timing["1"] / timing["2"])
        note(f"`score{' --json' if form else ''}` of {big:,} returns, --jobs 1 / --jobs 2",
             f"{timing['1']:.1f} / {timing['2']:.1f} s")
    add(f"`--jobs 2` / `--jobs 1` at {big:,} returns, text and `--json`",
        min(speedups), "x", ">= 1.7x both", min(speedups) >= 1.7)
    rows[-1] = (*rows[-1][:1], f"{speedups[0]:.2f}x / {speedups[1]:.2f}x", *rows[-1][2:])

    db = OUT / "ingest.sqlite"
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    ingest = ["ingest", "--frameworks", str(store_dir), "--db", str(db), *map(str, many)]
    start = time.perf_counter()
    run_cli(ingest, env)()
    ingest_new = time.perf_counter() - start
    start = time.perf_counter()
    run_cli(ingest, env)()
    ingest_again = time.perf_counter() - start
    start = time.perf_counter()
    run_cli([*score, *map(str, many)], env)()
    score_all = time.perf_counter() - start
    add(f"`ingest` of {big:,} unchanged returns again", ingest_again, "s", "under 1 s",
        ingest_again < 1)
    add(f"`ingest` of {big:,} new returns / `score` of them", ingest_new / score_all, "x",
        "<= 1.1x", ingest_new / score_all <= 1.1)
    note(f"`ingest` of {big:,} new returns / `score` of them",
         f"{ingest_new:.1f} / {score_all:.1f} s")

    templates = OUT / "medium" / "templates"
    shutil.rmtree(templates, ignore_errors=True)
    templates.mkdir(parents=True)
    framework = load_framework(store_dir / "bench-medium" / "1.0.0.yaml").framework
    assert framework is not None

    def write(count: int) -> None:
        write_templates(framework, [(TemplateInfo(f"Authority {n}", "2025-26"),
                                     templates / f"t{n}.xlsx") for n in range(count)],
                        force=True)

    t1, t32 = paired(lambda: write(1), lambda: write(32), repeat)
    note("medium: 1 / 32 templates", f"{t1:.0f} / {t32:.0f} ms = {t32 / t1:.2f}x "
         "(target <= 4x)")
    helped, click_ms3 = paired(run_cli(["--help"], env), click_only, repeat * 2)
    note("`rubric --help` / `python -c \"import click\"`",
         f"{helped:.0f} / {click_ms3:.0f} ms = {helped / click_ms3:.2f}x (target <= 2x)")

    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} CPUs, "
          f"{platform.python_implementation()} {platform.python_version()}, {platform.system()}"
          f"{' (--quick)' if args.quick else ''}")
    print("| measure | result | target | |\n|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("\n| also measured | result |\n|---|---|")
    for what, value in extra:
        print(f"| {what} | {value} |")
    (OUT / "results.json").write_text(json.dumps({"rows": rows, "extra": extra}, indent=1))


if __name__ == "__main__":
    main()
