"""The whole ``rubric compare`` job: read -> (migrate) -> gate -> compare -> previous cycle ->
exports, as one function returning a result object, so a web service runs exactly what the
command line runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rubric.compare.challenge import ChallengeSettings
from rubric.compare.national import NationalOverview
from rubric.compare.previous import PreviousCycle
from rubric.compare.quad import Comparison, compare_returns
from rubric.framework.store import FrameworkStore
from rubric.problems import Location, Refused, Report, problem
from rubric.read.files import require_returns


@dataclass(slots=True)
class ComparisonRun:
    comparison: Comparison | None
    report: Report = field(default_factory=Report)
    written: list[Path] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.comparison is not None and self.report.valid


def check_output(path: Path | None, suffixes: tuple[str, ...], what: str, *,
                 force: bool) -> None:
    """Refuse an output whose name says another format, or that exists without ``force``."""
    if path is None:
        return
    if path.suffix.lower() not in suffixes:
        raise Refused(problem("output-name-mismatch", Location(str(path)), path=path,
                              reason=f"the {what} is written as {suffixes[0]}, but this name "
                              f"ends in {path.suffix or 'nothing'}",
                              hint=f"Use a name ending in {suffixes[0]}, e.g. "
                              f"{path.with_suffix(suffixes[0]).name}."))
    if path.exists() and not force:
        raise Refused(problem("output-exists", Location(str(path)), path=path))


def run_comparison(paths: Sequence[Path], *, store: FrameworkStore | None = None,
                   quad: str | None = None, quads_path: Path | None = None,
                   settings: ChallengeSettings | None = None, migrate: bool = False,
                   previous_cycle: str | None = None, history_path: Path | None = None,
                   xlsx: Path | None = None, html: Path | None = None, force: bool = False,
                   jobs: int | None = None, on_done: Callable[[int], None] | None = None,
                   allow_mixed_cycles: bool = False) -> ComparisonRun:
    """Compare the returns in ``paths`` and write the exports asked for.

    Raises :class:`Refused` when the command cannot run as asked (no files, unknown Quad,
    outputs that exist); returns a run whose report says why when the returns cannot be
    compared.
    """
    from rubric._io import OutputExists
    from rubric.read.batch import read_many

    check_output(xlsx, (".xlsx",), "comparison workbook", force=force)
    check_output(html, (".html", ".htm"), "HTML report", force=force)
    if previous_cycle is not None:
        from rubric.cycles.cycle import check_cycle

        previous_cycle = check_cycle(previous_cycle, "--previous-cycle")
    quad_found = None
    if quad:
        from rubric.registry.quads import find_quad

        quad_found = find_quad(quad, quads_path)
    found = require_returns(paths)
    store = store or FrameworkStore()
    run = ComparisonRun(None, Report(list(found.report.problems)))
    results = list(read_many(found.files, store, jobs=jobs, on_done=on_done))
    for result in results:
        if not result.valid:
            run.report.extend(result.report.errors)
    notes: list[str] = []
    if migrate:
        from rubric.versions.migrate import migrate_to_newest

        results, notes = migrate_to_newest(results)
    previous = None
    if previous_cycle and results and all(r.valid for r in results):
        previous = _previous(results, store, previous_cycle, history_path)
    outcome = compare_returns(results, quad=quad_found, settings=settings, previous=previous,
                              allow_mixed_cycles=allow_mixed_cycles)
    run.report.extend(outcome.report)
    if outcome.comparison is None:
        return run
    comparison = outcome.comparison
    comparison.notes.extend(notes)
    run.comparison = comparison
    try:
        if xlsx is not None:
            from rubric.export.xlsx import write_comparison_xlsx

            write_comparison_xlsx(comparison, xlsx, force=force)
            run.written.append(xlsx)
        if html is not None:
            from rubric.export.html import write_html

            write_html(comparison, html, force=force)
            run.written.append(html)
    except OutputExists as exc:
        raise Refused(problem("output-exists", Location(str(exc)), path=exc)) from None
    return run


def _previous(results: list, store: FrameworkStore, cycle: str,
              history_path: Path | None) -> PreviousCycle:
    """Each member's return of ``cycle`` from the history, scored on the returns' framework."""
    from rubric.compare.quad import member_codes
    from rubric.cycles.history import open_existing_history
    from rubric.cycles.trend import previous_cycle_scores
    from rubric.resources import history_path as default_history

    framework = results[0].framework
    assert framework is not None
    history = open_existing_history(history_path or default_history())
    try:
        return previous_cycle_scores(history, store, framework, member_codes(results), cycle)
    finally:
        history.close()


@dataclass(slots=True)
class NationalRun:
    overview: NationalOverview | None
    report: Report = field(default_factory=Report)
    written: list[Path] = field(default_factory=list)


def run_national(paths: Sequence[Path], *, store: FrameworkStore | None = None,
                 quads_path: Path | None = None, xlsx: Path | None = None, force: bool = False,
                 jobs: int | None = None, allow_mixed_cycles: bool = False) -> NationalRun:
    """Every authority's scores beside the national and family-group medians, and the export."""
    from rubric._io import OutputExists
    from rubric.compare.national import national_overview
    from rubric.read.batch import read_many
    from rubric.registry.quads import load_quads_file

    check_output(xlsx, (".xlsx",), "national workbook", force=force)
    found = require_returns(paths)
    try:
        quads = load_quads_file(quads_path)
    except Refused:
        if quads_path is not None:
            raise
        quads = None  # no Quads file anywhere: the overview goes ahead without Quads
    outcome = national_overview(read_many(found.files, store or FrameworkStore(), jobs=jobs),
                                quads, allow_mixed_cycles=allow_mixed_cycles)
    run = NationalRun(outcome.overview, Report([*found.report, *outcome.report]))
    if outcome.overview is not None and xlsx is not None:
        from rubric.export.national import write_national_xlsx

        try:
            write_national_xlsx(outcome.overview, xlsx, force=force)
        except OutputExists:
            raise Refused(problem("output-exists", Location(str(xlsx)), path=xlsx)) from None
        run.written.append(xlsx)
    return run
