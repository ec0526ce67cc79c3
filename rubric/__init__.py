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
    # problems
    "CATALOGUE": "rubric.problems",
    "Location": "rubric.problems",
    "Problem": "rubric.problems",
    "Report": "rubric.problems",
    "Severity": "rubric.problems",
    # YAML -> Framework
    "Framework": "rubric.framework.model",
    "FrameworkStore": "rubric.framework.store",
    "LoadResult": "rubric.framework.load",
    "framework_json_schema": "rubric.framework.schema",
    "lint_framework": "rubric.framework.lint",
    "load_framework": "rubric.framework.load",
    "diff_frameworks": "rubric.framework.diff",
    # Framework -> workbook -> Response
    "TemplateInfo": "rubric.workbook.template",
    "write_templates": "rubric.workbook.template",
    "ReadResult": "rubric.responses",
    "Response": "rubric.responses",
    "read_return": "rubric.responses",
    "read_many": "rubric.batch",
    "WorkerLimits": "rubric.sandbox",
    "FoundFiles": "rubric.workbook.files",
    "find_returns": "rubric.workbook.files",
    "migrate_response": "rubric.migrate",
    # Response -> scores -> comparison -> exports
    "Scores": "rubric.scoring",
    "score_response": "rubric.scoring",
    "ChallengeSettings": "rubric.compare.challenge",
    "Comparison": "rubric.compare.quad",
    "compare_returns": "rubric.compare.quad",
    "write_comparison_xlsx": "rubric.export.xlsx",
    "render_html": "rubric.export.html",
    # cycles
    "open_history": "rubric.history",
    "HistoryError": "rubric.history",
    "build_trend": "rubric.trend",
}

__all__ = [
    "CATALOGUE",
    "ChallengeSettings",
    "Comparison",
    "FoundFiles",
    "Framework",
    "FrameworkStore",
    "HistoryError",
    "LoadResult",
    "Location",
    "Problem",
    "ReadResult",
    "Report",
    "Response",
    "Scores",
    "Severity",
    "TemplateInfo",
    "WorkerLimits",
    "__version__",
    "build_trend",
    "compare_returns",
    "diff_frameworks",
    "find_returns",
    "framework_json_schema",
    "lint_framework",
    "load_framework",
    "migrate_response",
    "open_history",
    "read_many",
    "read_return",
    "render_html",
    "score_response",
    "write_comparison_xlsx",
    "write_templates",
]

if TYPE_CHECKING:  # pragma: no cover
    from rubric.batch import read_many
    from rubric.compare.challenge import ChallengeSettings
    from rubric.compare.quad import Comparison, compare_returns
    from rubric.export.html import render_html
    from rubric.export.xlsx import write_comparison_xlsx
    from rubric.framework.diff import diff_frameworks
    from rubric.framework.lint import lint_framework
    from rubric.framework.load import LoadResult, load_framework
    from rubric.framework.model import Framework
    from rubric.framework.schema import framework_json_schema
    from rubric.framework.store import FrameworkStore
    from rubric.history import HistoryError, open_history
    from rubric.migrate import migrate_response
    from rubric.problems import CATALOGUE, Location, Problem, Report, Severity
    from rubric.responses import ReadResult, Response, read_return
    from rubric.sandbox import WorkerLimits
    from rubric.scoring import Scores, score_response
    from rubric.trend import build_trend
    from rubric.workbook.files import FoundFiles, find_returns
    from rubric.workbook.template import TemplateInfo, write_templates


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'rubric' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
