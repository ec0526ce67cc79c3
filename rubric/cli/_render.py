"""Shared output helpers for the CLI: JSON, problem lists, and exit codes."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NoReturn

import click

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


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


def echo_problems(problems: Iterable[Any]) -> None:
    """One problem per line, ``location: code: message (hint)``, errors in red on a terminal."""
    for item in problems:
        colour = "red" if item.is_error else "yellow"
        click.secho(str(item), fg=colour if sys.stdout.isatty() else None)


def fail_exists(path: object) -> NoReturn:
    """An output would overwrite a file: the catalogued problem, exit 1."""
    from rubric.problems import Location, problem

    found = problem("output-exists", Location(str(path)), path=path)
    fail(f"{found.location}: {found.code}: {found.message} ({found.hint})")


def emit_text(text: str, output: Any, *, force: bool) -> None:
    """Text to standard output, or atomically to ``output`` (never over a file without force)."""
    from rubric._io import OutputExists, write_text_atomic

    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_text_atomic(output, text, force=force)
    except OutputExists:
        fail_exists(output)
    click.echo(f"wrote {output}", err=True)


@contextlib.contextmanager
def existing_history(db_path: Any, purpose: str, *, create: bool = False) -> Iterator[Any]:
    """The history database at ``db_path`` (which must exist, unless ``create``); a file that
    is not a usable history is its catalogued problem, exit 1, the file untouched."""
    from rubric.history import HistoryError, open_history

    if not create and not db_path.exists():
        fail(f"no history at {db_path}; {purpose} needs returns recorded with 'rubric ingest'")
    try:
        history = open_history(db_path, create=create)
    except HistoryError as exc:
        echo_problems([exc.problem])
        sys.exit(EXIT_PROBLEMS)
    try:
        yield history
    finally:
        history.close()


def fail(message: str, code: int = EXIT_PROBLEMS) -> NoReturn:
    click.secho(f"rubric: {message}", err=True, fg="red" if sys.stderr.isatty() else None)
    sys.exit(code)
