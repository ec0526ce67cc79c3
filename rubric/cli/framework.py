"""``rubric framework ...``: list, show, lint and the JSON Schema of framework files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rubric.cli._render import (
    EXIT_OK,
    EXIT_PROBLEMS,
    echo_problems,
    emit_json,
    finish,
    plural,
    refusals,
    write_output,
)
from rubric.cli.options import framework_argument, frameworks_option, json_option

if TYPE_CHECKING:
    from rubric.framework.load import LoadResult


@click.group()
def framework() -> None:
    """Framework files: list, show, lint, schema, diff, changelog.

    A framework is named by id (its newest version, e.g. hgioea), by id@version
    (hgioea@1.0.0) or by the path of its file."""


def _load(spec: str, frameworks_dir: Path | None = None) -> LoadResult:
    """The framework ``spec`` names, refused (coded) when it has errors."""
    from rubric.framework.store import FrameworkStore
    from rubric.problems import Location, Refused, Report, problem

    loaded = FrameworkStore.lookup(frameworks_dir).resolve(spec)
    if not loaded.valid or loaded.framework is None:
        raise Refused(problem("framework-has-errors", Location(loaded.path), path=loaded.path,
                              errors=len(loaded.report.errors)), Report(loaded.report.errors))
    return loaded


@framework.command("list")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@frameworks_option
@json_option
@refusals
def list_frameworks(directory: Path | None, frameworks_dir: Path | None, as_json: bool) -> None:
    """List the frameworks in DIRECTORY, or along the lookup path (--frameworks DIR,
    $RUBRIC_FRAMEWORKS, ./frameworks, then the bundled frameworks)."""
    from rubric.framework.load import load_framework
    from rubric.framework.store import FrameworkStore
    from rubric.problems import Location, Refused, problem

    if directory is not None and not directory.is_dir():
        raise Refused(problem("framework-not-found", Location(str(directory)),
                              spec=str(directory), searched="no such folder",
                              known="Name a folder holding <id>/<version>.yaml files."))
    store = FrameworkStore(directory) if directory else FrameworkStore.lookup(frameworks_dir)
    rows = []
    for path in store.files():
        result = load_framework(path)
        model = result.framework
        rows.append({
            "path": str(path),
            "id": model.id if model else None,
            "version": model.version if model else None,
            "status": model.status if model else None,
            "title": model.title if model else None,
            "indicators": len(model.indicator_index) if model else None,
            "themes": len(model.theme_index) if model else None,
            "valid": result.valid,
            "errors": len(result.report.errors),
            "warnings": len(result.report.warnings),
        })
    if as_json:
        emit_json({"frameworks": rows})
        return
    if not rows:
        click.echo(f"No frameworks found ({store.describe()}; files are <id>/<version>.yaml)")
    for row in rows:
        if row["id"] is None:
            click.echo(f"{row['path']}: cannot be loaded ({plural(row['errors'], 'error')}; run "
                       f"'rubric framework lint {row['path']}')")
            continue
        flag = "" if row["valid"] else f"  [{plural(row['errors'], 'error')}: run lint]"
        click.echo(f"{row['id']:<10} {row['version']:<8} {row['status']:<9} "
                   f"{row['indicators']:>3} indicators {row['themes']:>4} themes  "
                   f"{row['title']}{flag}")


@framework.command()
@framework_argument()
@frameworks_option
@json_option
@refusals
def show(framework: str, frameworks_dir: Path | None, as_json: bool) -> None:
    """Show a framework's outline: scale, key areas, indicators and themes."""
    from rubric.framework.show import framework_outline

    model = _load(framework, frameworks_dir).framework
    assert model is not None
    if as_json:
        emit_json(framework_outline(model))
        return
    click.echo(f"{model.title}\n{model.id} {model.version} ({model.status}), {model.publisher}")
    click.echo("Scale: " + ", ".join(f"{lv.value} {lv.label}" for lv in model.scale.levels)
               + f"; plus {model.scale.not_applicable.label!r} "
               f"({model.scale.not_applicable.scoring}) and "
               f"{model.scale.not_evaluated.label!r} ({model.scale.not_evaluated.scoring})")
    for category in model.categories:
        click.echo(f"\n{category.id}  {category.title}")
        for indicator in category.indicators:
            click.echo(f"  {indicator.id:<6} {indicator.title}")
            for theme in indicator.themes:
                click.echo(f"    {theme.id:<8} {theme.title}")
    if model.measures:
        click.echo("\nMeasures:")
        for measure in model.measures:
            direction = "higher is better" if measure.higher_is_better else "lower is better"
            click.echo(f"  {measure.id} ({measure.indicator}, {measure.unit}, {direction})")
    click.echo(f"\n{len(model.indicator_index)} indicators, {len(model.theme_index)} themes, "
               f"{len(model.measures)} measures; {model.content_hash}")


@framework.command()
@click.argument("frameworks", nargs=-1, required=True, metavar="FRAMEWORK...")
@click.option("--strict", is_flag=True, help="Treat warnings as problems (exit 1).")
@frameworks_option
@json_option
@refusals
def lint(frameworks: tuple[str, ...], strict: bool, frameworks_dir: Path | None,
         as_json: bool) -> None:
    """Check framework files (a folder stands for its <id>/<version>.yaml files; ids and
    id@version work too); exit 0 when clean, 1 when problems are found."""
    from rubric.framework.store import FrameworkStore, find_framework_files
    from rubric.problems import Location, Refused, problem

    store = FrameworkStore.lookup(frameworks_dir)
    results = []
    for spec in frameworks:
        if Path(spec).is_dir():
            folder = find_framework_files(spec)
            if not folder:
                raise Refused(problem("framework-not-found", Location(spec), spec=spec,
                                      searched="no <id>/<version>.yaml files in it",
                                      known="Name a framework file, id or folder."))
            results.extend(store.load(path) for path in folder)
        else:
            results.append(store.resolve(spec))
    failed = any(not r.valid or (strict and r.report.warnings) for r in results)
    if as_json:
        emit_json({"files": [
            {"path": r.path, "valid": r.valid,
             "errors": [p.to_dict() for p in r.report.errors],
             "warnings": [p.to_dict() for p in r.report.warnings]}
            for r in results
        ]})
    else:
        for result in results:
            echo_problems(result.report)
        errors = sum(len(r.report.errors) for r in results)
        warnings = sum(len(r.report.warnings) for r in results)
        click.echo(f"{plural(len(results), 'file')} checked: {plural(errors, 'error')}, "
                   f"{plural(warnings, 'warning')}", err=True)
    raise SystemExit(EXIT_PROBLEMS if failed else EXIT_OK)


@framework.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the schema to this file instead of standard output.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@refusals
def schema(output: Path | None, force: bool) -> None:
    """Print the JSON Schema of the framework format."""
    from rubric.framework.schema import framework_json_schema

    write_output(json.dumps(framework_json_schema(), indent=2, ensure_ascii=False) + "\n", output,
              force=force)


def _load_pair(old: str, new: str, frameworks_dir: Path | None) -> list[LoadResult]:
    return [_load(old, frameworks_dir), _load(new, frameworks_dir)]


@framework.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--check", is_flag=True,
              help="Exit 1 when NEW's version bump is smaller than its changes require, or "
              "reworded text is not acknowledged (for framework editors' CI).")
@frameworks_option
@json_option
@refusals
def diff(old: str, new: str, check: bool, frameworks_dir: Path | None, as_json: bool) -> None:
    """Every change from OLD to NEW (each an id@version or path): input and output impact,
    severity, semantic drift."""
    from rubric.problems import Report
    from rubric.versions.check import check_new_version
    from rubric.versions.diff import diff_frameworks

    loaded = _load_pair(old, new, frameworks_dir)
    if check:  # the same check the web service's framework editor runs before publishing
        result, report = check_new_version(*loaded, where=new)
    else:
        result, report = diff_frameworks(*loaded), Report()
    if as_json:
        finish(report, as_json=True, payload=result.to_dict())
    else:
        for change in result.changes:
            flags = [("input: migrate" if change.input_breaks else "input: ok"),
                     ("output: not comparable" if not change.output_comparable
                      else "output: comparable")]
            if change.drift:
                flags.append("DRIFT (acknowledged)" if change.acknowledged else "DRIFT")
            where = change.new_location or change.old_location
            click.echo(f"{change.severity:<5} {change.kind:<22} {change.item:<16} "
                       f"{change.detail} [{'; '.join(flags)}] {where}")
        click.echo(f"{plural(len(result.changes), 'change')}; required bump "
                   f"{result.required_bump}, "
                   f"actual {result.actual_bump} ({result.old.version} -> "
                   f"{result.new.version})", err=True)
        if result.unacknowledged_drift:
            drift = plural(len(result.unacknowledged_drift), "reworded item")
            click.echo(f"{drift} to acknowledge: list them under 'acknowledged:' in the new "
                       "version's changelog entry once you have checked they still mean the "
                       "same.", err=True)
    finish(report)


@framework.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the changelog (Markdown) here instead of standard output.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@frameworks_option
@refusals
def changelog(old: str, new: str, output: Path | None, force: bool,
              frameworks_dir: Path | None) -> None:
    """A readable changelog from OLD to NEW (each an id@version or path), by severity."""
    from rubric.versions.diff import changelog_markdown, diff_frameworks

    loaded = _load_pair(old, new, frameworks_dir)
    write_output(changelog_markdown(diff_frameworks(*loaded)) + "\n", output, force=force)
