"""Texts longer than a cell holds: written over '(continued)' rows, read back whole, migrated."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from rubric.cli import main
from rubric.framework.load import load_framework
from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from rubric.template.fill import fill_workbook
from rubric.versions.migrate import migrate_response, write_migrated_workbook
from rubric.xlsx.cells import CELL_LIMIT
from tests.conftest import FRAMEWORKS, ROOT
from tests.workbooks import blank_template

STORE = FrameworkStore(FRAMEWORKS)
EXAMPLE = ROOT / "responses" / "examples" / "example-authority-a.xlsx"
# 100,000 characters with no space in the last half of each cell's worth, and with spaces
PIECES = {"no-spaces": "e" * 100_000,
          "words": " ".join(f"word{n:05d}" for n in range(11_000)),
          "lines": "\n".join(f"Line {n} of the evidence." for n in range(4_500))}


def test_a_long_text_is_written_over_continued_rows_and_read_back_whole(tmp_path: Path) -> None:
    for name, text in PIECES.items():
        target = tmp_path / f"{name}.xlsx"
        fill_workbook(blank_template(tmp_path), target, {
            "1.1.1": {"level": 5, "evidence": text, "next_steps": "Short."},
            "1.1.2": {"level": 4, "evidence": "Fine.", "strengths": text[::-1]}})
        result = read_return(target, STORE)
        assert result.valid, [str(p) for p in result.report]
        themes = result.response.themes
        assert themes["1.1.1"].evidence == text.strip() and themes["1.1.1"].next_steps == "Short."
        assert themes["1.1.2"].strengths == text[::-1].strip()
        assert "text-at-cell-limit" not in result.report.codes()
        assert "answer-outside-framework" not in result.report.codes()


def test_a_text_of_exactly_the_cell_limit_is_read_with_a_warning(tmp_path: Path) -> None:
    target = tmp_path / "cut.xlsx"
    fill_workbook(blank_template(tmp_path), target, {
        "1.1.1": {"level": 5, "evidence": "x" * CELL_LIMIT}})
    result = read_return(target, STORE)
    assert result.valid
    cut = [p for p in result.report if p.code == "text-at-cell-limit"]
    assert [(p.location.sheet, p.location.cell) for p in cut] == [("1 Outcomes", "F6")]


def test_migrate_splits_a_100000_character_text_and_the_return_reads_back_whole(
        tmp_path: Path) -> None:
    text = PIECES["words"]
    source = tmp_path / "long.xlsx"
    shutil.copy(EXAMPLE, source)
    old = read_return(source, STORE)
    theme = next(iter(old.response.themes))
    fill_workbook(EXAMPLE, source, {theme: {"evidence": text}}, force=True)
    before = read_return(source, STORE)
    assert before.valid and before.response.themes[theme].evidence == text
    new = load_framework(FRAMEWORKS / "hgioea" / "1.1.0.yaml").framework
    migration = migrate_response(before.response, before.framework, new)
    target = write_migrated_workbook(migration, before.framework, new, tmp_path / "new.xlsx")
    after = read_return(target, STORE)
    assert after.valid, [str(p) for p in after.report.errors]
    moved = migration.response.themes
    assert {k: after.response.themes[k].evidence for k in moved} == {
        k: v.evidence for k, v in moved.items()}
    assert text in [v.evidence for v in after.response.themes.values()]
    run = CliRunner().invoke(main, ["migrate", str(source), "--to",
                                    str(FRAMEWORKS / "hgioea" / "1.1.0.yaml"), "-o",
                                    str(tmp_path / "cli.xlsx"), "--frameworks", str(FRAMEWORKS)])
    assert run.exit_code == 0, run.output
    assert read_return(tmp_path / "cli.xlsx", STORE).valid
