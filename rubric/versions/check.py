"""``framework diff --check`` as a function: is NEW a correctly bumped, acknowledged release?

The command line and the web service's framework editor page ask the same question before a
new version is published, so the answer and its coded problem are built here once.
"""

from __future__ import annotations

from rubric.framework.load import LoadResult
from rubric.problems import Location, Report, problem
from rubric.versions.diff import FrameworkDiff, diff_frameworks


def check_new_version(old: LoadResult, new: LoadResult, *,
                      where: str | None = None) -> tuple[FrameworkDiff, Report]:
    """Every change from ``old`` to ``new``, and a ``diff-check-failed`` problem when the
    version bump is too small or reworded text is not acknowledged, located at ``where`` (how
    the caller named NEW: the command line's argument) or else NEW's path."""
    result = diff_frameworks(old, new)
    report = Report()
    if not result.ok:
        reason = ("the version bump is smaller than the changes require"
                  if not result.bump_ok else "reworded text is not acknowledged")
        hint = (f"Bump the version to at least a {result.required_bump} release."
                if not result.bump_ok else "List the reworded ids under 'acknowledged:' in "
                "the new version's changelog entry once checked.")
        at = Location(where if where is not None else new.path)
        report.add(problem("diff-check-failed", at, reason=reason, hint=hint))
    return result, report
