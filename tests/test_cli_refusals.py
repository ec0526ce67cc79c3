"""Every refusal is a coded problem with a hint, the same in text and JSON, exit 2 when the
command cannot run as asked and 1 when the input has problems."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from rubric.cli import main
from tests.conftest import DEMO, FRAMEWORKS, ROOT
from tests.workbooks import edit_workbook, make_return

EXAMPLES = ROOT / "responses" / "examples"
EXAMPLE_A = EXAMPLES / "example-authority-a.xlsx"
FW = ("--frameworks", str(FRAMEWORKS))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _history(tmp: Path) -> Path:
    db = tmp / "h.sqlite"
    assert run("ingest", *FW, str(EXAMPLE_A), "--db", str(db))[0] == 0
    return db


def _no_cycle_return(tmp: Path) -> Path:
    path = make_return(tmp, "id | level | evidence\n1.1.1 | 4 | Seen in every school visit")

    def blank_cycle(book) -> None:
        sheet = book["_rubric"]
        for row in sheet.iter_rows():
            if row[0].value == "cycle":
                row[1].value = None
    return edit_workbook(path, blank_cycle)


def _history_of_a_local_framework(tmp: Path) -> Path:
    """A history holding a return on a framework that is on no lookup path any more."""
    from rubric.framework.load import load_framework

    store = tmp / "local"
    (store / "localfw").mkdir(parents=True)
    source = store / "localfw" / "1.0.0.yaml"
    source.write_text(DEMO.read_text(encoding="utf-8").replace("id: demo", "id: localfw", 1),
                      encoding="utf-8")
    loaded = load_framework(source)
    assert loaded.framework is not None, [str(p) for p in loaded.report]
    path = make_return(tmp, "id | level | evidence\n1.1.1 | 4 | Seen in school visits",
                       framework=loaded.framework)
    db = tmp / "local.sqlite"
    assert run("ingest", "--frameworks", str(store), str(path), "--db", str(db))[0] == 0
    return db


def _broken_framework(tmp: Path) -> Path:
    path = tmp / "broken.yaml"
    path.write_text(DEMO.read_text(encoding="utf-8").replace("version: \"1.0.0\"",
                                                             "version: \"one\""))
    return path


# code -> (exit code, a function of tmp_path giving the command's arguments)
COMMANDS = {
    "framework-not-found": (2, lambda t: ["template", "hgiosx", "--authority", "Fife", "-o",
                                          str(t / "x.xlsx")]),
    "framework-has-errors": (1, lambda t: ["framework", "show", str(_broken_framework(t))]),
    "authority-unknown": (2, lambda t: ["template", str(DEMO), "--authority", "Perth", "-o",
                                        str(t / "x.xlsx")]),
    "quad-unknown": (2, lambda t: ["template", str(DEMO), "--quad", "FG1 Quad Z",
                                   "--quads-file", str(ROOT / "quads.yaml"), "--cycle",
                                   "2025-26", "-o", str(t / "q")]),
    "quads-file-missing": (2, lambda t: ["quads", "--quads-file", str(t / "none.yaml")]),
    "no-input-files": (2, lambda t: ["validate", str(t)]),
    "options-conflict": (2, lambda t: ["template", str(DEMO), "-o", str(t / "x.xlsx")]),
    "cycle-invalid": (2, lambda t: ["template", str(DEMO), "--authority", "Fife", "--cycle",
                                    "2025-27", "-o", str(t / "x.xlsx")]),
    "output-name-mismatch": (2, lambda t: [*FW[:0], "compare", *FW, str(EXAMPLES), "-o",
                                           str(t / "quad.html")]),
    "history-missing": (2, lambda t: ["trend", "--authority", "Fife", "--db",
                                      str(t / "none.sqlite")]),
    "history-no-returns": (1, lambda t: ["export", "--cycle", "2030-31", "--db",
                                         str(_history(t))]),
    "history-framework-missing": (1, lambda t: ["trend", "--authority", "Example Authority A",
                                                "--db", str(_history_of_a_local_framework(t))]),
    "ingest-cycle-mismatch": (1, lambda t: ["ingest", *FW, str(EXAMPLE_A), "--cycle",
                                            "2026-27", "--db", str(t / "h.sqlite")]),
    "ingest-cycle-unknown": (1, lambda t: ["ingest", "--frameworks", str(FRAMEWORKS),
                                           str(_no_cycle_return(t)), "--db",
                                           str(t / "h.sqlite")]),
    "follow-up-no-previous": (0, lambda t: ["template", str(FRAMEWORKS / "hgioea/1.0.0.yaml"),
                                            "--authority", "Fife", "--cycle", "2026-27",
                                            "--follow-up", "--db", str(_history(t)), "-o",
                                            str(t / "f.xlsx")]),
    "migrate-invalid-return": (1, lambda t: ["migrate", str(t / "none.xlsx"), "--to",
                                             "hgioea@1.1.0", "-o", str(t / "m.xlsx")]),
    "migrate-other-framework": (2, lambda t: ["migrate", *FW, str(EXAMPLE_A), "--to",
                                              "hgios4", "-o", str(t / "m.xlsx")]),
    "date-invalid": (2, lambda t: ["meeting", "pack", *FW, str(EXAMPLES), "--meeting-date",
                                   "12/11/2026", "-o", str(t / "pack")]),
    "diff-check-failed": (1, lambda t: ["framework", "diff", "--check", "hgioea@1.0.0",
                                        str(_bumped_patch(t))]),
}


def _bumped_patch(tmp: Path) -> Path:
    """hgioea 1.1.0 (a minor/major change) relabelled as a patch release 1.0.1."""
    text = (FRAMEWORKS / "hgioea" / "1.1.0.yaml").read_text(encoding="utf-8")
    path = tmp / "hgioea" / "1.0.1.yaml"
    path.parent.mkdir()
    path.write_text(text.replace('version: "1.1.0"', 'version: "1.0.1"')
                    .replace("version: 1.1.0", "version: 1.0.1"), encoding="utf-8")
    return path


@pytest.mark.parametrize("code", sorted(COMMANDS))
def test_refusal_is_coded_in_text_and_json(code: str, tmp_path: Path) -> None:
    exit_code, build = COMMANDS[code]
    (tmp_path / "text").mkdir()
    args = build(tmp_path / "text")
    status, output = run(*args)
    assert status == exit_code and code in output, output
    assert "Traceback" not in output and "None" not in output
    if "--json" in args or args[0] in {"export"} or (args[0] == "framework" and args[1] != "diff"
                                                     and args[1] != "show"):
        return
    (tmp_path / "json").mkdir()
    status, output = run(*build(tmp_path / "json"), "--json")
    assert status == exit_code, output
    data = json.loads(output)
    found = [p for p in data["errors"] + data["warnings"] if p["code"] == code]
    assert found and found[0]["hint"], data


def test_no_plain_string_refusals_in_the_cli() -> None:
    """Refusals come from the catalogue: no ad-hoc failure messages or click exceptions."""
    forbidden = re.compile(r"\bfail\(|ClickException|UsageError|BadParameter|sys\.exit\("
                           r"|SystemExit\(\s*['\"f\d]|click\.echo\(f?['\"]rubric:")
    for path in (ROOT / "rubric" / "cli").glob("*.py"):
        if path.name == "_render.py":  # the one place that exits, by the rule
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not forbidden.search(line), f"{path.name}:{number}: {line.strip()}"


def test_compare_json_without_an_output_prints_the_comparison() -> None:
    status, output = run("compare", *FW, str(EXAMPLES), "--json")
    assert status == 0, output
    data = json.loads(output)
    assert len(data["comparison"]["members"]) == 4 and data["written"] == []


def test_framework_help_lists_every_subcommand() -> None:
    status, output = run("framework", "--help")
    assert status == 0
    for name in ("list", "show", "lint", "schema", "diff", "changelog"):
        assert re.search(rf"^\s+{name}\b", output, re.M), name


def test_messages_have_no_python_none_and_right_plurals(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("id,level")
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    summary = result.output.splitlines()[-1]
    assert "None" not in summary and "?" not in summary
    assert "INVALID (1 error)" in summary and "0 warnings" in summary


def test_a_closed_pipe_ends_quietly() -> None:
    """``rubric score ... | head`` exits 0 with nothing on stderr (no BrokenPipeError)."""
    import shlex
    import subprocess
    import sys

    files = " ".join(shlex.quote(str(p)) for p in sorted(EXAMPLES.glob("*.xlsx")))
    command = (f"set -o pipefail; {shlex.quote(sys.executable)} -m rubric score --explain "
               f"{files} | head -n 1")
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == "", (done.returncode, done.stderr)
    assert len(done.stdout.splitlines()) == 1


def test_trend_help_says_true_things() -> None:
    status, output = run("trend", "--help")
    assert status == 0 and "created on first use" not in output


def test_unknown_names_get_the_closest_known_names(tmp_path: Path) -> None:
    db = _history(tmp_path)
    status, output = run("trend", "--authority", "Example Authority", "--db", str(db))
    assert status == 1 and "Did you mean 'Example Authority A'" in output
    status, output = run("template", "hgioae", "--authority", "Fife", "-o", str(tmp_path / "x"))
    assert status == 2 and "Did you mean 'hgioea'" in output
    status, output = run("template", str(DEMO), "--quad", "FG1 Quad", "--cycle", "2025-26",
                         "--quads-file", str(ROOT / "quads.yaml"), "-o", str(tmp_path / "q"))
    assert status == 2 and "'FG1 Quad A'" in output


def test_a_fault_in_rubric_is_a_coded_problem_not_a_traceback(monkeypatch, tmp_path: Path) -> None:
    import rubric.template.targets

    def broken(*args, **kwargs):
        raise ValueError("something rubric did not expect")

    monkeypatch.delenv("RUBRIC_DEBUG", raising=False)
    monkeypatch.setattr(rubric.template.targets, "make_templates", broken)
    status, output = run("template", str(DEMO), "--authority", "Fife", "-o",
                         str(tmp_path / "x.xlsx"), "--json")
    assert status == 2 and "Traceback" not in output
    [found] = json.loads(output)["errors"]
    assert found["code"] == "internal-error" and "not in your files" in found["hint"]


def test_serve_without_the_web_extra_says_how_to_install_it(monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "django", None)  # as if it were not installed
    status, output = run("serve", "--port", "1")
    assert status == 2 and "Traceback" not in output
    assert "web-extra-missing" in output and "rubric[web]" in output
