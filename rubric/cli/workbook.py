"""``rubric template``, ``rubric validate`` and ``rubric migrate``: workbooks out and back."""

from __future__ import annotations

from pathlib import Path

import click

from rubric.cli._render import (
    echo_problems,
    emit_json,
    finish,
    plural,
    progress,
    refusals,
)
from rubric.cli.options import (
    cycle_option,
    db_option,
    force_option,
    framework_argument,
    frameworks_option,
    jobs_option,
    json_option,
    quads_option,
)


def load_named_framework(spec: str, frameworks_dir: Path | None):
    """The framework ``spec`` names (id, id@version or path), refused when it has errors."""
    from rubric.framework.store import FrameworkStore
    from rubric.problems import Location, Refused, Report, problem

    store = FrameworkStore.lookup(frameworks_dir)
    loaded = store.resolve(spec)
    if not loaded.valid or loaded.framework is None:
        raise Refused(problem("framework-has-errors", Location(loaded.path), path=loaded.path,
                              errors=len(loaded.report.errors)), Report(loaded.report.errors))
    return loaded.framework, store


@click.command()
@framework_argument()
@click.option("--authority", "authorities", multiple=True, metavar="NAME",
              help="The authority the workbook is for (any accepted name or code); repeatable.")
@click.option("--quad", "quad_name", metavar="NAME", help="One workbook per member of this Quad.")
@click.option("--all", "all_authorities", is_flag=True, help="One workbook per authority (32).")
@quads_option
@click.option("--allow-unlisted", is_flag=True,
              help="Accept an authority that is not one of the 32 councils (e.g. a test).")
@cycle_option("The self-evaluation cycle, e.g. 2026-27 (default: the current school year).")
@click.option("--follow-up", "follow_up", is_flag=True,
              help="List each authority's next steps from the previous cycle (from the history "
              "database) beside a column for reporting progress on them.")
@click.option("--previous-cycle", metavar="CYCLE",
              help="The cycle to follow up (default: the one before --cycle).")
@click.option("--prefill-measures", is_flag=True,
              help="Fill the Measures sheet with the published figures in the history "
              "('rubric measures import').")
@db_option
@frameworks_option
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The .xlsx file for one workbook, or a folder for several.")
@force_option
@json_option
@refusals
def template(framework: str, authorities: tuple[str, ...], quad_name: str | None,
             all_authorities: bool, quads_file: Path | None, allow_unlisted: bool,
             cycle: str | None, follow_up: bool, previous_cycle: str | None,
             prefill_measures: bool, db_path: Path | None, frameworks_dir: Path | None,
             output: Path, force: bool, as_json: bool) -> None:
    """Generate the workbook(s) authorities fill in, from FRAMEWORK (an id such as hgioea,
    id@version, or a path)."""
    from rubric.cycles.cycle import current_cycle
    from rubric.problems import display_path
    from rubric.template.targets import make_templates

    model, store = load_named_framework(framework, frameworks_dir)
    run = make_templates(model, output, cycle=cycle or current_cycle(),
                         authorities=authorities, quad=quad_name,
                         all_authorities=all_authorities, allow_unlisted=allow_unlisted,
                         quads_path=quads_file, follow_up=follow_up, history_path=db_path,
                         follow_up_cycle=previous_cycle, store=store, force=force,
                         prefill_measures=prefill_measures)
    if as_json:
        finish(run.report, as_json=True, payload=run.to_dict())
    echo_problems(run.report, err=True)
    for path in run.written:
        click.echo(display_path(path))
    click.echo(f"{plural(len(run.written), 'workbook')} for {model.key}, cycle {run.cycle}",
               err=True)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@frameworks_option
@jobs_option
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE", help="Also check measure values against the figures published "
              "in this history ('rubric measures import'); a difference is a warning.")
@json_option
@refusals
def validate(paths: tuple[Path, ...], frameworks_dir: Path | None, jobs: int | None,
             db_path: Path | None, as_json: bool) -> None:
    """Check returned workbooks; exit 0 when all are valid, 1 when any is not."""
    from rubric.framework.store import FrameworkStore
    from rubric.problems import EXIT_OK, EXIT_PROBLEMS
    from rubric.read.batch import read_many, report_and_measures, report_only
    from rubric.read.files import require_returns

    found = require_returns(paths)
    store = FrameworkStore.lookup(frameworks_dir)
    echo_problems(found.report, err=True)
    summaries, all_valid = [], True
    with progress(len(found.files), "Validating") as advance:
        work = report_only if db_path is None else report_and_measures
        results = read_many(found.files, store, jobs=jobs, work=work, on_done=advance)
        if db_path is not None:
            from rubric.cycles.measures import checked_against_published

            results = checked_against_published(results, db_path, store)
        if as_json:
            entries = []
            for result in results:
                all_valid = all_valid and result.valid
                entries.append(result.to_dict())
            emit_json({"ok": all_valid, "files": entries, **found.report.to_dict()})
            raise SystemExit(EXIT_OK if all_valid else EXIT_PROBLEMS)
        for result in results:
            all_valid = all_valid and result.valid
            echo_problems(result.report)
            summaries.append(_summary(result))
    for line in summaries:
        click.echo(line, err=True)
    raise SystemExit(EXIT_OK if all_valid else EXIT_PROBLEMS)


def _summary(result) -> str:
    """``path: valid; Fife; hgioea 1.0.0; 2 warnings`` without Python's None anywhere."""
    from rubric.problems import display_path

    provenance = result.provenance
    errors, warnings = len(result.report.errors), len(result.report.warnings)
    state = "valid" if result.valid else f"INVALID ({plural(errors, 'error')})"
    parts = [state]
    if provenance.get("authority"):
        parts.append(provenance["authority"])
    if provenance.get("framework_id"):
        parts.append(f"{provenance['framework_id']} {provenance.get('framework_version', '')}"
                     .strip())
    parts.append(plural(warnings, "warning"))
    return f"{display_path(result.path)}: " + "; ".join(parts)


@click.command()
@click.argument("return_path", metavar="RETURN", type=click.Path(path_type=Path))
@click.option("--to", "target", required=True, metavar="FRAMEWORK",
              help="The framework version to carry the answers to (id, id@version or path).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The new workbook (.xlsx).")
@frameworks_option
@force_option
@json_option
@refusals
def migrate(return_path: Path, target: str, output: Path, frameworks_dir: Path | None,
            force: bool, as_json: bool) -> None:
    """Carry a return's answers to another framework version; nothing is dropped."""
    from rubric.versions.migrate import CARRIED_OVER_SHEET, migrate_file

    model, store = load_named_framework(target, frameworks_dir)
    run = migrate_file(return_path, model, output, store=store, force=force)
    if as_json:
        finish(run.report, as_json=True, payload=run.to_dict())
    if run.migration is None:
        finish(run.report)
    echo_problems(run.report, err=True)
    for placement in run.migration.placements:
        if placement.how != "same":
            note = " (review)" if placement.review else ""
            target_id = placement.new_id or CARRIED_OVER_SHEET
            click.echo(f"{placement.old_id} -> {target_id}: {placement.how}{note}"
                       f"{': ' + placement.why if placement.why else ''}")
    click.echo(f"{run.migration.summary}; wrote {output}")
