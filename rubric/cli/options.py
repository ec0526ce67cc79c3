"""Options shared by several commands, defined once so they read and behave the same.

Defaults that depend on where rubric runs (which frameworks, which Quads file, which history)
are resolved by the library's lookup order (rubric/resources.py), not by click, so the CLI
and a web service find the same files.
"""

from __future__ import annotations

from pathlib import Path

import click

frameworks_option = click.option(
    "--frameworks", "frameworks_dir", type=click.Path(file_okay=False, path_type=Path),
    default=None, metavar="DIR",
    help="A folder of framework files (<id>/<version>.yaml), searched first; then "
    "$RUBRIC_FRAMEWORKS, ./frameworks and the bundled frameworks.")
quads_option = click.option(
    "--quads-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
    metavar="FILE", help="The Quads file (default: $RUBRIC_QUADS, ./quads.yaml, then the "
    "bundled example).")
db_option = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
    metavar="FILE", help="The history database (default: $RUBRIC_DB, then "
    "./rubric-history.sqlite).")
jobs_option = click.option(
    "-j", "--jobs", type=click.IntRange(1, 256), default=None, metavar="N",
    help="Worker processes (default: the number of CPUs; small batches use one).")
json_option = click.option("--json", "as_json", is_flag=True,
                           help="Print JSON instead of text (refusals too).")
force_option = click.option("--force", is_flag=True, help="Replace existing output files.")


def cycle_option(help_text: str, *, required: bool = False):
    """``--cycle``: always the same rule (a school year, e.g. 2025-26), checked by the
    library."""
    return click.option("--cycle", required=required, default=None, metavar="CYCLE",
                        help=help_text)


def framework_argument(name: str = "framework", metavar: str = "FRAMEWORK"):
    """A framework named by id (its newest version), id@version, or path."""
    return click.argument(name, metavar=metavar)
