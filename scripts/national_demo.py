"""The national demo: a return from every one of the 32 councils, two cycles, for
``rubric national``. Fictional answers from a seeded generator, not any council's
self-evaluation.

2024-25 returns (HGIOEA-style 1.0.0) are made from templates, filled and ingested into a
history; published measures are imported from a CSV; 2025-26 templates (1.1.0, so the trend
crosses a version) are prefilled from it and filled in. Then run ``rubric national`` on the
2025-26 returns with ``--db`` (scripts/demo.sh does).
Run: python scripts/national_demo.py OUT [--force]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rubric.cycles.history import open_history  # noqa: E402
from rubric.cycles.ingest import ingest_returns  # noqa: E402
from rubric.cycles.measures import import_measures  # noqa: E402
from rubric.framework.store import FrameworkStore  # noqa: E402
from rubric.registry.authorities import all_authorities  # noqa: E402
from rubric.template.fill import fill_workbook  # noqa: E402
from rubric.template.targets import make_templates  # noqa: E402

CYCLES = (("2024-25", "hgioea@1.0.0", 0), ("2025-26", "hgioea@1.1.0", 1))


def answers(framework, code: str, group: int, cycle: str, lift: int) -> dict:
    """Levels around a base set by the family group, a few themes left out, most evidenced."""
    rng = random.Random(f"{code}:{cycle}")
    base = 5 - group // 2 + lift * rng.choice((0, 0, 1))
    out = {}
    for theme_id in framework.theme_index:
        if rng.random() < 0.04:
            continue
        level = min(max(base + rng.choice((-2, -1, -1, 0, 0, 0, 1, 1)), 1), 6)
        out[theme_id] = {"level": level, "evidence": f"Evidence for {theme_id} ({code})."}
    return out


def figures_csv(path: Path) -> None:
    rng = random.Random("published")
    lines = ["authority,measure,cycle,value,source"]
    for authority in all_authorities():
        for cycle in ("2024-25", "2025-26"):
            value = round(90 + rng.random() * 8, 1)
            lines.append(f"{authority.code},leavers-positive-destinations,{cycle},{value},"
                         "fictional figures for the demo")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    out: Path = args.out
    if out.exists():
        if not args.force:
            sys.exit(f"{out} exists; pass --force to replace it")
        shutil.rmtree(out)
    store = FrameworkStore(ROOT / "frameworks")
    groups = {a.code: a.family_group for a in all_authorities()}
    history = open_history(out / "history.sqlite")
    try:
        figures_csv(out / "measures.csv")
        import_measures(out / "measures.csv", history)
        for cycle, spec, lift in CYCLES:
            framework = store.resolve(spec).framework
            history.close()
            run = make_templates(framework, out / f"templates-{cycle}", cycle=cycle,
                                 all_authorities=True, prefill_measures=True,
                                 history_path=out / "history.sqlite")
            history = open_history(out / "history.sqlite")
            returns = out / f"returns-{cycle}"
            paths = [fill_workbook(t.path, returns / t.path.name,
                                   answers(framework, t.code, groups[t.code], cycle, lift))
                     for t in run.targets]
            if cycle != CYCLES[-1][0]:
                ingest_returns(paths, history, store)
            print(f"{cycle}: {len(paths)} returns in {returns} ({framework.key})")
    finally:
        history.close()


if __name__ == "__main__":
    main()
