"""The national overview: every authority's indicator scores with national and family-group
medians and quartiles, so a Quad can see itself against the whole country."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from rubric.framework.model import Framework
from rubric.problems import Location, Report, problem
from rubric.registry.authorities import Authority, all_authorities, find
from rubric.registry.quads import QuadsResult
from rubric.response import ReadResult
from rubric.scoring import Scores, score_response


@dataclass(frozen=True, slots=True)
class NationalRow:
    authority: str
    code: str
    family_group: int | None
    quad: str | None
    scores: Scores


@dataclass(frozen=True, slots=True)
class Spread:
    """Median and quartiles of one indicator over a set of authorities."""

    count: int
    median: float | None
    q1: float | None
    q3: float | None

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        if not values:
            return cls(0, None, None, None)
        if len(values) == 1:
            return cls(1, values[0], values[0], values[0])
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
        return cls(len(values), median, q1, q3)


@dataclass(slots=True)
class NationalOverview:
    framework: Framework
    generated_at: dt.datetime
    rows: list[NationalRow] = field(default_factory=list)
    national: dict[str, Spread] = field(default_factory=dict)  # indicator id -> spread
    by_family_group: dict[int, dict[str, Spread]] = field(default_factory=dict)
    missing: list[Authority] = field(default_factory=list)
    cycles: dict[str, list[str]] = field(default_factory=dict)  # cycle -> authority codes
    notes: list[str] = field(default_factory=list)  # said in every output

    @property
    def cycle(self) -> str:
        return ", ".join(sorted(self.cycles)) or "unknown cycle"


@dataclass(slots=True)
class NationalResult:
    overview: NationalOverview | None
    report: Report


def national_overview(results: Iterable[ReadResult], quads: QuadsResult | None = None, *,
                      generated_at: dt.datetime | None = None,
                      allow_mixed_cycles: bool = False) -> NationalResult:
    """Score every return and summarise each indicator nationally and per family group.

    Returns of another cycle than the first are refused, or with ``allow_mixed_cycles``
    included with a warning that the overview repeats. ``results`` may be a stream: only each
    return's scores are kept, not its texts.
    """
    report = Report()
    overview: NationalOverview | None = None
    first: tuple[str, str, str] | None = None
    first_cycle: tuple[str, str] | None = None  # (cycle, path)
    seen: dict[str, str] = {}
    for result in results:
        if not result.valid or result.response is None or result.framework is None:
            report.add(problem("compare-invalid-return", Location(result.path),
                               errors=len(result.report.errors)))
            continue
        response = result.response
        key = (response.framework_id, response.framework_version, response.framework_hash)
        if first is None:
            first = key
            overview = NationalOverview(result.framework, generated_at or dt.datetime.now(
                dt.UTC).replace(microsecond=0))
        elif key != first:
            report.add(problem("compare-framework-mismatch", Location(result.path),
                               found=f"{key[0]} {key[1]}", expected=f"{first[0]} {first[1]}",
                               first="the first return"))
            continue
        assert overview is not None
        if first_cycle is None:
            first_cycle = (response.cycle, result.path)
        elif response.cycle != first_cycle[0]:
            report.add(problem(
                "compare-cycles-mixed" if allow_mixed_cycles else "compare-cycle-mismatch",
                Location(result.path), found=response.cycle or "no cycle",
                expected=first_cycle[0] or "no cycle", first=first_cycle[1]))
            if not allow_mixed_cycles:
                continue
        authority = find(response.authority_code) or find(response.authority)
        code = authority.code if authority else response.authority_code or response.authority
        if code in seen:
            report.add(problem("compare-duplicate-authority", Location(result.path),
                               authority=response.authority, first=seen[code]))
            continue
        seen[code] = result.path
        overview.cycles.setdefault(response.cycle, []).append(code)
        quad = quads.quad_of(authority, response.cycle or None) if quads and authority else None
        overview.rows.append(NationalRow(
            authority.name if authority else response.authority, code,
            authority.family_group if authority else None, quad.name if quad else None,
            score_response(response, overview.framework)))
    if overview is None or not report.valid:
        return NationalResult(None, report)
    overview.rows.sort(key=lambda row: (row.family_group or 9, row.authority))
    for indicator_id in overview.framework.indicator_index:
        values = {row.code: s.value for row in overview.rows
                  if (s := row.scores.indicator(indicator_id)) and s.value is not None}
        overview.national[indicator_id] = Spread.of(list(values.values()))
        for group in (1, 2, 3, 4):
            members = [values[row.code] for row in overview.rows
                       if row.family_group == group and row.code in values]
            overview.by_family_group.setdefault(group, {})[indicator_id] = Spread.of(members)
    if len(overview.cycles) > 1:
        overview.notes.append("Returns of different cycles are included: " + "; ".join(
            f"{cycle or 'no cycle'}: {len(codes)} return{'' if len(codes) == 1 else 's'}"
            for cycle, codes in sorted(overview.cycles.items()))
            + ". Levels from different years may not be comparable.")
    present = {row.code for row in overview.rows}
    overview.missing = [a for a in all_authorities() if a.code not in present]
    return NationalResult(overview, report)
