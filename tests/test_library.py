"""Whole commands run from Python, without click: what a web service or a script does."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import rubric
from tests.conftest import FRAMEWORKS, ROOT

EXAMPLES = ROOT / "responses" / "examples"
STORE = rubric.FrameworkStore(FRAMEWORKS)


@pytest.fixture
def history_path(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite"
    history = rubric.open_history(path)
    try:
        run = rubric.ingest_returns(sorted(EXAMPLES.glob("*.xlsx")), history, STORE)
    finally:
        history.close()
    assert run.report.valid and len(run.outcomes) == 4
    assert {o.cycle for o in run.outcomes} == {"2025-26"}
    return path


def test_a_follow_up_workbook_from_python(tmp_path: Path, history_path: Path) -> None:
    framework = STORE.resolve("hgioea").framework
    run = rubric.make_templates(framework, tmp_path / "out", cycle="2026-27",
                                authorities=["Example Authority C", "Example Authority Z"],
                                allow_unlisted=True, follow_up=True,
                                history_path=history_path, store=STORE)
    assert [t.authority for t in run.targets] == ["Example Authority C", "Example Authority Z"]
    assert run.targets[0].follow_up and run.targets[1].follow_up == {}
    assert run.report.codes() == ["follow-up-no-previous"]  # Z has no 2025-26 return
    assert all(path.exists() for path in run.written)
    book = openpyxl.load_workbook(run.written[0], read_only=True)
    texts = {c for s in book.worksheets for r in s.iter_rows(values_only=True) for c in r if c}
    book.close()
    assert "Last cycle's next steps" in texts


def test_a_comparison_with_its_trend_from_python(history_path: Path) -> None:
    run = rubric.run_comparison([EXAMPLES / "2026-27"], store=STORE, previous_cycle="2025-26",
                                history_path=history_path)
    assert run.comparison is not None and run.written == []
    assert run.comparison.previous_cycle == "2025-26"
    assert len(run.comparison.previous.scores) == 4


def test_ingest_refuses_a_return_of_another_cycle(tmp_path: Path) -> None:
    history = rubric.open_history(tmp_path / "h.sqlite")
    try:
        run = rubric.ingest_returns([EXAMPLES / "example-authority-a.xlsx"], history, STORE,
                                    cycle="2026-27")
        assert run.outcomes == [] and run.report.codes() == ["ingest-cycle-mismatch"]
        assert run.report.exit_code == rubric.EXIT_PROBLEMS
        assert history.returns() == []  # nothing superseded, nothing recorded
    finally:
        history.close()


def test_refusals_carry_a_coded_problem() -> None:
    with pytest.raises(rubric.Refused) as refused:
        STORE.resolve("hgioea@9.9.9")
    assert refused.value.problem.code == "framework-not-found"
    assert "1.0.0, 1.1.0" in refused.value.problem.hint
    assert refused.value.report.exit_code == rubric.EXIT_USAGE
