"""``rubric meeting pack``, ``rubric meeting record`` and ``rubric report``: the Quad meeting.

Thin commands: parse options, call rubric.meeting / rubric.report, render, set the exit code
(0 ok, 1 the input has problems, 2 the command cannot run as asked).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click

from rubric.cli._render import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    echo_problems,
    emit_json,
    existing_history,
    fail,
)

_frameworks = click.option(
    "--frameworks", "frameworks_dir", type=click.Path(file_okay=False, path_type=Path),
    envvar="RUBRIC_FRAMEWORKS", default="frameworks", show_default=True,
    help="Folder of framework files (<id>/<version>.yaml).")
_db = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), envvar="RUBRIC_DB",
    default="rubric-history.sqlite", show_default=True, help="The history database.")
_json = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def _files(paths: tuple[Path, ...]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(p for p in path.glob("*.xlsx") if not p.name.startswith("~$"))
                     if path.is_dir() else [path])
    return found


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--meeting-date {value!r} should be a date such as 2026-11-12", EXIT_USAGE)


@click.group()
def meeting() -> None:
    """The Quad meeting: its pack, and the record of what it agreed."""


@meeting.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder for pack.html, pack.xlsx and record.xlsx.")
@click.option("--meeting-date", metavar="YYYY-MM-DD", help="When the Quad meets.")
@click.option("--quad", "quad_name", metavar="NAME", help="Check the returns are this Quad's.")
@click.option("--quads-file", type=click.Path(dir_okay=False, path_type=Path),
              envvar="RUBRIC_QUADS", default="quads.yaml", show_default=True)
@_frameworks
@click.option("--force", is_flag=True, help="Replace existing files.")
def pack(paths: tuple[Path, ...], output: Path, meeting_date: str | None, quad_name: str | None,
         quads_file: Path, frameworks_dir: Path, force: bool) -> None:
    """Write the meeting pack and the record workbook for the Quad's returns (PATHS)."""
    from rubric.compare.quad import compare_returns
    from rubric.framework.store import FrameworkStore
    from rubric.meeting.pack import write_pack
    from rubric.responses import read_return

    day = _date(meeting_date)
    files = _files(paths)
    if not files:
        fail("no .xlsx files found in the given folder(s)", EXIT_USAGE)
    quad = None
    if quad_name:
        from rubric.registry.quads import load_quads

        quads = load_quads(quads_file)
        if not quads.valid:
            echo_problems(quads.report)
            fail(f"{quads_file} has errors")
        quad = quads.get(quad_name)
        if quad is None:
            fail(f"no Quad named {quad_name!r} in {quads_file}", EXIT_USAGE)
    store = FrameworkStore(frameworks_dir)
    results = [read_return(path, store) for path in files]
    for result in results:
        echo_problems(result.report.errors)
    compared = compare_returns(results, quad=quad)
    echo_problems(compared.report)
    if not compared.valid or compared.comparison is None:
        fail("the returns cannot be compared; nothing was written")
    written = write_pack(compared.comparison, output, meeting_date=day, force=force)
    echo_problems(written.report)
    for path in written.written:
        click.echo(str(path))
    if not written.valid:
        raise SystemExit(EXIT_PROBLEMS)
    assert written.pack is not None
    click.echo(f"agenda of {len(written.pack.agenda)} prompts for "
               f"{len(compared.comparison.members)} members", err=True)


@meeting.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_db
@_frameworks
@_json
def record(paths: tuple[Path, ...], db_path: Path, frameworks_dir: Path, as_json: bool) -> None:
    """Read filled meeting records and keep them in the history (idempotent; a corrected
    record supersedes the old one, which stays in the history)."""
    from rubric.framework.store import FrameworkStore
    from rubric.history import open_history
    from rubric.meeting.record_read import read_record
    from rubric.meeting.store import store_record

    files = _files(paths)
    if not files:
        fail("no .xlsx files found in the given folder(s)", EXIT_USAGE)
    store = FrameworkStore(frameworks_dir)
    entries, refused = [], 0
    history = None
    try:
        for path in files:
            result = read_record(path, store)
            entry = result.to_dict()
            if result.valid:
                history = history or open_history(db_path)
                stored = store_record(history, result)
                entry.update(outcome=stored.outcome, id=stored.record_id,
                             replaced=stored.replaced)
                entry["warnings"] += [p.to_dict() for p in stored.report]
                result.report.extend(stored.report)
            else:
                refused += 1
            entries.append(entry)
            if as_json:
                continue
            echo_problems(result.report)
            if result.valid and result.record is not None:
                r = result.record
                extra = f" (supersedes #{entry['replaced']}, kept in history)" \
                    if entry.get("replaced") else ""
                click.echo(f"{path}: {entry['outcome']} as #{entry['id']}, {r.quad}, {r.cycle}: "
                           f"{len(r.validations)} views, {len(r.actions)} actions{extra}")
            else:
                click.echo(f"{path}: REFUSED ({len(result.report.errors)} errors)")
    finally:
        if history is not None:
            history.close()
    if as_json:
        emit_json({"db": str(db_path), "records": entries})
    raise SystemExit(EXIT_PROBLEMS if refused else EXIT_OK)


@click.command()
@click.option("--authority", required=True, metavar="NAME", help="Authority name or code.")
@click.option("--cycle", required=True, help="The cycle, e.g. 2026-27.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="report.html or report.docx (Word).")
@_db
@_frameworks
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def report(authority: str, cycle: str, output: Path, db_path: Path, frameworks_dir: Path,
           force: bool) -> None:
    """An authority's report for a cycle: scores, the Quad's validated evaluation, its own
    strengths and next steps, its action plan and change since last cycle."""
    from rubric._io import OutputExists
    from rubric.framework.store import FrameworkStore
    from rubric.report.build import build_report

    if not re.fullmatch(r"\d{4}-\d{2}", cycle):
        fail(f"--cycle {cycle!r} should look like 2026-27", EXIT_USAGE)
    kind = output.suffix.lower()
    if kind not in (".html", ".htm", ".docx"):
        fail(f"{output}: the report is written as .html or .docx", EXIT_USAGE)
    if output.exists() and not force:
        from rubric.cli._render import fail_exists

        fail_exists(output)
    with existing_history(db_path, "report") as history:
        built = build_report(history, authority, cycle, FrameworkStore(frameworks_dir))
    echo_problems(built.report)
    if built.document is None:
        raise SystemExit(EXIT_PROBLEMS)
    try:
        if kind == ".docx":
            from rubric.report.docx import write_report_docx

            write_report_docx(built.document, output, force=force)
        else:
            from rubric.report.html import write_report_html

            write_report_html(built.document, output, force=force)
    except OutputExists:
        from rubric.cli._render import fail_exists

        fail_exists(output)
    click.echo(f"wrote {output}", err=True)
