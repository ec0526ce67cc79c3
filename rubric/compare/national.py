"""The national picture: every authority's judgements per indicator, key area and overall, with
national medians and quartiles, family-group and Quad medians, change since the previous cycle
and the national trend across cycles, so ADES and each Quad can see themselves against Scotland.

Every figure comes from :class:`~rubric.scoring.Scores` (indicator, key-area and overall), so the
picture follows whatever the framework says is graded. Nothing here reads files: the pipeline
(:func:`rubric.compare.pipeline.run_national`) hands in the returns, the previous cycle and the
trend. :meth:`NationalOverview.anonymised` gives the same picture with authorities shown only by
family group and Quad, for readers outside the service.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from rubric.compare.previous import PreviousCycle
from rubric.framework.model import Framework
from rubric.problems import Location, Report, plural, problem
from rubric.registry.authorities import Authority, all_authorities, find
from rubric.registry.quads import QuadsResult
from rubric.response import ReadResult
from rubric.scoring import Score, Scores, score_response

Kind = Literal["overall", "category", "indicator"]
FAMILY_GROUPS = (1, 2, 3, 4)


@dataclass(frozen=True, slots=True)
class Spread:
    """Median and quartiles of one score over a set of authorities."""

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

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "median": _r(self.median), "q1": _r(self.q1),
                "q3": _r(self.q3)}


def _r(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


@dataclass(frozen=True, slots=True)
class NationalRow:
    """One authority's return: who (or, anonymised, which group) and its scores."""

    authority: str  # the authority's name, or its anonymised label
    code: str  # "" when anonymised
    family_group: int | None
    quad: str | None
    scores: Scores
    previous: Scores | None = None  # the previous cycle's, on the same framework version
    key: str = ""  # the key of this row in every ItemSummary's values

    def score(self, kind: Kind, item_id: str, *, previous: bool = False) -> Score | None:
        scores = self.previous if previous else self.scores
        if scores is None:
            return None
        if kind == "overall":
            return scores.overall
        return scores.category(item_id) if kind == "category" else scores.indicator(item_id)


@dataclass(frozen=True, slots=True)
class ItemSummary:
    """One indicator, key area or the overall score across the country."""

    kind: Kind
    id: str
    title: str
    parent: str | None  # an indicator's key area
    national: Spread
    by_family_group: dict[int, Spread]
    by_quad: dict[str, Spread]
    values: dict[str, float | None]  # row key -> the authority's score (as reported)
    previous: dict[str, float | None]  # row key -> its score in the previous cycle
    national_previous: Spread | None  # None without a previous cycle

    def change(self, key: str) -> float | None:
        now, then = self.values.get(key), self.previous.get(key)
        return None if now is None or then is None else round(now - then, 6)

    @property
    def median_change(self) -> float | None:
        before = self.national_previous.median if self.national_previous else None
        now = self.national.median
        return None if now is None or before is None else round(now - before, 6)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "id": self.id, "title": self.title, "key_area": self.parent,
            "national": self.national.to_dict(),
            "family_groups": {str(g): s.to_dict() for g, s in self.by_family_group.items()},
            "quads": {q: s.to_dict() for q, s in self.by_quad.items()},
            "previous_national": self.national_previous.to_dict()
            if self.national_previous else None,
            "median_change": _r(self.median_change),
            "authorities": {key: {"score": value, "previous": self.previous.get(key),
                                  "change": _r(self.change(key))}
                            for key, value in self.values.items()},
        }


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """The national spread of every score in one cycle."""

    cycle: str
    returns: int
    overall: Spread
    categories: dict[str, Spread] = field(default_factory=dict)
    indicators: dict[str, Spread] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"cycle": self.cycle, "returns": self.returns, "overall": self.overall.to_dict(),
                "key_areas": {k: s.to_dict() for k, s in self.categories.items()},
                "indicators": {k: s.to_dict() for k, s in self.indicators.items()}}


def trend_point(cycle: str, scores: Sequence[Scores], framework: Framework) -> TrendPoint:
    """The national spread of ``scores`` (one per authority, all on ``framework``)."""
    def spread(pick: Any) -> Spread:
        return Spread.of([s.value for s in map(pick, scores) if s and s.value is not None])

    return TrendPoint(
        cycle, len(scores), spread(lambda s: s.overall),
        {c.id: spread(lambda s, i=c.id: s.category(i)) for c in framework.categories},
        {i: spread(lambda s, i=i: s.indicator(i)) for i in framework.indicator_index})


@dataclass(slots=True)
class NationalOverview:
    framework: Framework
    generated_at: dt.datetime
    rows: list[NationalRow] = field(default_factory=list)
    overall: ItemSummary | None = None
    categories: list[ItemSummary] = field(default_factory=list)
    indicators: list[ItemSummary] = field(default_factory=list)
    missing: list[Authority] = field(default_factory=list)
    cycles: dict[str, list[str]] = field(default_factory=dict)  # cycle -> authority codes
    previous_cycle: str | None = None
    trend: list[TrendPoint] = field(default_factory=list)  # earlier cycles first, this one last
    notes: list[str] = field(default_factory=list)  # said in every output; name no authority
    detail_notes: list[str] = field(default_factory=list)  # name authorities: not anonymised
    anonymised: bool = False
    quads_example: bool = False  # the Quads are the bundled example membership

    @property
    def cycle(self) -> str:
        return ", ".join(sorted(self.cycles)) or "unknown cycle"

    @property
    def national(self) -> dict[str, Spread]:
        """Indicator id -> national spread."""
        return {item.id: item.national for item in self.indicators}

    @property
    def by_family_group(self) -> dict[int, dict[str, Spread]]:
        """Family group -> indicator id -> spread."""
        return {g: {item.id: item.by_family_group[g] for item in self.indicators}
                for g in FAMILY_GROUPS}

    @property
    def quads(self) -> list[str]:
        return sorted({row.quad for row in self.rows if row.quad})

    @property
    def items(self) -> list[ItemSummary]:
        return [*([self.overall] if self.overall else []), *self.categories, *self.indicators]

    @property
    def all_notes(self) -> list[str]:
        return self.notes if self.anonymised else [*self.notes, *self.detail_notes]

    def missing_by_family_group(self) -> dict[int, int]:
        return {g: sum(a.family_group == g for a in self.missing) for g in FAMILY_GROUPS}

    def missing_text(self) -> str:
        """Who sent no return: names, or (anonymised) counts per family group."""
        if not self.missing:
            return "none"
        if self.anonymised:
            counts = self.missing_by_family_group()
            return f"{plural(len(self.missing), 'authority', 'authorities')} (" + ", ".join(
                f"family group {g}: {n}" for g, n in counts.items() if n) + ")"
        return ", ".join(a.name for a in self.missing)

    def anonymised_copy(self) -> NationalOverview:
        """The same picture with authorities shown only by family group and Quad.

        Labels are numbered within each Quad (or family group) by overall score, so their order
        says nothing about names; codes, file paths and notes naming authorities are dropped.
        """
        if self.anonymised:
            return self
        groups: dict[str, list[NationalRow]] = {}
        for row in self.rows:
            group = row.quad or (f"Family group {row.family_group}" if row.family_group
                                 else "Other")
            groups.setdefault(group, []).append(row)
        rows = []
        for group, members in groups.items():
            members.sort(key=lambda r: (-(r.scores.overall.value or 0.0),
                                        hashlib.sha256(r.key.encode()).hexdigest()))
            for n, row in enumerate(members, start=1):
                label = f"{group}: authority {n}"
                rows.append(NationalRow(
                    label, "", row.family_group, row.quad,
                    dataclasses.replace(row.scores, authority=label, authority_code="",
                                        path=""),
                    dataclasses.replace(row.previous, authority=label, authority_code="",
                                        path="") if row.previous else None, label))
        copy = dataclasses.replace(self, rows=_sorted(rows), anonymised=True, detail_notes=[],
                                   cycles={c: [""] * len(v) for c, v in self.cycles.items()})
        _summarise(copy)
        return copy

    def to_dict(self) -> dict[str, Any]:
        fw = self.framework
        return {
            "framework": {"id": fw.id, "version": fw.version, "title": fw.title},
            "cycle": self.cycle, "cycles": {c: len(v) for c, v in self.cycles.items()},
            "previous_cycle": self.previous_cycle,
            "generated_at": self.generated_at.isoformat(),
            "anonymised": self.anonymised,
            "returns": len(self.rows),
            "missing": ({"count": len(self.missing), "family_groups": {
                str(g): n for g, n in self.missing_by_family_group().items()}}
                if self.anonymised else [{"code": a.code, "name": a.name} for a in self.missing]),
            "authorities": [{"key": r.key, "name": r.authority, "code": r.code or None,
                             "family_group": r.family_group, "quad": r.quad,
                             "completion": round(r.scores.completion, 4),
                             "has_previous": r.previous is not None} for r in self.rows],
            "quads": self.quads,
            "quads_example": self.quads_example,
            "overall": self.overall.to_dict() if self.overall else None,
            "key_areas": [item.to_dict() for item in self.categories],
            "indicators": [item.to_dict() for item in self.indicators],
            "trend": [point.to_dict() for point in self.trend],
            "notes": self.all_notes,
        }


@dataclass(slots=True)
class NationalResult:
    overview: NationalOverview | None
    report: Report


def _routine(note: str) -> bool:
    """A migration note with nothing to review and nothing left over."""
    return "(0 to review), 0 kept" in note


def _sorted(rows: list[NationalRow]) -> list[NationalRow]:
    return sorted(rows, key=lambda r: (r.family_group or 9, r.quad or "~", r.authority))


def _summary(kind: Kind, item_id: str, title: str, parent: str | None,
             rows: list[NationalRow], with_previous: bool) -> ItemSummary:
    unrounded: dict[str, float] = {}
    values: dict[str, float | None] = {}
    previous: dict[str, float | None] = {}
    earlier: list[float] = []
    for row in rows:
        score = row.score(kind, item_id)
        values[row.key] = score.rounded if score else None
        if score and score.value is not None:
            unrounded[row.key] = score.value
        before = row.score(kind, item_id, previous=True)
        previous[row.key] = before.rounded if before else None
        if before and before.value is not None:
            earlier.append(before.value)

    def spread(members: Iterable[NationalRow]) -> Spread:
        return Spread.of([unrounded[r.key] for r in members if r.key in unrounded])

    quads = sorted({r.quad for r in rows if r.quad})
    return ItemSummary(
        kind, item_id, title, parent, spread(rows),
        {g: spread(r for r in rows if r.family_group == g) for g in FAMILY_GROUPS},
        {q: spread(r for r in rows if r.quad == q) for q in quads},
        values, previous, Spread.of(earlier) if with_previous else None)


def _summarise(overview: NationalOverview) -> None:
    """(Re)compute every item's summary from the rows."""
    fw, rows = overview.framework, overview.rows
    with_previous = overview.previous_cycle is not None
    overview.overall = _summary("overall", "overall", "Overall", None, rows, with_previous)
    overview.categories = [_summary("category", c.id, c.title, None, rows, with_previous)
                           for c in fw.categories]
    overview.indicators = [_summary("indicator", i.id, i.title, c.id, rows, with_previous)
                           for c in fw.categories for i in c.indicators]


def national_overview(results: Iterable[ReadResult], quads: QuadsResult | None = None, *,
                      generated_at: dt.datetime | None = None,
                      allow_mixed_cycles: bool = False, cycle: str | None = None,
                      previous: PreviousCycle | None = None,
                      earlier: Sequence[TrendPoint] = ()) -> NationalResult:
    """Score every return and summarise each indicator, key area and the overall score.

    Returns of another cycle than ``cycle`` (default: the first return's) are refused, or with
    ``allow_mixed_cycles`` included with a warning that the overview repeats. ``previous``
    gives each authority's scores in the previous cycle (keyed as the history keys returns:
    authority code, else name); ``earlier`` the national spread of earlier cycles, for the
    trend. ``results`` may be a stream: only each return's scores are kept, not its texts.
    """
    report = Report()
    overview: NationalOverview | None = None
    first: tuple[str, str, str] | None = None
    first_cycle: tuple[str, str] | None = (cycle, "--cycle") if cycle else None
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
        history_key = response.authority_code or response.authority
        overview.rows.append(NationalRow(
            authority.name if authority else response.authority, code,
            authority.family_group if authority else None, quad.name if quad else None,
            score_response(response, overview.framework),
            previous.scores.get(history_key) if previous else None, code))
    if overview is None or not report.valid:
        return NationalResult(None, report)
    overview.rows = _sorted(overview.rows)
    overview.quads_example = bool(quads and quads.example)
    if previous is not None:
        overview.previous_cycle = previous.cycle
        found = sum(row.previous is not None for row in overview.rows)
        total = plural(len(overview.rows), "authority", "authorities")
        overview.notes.append(f"Change since {previous.cycle}: a return of that cycle was found "
                              f"for {found} of {total}.")
        migrated = [n for n in previous.notes[:-1] if " -> " in n]
        if migrated:
            overview.notes.append(f"Change since {previous.cycle}: {len(migrated)} of those "
                                  "returns were on another framework version and are read on "
                                  "this one through its version mappings.")
        overview.detail_notes.extend(n for n in previous.notes[:-1] if not _routine(n))
    _summarise(overview)
    overview.trend = [*earlier, trend_point(overview.cycle, [r.scores for r in overview.rows],
                                            overview.framework)]
    if len(overview.cycles) > 1:
        overview.notes.append("Returns of different cycles are included: " + "; ".join(
            f"{cycle or 'no cycle'}: {len(codes)} return{'' if len(codes) == 1 else 's'}"
            for cycle, codes in sorted(overview.cycles.items()))
            + ". Levels from different years may not be comparable.")
    if overview.quads_example:
        overview.notes.append("Quads are the bundled example membership, not the real Quads: "
                              "pass --quads-file for the real ones.")
    present = {row.code for row in overview.rows}
    overview.missing = [a for a in all_authorities() if a.code not in present]
    return NationalResult(overview, report)
