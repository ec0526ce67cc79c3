"""``rubric score``, ``rubric compare`` and ``rubric national``: returns in, results out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from rubric.cli._render import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    echo_problems,
    emit_json,
    existing_history,
    fail,
    fail_exists,
    progress,
)
from rubric.cli.workbook import expand_paths, frameworks_option, jobs_option

quads_option = click.option(
    "--quads-file", type=click.Path(dir_okay=False, path_type=Path), envvar="RUBRIC_QUADS",
    default="quads.yaml", show_default=True, help="The Quads file.")


def _read_stream(paths: tuple[Path, ...], frameworks_dir: Path, jobs: int | None,
                 label: str, work: Any = None) -> Iterator:
    """Validated returns (or ``work`` applied to each), streamed in input order, with a
    progress bar on a terminal."""
    from rubric.batch import read_many, whole
    from rubric.framework.store import FrameworkStore

    files = expand_paths(paths)
    if not files:
        fail("no .xlsx files found in the given folder(s)", EXIT_USAGE)
    store = FrameworkStore(frameworks_dir)
    with progress(len(files), label) as advance:
        yield from read_many(files, store, jobs=jobs, work=work or whole, on_done=advance)


def _score_text(scores) -> None:
    click.echo(f"{scores.authority} ({scores.authority_code or '-'}), {scores.framework_id} "
               f"{scores.framework_version}, {scores.cycle}: overall "
               f"{_fmt(scores.overall.rounded)}; completion {scores.completion:.0%}; evidence "
               f"for {scores.evidence_coverage:.0%} of levels")
    for category in scores.categories:
        children = {i for i, _, _ in category.inputs} | {i for i, _ in category.excluded}
        indicators = [s for s in scores.indicators if s.id in children]
        parts = ", ".join(f"{s.id} {_fmt(s.rounded)} ({s.answered}/{s.total})"
                          for s in indicators)
        click.echo(f"  {category.id:<3} {_fmt(category.rounded):>9}  {category.title}: {parts}")


def _fmt(value: float | None) -> str:
    return "no score" if value is None else f"{value:.1f}"


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@frameworks_option
@jobs_option
@click.option("--explain", is_flag=True, help="Show how every score was derived.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def score(paths: tuple[Path, ...], frameworks_dir: Path, jobs: int | None, explain: bool,
          as_json: bool) -> None:
    """Score returns per theme, indicator, key area and overall, by the framework's rules."""
    from rubric.batch import with_scores
    from rubric.scoring import explain_lines

    entries, invalid = [], []
    for result, scores in _read_stream(paths, frameworks_dir, jobs, "Scoring", with_scores):
        if scores is None:
            echo_problems(result.report.errors)
            invalid.append(result.path)
            continue
        if as_json:
            entries.append(scores.to_dict(explain))
        elif explain:
            for line in explain_lines(scores):
                click.echo(line)
        else:
            _score_text(scores)
    if as_json:
        emit_json({"responses": entries, "invalid": invalid})
    raise SystemExit(EXIT_PROBLEMS if invalid else EXIT_OK)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The comparison workbook (.xlsx) to write (optional with --json).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a self-contained HTML report here.")
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
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              envvar="RUBRIC_DB", default="rubric-history.sqlite", show_default=True,
              help="The history database, for --previous-cycle.")
@click.option("--migrate", "migrate_versions", is_flag=True,
              help="Bring returns on older framework versions to the newest one first.")
@click.option("--allow-mixed-cycles", is_flag=True,
              help="Compare returns of different cycles (with a warning in every output).")
@click.option("--agenda-per-kind", type=click.IntRange(1), default=3, show_default=True,
              help="The agenda: at most this many prompts of one kind about a member.")
@click.option("--agenda-per-member", type=click.IntRange(1), default=12, show_default=True,
              help="The agenda: at most this many prompts about a member in all.")
@click.option("--force", is_flag=True, help="Replace existing output files.")
@jobs_option
@click.option("--json", "as_json", is_flag=True,
              help="Print the comparison as JSON (no -o needed).")
def compare(paths: tuple[Path, ...], output: Path | None, html_path: Path | None,
            quad_name: str | None, quads_file: Path, frameworks_dir: Path, divergence: int,
            high_level: int, thin_evidence_words: int, weak_level: int, learn_gap: int,
            previous_cycle: str | None, db_path: Path, migrate_versions: bool,
            allow_mixed_cycles: bool, agenda_per_kind: int, agenda_per_member: int, force: bool,
            jobs: int | None, as_json: bool) -> None:
    """Compare a Quad's returns: workbook with heat map, evidence, charts, challenge prompts."""
    from rubric._io import OutputExists
    from rubric.compare.challenge import KIND_TITLES, ChallengeSettings
    from rubric.compare.quad import compare_returns, member_codes
    from rubric.export.xlsx import write_comparison_xlsx

    if output is None and not as_json:
        fail("say where to write the comparison (-o quad.xlsx), or print it with --json",
             EXIT_USAGE)
    for target in (output, html_path):
        if target is not None and target.exists() and not force:
            fail_exists(target)
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
    results = list(_read_stream(paths, frameworks_dir, jobs, "Reading"))
    for result in results:
        if not result.valid and not as_json:
            echo_problems(result.report.errors)
    notes: list[str] = []
    if migrate_versions:
        from rubric.migrate import migrate_to_newest

        results, notes = migrate_to_newest(results)
    settings = ChallengeSettings(divergence_levels=divergence, high_level=high_level,
                                 thin_evidence_words=thin_evidence_words,
                                 weak_level=weak_level, learn_gap=learn_gap,
                                 agenda_per_kind=agenda_per_kind,
                                 agenda_per_member=agenda_per_member)
    previous = None
    if previous_cycle and results and all(r.valid for r in results):
        from rubric.framework.store import FrameworkStore
        from rubric.trend import previous_cycle_scores

        framework = results[0].framework
        assert framework is not None
        with existing_history(db_path, "--previous-cycle") as history:
            try:
                previous = previous_cycle_scores(history, FrameworkStore(frameworks_dir),
                                                 framework, member_codes(results),
                                                 previous_cycle)
            except LookupError as exc:
                fail(str(exc))
    outcome = compare_returns(results, quad=quad, settings=settings, previous=previous,
                              allow_mixed_cycles=allow_mixed_cycles)
    if as_json:
        problems = [p.to_dict() for r in results if not r.valid for p in r.report.errors]
        problems += [p.to_dict() for p in outcome.report]
    else:
        echo_problems(outcome.report)
    if outcome.comparison is None:
        if as_json:
            emit_json({"comparison": None, "problems": problems})
            raise SystemExit(EXIT_PROBLEMS)
        hint = "" if migrate_versions or "compare-framework-mismatch" not in \
            outcome.report.codes() else "; --migrate brings every return to the newest version"
        fail(f"the returns cannot be compared (see above){hint}")
    comparison = outcome.comparison
    comparison.notes.extend(notes)
    try:
        if output is not None:
            write_comparison_xlsx(comparison, output, force=force)
        if html_path is not None:
            from rubric.export.html import write_html

            write_html(comparison, html_path, force=force)
    except OutputExists as exc:
        fail_exists(exc)
    if as_json:
        emit_json(comparison.to_dict() | {"problems": problems})
        return
    click.echo(comparison.title)
    for member in comparison.members:
        click.echo(f"  {member.name}: overall {_fmt(member.scores.overall.rounded)}, "
                   f"completion {member.scores.completion:.0%}")
    counts = {kind: sum(p.kind == kind for p in comparison.prompts) for kind in KIND_TITLES}
    click.echo("Challenge prompts: " + ", ".join(f"{KIND_TITLES[k]} {n}"
                                                  for k, n in counts.items()))
    agenda = comparison.agenda
    click.echo(f"Agenda: {len(agenda)} of {len(comparison.prompts)} prompts; per member "
               + ", ".join(f"{comparison.labels[c]} {n}"
                           for c, n in comparison.prompt_counts(agenda).items()))
    click.echo(f"wrote {output}" + (f" and {html_path}" if html_path else ""))


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="The national workbook (.xlsx) to write.")
@quads_option
@frameworks_option
@click.option("--allow-mixed-cycles", is_flag=True,
              help="Include returns of different cycles (with a warning in the workbook).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@jobs_option
def national(paths: tuple[Path, ...], output: Path, quads_file: Path, frameworks_dir: Path,
             allow_mixed_cycles: bool, force: bool, jobs: int | None) -> None:
    """Every authority's indicator scores with national and family-group medians."""
    from rubric._io import OutputExists
    from rubric.compare.national import national_overview
    from rubric.export.national import write_national_xlsx
    from rubric.registry.quads import load_quads

    if output.exists() and not force:
        fail_exists(output)
    quads = load_quads(quads_file) if quads_file.exists() else None
    outcome = national_overview(_read_stream(paths, frameworks_dir, jobs, "Scoring"), quads,
                                allow_mixed_cycles=allow_mixed_cycles)
    echo_problems(outcome.report)
    if outcome.overview is None:
        fail("no national overview could be built (see above)")
    try:
        write_national_xlsx(outcome.overview, output, force=force)
    except OutputExists as exc:
        fail_exists(exc)
    overview = outcome.overview
    click.echo(f"{len(overview.rows)} returns; no return from {len(overview.missing)} "
               f"authorities; wrote {output}")
