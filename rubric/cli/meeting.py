"""``rubric meeting pack``, ``rubric meeting record`` and ``rubric report``: the Quad meeting."""

from __future__ import annotations

from pathlib import Path

import click

from rubric.cli._render import echo_problems, finish, plural, refusals
from rubric.cli.options import (
    cycle_option,
    db_option,
    force_option,
    frameworks_option,
    json_option,
    quads_option,
)


@click.group()
def meeting() -> None:
    """The Quad meeting: its pack, and the record of what it agreed."""


@meeting.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder for pack.html, pack.xlsx and record.xlsx.")
@click.option("--meeting-date", metavar="YYYY-MM-DD", help="When the Quad meets.")
@click.option("--quad", "quad_name", metavar="NAME", help="Check the returns are this Quad's.")
@quads_option
@frameworks_option
@force_option
@json_option
@refusals
def pack(paths: tuple[Path, ...], output: Path, meeting_date: str | None, quad_name: str | None,
         quads_file: Path | None, frameworks_dir: Path | None, force: bool,
         as_json: bool) -> None:
    """Write the meeting pack and the record workbook for the Quad's returns (PATHS)."""
    from rubric.framework.store import FrameworkStore
    from rubric.meeting.run import make_pack, meeting_day

    written = make_pack(paths, output, store=FrameworkStore.lookup(frameworks_dir),
                        quad=quad_name, quads_path=quads_file,
                        meeting_date=meeting_day(meeting_date), force=force)
    agenda = len(written.pack.agenda) if written.pack else 0
    if as_json:
        finish(written.report, as_json=True, payload={
            "written": [str(p) for p in written.written], "agenda": agenda})
    echo_problems(written.report, err=True)
    for path in written.written:
        click.echo(str(path))
    if written.pack is not None:
        click.echo(f"agenda of {plural(agenda, 'prompt')} for "
                   f"{plural(len(written.pack.pages), 'member')}", err=True)
    finish(written.report, echo=False)


@meeting.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@frameworks_option
@json_option
@refusals
def record(paths: tuple[Path, ...], db_path: Path | None, frameworks_dir: Path | None,
           as_json: bool) -> None:
    """Read filled meeting records and keep them in the history (idempotent; a corrected
    record supersedes the old one, which stays in the history)."""
    from rubric.framework.store import FrameworkStore
    from rubric.meeting.run import record_meetings
    from rubric.resources import history_path

    target = history_path(db_path)
    run = record_meetings(paths, target, FrameworkStore.lookup(frameworks_dir))
    if as_json:
        finish(run.report, as_json=True, payload={"db": str(target), **run.to_dict()})
    for result, stored in run.entries:
        echo_problems(result.report)
        if stored is not None and result.record is not None:
            r = result.record
            extra = f" (supersedes #{stored.replaced}, kept in history)" if stored.replaced else ""
            echo_problems(stored.report)
            click.echo(f"{result.path}: {stored.outcome} as #{stored.record_id}, {r.quad}, "
                       f"{r.cycle}: {plural(len(r.validations), 'view')}, "
                       f"{plural(len(r.actions), 'action')}{extra}")
        else:
            click.echo(f"{result.path}: REFUSED ({plural(len(result.report.errors), 'error')})")
    finish(run.report, echo=False)


@click.command()
@click.option("--authority", required=True, metavar="NAME", help="Authority name or code.")
@cycle_option("The cycle, e.g. 2026-27.", required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="report.html or report.docx (Word).")
@db_option
@frameworks_option
@force_option
@json_option
@refusals
def report(authority: str, cycle: str, output: Path, db_path: Path | None,
           frameworks_dir: Path | None, force: bool, as_json: bool) -> None:
    """An authority's report for a cycle: scores, the Quad's validated evaluation, its own
    strengths and next steps, its action plan and change since last cycle."""
    from rubric.framework.store import FrameworkStore
    from rubric.meeting.run import make_report
    from rubric.resources import history_path

    found = make_report(history_path(db_path), authority, cycle, output,
                        store=FrameworkStore.lookup(frameworks_dir), force=force)
    if as_json or not found.valid:
        finish(found, as_json=as_json, payload={"written": str(output) if found.valid else None})
    echo_problems(found, err=True)
    click.echo(f"wrote {output}", err=True)
