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
    "ChallengeSettings": "rubric.compare.challenge",
    "NationalOverview": "rubric.compare.national",
    "ComparisonRun": "rubric.compare.pipeline",
    "NationalRun": "rubric.compare.pipeline",
    "run_comparison": "rubric.compare.pipeline",
    "run_national": "rubric.compare.pipeline",
    "CompareResult": "rubric.compare.quad",
    "Comparison": "rubric.compare.quad",
    "compare_returns": "rubric.compare.quad",
    "History": "rubric.cycles.history",
    "HistoryError": "rubric.cycles.history",
    "IngestOutcome": "rubric.cycles.history",
    "open_history": "rubric.cycles.history",
    "IngestRun": "rubric.cycles.ingest",
    "ingest_returns": "rubric.cycles.ingest",
    "Trend": "rubric.cycles.trend",
    "build_trend": "rubric.cycles.trend",
    "trend_for": "rubric.cycles.trend",
    "render_html": "rubric.export.html",
    "export_cycle": "rubric.export.tabular",
    "write_comparison_xlsx": "rubric.export.xlsx",
    "lint_framework": "rubric.framework.lint",
    "LoadResult": "rubric.framework.load",
    "load_framework": "rubric.framework.load",
    "Framework": "rubric.framework.model",
    "framework_json_schema": "rubric.framework.schema",
    "FrameworkStore": "rubric.framework.store",
    "CATALOGUE": "rubric.problems",
    "EXIT_OK": "rubric.problems",
    "EXIT_PROBLEMS": "rubric.problems",
    "EXIT_USAGE": "rubric.problems",
    "Location": "rubric.problems",
    "Problem": "rubric.problems",
    "Refused": "rubric.problems",
    "Report": "rubric.problems",
    "Severity": "rubric.problems",
    "read_many": "rubric.read.batch",
    "WorkerLimits": "rubric.read.sandbox",
    "FoundFiles": "rubric.read.files",
    "find_returns": "rubric.read.files",
    "read_return": "rubric.read.returns",
    "Authority": "rubric.registry.authorities",
    "Quad": "rubric.registry.quads",
    "QuadsResult": "rubric.registry.quads",
    "MeasureValue": "rubric.response",
    "ReadResult": "rubric.response",
    "Response": "rubric.response",
    "ThemeAnswer": "rubric.response",
    "Scores": "rubric.scoring",
    "score_response": "rubric.scoring",
    "TemplateRun": "rubric.template.targets",
    "TemplateTarget": "rubric.template.targets",
    "make_templates": "rubric.template.targets",
    "TemplateInfo": "rubric.template.workbook",
    "write_templates": "rubric.template.workbook",
    "FrameworkDiff": "rubric.versions.diff",
    "diff_frameworks": "rubric.versions.diff",
    "Migration": "rubric.versions.migrate",
    "MigrationRun": "rubric.versions.migrate",
    "migrate_file": "rubric.versions.migrate",
    "migrate_response": "rubric.versions.migrate",
}

__all__ = [
    "CATALOGUE",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "Authority",
    "ChallengeSettings",
    "CompareResult",
    "Comparison",
    "ComparisonRun",
    "FoundFiles",
    "Framework",
    "FrameworkDiff",
    "FrameworkStore",
    "History",
    "HistoryError",
    "IngestOutcome",
    "IngestRun",
    "LoadResult",
    "Location",
    "MeasureValue",
    "Migration",
    "MigrationRun",
    "NationalOverview",
    "NationalRun",
    "Problem",
    "Quad",
    "QuadsResult",
    "ReadResult",
    "Refused",
    "Report",
    "Response",
    "Scores",
    "Severity",
    "TemplateInfo",
    "TemplateRun",
    "TemplateTarget",
    "ThemeAnswer",
    "Trend",
    "WorkerLimits",
    "__version__",
    "build_trend",
    "compare_returns",
    "diff_frameworks",
    "export_cycle",
    "find_returns",
    "framework_json_schema",
    "ingest_returns",
    "lint_framework",
    "load_framework",
    "make_templates",
    "migrate_file",
    "migrate_response",
    "open_history",
    "read_many",
    "read_return",
    "render_html",
    "run_comparison",
    "run_national",
    "score_response",
    "trend_for",
    "write_comparison_xlsx",
    "write_templates",
]

if TYPE_CHECKING:  # pragma: no cover
    from rubric.compare.challenge import ChallengeSettings
    from rubric.compare.national import NationalOverview
    from rubric.compare.pipeline import ComparisonRun, NationalRun, run_comparison, run_national
    from rubric.compare.quad import CompareResult, Comparison, compare_returns
    from rubric.cycles.history import History, HistoryError, IngestOutcome, open_history
    from rubric.cycles.ingest import IngestRun, ingest_returns
    from rubric.cycles.trend import Trend, build_trend, trend_for
    from rubric.export.html import render_html
    from rubric.export.tabular import export_cycle
    from rubric.export.xlsx import write_comparison_xlsx
    from rubric.framework.lint import lint_framework
    from rubric.framework.load import LoadResult, load_framework
    from rubric.framework.model import Framework
    from rubric.framework.schema import framework_json_schema
    from rubric.framework.store import FrameworkStore
    from rubric.problems import (
        CATALOGUE,
        EXIT_OK,
        EXIT_PROBLEMS,
        EXIT_USAGE,
        Location,
        Problem,
        Refused,
        Report,
        Severity,
    )
    from rubric.read.batch import read_many
    from rubric.read.files import FoundFiles, find_returns
    from rubric.read.returns import read_return
    from rubric.read.sandbox import WorkerLimits
    from rubric.registry.authorities import Authority
    from rubric.registry.quads import Quad, QuadsResult
    from rubric.response import MeasureValue, ReadResult, Response, ThemeAnswer
    from rubric.scoring import Scores, score_response
    from rubric.template.targets import TemplateRun, TemplateTarget, make_templates
    from rubric.template.workbook import TemplateInfo, write_templates
    from rubric.versions.diff import FrameworkDiff, diff_frameworks
    from rubric.versions.migrate import Migration, MigrationRun, migrate_file, migrate_response



def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'rubric' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
