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

    @property
    def valid(self) -> bool:
        return self.overview is not None and self.report.valid


def run_national(paths: Sequence[Path] = (), *, store: FrameworkStore | None = None,
                 quads_path: Path | None = None, xlsx: Path | None = None,
                 html: Path | None = None, json_path: Path | None = None, force: bool = False,
                 jobs: int | None = None, allow_mixed_cycles: bool = False,
                 migrate: bool = False, from_history: bool = False, cycle: str | None = None,
                 history_path: Path | None = None, anonymise: bool = False,
                 on_done: Callable[[int], None] | None = None) -> NationalRun:
    """The national picture of the returns in ``paths`` (or, ``from_history``, of the returns
    the history holds for ``cycle``), and the exports asked for.

    Change since the previous cycle and the national trend come from the history: always
    with ``from_history``, otherwise when ``history_path`` is given or the default history
    (``$RUBRIC_DB``, ``./rubric-history.sqlite``) exists. ``anonymise`` shows authorities only
    by family group and Quad in every output. Raises :class:`Refused` when it cannot run as
    asked; returns a run whose report says why when the returns cannot be put together.
    """
    from rubric._io import OutputExists
    from rubric.compare.national import national_overview
    from rubric.cycles.cycle import check_cycle
    from rubric.registry.quads import load_quads_file
    from rubric.resources import history_path as default_history

    check_output(xlsx, (".xlsx",), "national workbook", force=force)
    check_output(html, (".html", ".htm"), "national HTML page", force=force)
    check_output(json_path, (".json",), "national data", force=force)
    if cycle is not None:
        cycle = check_cycle(cycle)
    if from_history and (cycle is None or paths):
        raise Refused(problem("options-conflict", Location(), reason="--from-history reads "
                              "one cycle's returns from the history, not files",
                              hint="Give --cycle (e.g. --cycle 2025-26) and no return files."))
    store = store or FrameworkStore()
    try:
        quads = load_quads_file(quads_path)
    except Refused:
        if quads_path is not None:
            raise
        quads = None  # no Quads file anywhere: the overview goes ahead without Quads
    history_file = history_path or default_history()
    use_history = from_history or history_path is not None or history_file.exists()
    run = NationalRun(None)
    history = None
    if use_history:
        from rubric.cycles.history import open_existing_history

        history = open_existing_history(history_file)
    try:
        if from_history:
            from rubric.cycles.national_history import history_results

            assert history is not None and cycle is not None
            results = history_results(history, store, cycle)
            if not results:
                raise Refused(problem("history-no-returns", Location(str(history_file)),
                                      what=f"cycle {cycle}", path=history_file,
                                      known=_known_cycles(history)))
        else:
            from rubric.read.batch import read_many

            found = require_returns(paths)
            run.report.extend(found.report)
            results = list(read_many(found.files, store, jobs=jobs, on_done=on_done))
            for result in results:
                if not result.valid:
                    run.report.extend(result.report.errors)
        notes: list[str] = []
        if migrate:
            from rubric.versions.migrate import migrate_to_newest

            results, notes = migrate_to_newest(results)
        previous, earlier, trend_notes = None, [], []
        usable = [r for r in results if r.valid and r.response is not None]
        if history is not None and usable and all(r.valid for r in results):
            previous, earlier, trend_notes = _national_history(history, store, usable)
        outcome = national_overview(results, quads, allow_mixed_cycles=allow_mixed_cycles,
                                    cycle=cycle, previous=previous, earlier=earlier)
    finally:
        if history is not None:
            history.close()
    run.report.extend(outcome.report)
    if outcome.overview is None:
        return run
    overview = outcome.overview
    overview.notes.extend(trend_notes)
    if notes:
        overview.notes.append(f"{len(notes)} of {len(overview.rows)} returns were migrated to "
                              f"{overview.framework.key} for this overview.")
        overview.detail_notes.extend(n for n in notes if "(0 to review), 0 kept" not in n)
    if use_history and len(overview.trend) < 2:
        overview.notes.append("The history holds no earlier cycle of this framework: the trend "
                              "has this cycle only.")
    if not use_history:
        overview.notes.append("No history was given (--db): change since the previous cycle "
                              "and the national trend need it.")
    run.overview = overview.anonymised_copy() if anonymise else overview
    try:
        if xlsx is not None:
            from rubric.export.national import write_national_xlsx

            write_national_xlsx(run.overview, xlsx, force=force)
            run.written.append(xlsx)
        if html is not None:
            from rubric.export.national_html import write_national_html

            write_national_html(run.overview, html, force=force)
            run.written.append(html)
        if json_path is not None:
            import json

            from rubric._io import write_text_atomic

            write_text_atomic(json_path, json.dumps(run.overview.to_dict(), indent=2,
                                                    ensure_ascii=False) + "\n", force=force)
            run.written.append(json_path)
    except OutputExists as exc:
        raise Refused(problem("output-exists", Location(str(exc)), path=exc)) from None
    return run


def _known_cycles(history) -> str:
    cycles = history.cycles()
    return f"The history holds cycles {', '.join(cycles)}. " if cycles else ""


def _national_history(history, store: FrameworkStore, results: list):
    """The previous cycle's scores of these authorities and the national spread of every
    earlier cycle, from the history, on the returns' framework."""
    from rubric.cycles.cycle import is_cycle, previous_cycle
    from rubric.cycles.national_history import national_trend
    from rubric.cycles.trend import previous_cycle_scores

    framework = results[0].framework
    cycles = sorted({r.response.cycle for r in results if is_cycle(r.response.cycle)})
    if not cycles:
        return None, [], []
    earlier, notes = national_trend(history, store, framework, cycles[0])
    before = previous_cycle(cycles[0])
    previous = None
    if before in history.cycles():
        codes = [r.response.authority_code or r.response.authority for r in results]
        try:
            previous = previous_cycle_scores(history, store, framework, codes, before)
        except Refused as refused:
            notes.append(f"No change since {before} is shown: {refused.problem.message}.")
    return previous, earlier, notes
