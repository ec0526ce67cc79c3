"""Reading a small text file (a framework, the Quads list) as data, refusing what is not one.

Apart from the YAML parser so that a command whose framework comes from the on-disk cache can
read the file (to know it is unchanged) without importing PyYAML.
"""

from __future__ import annotations

import os
import pathlib

from rubric.problems import Location, Problem, problem

__all__ = ["read_text_file"]


def read_text_file(path: str | os.PathLike[str], limit: int) -> tuple[str | None, list[Problem]]:
    """A UTF-8 text file of at most ``limit`` bytes, or the problems that stop us reading it."""
    name = str(path)
    where = Location(name)
    file = pathlib.Path(path)
    try:
        if not file.exists():
            return None, [problem("file-not-found", where)]
        if not file.is_file():
            return None, [problem("file-unreadable", where, reason="it is not a regular file")]
        size = file.stat().st_size
        if size > limit:
            return None, [problem("file-too-large", where, size=size, limit=limit)]
        data = file.read_bytes()
    except OSError as exc:
        return None, [problem("file-unreadable", where, reason=exc.strerror or str(exc))]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        return None, [problem("file-unreadable", where, reason=f"not UTF-8 text ({exc.reason} "
                              f"at byte {exc.start})")]
