"""The ``rubric`` command: a thin click layer over the library.

Sub-command modules import only click at import time; each command imports the library parts it
needs when it runs, so ``rubric --help`` and ``rubric --version`` start fast.
"""

from __future__ import annotations

import click

from rubric._version import __version__
from rubric.cli.compare import compare, national, score
from rubric.cli.framework import framework
from rubric.cli.history import export_cycle, ingest, trend
from rubric.cli.meeting import meeting, report
from rubric.cli.registry import authorities, quads
from rubric.cli.workbook import migrate, template, validate


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="rubric")
def main() -> None:
    """Self-evaluation rubrics for Scottish education authorities and their Quads.

    Frameworks live as YAML in frameworks/; authorities fill in generated workbooks; Quad leads
    validate, score and compare the returns.
    """


for command in (framework, template, validate, score, compare, national, migrate, ingest, trend,
                export_cycle, authorities, quads, meeting, report):
    main.add_command(command)

__all__ = ["main"]
