"""Finding frameworks: by id (newest version), ``id@version`` or path, along the lookup path.

Returns name the framework (id, version) that made them; the store answers that question by
path alone, so validating one return loads one framework, not every folder. The lookup path
is explained in :mod:`rubric.resources`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from rubric.framework.load import LoadResult, load_framework
from rubric.problems import Location, Refused, problem
from rubric.resources import framework_search_path

ENV_VAR = "RUBRIC_FRAMEWORKS"
_SAFE_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def version_key(version: str) -> tuple[int, ...]:
    """Order semantic versions numerically (1.10.0 after 1.9.0)."""
    return tuple(int(x) for x in re.findall(r"\d+", version)[:3])


def find_framework_files(directory: str | os.PathLike[str]) -> list[Path]:
    """Every ``*.yaml`` framework file one level below ``directory``, sorted."""
    return sorted(path for path in Path(directory).glob("*/*.yaml") if path.is_file())


@dataclass(init=False)
class FrameworkStore:
    """Frameworks by (id, version) along a search path; the first folder that has one wins.

    ``FrameworkStore(dir)`` searches exactly ``dir``; ``FrameworkStore()`` (or
    :meth:`lookup`) searches the documented lookup path, bundled frameworks last.
    """

    directories: tuple[Path, ...]
    _cache: dict[Path, LoadResult] = field(repr=False)
    _paths: dict[tuple[str, str], Path] = field(repr=False)
    _usable: dict[Path, bool] = field(repr=False)

    def __init__(self, *directories: str | os.PathLike[str]) -> None:
        self.directories = (tuple(Path(d) for d in directories) if directories
                            else framework_search_path())
        self._cache = {}
        self._paths = {}  # (id, version) -> the file found (a return asks for one per read)
        self._usable = {}  # path -> whether its framework loaded without errors

    @classmethod
    def lookup(cls, explicit: str | os.PathLike[str] | None = None) -> FrameworkStore:
        """The store for a command: ``--frameworks DIR``, env, ./frameworks, then bundled."""
        return cls(*framework_search_path(explicit))

    @property
    def directory(self) -> Path:
        """The first folder searched (where a user's own frameworks are expected)."""
        return self.directories[0] if self.directories else Path("frameworks")

    def describe(self) -> str:
        """The folders searched, for messages."""
        if not self.directories:
            return "no framework folders found"
        return "searched " + ", ".join(str(d) for d in self.directories)

    def load(self, path: Path) -> LoadResult:
        if path not in self._cache:
            self._cache[path] = load_framework(path)
        return self._cache[path]

    def path_of(self, framework_id: str, version: str) -> Path | None:
        found = self._paths.get((framework_id, version))
        if found is not None:
            return found
        if not (_SAFE_PART.fullmatch(framework_id or "") and _SAFE_PART.fullmatch(version or "")):
            return None
        for directory in self.directories:
            path = directory / framework_id / f"{version}.yaml"
            if path.is_file():
                self._paths[(framework_id, version)] = path
                return path
        return None

    def get(self, framework_id: str, version: str) -> LoadResult | None:
        """The framework ``id`` at ``version``, or None when no folder has such a file."""
        path = self.path_of(framework_id, version)
        return self.load(path) if path is not None else None

    def usable(self, framework_id: str, version: str) -> tuple[LoadResult | None, bool]:
        """:meth:`get` and whether that framework is valid, known once per file: reading a
        return asks for both, and the load report need not be checked again each time."""
        loaded = self.get(framework_id, version)
        if loaded is None:
            return None, False
        path = self._paths[(framework_id, version)]
        if path not in self._usable:
            self._usable[path] = loaded.valid and loaded.framework is not None
        return loaded, self._usable[path]

    def versions(self, framework_id: str) -> list[str]:
        """Every version of ``framework_id`` on the path, oldest first."""
        if not _SAFE_PART.fullmatch(framework_id or ""):
            return []
        found = {p.stem for d in self.directories if (d / framework_id).is_dir()
                 for p in (d / framework_id).glob("*.yaml")}
        return sorted(found, key=version_key)

    def ids(self) -> list[str]:
        return sorted({p.parent.name for d in self.directories for p in find_framework_files(d)})

    def files(self) -> list[Path]:
        """One file per (id, version) on the path, the first folder's copy winning."""
        chosen: dict[tuple[str, str], Path] = {}
        for directory in self.directories:
            for path in find_framework_files(directory):
                chosen.setdefault((path.parent.name, path.stem), path)
        return [chosen[key] for key in sorted(chosen, key=lambda k: (k[0], version_key(k[1])))]

    def resolve(self, spec: str | os.PathLike[str]) -> LoadResult:
        """A framework named by path, by ``id@version`` or by id (its newest version).

        Raises :class:`Refused` with ``framework-not-found`` (listing what is known, with the
        closest names first) when nothing matches.
        """
        text = os.fspath(spec)
        if _looks_like_path(text):
            path = Path(text)
            if path.is_file():
                return self.load(path)
            raise self._not_found(text)
        framework_id, _, version = text.partition("@")
        versions = self.versions(framework_id)
        if version:
            found = self.get(framework_id, version)
            if found is not None:
                return found
            raise self._not_found(text, framework_id, versions)
        if not versions:
            raise self._not_found(text)
        found = self.get(framework_id, versions[-1])
        assert found is not None
        return found

    def _not_found(self, spec: str, framework_id: str = "",
                   versions: list[str] | None = None) -> Refused:
        if versions:
            known = f"Known versions of {framework_id}: {', '.join(versions)}."
        else:
            ids = self.ids()
            import difflib

            close = difflib.get_close_matches(spec.partition("@")[0], ids, n=3, cutoff=0.5)
            known = (f"Did you mean {' or '.join(repr(c) for c in close)}? " if close else "")
            known += (f"Known frameworks: {', '.join(ids)} (name one by id, id@version or "
                      "path)." if ids else "Name a framework file by its path.")
        return Refused(problem("framework-not-found", Location(), spec=spec,
                               searched=self.describe(), known=known))


def _looks_like_path(text: str) -> bool:
    return ("/" in text or "\\" in text or text.endswith((".yaml", ".yml"))
            or Path(text).is_file())
