"""Loaded frameworks kept on disk, so a command need not parse and validate YAML each time.

Parsing a framework's YAML is quick; building and validating its models is not (most of what
``rubric validate one.xlsx`` spent before it read anything). A framework that loaded is kept in
the user's cache folder (``$XDG_CACHE_HOME/rubric``, else ``~/.cache/rubric``) under a key made
of its exact text, its path (problems name it), and the versions of rubric, pydantic and Python,
so an entry that does not match is never used: a changed file, another rubric or another
pydantic simply load afresh. Entries are written atomically (a temporary file renamed into
place), so two processes writing the same entry at once both leave a whole one. Nothing here
can make a load fail: an unreadable, damaged or foreign entry is ignored and loading goes on.

Entries are pickles, read only from a folder rubric made for this user (mode 0700) and only
when the file belongs to this user and no one else may write it; ``RUBRIC_NO_CACHE=1`` turns
the cache off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rubric._version import __version__

if TYPE_CHECKING:
    from rubric.framework.load import LoadResult

ENV_OFF = "RUBRIC_NO_CACHE"
_FORMAT = "2"  # bump when what is stored changes shape


def cache_dir() -> Path:
    """The folder loaded frameworks are kept in (XDG base directory rules)."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "rubric" / "frameworks"


def _key(path: str, text: str) -> str:
    import pydantic

    digest = hashlib.sha256()
    for part in (_FORMAT, __version__, pydantic.VERSION, sys.version, path, text):
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()


def _trusted(path: Path) -> bool:
    """Only this user's own files, which nobody else may change, are ever unpickled."""
    try:
        info = path.lstat()
    except OSError:
        return False
    owner = os.getuid() if hasattr(os, "getuid") else info.st_uid
    return (stat.S_ISREG(info.st_mode) and info.st_uid == owner
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _read(entry: Path) -> LoadResult | None:
    from rubric.framework.load import LoadResult

    if not _trusted(entry) or not _trusted_folder(entry.parent):
        return None
    try:
        with entry.open("rb") as handle:
            found = pickle.load(handle)
    except Exception:  # a damaged or foreign entry is no entry
        return None
    return found if isinstance(found, LoadResult) else None


def _trusted_folder(folder: Path) -> bool:
    try:
        info = folder.lstat()
    except OSError:
        return False
    owner = os.getuid() if hasattr(os, "getuid") else info.st_uid
    return stat.S_ISDIR(info.st_mode) and info.st_uid == owner and \
        not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _write(entry: Path, result: LoadResult) -> None:
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=entry.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(result.packed(), out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(name, entry)
        finally:
            if os.path.exists(name):
                os.unlink(name)
    except Exception:  # a cache that cannot be written costs only speed
        return


def cached_load(path: str, text: str, load: Callable[[], LoadResult]) -> LoadResult:
    """``load()``, or what it gave last time for this exact text at this path."""
    if os.environ.get(ENV_OFF):
        return load()
    entry = cache_dir() / f"{_key(path, text)}.pickle"
    found = _read(entry) if entry.exists() else None
    if found is not None and found.path == path:
        return found
    result = load()
    if result.framework is not None:  # only loads that got as far as a model are worth it
        # Stored with the entry: working it out needs pydantic to build a serializer, which
        # would cost a warm start more than everything else it skips.
        result.framework.content_hash  # noqa: B018
        _write(entry, result)
    return result
