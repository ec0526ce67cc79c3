"""template, validate and authorities as a user runs them: outputs, JSON shapes, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rubric.cli import main
from tests.conftest import DEMO, FRAMEWORKS, ROOT

FW = ["--frameworks", str(FRAMEWORKS)]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_template_for_one_authority_a_quad_and_all(tmp_path: Path) -> None:
    code, output = run("template", str(DEMO), "--authority", "Perth & Kinross", "-o",
                       str(tmp_path / "pkn.xlsx"))
    assert code == 0 and (tmp_path / "pkn.xlsx").exists()
    code, output = run("template", str(DEMO), "--quad", "FG4 Quad B", "--quads-file",
                       str(ROOT / "quads.yaml"), "--cycle", "2025-26", "-o", str(tmp_path / "quad"))
    assert code == 0 and len(list((tmp_path / "quad").glob("*.xlsx"))) == 4
    code, output = run("template", str(DEMO), "--all", "--cycle", "2025-26", "-o",
                       str(tmp_path / "all"))
    assert code == 0 and len(list((tmp_path / "all").glob("*.xlsx"))) == 32
    assert (tmp_path / "all" / "demo-1.0.0-EDH-2025-26.xlsx").exists()
    code, output = run("template", str(DEMO), "--authority", "Edinbrugh", "-o",
                       str(tmp_path / "x.xlsx"))
    assert code == 2 and "City of Edinburgh" in output
    assert run("template", str(DEMO), "-o", str(tmp_path / "y.xlsx"))[0] == 2


def test_validate_json_shape_and_exit_codes(tmp_path: Path) -> None:
    good = ROOT / "responses" / "examples" / "example-authority-a.xlsx"
    code, output = run("validate", *FW, "--json", str(good))
    assert code == 0
    [entry] = json.loads(output)["files"]
    assert entry["valid"] is True and entry["authority"] == "Example Authority A"
    assert entry["framework"] == {"id": "hgioea", "version": "1.0.0"}
    assert entry["errors"] == [] and entry["warnings"] == []
    bad = tmp_path / "bad.xlsx"
    bad.write_text("id,level")
    code, output = run("validate", *FW, "--json", str(good), str(bad))
    assert code == 1
    files = json.loads(output)["files"]
    assert [f["valid"] for f in files] == [True, False]
    assert set(files[1]["errors"][0]) == {"code", "severity", "location", "message", "hint"}
    assert run("validate", *FW, "--no-such-flag", str(good))[0] == 2


def test_authorities_by_family_group_and_by_name() -> None:
    code, output = run("authorities", "--family-group", "3", "--json")
    assert code == 0
    authorities = json.loads(output)["authorities"]
    assert len(authorities) == 8 and {a["family_group"] for a in authorities} == {3}
    assert {"code", "name", "gss_code", "iso_code", "environment_group"} <= set(authorities[0])
    code, output = run("authorities", "--resolve", "Comhairle nan Eilean Siar")
    assert code == 0 and "Na h-Eileanan Siar" in output
    code, output = run("authorities", "--resolve", "Edinbrugh")
    assert code == 2 and "City of Edinburgh" in output
