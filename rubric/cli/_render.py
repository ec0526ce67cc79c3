"""What every command shares: rendering problems and JSON, refusals, and the exit-code rule.

Commands raise nothing of their own: the library raises :class:`~rubric.problems.Refused` with
a coded problem when a command cannot run as asked, and :func:`refusals` renders it as text or
JSON and exits by the one rule (0 ok, 1 the input has problems, 2 cannot run as asked).
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NoReturn, TypeVar

import click

from rubric.problems import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, Problem, Report, plural

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "echo_problems", "emit_json", "finish",
           "plural", "progress", "refusals", "write_output"]

F = TypeVar("F", bound=Callable[..., Any])


@contextlib.contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr when it is a terminal; silent when piped or redirected."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda done: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        last = 0

        def advance(done: int) -> None:
            nonlocal last
            bar.update(done - last)
            last = done

        yield advance


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def echo_problems(problems: Iterable[Problem], *, err: bool = False) -> None:
    """One problem per line, ``location: code: message (hint)``, errors in red on a terminal."""
    stream = sys.stderr if err else sys.stdout
    for item in problems:
        colour = "red" if item.is_error else "yellow"
        click.secho(str(item), fg=colour if stream.isatty() else None, err=err)


def finish(report: Report, *, as_json: bool = False, payload: dict[str, Any] | None = None,
           echo: bool = True) -> NoReturn:
    """Print ``payload`` as JSON (with the report), or the report's problems as text; exit by
    the rule."""
    if as_json:
        emit_json({"ok": report.exit_code == EXIT_OK, **(payload or {}), **report.to_dict()})
    elif echo:
        echo_problems(report, err=True)
    sys.exit(report.exit_code)


def refusals(command: F) -> F:
    """Render a :class:`Refused` from the library as a coded problem (JSON with ``--json``)."""
    from rubric.problems import Refused

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except Refused as refused:
            finish(refused.report, as_json=bool(kwargs.get("as_json")))

    return wrapper  # type: ignore[return-value]


def write_output(text: str, output: Any, *, force: bool) -> None:
    """Text to standard output, or atomically to ``output`` (never over a file without force)."""
    from rubric._io import OutputExists, write_text_atomic
    from rubric.problems import Location, Refused, problem

    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_text_atomic(output, text, force=force)
    except OutputExists:
        raise Refused(problem("output-exists", Location(str(output)), path=output)) from None
    click.echo(f"wrote {output}", err=True)
