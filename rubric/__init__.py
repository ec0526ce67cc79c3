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
    "diff_frameworks": "rubric.versions.diff",
    # Framework -> workbook -> Response
    "TemplateInfo": "rubric.template.workbook",
    "write_templates": "rubric.template.workbook",
    "ReadResult": "rubric.response",
    "Response": "rubric.response",
    "read_return": "rubric.read.returns",
    "migrate_response": "rubric.versions.migrate",
    # Response -> scores -> comparison -> exports
    "Scores": "rubric.scoring",
    "score_response": "rubric.scoring",
    "ChallengeSettings": "rubric.compare.challenge",
    "Comparison": "rubric.compare.quad",
    "compare_returns": "rubric.compare.quad",
    "write_comparison_xlsx": "rubric.export.xlsx",
    "render_html": "rubric.export.html",
    # cycles
    "open_history": "rubric.cycles.history",
    "build_trend": "rubric.cycles.trend",
}

__all__ = [
    "CATALOGUE",
    "ChallengeSettings",
    "Comparison",
    "Framework",
    "FrameworkStore",
    "LoadResult",
    "Location",
    "Problem",
    "ReadResult",
    "Report",
    "Response",
    "Scores",
    "Severity",
    "TemplateInfo",
    "__version__",
    "build_trend",
    "compare_returns",
    "diff_frameworks",
    "framework_json_schema",
    "lint_framework",
    "load_framework",
    "migrate_response",
    "open_history",
    "read_return",
    "render_html",
    "score_response",
    "write_comparison_xlsx",
    "write_templates",
]

if TYPE_CHECKING:  # pragma: no cover
    from rubric.compare.challenge import ChallengeSettings
    from rubric.compare.quad import Comparison, compare_returns
    from rubric.cycles.history import open_history
    from rubric.cycles.trend import build_trend
    from rubric.export.html import render_html
    from rubric.export.xlsx import write_comparison_xlsx
    from rubric.framework.lint import lint_framework
    from rubric.framework.load import LoadResult, load_framework
    from rubric.framework.model import Framework
    from rubric.framework.schema import framework_json_schema
    from rubric.framework.store import FrameworkStore
    from rubric.problems import CATALOGUE, Location, Problem, Report, Severity
    from rubric.read.returns import read_return
    from rubric.response import ReadResult, Response
    from rubric.scoring import Scores, score_response
    from rubric.template.workbook import TemplateInfo, write_templates
    from rubric.versions.diff import diff_frameworks
    from rubric.versions.migrate import migrate_response


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'rubric' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
