"""The framework commands as a user runs them: exit codes, text and JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from rubric.cli import main
from tests.conftest import DEMO, FRAMEWORKS, HGIOEA


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_lint_exit_codes(tmp_path: Path) -> None:
    assert run("framework", "lint", str(DEMO))[0] == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(DEMO.read_text().replace("status: published", "status: final"))
    code, output = run("framework", "lint", str(bad))
    assert code == 1
    assert f"{bad}:6:9: invalid-choice:" in output
    assert run("framework", "lint", "--no-such-option", str(DEMO))[0] == 2


def test_lint_all_shipped_frameworks_is_clean() -> None:
    paths = sorted(str(p) for p in FRAMEWORKS.glob("*/*.yaml"))
    code, output = run("framework", "lint", *paths)
    assert code == 0, output
    code, output = run("framework", "lint", str(FRAMEWORKS))
    assert code == 0 and f"{len(paths)} files checked" in output


def test_lint_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(DEMO.read_text().replace("title: Outcomes", "title: Outcomes\n    title: x"))
    code, output = run("framework", "lint", "--json", str(bad))
    report = json.loads(output)
    assert code == 1
    [entry] = report["files"]
    assert entry["valid"] is False
    assert entry["errors"][0]["code"] == "yaml-duplicate-key"
    assert entry["errors"][0]["location"] == f"{bad}:32:5"
    assert set(entry["errors"][0]) >= {"code", "location", "message", "hint"}


def test_show_json_lists_the_tree() -> None:
    code, output = run("framework", "show", "--json", str(DEMO))
    assert code == 0
    data = json.loads(output)
    assert (data["id"], data["version"]) == ("demo", "1.0.0")
    assert data["scale"][0] == {"value": 6, "label": "Excellent",
                                "meaning": "Outstanding and a model for others."}
    indicator = data["categories"][0]["indicators"][0]
    assert indicator["id"] == "1.1"
    assert [t["id"] for t in indicator["themes"]] == ["1.1.1", "1.1.2"]


def test_show_hgioea_has_at_least_20_indicators_and_40_themes() -> None:
    code, output = run("framework", "show", "--json", str(HGIOEA))
    assert code == 0, output
    data = json.loads(output)
    indicators = [i for c in data["categories"] for i in c["indicators"]]
    assert len(data["categories"]) == 10
    assert len(indicators) >= 20
    assert sum(len(i["themes"]) for i in indicators) >= 40


def test_show_refuses_a_broken_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [")
    code, output = run("framework", "show", str(bad))
    assert code == 1
    assert "yaml-syntax" in output


def test_list_shows_every_framework() -> None:
    code, output = run("framework", "list", "--json", str(FRAMEWORKS))
    assert code == 0
    found = {(row["id"], row["version"]) for row in json.loads(output)["frameworks"]}
    assert {("demo", "1.0.0"), ("hgioea", "1.0.0"), ("hgios4", "1.0.0")} <= found


def test_committed_schema_matches_the_model(tmp_path: Path) -> None:
    code, output = run("framework", "schema")
    assert code == 0
    assert json.loads(output) == json.loads((FRAMEWORKS / "framework.schema.json").read_text())
    target = tmp_path / "schema.json"
    assert run("framework", "schema", "-o", str(target))[0] == 0
    code, output = run("framework", "schema", "-o", str(target))
    assert code == 2 and "output-exists" in output


def test_version_and_help_do_not_import_heavy_modules() -> None:
    probe = (
        "import sys\n"
        "from rubric.cli import main\n"
        "for args in (['--help'], ['--version'], ['framework', '--help']):\n"
        "    try:\n"
        "        main(args, prog_name='rubric')\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = sorted(m for m in ('openpyxl', 'pydantic', 'pandas', 'numpy', 'yaml',\n"
        "                           'python_calamine') if m in sys.modules)\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout
    assert output.strip().splitlines()[-1] == "HEAVY="
