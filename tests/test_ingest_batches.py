"""Ingesting many returns: files already recorded are not read again, new ones are committed
in batches, and a process killed in the middle of a batch loses nothing it had committed and
leaves no half-recorded return (running it again records the rest)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from rubric.cycles import ingest as ingest_module
from rubric.cycles.history import open_history
from rubric.cycles.ingest import ingest_returns
from rubric.framework.store import FrameworkStore
from rubric.xlsx import layout
from tests.conftest import FRAMEWORKS, ROOT
from tests.workbooks import edit_workbook

STORE = FrameworkStore(FRAMEWORKS)
EXAMPLES = sorted((ROOT / "responses" / "examples").glob("*.xlsx"))
THEMES = 60  # HGIOEA 1.0.0


def _returns(directory: Path, count: int) -> list[Path]:
    """``count`` returns of distinct authorities (distinct files)."""
    files = []
    for n in range(count):
        target = directory / f"r{n}.xlsx"
        shutil.copy(EXAMPLES[n % len(EXAMPLES)], target)

        def stamp(book, n=n) -> None:
            book[layout.PROVENANCE_SHEET]["B7"] = f"X{n:02}"

        edit_workbook(target, stamp)
        files.append(target)
    return files


def _counts(db: Path) -> tuple[int, int, int, str]:
    history = open_history(db)
    try:
        execute = history.connection.execute
        return (execute("SELECT COUNT(*) FROM returns").fetchone()[0],
                execute("SELECT COUNT(*) FROM answers").fetchone()[0],
                execute("SELECT COUNT(DISTINCT return_id) FROM scores").fetchone()[0],
                execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        history.close()


KILLER = """
import os, signal, sys
from pathlib import Path
from rubric.cycles import history as h
from rubric.cycles.ingest import ingest_returns
from rubric.framework.store import FrameworkStore

real, calls = h.History._record, []
def record(self, *args):
    calls.append(1)
    if len(calls) == int(sys.argv[2]):  # inside a batch's transaction: die, no clean-up
        os.kill(os.getpid(), signal.SIGKILL)
    return real(self, *args)
h.History._record = record
history = h.open_history(sys.argv[1])
ingest_returns([Path(p) for p in sys.argv[4:]], history, FrameworkStore(sys.argv[3]), batch=3)
"""


def test_killed_mid_batch_keeps_what_was_committed_and_nothing_half_written(tmp_path):
    files = _returns(tmp_path, 8)
    db = tmp_path / "h.sqlite"
    killed = subprocess.run([sys.executable, "-c", KILLER, str(db), "5", str(FRAMEWORKS),
                             *map(str, files)], cwd=ROOT, timeout=300, check=False)
    assert killed.returncode == -9
    # the first batch (3 returns) is whole; the second died after one of its inserts
    assert _counts(db) == (3, 3 * THEMES, 3, "ok")
    history = open_history(db)
    try:
        again = ingest_returns(files, history, STORE)
    finally:
        history.close()
    assert [o.outcome for o in again.outcomes] == ["unchanged"] * 3 + ["ingested"] * 5
    assert [o.path for o in again.outcomes] == [str(p) for p in files]
    assert _counts(db) == (8, 8 * THEMES, 8, "ok")


def test_files_already_recorded_are_not_read_again(tmp_path, monkeypatch):
    files = _returns(tmp_path, 3)
    history = open_history(tmp_path / "h.sqlite")
    try:
        first = ingest_returns(files[:2], history, STORE, batch=1)
        assert [o.outcome for o in first.outcomes] == ["ingested", "ingested"]
        read = []
        real = ingest_module.read_many
        monkeypatch.setattr(ingest_module, "read_many",
                            lambda paths, *a, **k: read.extend(paths) or real(paths, *a, **k))
        again = ingest_returns(files, history, STORE)
        assert read == [files[2]]  # only the new file was read
        assert [(o.outcome, o.return_id) for o in again.outcomes[:2]] == [
            ("unchanged", o.return_id) for o in first.outcomes]
        assert again.outcomes[2].outcome == "ingested"
        # for another cycle the recorded file is no answer: it is read (and refused there)
        other = ingest_returns(files[:1], history, STORE, cycle="2030-31")
        assert other.refused == [str(files[0])]
        assert other.report.codes() == ["ingest-cycle-mismatch"]
    finally:
        history.close()


def _tables(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in order, with the type of each value; when a row was
    recorded left out."""
    connection = sqlite3.connect(db)
    try:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        found = {}
        for table in tables:
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
            chosen = ", ".join("NULL" if c == "ingested_at" else c for c in columns)
            found[table] = [tuple((type(v).__name__, v) for v in row) for row in
                            connection.execute(f"SELECT rowid, {chosen} FROM {table} "
                                               "ORDER BY rowid")]
        return found
    finally:
        connection.close()


def test_a_batched_ingest_stores_what_recording_each_return_through_the_api_stores(tmp_path):
    from rubric.read.returns import read_return
    from rubric.scoring import score_response

    files = [*_returns(tmp_path, 3), *EXAMPLES]
    later = tmp_path / "later.xlsx"  # another return of r0's authority: it supersedes r0
    shutil.copy(EXAMPLES[1], later)
    edit_workbook(later, lambda book: book[layout.PROVENANCE_SHEET].__setitem__("B7", "X00"))
    files.append(later)
    batched, single = tmp_path / "batched.sqlite", tmp_path / "single.sqlite"
    history = open_history(batched)
    try:
        run = ingest_returns(files, history, STORE, batch=2)
    finally:
        history.close()
    assert "superseded" in [o.outcome for o in run.outcomes] and not run.refused
    history = open_history(single)
    try:
        for path in files:
            result = read_return(path, STORE)
            cycle = result.response.cycle
            history.ingest(result, score_response(result.response, result.framework), cycle)
    finally:
        history.close()
    assert _tables(batched) == _tables(single)
    assert len(_tables(batched)["answers"]) == len(files) * THEMES


def test_a_file_that_cannot_be_read_is_refused_with_its_reason_and_the_rest_recorded(
        tmp_path):
    """A return that went (or is a folder, or unreadable) between listing and recording is a
    coded refusal of that file, never a traceback that loses the others."""
    files = _returns(tmp_path, 2)
    gone, folder = tmp_path / "gone.xlsx", tmp_path / "folder.xlsx"
    folder.mkdir()
    history = open_history(tmp_path / "history.sqlite")
    run = ingest_returns([files[0], gone, folder, files[1]], history, STORE)
    assert run.refused == [str(gone), str(folder)]
    assert sorted(run.report.codes()) == ["file-not-found", "file-unreadable"]
    assert [o.outcome for o in run.outcomes] == ["ingested", "ingested"]
