"""Writing outputs safely: never over an existing file unless asked, always via a rename.

A crash or a full disk mid-write leaves the old file (or none), never half of a workbook.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


class OutputExists(FileExistsError):
    """The output path exists and ``force`` was not given."""


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it is renamed into place."""
    target = Path(path)
    if target.exists() and not force:
        raise OutputExists(str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_text_atomic(path: str | os.PathLike[str], text: str, *, force: bool = False) -> None:
    with atomic_output(path, force=force) as temporary:
        temporary.write_text(text, encoding="utf-8")
