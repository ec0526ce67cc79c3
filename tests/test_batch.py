"""Many returns and many templates: the same answers however they are produced."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from rubric.framework.store import FrameworkStore
from rubric.read.batch import FILES_PER_WORKER, effective_jobs, read_many
from rubric.read.returns import read_return
from rubric.template.workbook import TemplateInfo, write_templates
from tests.conftest import FRAMEWORKS, ROOT
from tests.workbooks import demo_framework

STORE = FrameworkStore(FRAMEWORKS)


def test_small_batches_stay_in_one_process() -> None:
    assert effective_jobs(None, 4) == 1
    assert effective_jobs(2, FILES_PER_WORKER * 2) == 2
    assert effective_jobs(8, FILES_PER_WORKER * 3) == 3
    assert effective_jobs(1, 10_000) == 1


def test_two_workers_give_the_same_results_in_order(tmp_path: Path) -> None:
    examples = sorted((ROOT / "responses" / "examples").glob("*.xlsx"))
    paths = []
    for n in range(FILES_PER_WORKER * 2):
        target = tmp_path / f"r{n:03}.xlsx"
        shutil.copy(examples[n % len(examples)], target)
        paths.append(target)
    (tmp_path / "r007.xlsx").write_text("broken")
    parallel = list(read_many(paths, STORE, jobs=2))
    serial = [read_return(path, STORE) for path in paths]
    assert [r.path for r in parallel] == [str(p) for p in paths]
    assert [r.response for r in parallel] == [r.response for r in serial]
    assert [r.report.codes() for r in parallel] == [r.report.codes() for r in serial]
    assert all(r.framework is not None for r in parallel if r.response is not None)
    assert parallel[7].report.codes() == ["workbook-not-xlsx"]


def test_stamped_templates_carry_each_authority_exactly(tmp_path: Path) -> None:
    names = [("Perth & Kinross <test>", "PKN"), ('Quote "and" apostrophe\'s', "")]
    targets = [(TemplateInfo(name, "2025-26", code), tmp_path / f"{n}.xlsx")
               for n, (name, code) in enumerate(names)]
    write_templates(demo_framework(), targets)
    for (name, code), (_, path) in zip(names, targets, strict=True):
        result = read_return(path, STORE)
        assert result.valid, [str(p) for p in result.report]
        assert (result.response.authority, result.response.authority_code) == (name, code)
        with zipfile.ZipFile(path) as archive:
            assert not any(b"@@rubric" in archive.read(n) for n in archive.namelist())


def test_workers_can_send_back_only_what_a_command_needs(tmp_path: Path) -> None:
    from rubric.read.batch import report_only, with_scores

    examples = sorted((ROOT / "responses" / "examples").glob("*.xlsx"))
    paths = [examples[n % 4] for n in range(FILES_PER_WORKER * 2)]
    light = list(read_many(paths, STORE, jobs=2, work=report_only))
    assert all(r.valid and r.response.themes == {} for r in light)
    scored = list(read_many(paths, STORE, jobs=2, work=with_scores))
    assert [s.overall.rounded for _, s in scored[:4]] == [4.7, 4.0, 3.0, 5.3]
