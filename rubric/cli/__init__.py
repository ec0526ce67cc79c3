"""The ``rubric`` command: a thin click layer over the library.

Sub-command modules import only click at import time; each command imports the library parts it
needs when it runs, so ``rubric --help`` and ``rubric --version`` start fast. Exit codes follow
one rule: 0 done, 1 the input has problems, 2 the command cannot run as asked.
"""

from __future__ import annotations

import gc
import os
import sys

import click

from rubric._version import __version__
from rubric.cli.compare import compare, national, score
from rubric.cli.framework import framework
from rubric.cli.history import export_cycle, ingest, trend
from rubric.cli.measures import measures
from rubric.cli.meeting import meeting, report
from rubric.cli.registry import authorities, quads
from rubric.cli.web import serve, users
from rubric.cli.workbook import migrate, template, validate


class _Rubric(click.Group):
    """The command group; a closed pipe (``rubric score ... | head``) ends the command quietly
    with exit 0, as it does for any Unix tool whose reader has had enough."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # Python flushes stdout again at exit; point it at /dev/null so that stays quiet.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)


@click.group(cls=_Rubric, context_settings={"help_option_names": ["-h", "--help"],
                                          "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="rubric")
def main() -> None:
    """Self-evaluation rubrics for Scottish education authorities and their Quads.

    Frameworks are YAML files (bundled ones work from any folder); authorities fill in
    generated workbooks; Quad leads validate, score and compare the returns. Exit codes:
    0 done, 1 the input has problems, 2 the command cannot run as asked.
    """


for command in (framework, template, validate, score, compare, national, migrate, ingest, trend,
                export_cycle, measures, authorities, quads, meeting, report, serve, users):
    main.add_command(command)


def run() -> None:
    """The console entry point."""
    try:
        main.main(prog_name="rubric")
    finally:
        # Outputs are written and closed by now. Python's last garbage collection at exit
        # would walk every object the libraries made (pydantic makes many) only to free
        # memory the process is about to give back: a quarter of a short command's time.
        gc.freeze()


__all__ = ["main", "run"]
