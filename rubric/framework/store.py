"""Finding frameworks on disk: ``<dir>/<id>/<version>.yaml``, loaded only when asked for.

Returns name the framework (id, version) that made them; the store answers that question by
path alone, so validating one return loads one framework, not the whole folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from rubric.framework.load import LoadResult, load_framework

ENV_VAR = "RUBRIC_FRAMEWORKS"


def default_framework_dir() -> Path:
    return Path(os.environ.get(ENV_VAR, "frameworks"))


def find_framework_files(directory: str | os.PathLike[str] | None = None) -> list[Path]:
    """Every ``*.yaml`` framework file one level below ``directory``, sorted."""
    root = Path(directory) if directory is not None else default_framework_dir()
    return sorted(path for path in root.glob("*/*.yaml") if path.is_file())


@dataclass
class FrameworkStore:
    directory: Path = field(default_factory=default_framework_dir)
    _cache: dict[Path, LoadResult] = field(default_factory=dict, repr=False)

    def load(self, path: Path) -> LoadResult:
        if path not in self._cache:
            self._cache[path] = load_framework(path)
        return self._cache[path]

    def get(self, framework_id: str, version: str) -> LoadResult | None:
        """The framework ``id`` at ``version``, or None when the store has no such file."""
        if not framework_id or not version or any(
            part in {"", ".", ".."} or "/" in part or "\\" in part
            for part in (framework_id, version)
        ):
            return None
        path = self.directory / framework_id / f"{version}.yaml"
        if not path.is_file():
            return None
        return self.load(path)

    def versions(self, framework_id: str) -> list[str]:
        folder = self.directory / framework_id
        if "/" in framework_id or not folder.is_dir():
            return []
        return sorted(path.stem for path in folder.glob("*.yaml"))
