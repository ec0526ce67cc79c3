"""The ``rubric`` command: a thin click layer over the library.

Sub-command modules import only click at import time; each command imports the library parts it
needs when it runs, so ``rubric --help`` and ``rubric --version`` start fast. Exit codes follow
one rule: 0 done, 1 the input has problems, 2 the command cannot run as asked.
"""

from __future__ import annotations

import os
import sys

import click

from rubric._version import __version__
from rubric.cli.compare import compare, national, score
from rubric.cli.framework import framework
from rubric.cli.history import export_cycle, ingest, trend
from rubric.cli.registry import authorities, quads
from rubric.cli.workbook import migrate, template, validate


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="rubric")
def main() -> None:
    """Self-evaluation rubrics for Scottish education authorities and their Quads.

    Frameworks are YAML files (bundled ones work from any folder); authorities fill in
    generated workbooks; Quad leads validate, score and compare the returns. Exit codes:
    0 done, 1 the input has problems, 2 the command cannot run as asked.
    """


for command in (framework, template, validate, score, compare, national, migrate, ingest, trend,
                export_cycle, authorities, quads):
    main.add_command(command)


def run() -> None:
    """Entry point: run the command; a closed pipe (``rubric score ... | head``) ends quietly."""
    try:
        main.main(prog_name="rubric")
    except BrokenPipeError:
        # Python flushes stdout again at exit; point it at /dev/null so that stays quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)


__all__ = ["main", "run"]
