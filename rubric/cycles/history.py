"""Every return kept, cycle after cycle, in an embedded SQLite database.

Self-evaluation is a yearly cycle: next steps agreed this year are what next year's return
should account for. The history records each validated return with every answer, its framework
id, version and hash, the file's hash and when it was ingested. Ingesting the same file again
changes nothing; a newer return for the same authority and cycle supersedes the old one, which
stays in the history. Writes run in immediate transactions, so concurrent ingests neither
corrupt nor lose data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rubric.problems import Location, Problem, Refused, problem

if TYPE_CHECKING:  # (imported where used: ``ingest`` of files already recorded needs none)
    from rubric.cycles.rows import ReturnRows
    from rubric.response import ActionUpdate, ReadResult, Response
    from rubric.scoring import Scores

ENV_VAR = "RUBRIC_DB"
DEFAULT_PATH = Path("rubric-history.sqlite")

# Versioned schema: MIGRATIONS[n] takes the database from user_version n to n + 1.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE returns (
        id INTEGER PRIMARY KEY,
        authority_code TEXT NOT NULL,
        authority TEXT NOT NULL,
        cycle TEXT NOT NULL,
        framework_id TEXT NOT NULL,
        framework_version TEXT NOT NULL,
        framework_hash TEXT NOT NULL,
        file_hash TEXT NOT NULL,
        path TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        superseded_by INTEGER REFERENCES returns(id),
        UNIQUE (file_hash, cycle)
    );
    CREATE INDEX returns_current ON returns (authority_code, cycle, superseded_by);
    CREATE TABLE answers (
        return_id INTEGER NOT NULL REFERENCES returns(id),
        theme_id TEXT NOT NULL,
        level INTEGER,
        special TEXT,
        evidence TEXT NOT NULL,
        strengths TEXT NOT NULL,
        next_steps TEXT NOT NULL,
        progress TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (return_id, theme_id)
    );
    CREATE TABLE measures (
        return_id INTEGER NOT NULL REFERENCES returns(id),
        measure_id TEXT NOT NULL,
        baseline REAL,
        current REAL,
        notes TEXT NOT NULL,
        PRIMARY KEY (return_id, measure_id)
    );
    CREATE TABLE scores (
        return_id INTEGER NOT NULL REFERENCES returns(id),
        item_kind TEXT NOT NULL,
        item_id TEXT NOT NULL,
        score REAL,
        answered INTEGER NOT NULL,
        total INTEGER NOT NULL,
        PRIMARY KEY (return_id, item_kind, item_id)
    );
    """,
    # Quad meeting records (rubric/meeting/store.py): the Quad's view of each self-evaluation,
    # and each member's action plan; statuses reported on actions in follow-up returns.
    """
    CREATE TABLE meeting_records (
        id INTEGER PRIMARY KEY,
        quad TEXT NOT NULL,
        cycle TEXT NOT NULL,
        framework_id TEXT NOT NULL,
        framework_version TEXT NOT NULL,
        framework_hash TEXT NOT NULL,
        meeting_date TEXT,
        file_hash TEXT NOT NULL UNIQUE,
        path TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        superseded_by INTEGER REFERENCES meeting_records(id)
    );
    CREATE INDEX meeting_records_current ON meeting_records (quad, cycle, superseded_by);
    CREATE TABLE meeting_members (
        record_id INTEGER NOT NULL REFERENCES meeting_records(id),
        authority_code TEXT NOT NULL,
        authority TEXT NOT NULL,
        return_id INTEGER REFERENCES returns(id),
        PRIMARY KEY (record_id, authority_code)
    );
    CREATE TABLE validations (
        record_id INTEGER NOT NULL REFERENCES meeting_records(id),
        authority_code TEXT NOT NULL,
        indicator_id TEXT NOT NULL,
        self_score REAL,
        view TEXT NOT NULL,
        level INTEGER,
        rationale TEXT NOT NULL,
        PRIMARY KEY (record_id, authority_code, indicator_id)
    );
    CREATE TABLE actions (
        record_id INTEGER NOT NULL REFERENCES meeting_records(id),
        authority_code TEXT NOT NULL,
        action_id TEXT NOT NULL,
        action TEXT NOT NULL,
        links TEXT NOT NULL,
        owner TEXT NOT NULL,
        due TEXT,
        success TEXT NOT NULL,
        status TEXT NOT NULL,
        PRIMARY KEY (record_id, action_id)
    );
    CREATE TABLE action_updates (
        return_id INTEGER NOT NULL REFERENCES returns(id),
        action_id TEXT NOT NULL,
        status TEXT NOT NULL,
        progress TEXT NOT NULL,
        PRIMARY KEY (return_id, action_id)
    );
    """,
    # What is graded is part of the framework: an indicator judged as a whole has its judgement
    # stored beside the theme answers, told apart by its kind.
    """
    ALTER TABLE answers ADD COLUMN kind TEXT NOT NULL DEFAULT 'theme'
    """,
    # Published figures per authority, measure and cycle (rubric/cycles/measures.py): what
    # templates are prefilled with and returns are checked against.
    """
    CREATE TABLE published_measures (
        authority_code TEXT NOT NULL,
        measure_id TEXT NOT NULL,
        cycle TEXT NOT NULL,
        value REAL NOT NULL,
        source TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        PRIMARY KEY (authority_code, measure_id, cycle)
    );
    """,
)

Outcome = Literal["ingested", "unchanged", "superseded"]


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    path: str
    outcome: Outcome
    return_id: int
    authority: str
    cycle: str
    replaced: int | None = None  # the return this one superseded


@dataclass(frozen=True, slots=True)
class StoredReturn:
    id: int
    authority_code: str
    authority: str
    cycle: str
    framework_id: str
    framework_version: str
    framework_hash: str
    file_hash: str
    path: str
    ingested_at: str
    superseded_by: int | None


def default_db_path() -> Path:
    return Path(os.environ.get(ENV_VAR, str(DEFAULT_PATH)))


def file_hash(path: str | os.PathLike[str]) -> str:
    with open(path, "rb") as handle:  # (read into one buffer, hashed without the GIL)
        return "sha256:" + hashlib.file_digest(handle, "sha256").hexdigest()


class History:
    """The history database; open it with :func:`open_history`."""

    def __init__(self, connection: sqlite3.Connection, path: Path, *,
                 checked: bool = True) -> None:
        self.connection = connection
        self.path = path
        self._checked = checked  # whether every page was checked (else: before writing)

    def close(self) -> None:
        self.connection.close()

    def _check_whole(self) -> None:
        """Check every page, if opening did not (see :func:`open_history`): nothing is ever
        written into a damaged history."""
        if self._checked:
            return
        _check_pages(self.connection, self.path, "PRAGMA quick_check")
        self._checked = True

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Cursor]:
        """An immediate transaction: one writer at a time, all or nothing."""
        self._check_whole()
        cursor = self.connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            yield cursor
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        else:
            cursor.execute("COMMIT")

    transaction = _write  # for the other stores kept in this database (meeting records)

    @contextmanager
    def synchronous(self, level: Literal["NORMAL", "FULL"]) -> Iterator[None]:
        """SQLite's ``synchronous`` at ``level`` for a while, then as it was. Under WAL,
        ``NORMAL`` waits for the disk at checkpoints, not at every commit: a killed process
        still loses nothing committed, and the file is never damaged; a power cut may lose
        the last commits (an ingest run again records them)."""
        before = self.connection.execute("PRAGMA synchronous").fetchone()[0]
        self.connection.execute(f"PRAGMA synchronous = {level}")
        try:
            yield
        finally:
            self.connection.execute(f"PRAGMA synchronous = {int(before)}")

    # --- writing -----------------------------------------------------------------------------

    def ingest(self, result: ReadResult, scores: Scores, cycle: str, *,
               digest: str | None = None) -> IngestOutcome:
        """Record one valid return for ``cycle``; idempotent per file and cycle."""
        from rubric.cycles.rows import rows_of

        response = result.response
        assert response is not None and result.valid
        rows = rows_of(response, scores, path=result.path)
        with self._write() as cursor:
            return self._record(cursor, rows, cycle, digest or file_hash(result.path))

    def ingest_many(self, items: list[tuple[ReturnRows, str, str]]) -> list[IngestOutcome]:
        """Record several valid returns (their rows, cycle, file hash) in one transaction:
        all of them or, if the process dies on the way, none."""
        with self._write() as cursor:
            return [self._record(cursor, *item) for item in items]

    def known_files(self, digests: list[str]) -> dict[str, list[tuple[int, str, str]]]:
        """File hash -> the returns recorded from that very file: (id, authority, cycle)."""
        found: dict[str, list[tuple[int, str, str]]] = {}
        for start in range(0, len(digests), 500):
            part = digests[start:start + 500]
            marks = ", ".join("?" * len(part))
            for digest, return_id, authority, cycle in self.connection.execute(
                    f"SELECT file_hash, id, authority, cycle FROM returns "
                    f"WHERE file_hash IN ({marks}) ORDER BY id", part):
                found.setdefault(digest, []).append((return_id, authority, cycle))
        return found

    def _record(self, cursor: sqlite3.Cursor, rows: ReturnRows, cycle: str,
                digest: str) -> IngestOutcome:
        found = cursor.execute("SELECT id FROM returns WHERE file_hash = ? AND cycle = ?",
                               (digest, cycle)).fetchone()
        if found:
            return IngestOutcome(rows.path, "unchanged", found[0], rows.authority, cycle)
        code = rows.authority_code
        previous = cursor.execute(
            "SELECT id FROM returns WHERE authority_code = ? AND cycle = ? AND "
            "superseded_by IS NULL", (code, cycle)).fetchone()
        cursor.execute(
            "INSERT INTO returns (authority_code, authority, cycle, framework_id, "
            "framework_version, framework_hash, file_hash, path, ingested_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (code, rows.authority, cycle, rows.framework_id, rows.framework_version,
             rows.framework_hash, digest, rows.shown_path,
             dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
        new_id = cursor.lastrowid
        assert new_id is not None
        cursor.executemany(
            "INSERT INTO answers (return_id, theme_id, level, special, evidence, strengths, "
            "next_steps, progress, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(new_id, *row) for row in rows.answers])
        if rows.measures:
            cursor.executemany("INSERT INTO measures VALUES (?, ?, ?, ?, ?)",
                               [(new_id, *row) for row in rows.measures])
        cursor.executemany("INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?)",
                           [(new_id, *row) for row in rows.scores])
        if rows.actions:  # follow-up returns: the status reported on each agreed action
            cursor.executemany(
                "INSERT INTO action_updates (return_id, action_id, status, progress) "
                "VALUES (?, ?, ?, ?)", [(new_id, *row) for row in rows.actions])
        if previous:
            cursor.execute("UPDATE returns SET superseded_by = ? WHERE id = ?",
                           (new_id, previous[0]))
        return IngestOutcome(rows.path, "superseded" if previous else "ingested", new_id,
                             rows.authority, cycle, previous[0] if previous else None)

    # --- reading -----------------------------------------------------------------------------

    def returns(self, *, authority_code: str | None = None, cycle: str | None = None,
                current_only: bool = True) -> list[StoredReturn]:
        sql = "SELECT * FROM returns WHERE 1 = 1"
        args: list[Any] = []
        if authority_code is not None:
            sql += " AND authority_code = ?"
            args.append(authority_code)
        if cycle is not None:
            sql += " AND cycle = ?"
            args.append(cycle)
        if current_only:
            sql += " AND superseded_by IS NULL"
        sql += " ORDER BY cycle, authority, id"
        return [StoredReturn(*row) for row in self.connection.execute(sql, args)]

    def code_for(self, name: str) -> str | None:
        """The authority code recorded for ``name`` (a code, a recorded name, or any name the
        registry resolves), or None when the history has no returns from it."""
        from rubric.registry.authorities import find

        wanted = name.strip()
        registered = find(wanted)
        candidates = [wanted, *([registered.code] if registered else [])]
        for candidate in candidates:
            row = self.connection.execute(
                "SELECT authority_code FROM returns WHERE authority_code = ? COLLATE NOCASE "
                "OR authority = ? COLLATE NOCASE ORDER BY id DESC LIMIT 1",
                (candidate, candidate)).fetchone()
            if row:
                return row[0]
        return None

    def cycles(self) -> list[str]:
        return [row[0] for row in self.connection.execute(
            "SELECT DISTINCT cycle FROM returns ORDER BY cycle")]

    def response(self, stored: StoredReturn) -> Response:
        """The stored return as a :class:`Response`, as it was ingested."""
        from rubric.response import MeasureValue, Response, ThemeAnswer

        answers: dict[str, dict[str, ThemeAnswer]] = {"theme": {}, "indicator": {}}
        for row in self.connection.execute(
                "SELECT theme_id, level, special, evidence, strengths, next_steps, progress, "
                "kind FROM answers WHERE return_id = ? ORDER BY rowid", (stored.id,)):
            answers.setdefault(row[7], {})[row[0]] = ThemeAnswer(
                id=row[0], level=row[1], special=row[2], evidence=row[3], strengths=row[4],
                next_steps=row[5], progress=row[6])
        themes = answers["theme"]
        measures = {row[0]: MeasureValue(id=row[0], baseline=row[1], current=row[2],
                                         notes=row[3])
                    for row in self.connection.execute(
                        "SELECT measure_id, baseline, current, notes FROM measures "
                        "WHERE return_id = ? ORDER BY rowid", (stored.id,))}
        return Response(path=stored.path, framework_id=stored.framework_id,
                        framework_version=stored.framework_version,
                        framework_hash=stored.framework_hash, authority=stored.authority,
                        authority_code=stored.authority_code, cycle=stored.cycle,
                        themes=themes, judgements=answers["indicator"], measures=measures,
                        actions=self.action_updates(stored.id))

    def action_updates(self, return_id: int) -> dict[str, ActionUpdate]:
        """Action id -> the status and progress note a follow-up return reported (only
        those two are kept: the action itself is in the meeting record it came from)."""
        from rubric.response import ActionUpdate

        return {row[0]: ActionUpdate(id=row[0], status=row[1], progress=row[2])
                for row in self.connection.execute(
                    "SELECT action_id, status, progress FROM action_updates "
                    "WHERE return_id = ? ORDER BY rowid", (return_id,))}

    def scores(self, stored: StoredReturn) -> dict[tuple[str, str], float | None]:
        return {(row[0], row[1]): row[2] for row in self.connection.execute(
            "SELECT item_kind, item_id, score FROM scores WHERE return_id = ?", (stored.id,))}


class HistoryError(Refused):
    """The history database cannot be used; ``problem`` says why (a catalogued problem).

    A :class:`~rubric.problems.Refused`, so every command renders it like any other refusal.
    """

    def __init__(self, found: Problem) -> None:
        super().__init__(found)


_SQLITE_HEADER = b"SQLite format 3\x00"
_OUR_TABLES = {"returns", "answers", "measures", "scores"}


def _looks_like(head: bytes) -> str:
    if head.startswith(b"PK"):
        return "it is a zip file, such as an Excel workbook"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "it is an old Office file"
    if not head:
        return "it is an empty file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "it holds data of an unknown kind"
    return "it is a text file"


def _check_pages(connection: sqlite3.Connection, path: Path, check: str) -> None:
    """Run SQLite's structural ``check``; a damaged file is a :class:`HistoryError`."""
    where = Location(str(path))
    try:
        verdict = connection.execute(check).fetchall()
    except sqlite3.DatabaseError as exc:
        raise HistoryError(problem("history-corrupt", where, path=path, reason=str(exc))) \
            from exc
    if verdict != [("ok",)]:
        raise HistoryError(problem("history-corrupt", where, path=path,
                                   reason="; ".join(str(r[0]) for r in verdict[:3])))


def check_history_file(path: Path, *, whole: bool = True) -> None:
    """Refuse a file that is not a usable rubric history, reading it only (never writing).

    Raises :class:`HistoryError`; returns quietly for a rubric history this version can use
    (or a file that does not exist yet, which :func:`open_history` creates). Every page is
    checked unless ``whole`` is false: then only the table of returns and its indexes (what
    says which files are recorded), unless the schema needs bringing up to date (a write).
    The whole check reads the whole file: about a second per gigabyte.
    """
    where = Location(str(path))
    try:
        if not path.exists():
            return
        if not path.is_file():
            raise HistoryError(problem("history-not-a-database", where, path=path,
                                       found="it is a folder or a device"))
        with path.open("rb") as handle:
            head = handle.read(100)
        if not head:
            return  # an empty file is a database not yet written (SQLite's own rule): new
    except OSError as exc:
        raise HistoryError(problem("file-unreadable", where,
                                   reason=exc.strerror or str(exc))) from exc
    if not head.startswith(_SQLITE_HEADER):
        raise HistoryError(problem("history-not-a-database", where, path=path,
                                   found=_looks_like(head[:16])))
    if len(head) < 100:
        raise HistoryError(problem("history-corrupt", where, path=path,
                                   reason="the file is cut short"))
    # Read-only; and when no writer is active (no -wal file), immutable too, so that not even
    # the -shm and -wal files a WAL database makes on opening appear beside it.
    live = Path(f"{path}-wal").exists()
    uri = "file:" + urllib.parse.quote(os.fsencode(path.resolve())) + "?mode=ro" + \
        ("" if live else "&immutable=1")
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=60)
    except sqlite3.Error as exc:
        raise HistoryError(problem("history-corrupt", where, path=path, reason=str(exc))) \
            from exc
    try:
        connection.execute("PRAGMA busy_timeout = 60000")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version > len(MIGRATIONS):
            raise HistoryError(problem("history-newer-version", where, path=path,
                                       found=version, known=len(MIGRATIONS)))
        if (version == 0 and tables) or (version > 0 and not tables >= _OUR_TABLES):
            raise HistoryError(problem("history-not-a-database", where, path=path,
                                       found="it is a database of another program"))
        every_page = whole or version < len(MIGRATIONS)
        _check_pages(connection, path,
                     "PRAGMA quick_check" if every_page else "PRAGMA quick_check(returns)")
    except sqlite3.DatabaseError as exc:
        raise HistoryError(problem("history-corrupt", where, path=path, reason=str(exc))) \
            from exc
    finally:
        connection.close()


def open_history(path: str | os.PathLike[str] | None = None, *, create: bool = True,
                 check: Literal["on-open", "before-writing"] = "on-open") -> History:
    """Open (creating on first use, unless ``create`` is false) the history at ``path``,
    bringing its schema up to date.

    A file that is not a rubric history, is damaged, or comes from a newer rubric is refused
    with :class:`HistoryError` (its ``problem`` is catalogued) and left exactly as it was:
    nothing is written to it, and a damaged database is never "repaired" by replacing it.
    Every page is checked on opening; with ``check="before-writing"``, opening checks the
    table of returns and the rest is checked before the first write (``ingest``: a run that
    finds every file already recorded does not read a history of gigabytes through).
    """
    target = Path(path) if path is not None else default_db_path()
    whole = check == "on-open"
    check_history_file(target, whole=whole)
    if not target.exists() or target.stat().st_size == 0:
        if not create:
            raise HistoryError(problem("history-missing", Location(str(target)), path=target))
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            _create_whole(target)
    try:
        connection = sqlite3.connect(target, timeout=60, isolation_level=None)
        connection.execute("PRAGMA busy_timeout = 60000")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA foreign_keys = ON")
        _migrate_schema(connection)
    except sqlite3.DatabaseError as exc:
        raise HistoryError(problem("history-corrupt", Location(str(target)), path=target,
                                   reason=str(exc))) from exc
    return History(connection, target, checked=whole)


# A return is hundreds of kilobytes of text in rows of one or two kilobytes: on SQLite's
# default 4 KiB pages a page holds two rows and recording a return costs many page writes,
# twice over under WAL. 64 KiB pages take about 40% less time to write and less room; histories
# made before keep their page size (changing it means rewriting the whole file).
PAGE_SIZE = 65536


def _create_whole(target: Path) -> None:
    """Make a new history beside ``target`` and link it into place whole, so that a process
    opening ``target`` at the same moment never sees a half-made database (and takes it for
    another program's); when another process got there first, its database is kept."""
    import threading

    temporary = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.new")
    try:
        connection = sqlite3.connect(temporary, isolation_level=None)
        try:
            connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # before the first table
            connection.execute("PRAGMA journal_mode = WAL")
            _migrate_schema(connection)
        finally:
            connection.close()  # the last connection: the WAL is folded into the file
        try:
            os.link(temporary, target)  # atomic, and never replaces a file
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: a rename, unless one appeared
            if not target.exists():
                os.replace(temporary, target)
    finally:
        for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
            leftover.unlink(missing_ok=True)


def _migrate_schema(connection: sqlite3.Connection) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):  # checked before opening; a writer may have raced us
            raise HistoryError(problem("history-newer-version", found=version,
                                       known=len(MIGRATIONS), path="the history"))
        for step in MIGRATIONS[version:]:
            for statement in step.split(";"):
                if statement.strip():
                    connection.execute(statement)
        if version < len(MIGRATIONS):  # (set only then: opening a current history writes nothing)
            connection.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def open_existing_history(path: str | os.PathLike[str]) -> History:
    """The history at ``path`` for a reading command: it must exist already (reading never
    creates an empty database where the user expected their records)."""
    return open_history(path, create=False)
