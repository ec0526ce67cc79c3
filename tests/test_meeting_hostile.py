"""The hostile workbook corpus, run through ``meeting record``: refused cleanly, every time.

A record arrives the way returns do, so the same attacks apply. Each case is read by the
library (no exception; refused with the gate's own code, or as "not a meeting record" when it
is a readable return), then all of them at once through the real CLI in one bounded subprocess
(exit 1, no traceback, every file named, nothing recorded).
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rubric.framework.store import FrameworkStore
from rubric.meeting.record_read import read_record
from tests.conftest import FRAMEWORKS, ROOT
from tests.hostile import corpus

NOT_A_RECORD = frozenset({"provenance-invalid", "provenance-missing"})
MEMORY = 2 * 1024**3


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[corpus.Case, Path]]:
    root = tmp_path_factory.mktemp("hostile-records")
    cases = {}
    for case in corpus.WORKBOOKS:
        directory = root / case.id
        directory.mkdir()
        cases[case.id] = (case, case.build(directory))
    return cases


@pytest.mark.parametrize("case", corpus.WORKBOOKS, ids=lambda case: case.id)
def test_hostile_input_is_refused_as_a_record(case: corpus.Case,
                                              built: dict[str, tuple[corpus.Case, Path]]) -> None:
    _, path = built[case.id]
    store = FrameworkStore(path.parent / "store" if case.store else FRAMEWORKS)
    before = path.read_bytes()
    result = read_record(path, store)
    assert not result.valid and result.record is None
    errors = set(result.report.codes())
    assert errors, "refused without saying why"
    if case.refused:
        assert errors <= case.codes | NOT_A_RECORD, (case.id, errors)
        if not case.codes & NOT_A_RECORD and not errors & NOT_A_RECORD:
            assert errors & case.codes
    else:
        assert errors <= NOT_A_RECORD, (case.id, errors)  # a good return is not a record
    assert path.read_bytes() == before


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def test_cli_refuses_the_whole_corpus_cleanly(built: dict[str, tuple[corpus.Case, Path]],
                                              tmp_path: Path) -> None:
    paths = [str(path) for case, path in built.values() if not case.store]
    db = tmp_path / "history.sqlite"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUBRIC_")}
    env["PYTHONPATH"] = str(ROOT)
    run = subprocess.run([sys.executable, "-m", "rubric", "meeting", "record", *paths, "--db",
                          str(db), "--frameworks", str(FRAMEWORKS)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300, preexec_fn=_limit)
    output = run.stdout + run.stderr
    assert run.returncode == 1, output[-3000:]
    assert "Traceback" not in output
    for path in paths:
        assert f"{path}: REFUSED" in output, path
    if db.exists():
        with sqlite3.connect(db) as connection:
            assert connection.execute("SELECT COUNT(*) FROM meeting_records").fetchone() == (0,)
