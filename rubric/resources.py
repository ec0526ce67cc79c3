"""Where rubric finds its data: frameworks and the Quads file, from any folder.

Lookup order, the same for every command and documented in the README:

1. ``--frameworks DIR`` (or ``--quads-file FILE``), when given;
2. ``$RUBRIC_FRAMEWORKS`` (or ``$RUBRIC_QUADS``), when set;
3. ``./frameworks`` (or ``./quads.yaml``) in the current folder, when present;
4. the copies bundled with rubric (an installed wheel carries them in ``rubric/_bundled``; a
   source checkout uses the repository's own ``frameworks/`` and ``quads.yaml``).

Frameworks are searched along the whole path (the first folder holding an id and version wins),
so a folder of local drafts never hides the bundled frameworks. The Quads file is the first one
found.
"""

from __future__ import annotations

import os
from pathlib import Path

FRAMEWORKS_ENV = "RUBRIC_FRAMEWORKS"
QUADS_ENV = "RUBRIC_QUADS"
DB_ENV = "RUBRIC_DB"
DEFAULT_DB = "rubric-history.sqlite"

_PACKAGE = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE / "_bundled"
_CHECKOUT = _PACKAGE.parent  # a source checkout: the repository root


def bundled_frameworks_dir() -> Path | None:
    """The frameworks shipped with rubric (None only in a broken install)."""
    for candidate in (_BUNDLED / "frameworks", _CHECKOUT / "frameworks"):
        if candidate.is_dir():
            return candidate
    return None


def bundled_quads_file() -> Path | None:
    """The example Quads file shipped with rubric."""
    for candidate in (_BUNDLED / "quads.yaml", _CHECKOUT / "quads.yaml"):
        if candidate.is_file():
            return candidate
    return None


def bundled_examples_dir() -> Path | None:
    """The example returns (fictional Example Authorities A-D) shipped with rubric."""
    for candidate in (_BUNDLED / "responses" / "examples", _CHECKOUT / "responses" / "examples"):
        if candidate.is_dir():
            return candidate
    return None


def framework_search_path(explicit: str | os.PathLike[str] | None = None) -> tuple[Path, ...]:
    """The folders searched for ``<id>/<version>.yaml``, in lookup order, without repeats."""
    candidates: list[Path] = []
    if explicit is not None:
        candidates.append(Path(explicit))
    if os.environ.get(FRAMEWORKS_ENV):
        candidates.append(Path(os.environ[FRAMEWORKS_ENV]))
    if Path("frameworks").is_dir():
        candidates.append(Path("frameworks"))
    bundled = bundled_frameworks_dir()
    if bundled is not None:
        candidates.append(bundled)
    unique: dict[Path, Path] = {}
    for path in candidates:
        unique.setdefault(path.resolve(), path)
    return tuple(unique.values())


def quads_file(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The Quads file to use: the first of the lookup order that is given or present."""
    if explicit is not None:
        return Path(explicit)
    if os.environ.get(QUADS_ENV):
        return Path(os.environ[QUADS_ENV])
    if Path("quads.yaml").is_file():
        return Path("quads.yaml")
    return bundled_quads_file()


def history_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The history database: ``--db``, then ``$RUBRIC_DB``, then ./rubric-history.sqlite."""
    if explicit is not None:
        return Path(explicit)
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)
