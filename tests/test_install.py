"""Installed from a wheel (not editable), rubric works from any folder on bundled data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLES = ROOT / "responses" / "examples"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """rubric's wheel installed into a folder of its own (dependencies from this venv)."""
    wheels = tmp_path_factory.mktemp("wheels")
    target = tmp_path_factory.mktemp("site")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir",
                            "-q", "-w", str(wheels), str(ROOT)], capture_output=True, text=True)
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {build.stderr.strip()[-300:]}")
    assert "deprecat" not in build.stderr.lower(), build.stderr
    [wheel] = wheels.glob("rubric-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    return target


def test_every_command_works_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    work = tmp_path / "anywhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUBRIC_")}
    env["PYTHONPATH"] = str(installed)

    def rubric(*args: str, expect: int = 0) -> str:
        done = subprocess.run([sys.executable, "-m", "rubric", *args], cwd=work, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == expect, f"rubric {' '.join(args)}:\n{done.stdout}{done.stderr}"
        return done.stdout + done.stderr

    where = subprocess.run([sys.executable, "-c", "import rubric; print(rubric.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(installed)), where.stdout
    listing = rubric("framework", "list")
    assert "hgioea" in listing and "hgios4" in listing and "1.1.0" in listing
    assert "26 indicators" in rubric("framework", "show", "hgioea@1.0.0")
    rubric("template", "hgioea", "--authority", "Fife", "-o", "f.xlsx")
    assert "valid" in rubric("validate", "f.xlsx")
    for name in ("example-authority-a.xlsx", "example-authority-b.xlsx"):
        shutil.copy(EXAMPLES / name, work / name)
    assert "overall" in rubric("score", "example-authority-a.xlsx")
    assert "Challenge prompts" in rubric("compare", "example-authority-a.xlsx",
                                         "example-authority-b.xlsx", "-o", "quad.xlsx")
    rubric("ingest", "example-authority-a.xlsx", "example-authority-b.xlsx")
    assert (work / "rubric-history.sqlite").exists()
    assert "2025-26" in rubric("trend", "--authority", "Example Authority A")
    assert "FG1 Quad A" in rubric("quads")
    rubric("template", "hgiosx", "--authority", "Fife", "-o", "x.xlsx", expect=2)


def test_setup_does_not_reinstall_when_nothing_changed() -> None:
    """The quick start's second run skips pip: with the package index cut off, a reinstall
    would fail, so success proves it was skipped."""
    venv = ROOT / ".venv"
    stamp = venv / ".rubric-installed-test"
    if not stamp.exists():
        pytest.skip("no .venv set up by scripts/setup.sh (run the suite via scripts/test.sh)")
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_INDEX_URL": "http://127.0.0.1:9/"}
    done = subprocess.run(["bash", str(ROOT / "scripts" / "setup.sh"), "test"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout == "" and done.stderr == "", done.stderr
