"""``rubric authorities`` and ``rubric quads``: who takes part, and in which Quad."""

from __future__ import annotations

from pathlib import Path

import click

from rubric.cli._render import EXIT_PROBLEMS, echo_problems, emit_json, plural, refusals
from rubric.cli.options import cycle_option, json_option, quads_option


@click.command()
@click.option("--family-group", type=click.IntRange(1, 4), metavar="N",
              help="Only the authorities in LGBF children's services family group N (1-4).")
@click.option("--resolve", "name", metavar="NAME", help="Show the authority NAME resolves to.")
@json_option
@refusals
def authorities(family_group: int | None, name: str | None, as_json: bool) -> None:
    """The 32 education authorities with their codes and LGBF family groups."""
    from rubric.registry import authorities as registry

    if name is not None:
        from rubric.registry.authorities import find
        from rubric.template.targets import resolve_authorities

        resolve_authorities([name])  # refused, with the closest names, when unknown
        found = find(name)
        assert found is not None
        chosen = [found]
    elif family_group is not None:
        chosen = list(registry.family_group(family_group))
    else:
        chosen = list(registry.all_authorities())
    if as_json:
        emit_json({"authorities": [a.to_dict() for a in chosen]})
        return
    click.echo(f"{'code':<5} {'GSS':<10} {'FG':>2} {'env':>3}  name")
    for a in chosen:
        click.echo(f"{a.code:<5} {a.gss_code:<10} {a.family_group:>2} {a.environment_group:>3}  "
                   f"{a.name}")
    click.echo(f"{plural(len(chosen), 'authority', 'authorities')} (FG: LGBF children's "
               "services family group, 1 least deprived; env: environment group, 1 most "
               "rural)", err=True)


@click.command()
@quads_option
@cycle_option("Only the Quads of this cycle.")
@json_option
@refusals
def quads(quads_file: Path | None, cycle: str | None, as_json: bool) -> None:
    """The Quads in the Quads file, checked against the 32 authorities."""
    from rubric.cycles.cycle import check_cycle
    from rubric.problems import Location, Refused, problem
    from rubric.registry.quads import load_quads
    from rubric.resources import quads_file as find_quads_file

    if cycle is not None:
        cycle = check_cycle(cycle)
    path = find_quads_file(quads_file)
    if path is None or not path.is_file():
        raise Refused(problem("quads-file-missing", Location(str(path or "quads.yaml")),
                              path=path or "quads.yaml"))
    result = load_quads(path)
    chosen = [q for q in result.quads if cycle is None or q.cycle == cycle]
    if as_json:
        emit_json({"path": result.path, "example": result.example, "note": result.note,
                   "valid": result.valid, "quads": [q.to_dict() for q in chosen],
                   "errors": [p.to_dict() for p in result.report.errors],
                   "warnings": [p.to_dict() for p in result.report.warnings]})
    else:
        echo_problems(result.report)
        if result.example:
            click.echo("EXAMPLE membership, not the real Quads: " + (result.note or ""))
        for quad in chosen:
            lead = f", lead {quad.lead.name}" if quad.lead else ""
            click.echo(f"{quad.name} ({quad.cycle}; FG {'/'.join(map(str, quad.family_groups))}"
                       f"{lead}): " + ", ".join(m.name for m in quad.members))
    if not result.valid:
        raise SystemExit(EXIT_PROBLEMS)
