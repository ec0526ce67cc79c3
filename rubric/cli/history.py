"""``rubric ingest``, ``rubric trend`` and ``rubric export``: returns kept across cycles."""

from __future__ import annotations

from pathlib import Path

import click

from rubric.cli._render import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    echo_problems,
    emit_json,
    emit_text,
    existing_history,
    fail,
)
from rubric.cli.workbook import expand_paths, frameworks_option

db_option = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), envvar="RUBRIC_DB",
    default="rubric-history.sqlite", show_default=True,
    help="The history database (created on first use).")
CYCLE_PATTERN = r"\d{4}-\d{2}"


def _cycle(value: str) -> str:
    import re

    if not re.fullmatch(CYCLE_PATTERN, value):
        fail(f"cycle {value!r} should look like 2025-26", EXIT_USAGE)
    return value


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--cycle", required=True, help="The cycle these returns belong to, e.g. 2025-26.")
@db_option
@frameworks_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def ingest(paths: tuple[Path, ...], cycle: str, db_path: Path, frameworks_dir: Path,
           as_json: bool) -> None:
    """Record validated returns in the history (idempotent; newer returns supersede)."""
    from rubric.batch import read_many
    from rubric.framework.store import FrameworkStore
    from rubric.problems import display_path
    from rubric.scoring import score_response

    cycle = _cycle(cycle)
    files = expand_paths(paths)
    if not files:
        fail("no .xlsx files found in the given folder(s)", EXIT_USAGE)
    store = FrameworkStore(frameworks_dir)
    outcomes, refused = [], []
    with existing_history(db_path, "ingest", create=True) as history:
        for path, result in zip(files, read_many(files, store), strict=True):
            if not result.valid or result.response is None or result.framework is None:
                echo_problems(result.report.errors)
                refused.append(str(path))
                continue
            outcome = history.ingest(result, score_response(result.response,
                                                            result.framework), cycle)
            outcomes.append(outcome)
    if as_json:
        emit_json({"db": str(db_path), "cycle": cycle, "refused": refused, "returns": [
            {"path": o.path, "outcome": o.outcome, "id": o.return_id, "authority": o.authority,
             "replaced": o.replaced} for o in outcomes]})
    else:
        for o in outcomes:
            extra = f" (supersedes #{o.replaced}, kept in history)" if o.replaced else ""
            click.echo(f"{display_path(o.path)}: {o.outcome} as #{o.return_id}, {o.authority}, "
                       f"{cycle}{extra}")
        click.echo(f"{len(outcomes)} recorded, {len(refused)} refused; history in {db_path}",
                   err=True)
    raise SystemExit(EXIT_PROBLEMS if refused else EXIT_OK)


@click.command()
@click.option("--authority", required=True, metavar="NAME", help="Authority name or code.")
@db_option
@frameworks_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def trend(authority: str, db_path: Path, frameworks_dir: Path, as_json: bool) -> None:
    """An authority's levels, scores and measures across cycles."""
    from rubric.framework.store import FrameworkStore
    from rubric.trend import build_trend

    with existing_history(db_path, "trend") as history:
        code = history.code_for(authority)
        try:
            found = build_trend(history, code, FrameworkStore(frameworks_dir)) if code else None
        except LookupError as exc:
            fail(str(exc))
    if found is None:
        fail(f"no returns recorded for {authority!r} in {db_path}")
    if as_json:
        emit_json(found.to_dict())
        return
    click.echo(f"{found.authority} ({found.authority_code}), {found.framework.id} "
               f"{found.framework.version}: cycles {', '.join(found.cycles)}")
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
        values = "; ".join(f"{c}: {v['baseline']} -> {v['current']}" for c, v in
                           by_cycle.items())
        click.echo(f"measure {mid}: {values}")
    for note in found.notes:
        click.echo(f"note: {note}")


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


@click.command("export")
@click.option("--cycle", required=True, help="The cycle to export, e.g. 2025-26.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of standard output.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@db_option
def export_cycle(cycle: str, fmt: str, output: Path | None, force: bool, db_path: Path) -> None:
    """Answers and scores of a cycle's current returns, for other tools (CSV or JSON)."""
    from rubric.export.tabular import cycle_csv, cycle_json

    with existing_history(db_path, "export") as history:
        text = cycle_csv(history, _cycle(cycle)) if fmt == "csv" else cycle_json(history, cycle)
    emit_text(text, output, force=force)
