"""rubric: self-evaluation rubric frameworks as code, authority workbooks, scores, comparisons.

The pipeline runs one way: YAML -> :class:`Framework` -> workbook template -> filled workbook ->
:class:`Response` -> scores -> Quad comparison -> exports. Public names are loaded on first use
(PEP 562), so ``import rubric`` and the CLI's ``--help`` stay fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from rubric._version import __version__

_EXPORTS: dict[str, str] = {
    "CATALOGUE": "rubric.problems",
    "Framework": "rubric.framework.model",
    "FrameworkStore": "rubric.framework.store",
    "LoadResult": "rubric.framework.load",
    "Location": "rubric.problems",
    "Problem": "rubric.problems",
    "Report": "rubric.problems",
    "Severity": "rubric.problems",
    "framework_json_schema": "rubric.framework.schema",
    "lint_framework": "rubric.framework.lint",
    "load_framework": "rubric.framework.load",
}

__all__ = [
    "CATALOGUE",
    "Framework",
    "FrameworkStore",
    "LoadResult",
    "Location",
    "Problem",
    "Report",
    "Severity",
    "__version__",
    "framework_json_schema",
    "lint_framework",
    "load_framework",
]

if TYPE_CHECKING:  # pragma: no cover
    from rubric.framework.lint import lint_framework
    from rubric.framework.load import LoadResult, load_framework
    from rubric.framework.model import Framework
    from rubric.framework.schema import framework_json_schema
    from rubric.framework.store import FrameworkStore
    from rubric.problems import CATALOGUE, Location, Problem, Report, Severity


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'rubric' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
