"""One uploaded return, start to verdict: validated behind the safety gate, checked to be the
uploader's own authority's, and recorded in the history when it is valid.

A web service and a script that accepts returns by email both need exactly this, so it lives
in the library. Reading goes through :func:`rubric.read.batch.read_many`, the path meant for
untrusted files (and the one that gains worker isolation and limits).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rubric.cycles.history import History, IngestOutcome
from rubric.cycles.ingest import ingest_returns
from rubric.framework.store import FrameworkStore
from rubric.problems import Location, Report, problem
from rubric.response import ReadResult


@dataclass(slots=True)
class Submission:
    """What became of one upload: its problems, and the history record when it was valid."""

    report: Report = field(default_factory=Report)
    outcome: IngestOutcome | None = None
    authority: str | None = None  # as the return names itself
    framework: tuple[str, str] | None = None  # (id, version)
    cycle: str | None = None

    @property
    def valid(self) -> bool:
        return self.outcome is not None and self.report.valid


def same_authority(result: ReadResult, name: str, code: str) -> bool:
    """Whether ``result`` is a return of the authority ``name`` (``code`` when it has one)."""
    response = result.response
    if response is None:
        return False
    if code and response.authority_code:
        return response.authority_code.casefold() == code.casefold()
    return " ".join(response.authority.split()).casefold() == " ".join(name.split()).casefold()


def submit_return(path: Path, *, store: FrameworkStore, history: History, cycle: str | None,
                  authority: tuple[str, str] | None = None) -> Submission:
    """Validate ``path``; when it is valid, of ``authority`` (name, code) if given, and of
    ``cycle`` if given, record it in ``history``."""
    from rubric.read.batch import read_many, report_only

    result = next(iter(read_many([path], store, work=report_only)))
    submission = Submission(Report(list(result.report.problems)))
    response = result.response
    if response is not None:
        submission.authority = response.authority
        submission.framework = (response.framework_id, response.framework_version)
        submission.cycle = response.cycle
    if not result.valid:
        return submission
    if authority is not None and not same_authority(result, *authority):
        submission.report.add(problem(
            "return-other-authority", Location(str(path), sheet="_rubric"),
            found=response.authority if response else "another authority",
            expected=authority[0]))
        return submission
    run = ingest_returns([path], history, store, cycle)
    submission.report.extend(p for p in run.report if p not in submission.report.problems)
    submission.outcome = run.outcomes[0] if run.outcomes else None
    return submission
