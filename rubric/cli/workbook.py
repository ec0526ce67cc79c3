"""``rubric template`` and ``rubric validate``: workbooks out to authorities, returns back in."""

from __future__ import annotations

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
    fail_exists,
    progress,
)

jobs_option = click.option(
    "-j", "--jobs", type=click.IntRange(1, 256), default=None, metavar="N",
    help="Worker processes (default: the number of CPUs; small batches use one).")
frameworks_option = click.option(
    "--frameworks", "frameworks_dir", type=click.Path(file_okay=False, path_type=Path),
    envvar="RUBRIC_FRAMEWORKS", default="frameworks", show_default=True,
    help="Folder of framework files (<id>/<version>.yaml) that returns are checked against.")


def expand_paths(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; a folder stands for the workbooks in it (each file skipped is said)."""
    from rubric.workbook.files import find_returns

    found = find_returns(paths)
    for item in found.report:
        click.echo(str(item), err=True)
    return found.files


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "authority"


@click.command()
@click.argument("framework_path", metavar="FRAMEWORK", type=click.Path(dir_okay=False,
                                                                        path_type=Path))
@click.option("--authority", "authorities", multiple=True, metavar="NAME",
              help="The authority the workbook is for (any accepted name or code); repeatable.")
@click.option("--quad", "quad_name", metavar="NAME", help="One workbook per member of this Quad.")
@click.option("--all", "all_authorities", is_flag=True, help="One workbook per authority (32).")
@click.option("--quads-file", type=click.Path(dir_okay=False, path_type=Path),
              envvar="RUBRIC_QUADS", default="quads.yaml", show_default=True,
              help="The Quads file, for --quad.")
@click.option("--allow-unlisted", is_flag=True,
              help="Accept an authority that is not one of the 32 councils (e.g. a test).")
@click.option("--cycle", default="2025-26", show_default=True, help="The self-evaluation cycle.")
@click.option("--follow-up", "follow_up", is_flag=True,
              help="List each authority's next steps from the previous cycle (from the history "
              "database) beside a column for reporting progress on them.")
@click.option("--previous-cycle", metavar="CYCLE",
              help="The cycle to follow up (default: the one before --cycle).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              envvar="RUBRIC_DB", default="rubric-history.sqlite", show_default=True,
              help="The history database, for --follow-up.")
@frameworks_option
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The .xlsx file, or a folder when several workbooks are written.")
@click.option("--force", is_flag=True, help="Replace existing files.")
def template(framework_path: Path, authorities: tuple[str, ...], quad_name: str | None,
             all_authorities: bool, quads_file: Path, allow_unlisted: bool, cycle: str,
             follow_up: bool, previous_cycle: str | None, db_path: Path,
             frameworks_dir: Path, output: Path, force: bool) -> None:
    """Generate the workbook(s) an authority fills in, from FRAMEWORK."""
    from rubric._io import OutputExists
    from rubric.framework.load import load_framework
    from rubric.registry.authorities import all_authorities as every_authority
    from rubric.registry.authorities import find, suggest
    from rubric.workbook.template import TemplateInfo, write_templates

    if sum(map(bool, (authorities, quad_name, all_authorities))) != 1:
        fail("give exactly one of --authority, --quad or --all", EXIT_USAGE)
    if not re.fullmatch(r"\d{4}-\d{2}|[A-Za-z0-9 ._-]{1,20}", cycle):
        fail(f"--cycle {cycle!r} should look like 2025-26", EXIT_USAGE)
    loaded = load_framework(framework_path)
    if not loaded.valid or loaded.framework is None:
        echo_problems(loaded.report)
        fail(f"{framework_path} has errors; fix them before generating workbooks")
    framework = loaded.framework

    targets: list[tuple[str, str]] = []
    if all_authorities:
        targets = [(a.name, a.code) for a in every_authority()]
    elif quad_name:
        from rubric.registry.quads import load_quads

        quads = load_quads(quads_file)
        if not quads.valid:
            echo_problems(quads.report)
            fail(f"{quads_file} has errors")
        quad = quads.get(quad_name, cycle)
        if quad is None:
            fail(f"no Quad named {quad_name!r} for cycle {cycle} in {quads_file} (known: "
                 f"{', '.join(q.name for q in quads.quads) or 'none'})")
        targets = [(a.name, a.code) for a in quad.members]
    else:
        for name in authorities:
            found = find(name)
            if found is not None:
                targets.append((found.name, found.code))
            elif allow_unlisted:
                targets.append((name.strip(), ""))
            else:
                close = suggest(name)
                hint = f" Did you mean {' or '.join(repr(s) for s in close)}?" if close else ""
                fail(f"unknown authority {name!r}.{hint} (Pass --allow-unlisted for an "
                     "authority outside the 32 councils.)", EXIT_USAGE)

    previous: dict[str, dict[str, str] | None] = {}
    if follow_up:
        from rubric.framework.store import FrameworkStore
        from rubric.trend import previous_next_steps
        from rubric.workbook.layout import previous_cycle as cycle_before

        earlier = previous_cycle or cycle_before(cycle)
        with existing_history(db_path, "--follow-up") as history:
            store = FrameworkStore(frameworks_dir)
            for name, code in targets:
                try:
                    found = previous_next_steps(history, code or name, earlier, store,
                                                framework)
                    if found is None and code:
                        found = previous_next_steps(history, name, earlier, store, framework)
                except LookupError as exc:
                    fail(str(exc))
                previous[code or name] = found
                if found is None:
                    click.echo(f"{name}: no return recorded for {earlier}; its follow-up "
                               "column will say so", err=True)
    several = len(targets) > 1 or output.is_dir() or output.suffix.lower() != ".xlsx"
    planned = [(TemplateInfo(name, cycle, code,
                             follow_up=(previous.get(code or name) or {}) if follow_up
                             else None),
                output / f"{framework.id}-{framework.version}-{code or _slug(name)}-{cycle}.xlsx"
                if several else output) for name, code in targets]
    try:
        written = write_templates(framework, planned, force=force)
    except OutputExists as exc:
        fail_exists(exc)
    for path in written:
        click.echo(str(path))
    click.echo(f"{len(written)} workbook(s) for {framework.key}, cycle {cycle}", err=True)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@frameworks_option
@jobs_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def validate(paths: tuple[Path, ...], frameworks_dir: Path, jobs: int | None,
             as_json: bool) -> None:
    """Check returned workbooks; exit 0 when all are valid, 1 when any is not."""
    from rubric.batch import read_many, report_only
    from rubric.framework.store import FrameworkStore
    from rubric.problems import display_path

    files = expand_paths(paths)
    if not files:
        fail("no .xlsx files found in the given folder(s)", EXIT_USAGE)
    store = FrameworkStore(frameworks_dir)
    entries, summaries, all_valid = [], [], True
    with progress(len(files), "Validating") as advance:
        for result in read_many(files, store, jobs=jobs, work=report_only, on_done=advance):
            all_valid = all_valid and result.valid
            if as_json:
                entries.append(result.to_dict())
                continue
            echo_problems(result.report)
            who = result.provenance.get("authority") or "?"
            what = (f"{result.provenance.get('framework_id')} "
                    f"{result.provenance.get('framework_version')}")
            state = "valid" if result.valid else f"INVALID ({len(result.report.errors)} errors)"
            summaries.append(f"{display_path(result.path)}: {state}; {who}; {what}; "
                             f"{len(result.report.warnings)} warning(s)")
    if as_json:
        emit_json({"files": entries})
    for line in summaries:
        click.echo(line, err=True)
    raise SystemExit(EXIT_OK if all_valid else EXIT_PROBLEMS)


@click.command()
@click.argument("return_path", metavar="RETURN", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "target", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The framework file (the new version) to carry the answers to.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The new workbook (.xlsx).")
@frameworks_option
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--json", "as_json", is_flag=True, help="Print where every answer went as JSON.")
def migrate(return_path: Path, target: Path, output: Path, frameworks_dir: Path, force: bool,
            as_json: bool) -> None:
    """Carry a return's answers to another framework version; nothing is dropped."""
    from rubric._io import OutputExists
    from rubric.batch import read_many
    from rubric.framework.load import load_framework
    from rubric.framework.store import FrameworkStore
    from rubric.migrate import CARRIED_OVER_SHEET, migrate_response, write_migrated_workbook

    if output.exists() and not force:
        fail_exists(output)
    loaded = load_framework(target)
    if not loaded.valid or loaded.framework is None:
        echo_problems(loaded.report)
        fail(f"{target} has errors")
    result = next(read_many([return_path], FrameworkStore(frameworks_dir)))
    if not result.valid or result.response is None or result.framework is None:
        echo_problems(result.report)
        fail(f"{return_path} is not a valid return; fix it before migrating")
    new = loaded.framework
    if result.framework.id != new.id:
        fail(f"{return_path} is a {result.framework.id} return; {target} is {new.id}",
             EXIT_USAGE)
    migration = migrate_response(result.response, result.framework, new)
    try:
        write_migrated_workbook(migration, result.framework, new, output, force=force)
    except OutputExists:
        fail_exists(output)
    if as_json:
        emit_json(migration.to_dict())
        return
    for placement in migration.placements:
        if placement.how not in {"same"}:
            note = " (review)" if placement.review else ""
            target_id = placement.new_id or CARRIED_OVER_SHEET
            click.echo(f"{placement.old_id} -> {target_id}: {placement.how}{note}"
                       f"{': ' + placement.why if placement.why else ''}")
    click.echo(f"{migration.summary}; wrote {output}")
