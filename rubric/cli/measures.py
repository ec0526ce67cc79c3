"""``rubric measures import``: published figures per authority and cycle into the history."""

from __future__ import annotations

from pathlib import Path

import click

from rubric.cli._render import echo_problems, finish, plural, refusals
from rubric.cli.options import db_option, frameworks_option, json_option


@click.group()
def measures() -> None:
    """Published measures (e.g. leaver destinations) kept in the history, so templates are
    prefilled with them and returns are checked against them."""


@measures.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--framework", "framework_spec", metavar="FRAMEWORK",
              help="Warn about measure ids this framework (id, id@version or path) lacks.")
@db_option
@frameworks_option
@json_option
@refusals
def import_command(path: Path, framework_spec: str | None, db_path: Path | None,
                   frameworks_dir: Path | None, as_json: bool) -> None:
    """Record the figures in PATH, a CSV with the columns authority, measure, cycle, value
    (optional: source). A CSV with any error records nothing."""
    from rubric.cli.workbook import load_named_framework
    from rubric.cycles.history import open_history
    from rubric.cycles.measures import import_measures
    from rubric.resources import history_path

    framework = load_named_framework(framework_spec, frameworks_dir)[0] \
        if framework_spec else None
    target = history_path(db_path)
    history = open_history(target)
    try:
        run = import_measures(path, history, framework=framework)
    finally:
        history.close()
    if as_json:
        finish(run.report, as_json=True, payload={"db": str(target), **run.to_dict()})
    echo_problems(run.report, err=True)
    if run.recorded:
        data = run.to_dict()
        click.echo(f"{plural(run.recorded, 'figure')} recorded for "
                   f"{plural(data['authorities'], 'authority', 'authorities')}, cycles "
                   f"{', '.join(data['cycles'])}; history in {target}")
    finish(run.report, echo=False)
