"""``rubric score``, ``rubric compare`` and ``rubric national``: returns in, results out."""

from __future__ import annotations

from pathlib import Path

import click

from rubric.cli._render import echo_problems, finish, plural, progress, refusals
from rubric.cli.options import (
    cycle_option,
    db_option,
    force_option,
    frameworks_option,
    jobs_option,
    json_option,
    quads_option,
)


def _fmt(value: float | None) -> str:
    return "no score" if value is None else f"{value:.1f}"


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@frameworks_option
@jobs_option
@click.option("--explain", is_flag=True, help="Show how every score was derived.")
@json_option
@refusals
def score(paths: tuple[Path, ...], frameworks_dir: Path | None, jobs: int | None,
          explain: bool, as_json: bool) -> None:
    """Score returns per theme, indicator, key area and overall, by the framework's rules."""
    import sys

    from rubric.framework.store import FrameworkStore
    from rubric.problems import EXIT_OK, EXIT_PROBLEMS
    from rubric.read.files import require_returns
    from rubric.read.rendered import score_files, write_scores_json

    found = require_returns(paths)
    echo_problems(found.report, err=True)
    store = FrameworkStore.lookup(frameworks_dir)
    form = ("json-explain" if explain else "json") if as_json else \
        ("explain" if explain else "text")
    with progress(len(found.files), "Scoring") as advance:
        files = score_files(found.files, store, form=form, jobs=jobs, on_done=advance)
        if as_json:  # streamed: memory stays flat however many returns there are
            ok = write_scores_json(files, sys.stdout,
                                   lambda bad: echo_problems(bad.errors, err=True))
            raise SystemExit(EXIT_OK if ok else EXIT_PROBLEMS)
        invalid = False
        for scored in files:
            if scored.text is None:
                echo_problems(scored.errors)
                invalid = True
            else:
                click.echo(scored.text)
    raise SystemExit(EXIT_PROBLEMS if invalid else EXIT_OK)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The comparison workbook (.xlsx) to write.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a self-contained HTML report here (.html).")
@click.option("--quad", "quad_name", metavar="NAME",
              help="The Quad these returns belong to (checked against the Quads file).")
@quads_option
@frameworks_option
@click.option("--divergence", type=click.IntRange(1, 10), default=2, show_default=True,
              help="Flag themes where members are this many levels apart.")
@click.option("--high-level", type=int, default=5, show_default=True,
              help="Grades at or above this are 'high' for the evidence and measure checks.")
@click.option("--thin-evidence-words", type=click.IntRange(0), default=15, show_default=True,
              help="Evidence shorter than this many words is 'thin'.")
@click.option("--weak-level", type=int, default=2, show_default=True,
              help="A theme every member rates at or below this is a shared priority.")
@click.option("--learn-gap", type=click.IntRange(1, 10), default=2, show_default=True,
              help="A member this many levels above all others is someone to learn from.")
@click.option("--previous-cycle", metavar="CYCLE",
              help="Add a Trend sheet: each member's scores in CYCLE (from the history).")
@db_option
@click.option("--migrate", "migrate_versions", is_flag=True,
              help="Bring returns on older framework versions to the newest one first.")
@click.option("--allow-mixed-cycles", is_flag=True,
              help="Compare returns of different cycles (with a warning in every output).")
@click.option("--agenda-per-kind", type=click.IntRange(1), default=3, show_default=True,
              help="The agenda: at most this many prompts of one kind about a member.")
@click.option("--agenda-per-member", type=click.IntRange(1), default=12, show_default=True,
              help="The agenda: at most this many prompts about a member in all.")
@force_option
@jobs_option
@json_option
@refusals
def compare(paths: tuple[Path, ...], output: Path | None, html_path: Path | None,
            quad_name: str | None, quads_file: Path | None, frameworks_dir: Path | None,
            divergence: int, high_level: int, thin_evidence_words: int, weak_level: int,
            learn_gap: int, previous_cycle: str | None, db_path: Path | None,
            migrate_versions: bool, allow_mixed_cycles: bool, agenda_per_kind: int,
            agenda_per_member: int, force: bool, jobs: int | None, as_json: bool) -> None:
    """Compare a Quad's returns: workbook with heat map, evidence, charts, challenge prompts.

    Without -o or --html it prints the comparison (as JSON with --json)."""
    from rubric.compare.challenge import KIND_TITLES, ChallengeSettings
    from rubric.compare.pipeline import run_comparison
    from rubric.framework.store import FrameworkStore

    settings = ChallengeSettings(divergence_levels=divergence, high_level=high_level,
                                 thin_evidence_words=thin_evidence_words,
                                 weak_level=weak_level, learn_gap=learn_gap,
                                 agenda_per_kind=agenda_per_kind,
                                 agenda_per_member=agenda_per_member)
    with progress(len(paths), "Reading") as advance:
        run = run_comparison(paths, store=FrameworkStore.lookup(frameworks_dir),
                             quad=quad_name, quads_path=quads_file, settings=settings,
                             migrate=migrate_versions, previous_cycle=previous_cycle,
                             history_path=db_path, xlsx=output, html=html_path, force=force,
                             jobs=jobs, on_done=advance, allow_mixed_cycles=allow_mixed_cycles)
    comparison = run.comparison
    if as_json:
        finish(run.report, as_json=True, payload={
            "comparison": comparison.to_dict() if comparison else None,
            "written": [str(p) for p in run.written]})
    echo_problems(run.report, err=True)
    if comparison is None:
        finish(run.report, echo=False)
    click.echo(comparison.title)
    for member in comparison.members:
        click.echo(f"  {member.name}: overall {_fmt(member.scores.overall.rounded)}, "
                   f"completion {member.scores.completion:.0%}")
    counts = {kind: sum(p.kind == kind for p in comparison.prompts) for kind in KIND_TITLES}
    click.echo("Challenge prompts: " + ", ".join(f"{KIND_TITLES[k]} {n}"
                                                  for k, n in counts.items()))
    agenda = comparison.agenda
    click.echo(f"Agenda: {len(agenda)} of {plural(len(comparison.prompts), 'prompt')}; per "
               "member " + ", ".join(f"{comparison.labels[c]} {n}"
                                     for c, n in comparison.prompt_counts(agenda).items()))
    if run.written:
        click.echo("wrote " + " and ".join(str(p) for p in run.written))


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The national workbook (.xlsx) to write.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a self-contained HTML page with charts here (.html).")
@click.option("--json-file", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the national figures as JSON here (.json).")
@click.option("--from-history", is_flag=True,
              help="Use the returns recorded in the history for --cycle instead of files.")
@cycle_option("The cycle of the national picture, e.g. 2025-26 (with files: a check).")
@db_option
@click.option("--migrate", "migrate_versions", is_flag=True,
              help="Bring returns on older framework versions to the newest one first.")
@click.option("--anonymise", is_flag=True,
              help="Show authorities only by family group and Quad, never by name, in every "
              "output.")
@quads_option
@frameworks_option
@click.option("--allow-mixed-cycles", is_flag=True,
              help="Include returns of different cycles (with a warning in every output).")
@force_option
@jobs_option
@json_option
@refusals
def national(paths: tuple[Path, ...], output: Path | None, html_path: Path | None,
             json_path: Path | None, from_history: bool, cycle: str | None,
             db_path: Path | None, migrate_versions: bool, anonymise: bool,
             quads_file: Path | None, frameworks_dir: Path | None, allow_mixed_cycles: bool,
             force: bool, jobs: int | None, as_json: bool) -> None:
    """The national picture: medians, quartiles, family-group and Quad medians, change and
    trend, per indicator and key area (from return files, or --from-history --cycle C)."""
    from rubric.compare.pipeline import run_national
    from rubric.framework.store import FrameworkStore

    with progress(len(paths), "Reading") as advance:
        run = run_national(paths, store=FrameworkStore.lookup(frameworks_dir),
                           quads_path=quads_file, xlsx=output, html=html_path,
                           json_path=json_path, force=force, jobs=jobs,
                           allow_mixed_cycles=allow_mixed_cycles, migrate=migrate_versions,
                           from_history=from_history, cycle=cycle, history_path=db_path,
                           anonymise=anonymise, on_done=advance)
    overview = run.overview
    if as_json or overview is None:
        finish(run.report, as_json=as_json, payload={
            "national": overview.to_dict() if overview else None,
            "written": [str(p) for p in run.written]})
    echo_problems(run.report, err=True)
    click.echo(f"National picture, {overview.framework.key}, cycle {overview.cycle}: "
               f"{plural(len(overview.rows), 'return')}; no return from "
               f"{plural(len(overview.missing), 'authority', 'authorities')}")
    if overview.overall is not None:
        spread = overview.overall.national
        click.echo(f"  overall: national median {_fmt(spread.median)} (middle half "
                   f"{_fmt(spread.q1)} to {_fmt(spread.q3)})")
    for note in overview.all_notes:
        click.echo(f"note: {note}")
    if run.written:
        click.echo("wrote " + " and ".join(str(p) for p in run.written))
