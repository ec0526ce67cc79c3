"""score, compare and national as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rubric.cli import main
from tests.conftest import FRAMEWORKS, ROOT

EXAMPLES = ROOT / "responses" / "examples"
FW = ["--frameworks", str(FRAMEWORKS)]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_score_json_has_the_contracted_fields() -> None:
    code, output = run("score", "--json", *FW, str(EXAMPLES / "example-authority-a.xlsx"))
    assert code == 0, output
    [entry] = json.loads(output)["responses"]
    assert entry["authority"] == {"code": "EXA", "name": "Example Authority A"}
    assert entry["framework"] == {"id": "hgioea", "version": "1.0.0"}
    assert 0 <= entry["completion"] <= 1 and isinstance(entry["overall"], float)
    assert {"id", "score"} <= set(entry["categories"][0])
    assert {"id", "score", "answered", "total"} <= set(entry["indicators"][0])
    assert {"id", "level", "label"} <= set(entry["themes"][0])


def test_score_explain_shows_rules_and_exclusions() -> None:
    code, output = run("score", "--explain", *FW, str(EXAMPLES / "example-authority-b.xlsx"))
    assert code == 0
    assert "= mean(" in output and "4.2.2 left out: 'Not applicable'" in output


def test_score_reports_an_invalid_return_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    code, output = run("score", *FW, str(bad))
    assert code == 1 and "workbook-not-xlsx" in output


def test_compare_writes_the_workbook_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "quad.xlsx"
    code, output = run("compare", *FW, str(EXAMPLES), "-o", str(out))
    assert code == 0, output
    assert out.exists() and "Challenge prompts:" in output
    code, output = run("compare", *FW, str(EXAMPLES), "-o", str(out))
    assert code == 2 and "output-exists" in output  # cannot run as asked
    assert run("compare", *FW, str(EXAMPLES), "-o", str(out), "--force")[0] == 0


def test_compare_with_a_quad_checks_membership(tmp_path: Path) -> None:
    code, output = run("compare", *FW, str(EXAMPLES), "-o", str(tmp_path / "q.xlsx"),
                       "--quad", "FG1 Quad A", "--quads-file", str(ROOT / "quads.yaml"))
    assert code == 1 and "compare-not-in-quad" in output


def test_national(tmp_path: Path) -> None:
    out = tmp_path / "national.xlsx"
    code, output = run("national", *FW, str(EXAMPLES), "-o", str(out), "--quads-file",
                       str(ROOT / "quads.yaml"))
    assert code == 0, output
    assert out.exists() and "4 returns" in output
