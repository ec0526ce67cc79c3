"""``rubric ingest``, ``rubric trend`` and ``rubric export``: returns kept across cycles."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rubric.cli._render import echo_problems, finish, plural, refusals, write_output
from rubric.cli.options import cycle_option, db_option, force_option, frameworks_option, json_option

if TYPE_CHECKING:
    from rubric.cycles.trend import Trend


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@cycle_option("Check the returns are for this cycle, e.g. 2025-26 (default: each return's own "
              "cycle, from its workbook).")
@db_option
@frameworks_option
@json_option
@refusals
def ingest(paths: tuple[Path, ...], cycle: str | None, db_path: Path | None,
           frameworks_dir: Path | None, as_json: bool) -> None:
    """Record validated returns in the history (created on first use; the same file again
    changes nothing; a newer return supersedes the old one, which stays in the history)."""
    from rubric.cycles.history import open_history
    from rubric.cycles.ingest import ingest_returns
    from rubric.framework.store import FrameworkStore
    from rubric.problems import display_path
    from rubric.read.files import require_returns
    from rubric.resources import history_path

    found = require_returns(paths)
    target = history_path(db_path)
    history = open_history(target, check="before-writing")
    try:
        run = ingest_returns(found.files, history, FrameworkStore.lookup(frameworks_dir), cycle)
    finally:
        history.close()
    run.report.problems[:0] = found.report.problems
    if as_json:
        finish(run.report, as_json=True, payload={"db": str(target), **run.to_dict()})
    echo_problems(run.report)
    for o in run.outcomes:
        extra = f" (supersedes #{o.replaced}, kept in history)" if o.replaced else ""
        click.echo(f"{display_path(o.path)}: {o.outcome} as #{o.return_id}, {o.authority}, "
                   f"{o.cycle}{extra}")
    click.echo(f"{len(run.outcomes)} recorded, {len(run.refused)} refused; history in {target}",
               err=True)
    finish(run.report, echo=False)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


@click.command()
@click.option("--authority", required=True, metavar="NAME", help="Authority name or code.")
@db_option
@frameworks_option
@json_option
@refusals
def trend(authority: str, db_path: Path | None, frameworks_dir: Path | None,
          as_json: bool) -> None:
    """An authority's levels, scores and measures across cycles, from the history (which
    'rubric ingest' creates)."""
    from rubric.cycles.trend import trend_for
    from rubric.framework.store import FrameworkStore
    from rubric.resources import history_path

    found = trend_for(history_path(db_path), authority, FrameworkStore.lookup(frameworks_dir))
    if as_json:
        from rubric.problems import Report

        finish(Report(), as_json=True, payload=found.to_dict())
    click.echo(f"{found.authority} ({found.authority_code}), {found.framework.id} "
               f"{found.framework.version}: {plural(len(found.cycles), 'cycle')} "
               f"({', '.join(found.cycles)})")
    click.echo("overall: " + ", ".join(
        f"{c} {_fmt(found.scores[c].overall.rounded)}" for c in found.cycles))
    click.echo("indicators:")
    for indicator_id, row in found.indicator_scores().items():
        title = found.framework.indicator_index[indicator_id][1].title
        values = "  ".join(f"{c} {_fmt(v)}" for c, v in row.items())
        click.echo(f"  {indicator_id:<6} {values}  {title}")
    moved = found.changes()
    if moved:
        click.echo(f"themes that moved ({found.cycles[-2]} -> {found.cycles[-1]}):")
        for theme_id, title, before, after in moved:
            click.echo(f"  {theme_id:<8} {before} -> {after} ({after - before:+d})  {title}")
    for mid, by_cycle in found.measures().items():
        values = "; ".join(f"{c}: {_fmt(v['baseline'])} -> {_fmt(v['current'])}"
                           for c, v in by_cycle.items())
        click.echo(f"measure {mid}: {values}")
    _echo_meeting(found)
    for note in found.notes:
        click.echo(f"note: {note}")


def _echo_meeting(found: Trend) -> None:
    """Self-evaluated beside validated levels per cycle, and the action plan's statuses."""
    for cycle, by_id in found.validated.items():
        click.echo(f"Quad's validated levels ({cycle} meeting record):")
        for indicator_id, v in by_id.items():
            level = "-" if v.level is None else v.level
            why = f"  ({v.rationale})" if v.rationale else ""
            click.echo(f"  {indicator_id:<6} self {_fmt(v.self_score)}  validated {level}  "
                       f"{v.view}{why}")
    for agreed_in, group in itertools.groupby(found.actions, key=lambda a: a.agreed_in):
        rows = list(group)
        later = rows[0].followed_up_in
        if later:
            done = sum(a.progressed for a in rows)
            click.echo(f"actions agreed in {agreed_in}, as reported in {later}: progress on "
                       f"{done} of {len(rows)} (Not started is not progress)")
        else:
            click.echo(f"actions agreed in {agreed_in}: no follow-up return yet")
        for a in rows:
            status = a.status or ("no status chosen" if a.status == "" else "not reported")
            due = f", due {a.due}" if a.due else ""
            note = f"  Progress: {a.progress}" if a.progress else ""
            click.echo(f"  {a.id:<8} {status}{due}  {a.action}{note}")


@click.command("export")
@cycle_option("The cycle to export, e.g. 2025-26.", required=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of standard output.")
@force_option
@db_option
@refusals
def export_cycle(cycle: str, fmt: str, output: Path | None, force: bool,
                 db_path: Path | None) -> None:
    """Answers and scores of a cycle's current returns, for other tools (CSV or JSON)."""
    from rubric.export.tabular import export_cycle as export
    from rubric.resources import history_path

    write_output(export(history_path(db_path), cycle, fmt), output, force=force)
