"""``rubric framework ...``: list, show, lint and the JSON Schema of framework files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rubric.cli._render import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    echo_problems,
    emit_json,
    emit_text,
    fail,
)

if TYPE_CHECKING:
    from rubric.framework.load import LoadResult

_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


@click.group()
def framework() -> None:
    """Framework files: list, show, lint, schema."""


@framework.command("list")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@_json_option
def list_frameworks(directory: Path | None, as_json: bool) -> None:
    """List the frameworks in DIRECTORY (default: ./frameworks or $RUBRIC_FRAMEWORKS)."""
    from rubric.framework.load import load_framework
    from rubric.framework.store import default_framework_dir, find_framework_files

    root = directory or default_framework_dir()
    if not root.is_dir():
        fail(f"no framework folder at {root}", EXIT_PROBLEMS)
    rows = []
    for path in find_framework_files(root):
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
        click.echo(f"No frameworks under {root}/<id>/<version>.yaml")
    for row in rows:
        if row["id"] is None:
            click.echo(f"{row['path']}: cannot be loaded ({row['errors']} error(s); run "
                       f"'rubric framework lint {row['path']}')")
            continue
        flag = "" if row["valid"] else f"  [{row['errors']} error(s): run lint]"
        click.echo(f"{row['id']:<10} {row['version']:<8} {row['status']:<9} "
                   f"{row['indicators']:>3} indicators {row['themes']:>4} themes  "
                   f"{row['title']}{flag}")


@framework.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@_json_option
def show(path: Path, as_json: bool) -> None:
    """Show a framework's outline: scale, key areas, indicators and themes."""
    from rubric.framework.load import load_framework
    from rubric.framework.show import framework_outline

    result = load_framework(path)
    if result.framework is None or not result.report.valid:
        echo_problems(result.report)
        fail(f"{path} has errors; nothing to show", EXIT_PROBLEMS)
    model = result.framework
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
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as problems (exit 1).")
@_json_option
def lint(paths: tuple[Path, ...], strict: bool, as_json: bool) -> None:
    """Check framework files (a folder stands for its <id>/<version>.yaml files); exit 0 when
    clean, 1 when problems are found."""
    from rubric.framework.load import load_framework
    from rubric.framework.store import find_framework_files

    files = [found for path in paths for found in
             (find_framework_files(path) if path.is_dir() else [path])]
    if not files:
        fail("no framework files found", EXIT_USAGE)
    results = [load_framework(path) for path in files]
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
        click.echo(f"{len(results)} file(s) checked: {errors} error(s), {warnings} warning(s)",
                   err=True)
    raise SystemExit(EXIT_PROBLEMS if failed else EXIT_OK)


@framework.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the schema to this file instead of standard output.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def schema(output: Path | None, force: bool) -> None:
    """Print the JSON Schema of the framework format."""
    from rubric.framework.schema import framework_json_schema

    emit_text(json.dumps(framework_json_schema(), indent=2, ensure_ascii=False) + "\n", output,
              force=force)


def _load_pair(old: Path, new: Path) -> list[LoadResult]:
    from rubric.framework.load import load_framework

    loaded = [load_framework(old), load_framework(new)]
    for result in loaded:
        if not result.valid:
            echo_problems(result.report)
            fail(f"{result.path} has errors; fix them before comparing versions")
    return loaded


@framework.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True,
              help="Exit 1 when NEW's version bump is smaller than its changes require, or "
              "reworded text is not acknowledged (for framework editors' CI).")
@_json_option
def diff(old: Path, new: Path, check: bool, as_json: bool) -> None:
    """Every change from OLD to NEW: input and output impact, severity, semantic drift."""
    from rubric.versions.diff import diff_frameworks

    result = diff_frameworks(*_load_pair(old, new))
    if as_json:
        emit_json(result.to_dict())
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
        click.echo(f"{len(result.changes)} change(s); required bump {result.required_bump}, "
                   f"actual {result.actual_bump} ({result.old.version} -> "
                   f"{result.new.version})", err=True)
        if result.unacknowledged_drift:
            click.echo(f"{len(result.unacknowledged_drift)} reworded item(s) to acknowledge: "
                       "list them under 'acknowledged:' in the new version's changelog entry "
                       "once you have checked they still mean the same.", err=True)
    if check and not result.ok:
        reason = ("the version bump is smaller than the changes require"
                  if not result.bump_ok else "reworded text is not acknowledged")
        fail(f"check failed: {reason}")
    raise SystemExit(EXIT_OK)


@framework.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the changelog (Markdown) here instead of standard output.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def changelog(old: Path, new: Path, output: Path | None, force: bool) -> None:
    """A readable changelog from OLD to NEW, grouped by severity."""
    from rubric.versions.diff import changelog_markdown, diff_frameworks

    emit_text(changelog_markdown(diff_frameworks(*_load_pair(old, new))) + "\n", output,
              force=force)
