"""Folders of returns: every workbook taken, in any letter case, and every skipped file said."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rubric.framework.store import FrameworkStore
from rubric.read.batch import read_many
from rubric.read.files import find_returns
from tests.conftest import FRAMEWORKS, ROOT
from tests.hostile.corpus import demo_return_bytes

STORE = FrameworkStore(FRAMEWORKS)
FOLDER = """
| name            | taken | why                |
| Stirling.XLSX   | yes   |                    |
| aberdeen.xlsx   | yes   |                    |
| fife.Xlsx       | yes   |                    |
| ~$aberdeen.xlsx | no    | lock file          |
| angus.xls       | no    | .xls               |
| clacks.ods      | no    | .ods               |
| macros.xlsm     | no    | .xlsm              |
| binary.XLSB     | no    | .xlsb              |
| notes.txt       | no    | .txt               |
| README          | no    | no extension       |
| .hidden.xlsx    | no    | hidden             |
"""


def _rows() -> list[tuple[str, bool, str]]:
    lines = [line.strip().strip("|") for line in FOLDER.strip().splitlines()[1:]]
    return [(name.strip(), taken.strip() == "yes", why.strip())
            for name, taken, why in (line.split("|") for line in lines)]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "returns"
    (folder / "older").mkdir(parents=True)
    (folder / "older" / "inside.xlsx").write_bytes(demo_return_bytes("A"))
    for name, taken, _ in _rows():
        (folder / name).write_bytes(demo_return_bytes("A") if taken else b"x")
    return folder


def test_a_folder_gives_every_workbook_in_any_case_and_says_what_it_skipped(
        tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    found = find_returns([folder])
    assert [p.name for p in found.files] == sorted(n for n, taken, _ in _rows() if taken)
    skipped = {Path(p.location.file).name: p for p in found.report}
    assert set(skipped) == {n for n, taken, _ in _rows() if not taken}
    assert all(p.code == "file-skipped" and not p.is_error for p in found.report)
    for name, taken, why in _rows():
        if not taken:
            assert why in skipped[name].message, str(skipped[name])
    assert "inside.xlsx" not in str([*found.files, *found.report.problems])


def test_a_file_named_explicitly_is_always_taken(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    named = [folder / "angus.xls", folder / "~$aberdeen.xlsx", tmp_path / "missing.xlsx"]
    found = find_returns(named)
    assert found.files == named and not found.report
    codes = [r.report.codes() for r in read_many(found.files, STORE)]
    assert codes == [["workbook-not-xlsx"], ["workbook-not-xlsx"], ["file-not-found"]]


def test_validate_reads_upper_case_extensions_and_lists_skipped_files(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    run = subprocess.run([sys.executable, "-m", "rubric", "validate", "--frameworks",
                          str(FRAMEWORKS), str(folder)], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert f"{folder / 'Stirling.XLSX'}: valid" in run.stderr
    assert f"{folder / 'angus.xls'}: file-skipped: " in run.stderr


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse non-UTF-8 names")
def test_a_file_name_that_is_not_utf8_is_read_and_shown(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/Stirling \xe9t\xe9.xlsx"  # Latin-1, as from a Windows zip
    with open(raw, "wb") as handle:
        handle.write(demo_return_bytes("A"))
    path = Path(os.fsdecode(raw))
    result = next(read_many([path], STORE))
    assert result.valid, [str(p) for p in result.report]
    found = find_returns([tmp_path])
    assert found.files == [path]
    run = subprocess.run([sys.executable, "-m", "rubric", "validate", "--frameworks",
                          os.fsencode(FRAMEWORKS), raw], capture_output=True, cwd=ROOT,
                         timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    err = run.stderr.decode("utf-8")
    assert run.returncode == 0, err
    assert "Stirling \ufffdt\ufffd.xlsx: valid" in err
