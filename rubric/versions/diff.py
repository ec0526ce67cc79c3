"""Two versions of a framework -> every change, with what it breaks and how big it is.

Items are matched by id, then by the new item's aliases, then by explicit mappings. Each change
says whether a workbook made from the old version still validates against the new one (input
impact), whether scores stay comparable (output impact), and its severity, from which the
smallest acceptable version bump follows (as buf and oasdiff do for schemas). Rewording text at
an unchanged level is semantic drift: it is flagged until the editor acknowledges it in the new
version's changelog entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from rubric.framework.load import LoadResult
from rubric.framework.model import Framework
from rubric.framework.yamlsource import SourceMap

Severity = Literal["major", "minor", "patch"]
Bump = Literal["major", "minor", "patch", "none", "downgrade"]
RANK = {"none": 0, "patch": 1, "minor": 2, "major": 3}


@dataclass(frozen=True, slots=True)
class Change:
    kind: str
    item_kind: str  # framework, scale, scoring, category, indicator, theme, measure
    old_id: str | None
    new_id: str | None
    detail: str
    severity: Severity
    input_breaks: bool  # would a workbook made from OLD fail to validate against NEW?
    output_comparable: bool  # are scores of the item still comparable across the versions?
    drift: bool = False  # same level, new words: does it still mean the same?
    acknowledged: bool = False
    old_location: str = ""
    new_location: str = ""

    @property
    def item(self) -> str:
        if self.old_id and self.new_id and self.old_id != self.new_id:
            return f"{self.old_id} -> {self.new_id}"
        return self.new_id or self.old_id or self.item_kind

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "item_kind": self.item_kind, "old_id": self.old_id,
            "new_id": self.new_id, "detail": self.detail, "severity": self.severity,
            "input_impact": {"breaks": self.input_breaks,
                             "note": "old workbooks need 'rubric migrate'" if self.input_breaks
                             else "old workbooks still validate"},
            "output_impact": {"comparable": self.output_comparable,
                              "note": "scores are comparable" if self.output_comparable
                              else "scores are not comparable across the versions"},
            "semantic_drift": self.drift, "acknowledged": self.acknowledged,
            "location": {"old": self.old_location, "new": self.new_location},
        }


@dataclass(slots=True)
class FrameworkDiff:
    old: Framework
    new: Framework
    changes: list[Change] = field(default_factory=list)

    @property
    def required_bump(self) -> Bump:
        if not self.changes:
            return "none"
        return max((c.severity for c in self.changes), key=RANK.__getitem__)

    @property
    def actual_bump(self) -> Bump:
        return version_bump(self.old.version, self.new.version)

    @property
    def unacknowledged_drift(self) -> list[Change]:
        return [c for c in self.changes if c.drift and not c.acknowledged]

    @property
    def bump_ok(self) -> bool:
        actual = self.actual_bump
        if actual == "downgrade":
            return False
        return RANK[actual] >= RANK[self.required_bump] and (actual != "none" or not self.changes)

    @property
    def ok(self) -> bool:
        return self.bump_ok and not self.unacknowledged_drift

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": {"id": self.old.id, "version": self.old.version},
            "new": {"id": self.new.id, "version": self.new.version},
            "required_bump": self.required_bump,
            "actual_bump": self.actual_bump,
            "ok": self.ok,
            "unacknowledged_drift": [c.item for c in self.unacknowledged_drift],
            "changes": [c.to_dict() for c in self.changes],
        }


_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)")


def version_bump(old: str, new: str) -> Bump:
    a, b = _SEMVER.match(old), _SEMVER.match(new)
    if not a or not b:
        return "none" if old == new else "major"
    old_parts = tuple(int(x) for x in a.groups())
    new_parts = tuple(int(x) for x in b.groups())
    if new_parts < old_parts:
        return "downgrade"
    if new_parts[0] > old_parts[0]:
        return "major"
    if new_parts[1] > old_parts[1]:
        return "minor"
    if new_parts[2] > old_parts[2]:
        return "patch"
    return "none"


_GRADING_WORDS = {"themes": "its themes", "indicator": "the indicator as a whole",
                  "both": "its themes and the indicator"}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()) == " ".join(b.split())
    return a == b


class _Differ:
    def __init__(self, old: LoadResult, new: LoadResult) -> None:
        assert old.framework is not None and new.framework is not None
        self.old, self.new = old.framework, new.framework
        self.old_source = old.source or SourceMap(old.path)
        self.new_source = new.source or SourceMap(new.path)
        acknowledged: set[str] = set()
        for entry in self.new.changelog:
            if entry.version == self.new.version:
                acknowledged |= set(entry.acknowledged)
        self.acknowledged = acknowledged
        self.changes: list[Change] = []

    def where(self, source: SourceMap, path: tuple[Any, ...]) -> str:
        return str(source.locate(path))

    def add(self, kind: str, item_kind: str, old_id: str | None, new_id: str | None,
            detail: str, severity: Severity, *, breaks: bool, comparable: bool,
            drift: bool = False, old_path: tuple[Any, ...] | None = None,
            new_path: tuple[Any, ...] | None = None, ack_key: str | None = None) -> None:
        self.changes.append(Change(
            kind, item_kind, old_id, new_id, detail, severity, breaks, comparable, drift,
            drift and (ack_key or new_id or old_id or "") in self.acknowledged,
            self.where(self.old_source, old_path) if old_path is not None else "",
            self.where(self.new_source, new_path) if new_path is not None else ""))

    def run(self) -> list[Change]:
        self._metadata()
        self._scale()
        self._scoring()
        self._items()
        return self.changes

    # --- framework-wide ------------------------------------------------------------------

    def _metadata(self) -> None:
        for name in ("title", "description", "publisher", "status"):
            before, after = getattr(self.old, name), getattr(self.new, name)
            if not _same(before, after):
                self.add("metadata-changed", "framework", None, None,
                         f"{name} changed", "patch", breaks=False, comparable=True,
                         old_path=(name,), new_path=(name,))

    def _scale(self) -> None:
        old, new = self.old.scale, self.new.scale
        if set(old.by_value) != set(new.by_value):
            gone = sorted(set(old.by_value) - set(new.by_value))
            added = sorted(set(new.by_value) - set(old.by_value))
            self.add("levels-changed", "scale", None, None,
                     f"level values removed {gone or 'none'}, added {added or 'none'}",
                     "major", breaks=True, comparable=False, old_path=("scale", "levels"),
                     new_path=("scale", "levels"))
        for n, level in enumerate(new.levels):
            before = old.by_value.get(level.value)
            if before is None:
                continue
            path = ("scale", "levels", n)
            key = f"scale:{level.value}"
            if not _same(before.label, level.label):
                self.add("level-relabelled", "scale", key, key,
                         f"level {level.value}: {before.label!r} -> {level.label!r}", "minor",
                         breaks=True, comparable=True, drift=True, new_path=(*path, "label"))
            if not _same(before.meaning, level.meaning):
                self.add("level-reworded", "scale", key, key,
                         f"the meaning of level {level.value} was reworded", "minor",
                         breaks=False, comparable=True, drift=True,
                         new_path=(*path, "meaning"))
        for name in ("not_applicable", "not_evaluated"):
            before, after = getattr(old, name), getattr(new, name)
            if before.scoring != after.scoring:
                self.add("special-answer-changed", "scale", name, name,
                         f"{after.label!r} now scores as {after.scoring!r} (was "
                         f"{before.scoring!r})", "major", breaks=False, comparable=False,
                         new_path=("scale", name, "scoring"))
            if not _same(before.label, after.label):
                self.add("special-answer-changed", "scale", name, name,
                         f"label {before.label!r} -> {after.label!r}", "minor", breaks=True,
                         comparable=True, new_path=("scale", name, "label"))

    def _scoring(self) -> None:
        old, new = self.old.scoring, self.new.scoring
        for name in type(new).model_fields:
            if getattr(old, name) != getattr(new, name):
                self.add("scoring-changed", "scoring", None, None,
                         f"{name}: {getattr(old, name)!r} -> {getattr(new, name)!r}", "major",
                         breaks=False, comparable=False, new_path=("scoring", name))

    # --- items ---------------------------------------------------------------------------

    def _items(self) -> None:
        old_items = {(k, item.id): (path, item, parent) for k, path, item, parent
                     in self.old.walk()}
        matched_old: set[tuple[str, str]] = set()
        pairs = []
        for kind, path, item, parent in self.new.walk():
            found = None
            if (kind, item.id) in old_items:
                found = (kind, item.id)
            else:
                found = next(((kind, alias) for alias in item.aliases
                              if (kind, alias) in old_items
                              and (kind, alias) not in matched_old), None)
            if found is None:
                pairs.append((kind, None, (path, item, parent)))
                continue
            matched_old.add(found)
            pairs.append((kind, old_items[found], (path, item, parent)))
        mapped = {m.old: m for m in self.new.mappings}
        retired = {t.id: t for t in self.new.retired}
        for kind, old_entry, (path, item, parent) in pairs:
            if old_entry is None:
                breaks = kind in {"theme", "measure"}
                self.add("added", kind, None, item.id, f"{kind} {item.id} {item.title!r} "
                         "added", "minor", breaks=breaks, comparable=kind == "measure",
                         new_path=(*path, "id"))
            else:
                self._compare(kind, old_entry, (path, item, parent))
        for (kind, item_id), (path, item, _) in old_items.items():
            if (kind, item_id) in matched_old:
                continue
            mapping, tomb = mapped.get(item_id), retired.get(item_id)
            if mapping is not None:
                self.add("mapped", kind, item_id, ", ".join(mapping.new),
                         f"{kind} {item_id} maps to {', '.join(mapping.new)} "
                         f"({mapping.relation})", "minor", breaks=True,
                         comparable=mapping.relation == "equal", old_path=(*path, "id"))
            else:
                how = (f"retired (replaced by {', '.join(tomb.replaced_by) or 'nothing'})"
                       if tomb else "removed without an alias, mapping or tombstone")
                self.add("removed", kind, item_id, None, f"{kind} {item_id} {item.title!r} "
                         f"{how}", "major", breaks=True, comparable=False,
                         old_path=(*path, "id"))
        for mapping in self.new.mappings:
            if (mapping.relation != "equal" and any(
                    (k, mapping.old) in matched_old for k in ("indicator", "theme", "category",
                                                              "measure"))):
                self.add("scope-changed", "indicator", mapping.old, ", ".join(mapping.new),
                         f"{mapping.old} is now {', '.join(mapping.new)} ({mapping.relation} "
                         f"of the old scope){': ' + mapping.note if mapping.note else ''}",
                         "minor", breaks=False, comparable=False)

    def _compare(self, kind: str, old_entry: tuple[Any, Any, Any],
                 new_entry: tuple[Any, Any, Any]) -> None:
        old_path, before, old_parent = old_entry
        new_path, after, new_parent = new_entry
        ids = (before.id, after.id)
        if before.id != after.id:
            self.add("renamed", kind, *ids, f"{kind} id {before.id} -> {after.id} (alias)",
                     "minor", breaks=True, comparable=True, old_path=(*old_path, "id"),
                     new_path=(*new_path, "id"))
        if old_parent != new_parent:
            self.add("moved", kind, *ids, f"moved from {old_parent} to {new_parent}", "minor",
                     breaks=False, comparable=kind != "theme",
                     new_path=(*new_path, "id"))
        if not _same(before.title, after.title):
            self.add("retitled", kind, *ids, f"{before.title!r} -> {after.title!r}", "minor",
                     breaks=False, comparable=True, drift=True, new_path=(*new_path, "title"))
        if not _same(getattr(before, "description", None), getattr(after, "description", None)):
            self.add("guidance-changed", kind, *ids, "description changed", "patch",
                     breaks=False, comparable=True, new_path=(*new_path, "description"))
        for name in ("challenge_questions", "features"):
            if hasattr(after, name) and not _same(getattr(before, name), getattr(after, name)):
                self.add("guidance-changed", kind, *ids, f"{name.replace('_', ' ')} changed",
                         "patch", breaks=False, comparable=True, new_path=(*new_path, name))
        if kind == "indicator":
            self._grading(before, after, new_path)
        if kind == "category" and before.overall_judgement != after.overall_judgement:
            now = "is now" if after.overall_judgement else "is no longer"
            self.add("overall-judgement-changed", kind, *ids, f"key area {after.id} {now} an "
                     "overall judgement reported on its own (the overall score changes)",
                     "major", breaks=False, comparable=False,
                     new_path=(*new_path, "overall_judgement" if after.overall_judgement
                               else "id"))
        if hasattr(after, "weight") and before.weight != after.weight:
            self.add("weight-changed", kind, *ids, f"weight {before.weight:g} -> "
                     f"{after.weight:g}", "major", breaks=False, comparable=False,
                     new_path=(*new_path, "weight"))
        if kind == "theme":
            self._illustrations(before, after, old_path, new_path)
            if tuple(before.measures) != tuple(after.measures):
                self.add("measures-linked", kind, *ids, f"linked measures {list(before.measures)}"
                         f" -> {list(after.measures)}", "minor", breaks=False, comparable=True,
                         new_path=(*new_path, "measures"))
        if kind == "measure":
            for name in ("unit", "higher_is_better"):
                if getattr(before, name) != getattr(after, name):
                    self.add("measure-changed", kind, *ids, f"{name}: {getattr(before, name)!r}"
                             f" -> {getattr(after, name)!r}", "major", breaks=False,
                             comparable=False, new_path=(*new_path, name))

    def _grading(self, before: Any, after: Any, new_path: tuple[Any, ...]) -> None:
        """What is graded changed (themes, the indicator, or both): old workbooks ask for
        other answers and the indicator's score means something else."""
        was, now = self.old.grading_of(before), self.new.grading_of(after)
        if was != now:
            self.add("grading-changed", "indicator", before.id, after.id,
                     f"what is graded: {_GRADING_WORDS[was]} -> {_GRADING_WORDS[now]}",
                     "major", breaks=True, comparable=False,
                     new_path=(*new_path, "grading") if after.grading else ("grading",))

    def _illustrations(self, before: Any, after: Any, old_path: tuple[Any, ...],
                       new_path: tuple[Any, ...]) -> None:
        ids = (before.id, after.id)
        for level in sorted(set(before.illustrations) | set(after.illustrations)):
            was, now = before.illustrations.get(level), after.illustrations.get(level)
            if was is None:
                self.add("illustration-added", "theme", *ids, f"level {level} illustrated",
                         "minor", breaks=False, comparable=True,
                         new_path=(*new_path, "illustrations", level))
            elif now is None:
                self.add("illustration-removed", "theme", *ids, f"level {level} illustration "
                         "removed", "minor", breaks=False, comparable=True,
                         old_path=(*old_path, "illustrations", level))
            elif not _same(was, now):
                self.add("reworded", "theme", *ids, f"level {level} illustration reworded at "
                         "the same level", "minor", breaks=False, comparable=True, drift=True,
                         old_path=(*old_path, "illustrations", level),
                         new_path=(*new_path, "illustrations", level))


def diff_frameworks(old: LoadResult, new: LoadResult) -> FrameworkDiff:
    """Every change from ``old`` to ``new`` (both loaded and valid)."""
    assert old.framework is not None and new.framework is not None
    return FrameworkDiff(old.framework, new.framework, _Differ(old, new).run())


def changelog_markdown(diff: FrameworkDiff) -> str:
    """A readable changelog of ``diff``, grouped by severity, drift called out."""
    old, new = diff.old, diff.new
    lines = [f"# {new.title}: {old.version} -> {new.version}", "",
             f"Changes require a **{diff.required_bump}** version bump; this is a "
             f"**{diff.actual_bump}** bump ({'ok' if diff.bump_ok else 'NOT ENOUGH'}).", ""]
    titles = {"major": "Major (breaks comparability or old answers)",
              "minor": "Minor (additions, renames, rewording)", "patch": "Patch (guidance text)"}
    for severity in ("major", "minor", "patch"):
        group = [c for c in diff.changes if c.severity == severity]
        if not group:
            continue
        lines += [f"## {titles[severity]}", ""]
        for change in group:
            impacts = []
            if change.input_breaks:
                impacts.append("old workbooks need migrating")
            if not change.output_comparable:
                impacts.append("scores not comparable")
            if change.drift:
                impacts.append("semantic drift" + (" (acknowledged)" if change.acknowledged
                                                   else " - to acknowledge"))
            suffix = f" _({'; '.join(impacts)})_" if impacts else ""
            lines.append(f"- **{change.kind}** `{change.item}`: {change.detail}{suffix}")
        lines.append("")
    if not diff.changes:
        lines += ["No changes.", ""]
    return "\n".join(lines)
