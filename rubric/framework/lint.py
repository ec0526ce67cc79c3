"""Checks beyond the schema: what an editor trips over when a framework is read as a whole.

Each check is a generator of problems, so adding one is adding a function to ``CHECKS``. Checks
receive the validated model and the source map, and locate problems by the model path they walk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from rubric.framework.model import SEMVER_PATTERN, Framework
from rubric.framework.yamlsource import Path, SourceMap
from rubric.problems import Problem, problem

SEMVER = re.compile(SEMVER_PATTERN)
EXCEL_CELL_LIMIT = 32_767
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

Check = Callable[[Framework, SourceMap], Iterator[Problem]]


def _walk(framework: Framework) -> Iterator[tuple[str, Path, Any]]:
    """Every identified item with its kind and model path, in document order."""
    for kind, path, item, _ in framework.walk():
        yield kind, path, item


def check_version(framework: Framework, source: SourceMap) -> Iterator[Problem]:
    if not SEMVER.match(framework.version):
        yield problem("version-invalid", source.locate(("version",)), value=framework.version)
    for n, entry in enumerate(framework.changelog):
        if not SEMVER.match(entry.version):
            yield problem("version-invalid", source.locate(("changelog", n, "version")),
                          value=entry.version)
    if framework.changelog and framework.version not in {e.version for e in framework.changelog}:
        yield problem("changelog-version-missing", source.locate(("changelog",)),
                      version=framework.version)


def check_scale(framework: Framework, source: SourceMap) -> Iterator[Problem]:
    scale = framework.scale
    if len(scale.levels) < 2:
        yield problem("scale-too-short", source.locate(("scale", "levels")),
                      count=len(scale.levels))
    values: set[int] = set()
    labels: set[str] = set()
    named = [(("scale", "levels", n, "label"), level.label, level.value)
             for n, level in enumerate(scale.levels)]
    named += [(("scale", "not_applicable", "label"), scale.not_applicable.label, None),
              (("scale", "not_evaluated", "label"), scale.not_evaluated.label, None)]
    for path, label, value in named:
        if value is not None:
            if value in values:
                yield problem("scale-duplicate-value", source.locate((*path[:-1], "value")),
                              value=value)
            values.add(value)
        folded = " ".join(label.split()).casefold()
        if folded in labels:
            yield problem("scale-duplicate-label", source.locate(path), label=label)
        labels.add(folded)
    for n, level in enumerate(scale.required_illustrations):
        if level not in scale.by_value:
            yield problem("illustration-unknown-level",
                          source.locate(("scale", "required_illustrations", n)),
                          id="scale", level=level, levels=_levels(framework))


def _levels(framework: Framework) -> str:
    return ", ".join(str(level.value) for level in framework.scale.ascending)


def check_ids(framework: Framework, source: SourceMap) -> Iterator[Problem]:
    first: dict[str, tuple[str, int]] = {}
    for kind, path, item in _walk(framework):
        line = source.locate((*path, "id")).line or 0
        if item.id in first:
            seen_kind, seen_line = first[item.id]
            yield problem("duplicate-id", source.locate((*path, "id")), id=item.id,
                          first=seen_kind, first_line=seen_line)
        else:
            first[item.id] = (kind, line)
    for c, category in enumerate(framework.categories):
        for i, indicator in enumerate(category.indicators):
            ipath = ("categories", c, "indicators", i)
            if _numbered(category.id) and not indicator.id.startswith(category.id + "."):
                yield problem("indicator-id-prefix", source.locate((*ipath, "id")),
                              id=indicator.id, parent=category.id)
            for t, theme in enumerate(indicator.themes):
                if not theme.id.startswith(indicator.id + "."):
                    yield problem("theme-id-prefix",
                                  source.locate((*ipath, "themes", t, "id")),
                                  id=theme.id, parent=indicator.id)


def _numbered(category_id: str) -> bool:
    """Numbered key areas ('2') prefix their indicators; named categories ('leadership') don't."""
    return category_id.replace(".", "").isdigit()


def check_structure(framework: Framework, source: SourceMap) -> Iterator[Problem]:
    for kind, path, item in _walk(framework):
        if kind == "category" and not item.indicators:
            yield problem("category-without-indicators", source.locate(path), id=item.id)
        if kind == "indicator":
            if not item.themes:
                yield problem("indicator-without-themes", source.locate(path), id=item.id)
            asked = item.challenge_questions or any(t.challenge_questions for t in item.themes)
            if not asked:
                yield problem("challenge-questions-missing", source.locate(path), id=item.id)
        weight = getattr(item, "weight", 1.0)
        if weight <= 0:
            yield problem("weight-not-positive", source.locate((*path, "weight")), id=item.id,
                          value=weight)


def check_grading(framework: Framework, source: SourceMap) -> Iterator[Problem]:
    """An overall judgement is one whole-number judgement: a key area holding exactly one
    indicator, judged as a whole. Anything else would report an average as a judgement."""
    for c, category in enumerate(framework.categories):
        if not category.overall_judgement:
            continue
        where = source.locate(("categories", c, "overall_judgement"))
        if len(category.indicators) != 1:
            yield problem("overall-judgement-shape", where, id=category.id,
                          reason=f"it holds {len(category.indicators)} indicators, not one")
        elif not framework.judges(category.indicators[0]):
            yield problem("overall-judgement-shape", where, id=category.id,
                          reason=f"its indicator {category.indicators[0].id} is graded by its "
                          "themes, so its score would be an average")


def check_titles(framework: Framework, source: SourceMap) -> Iterator[Problem]:
    seen: dict[tuple[str, str], str] = {}
    for kind, path, item in _walk(framework):
        key = (kind, " ".join(item.title.split()).casefold())
        if key in seen:
            yield problem("duplicate-title", source.locate((*path, "title")), title=item.title,
                          first=seen[key])
        else:
            seen[key] = item.id


def check_illustrations(framework: Framework, source: SourceMap) -> Iterator[Problem]:
    scale = framework.scale
    for kind, path, item in _walk(framework):
        if kind != "theme":
            continue
        for level in item.illustrations:
            if level not in scale.by_value:
                yield problem("illustration-unknown-level",
                              source.locate((*path, "illustrations", level), key=True),
                              id=item.id, level=level, levels=_levels(framework))
        for level in scale.required_illustrations:
            if level in scale.by_value and level not in item.illustrations:
                yield problem("illustration-missing",
                              source.locate((*path, "illustrations"), key=True),
                              id=item.id, level=level)


def check_measures(framework: Framework, source: SourceMap) -> Iterator[Problem]:
    indicators = framework.indicator_index
    for m, measure in enumerate(framework.measures):
        if measure.indicator not in indicators:
            yield problem("measure-indicator-unknown",
                          source.locate(("measures", m, "indicator")),
                          id=measure.id, indicator=measure.indicator)
    for kind, path, item in _walk(framework):
        if kind != "theme":
            continue
        for n, measure_id in enumerate(item.measures):
            if measure_id not in framework.measure_index:
                yield problem("measure-unknown", source.locate((*path, "measures", n)),
                              id=item.id, measure=measure_id)


def check_versions(framework: Framework, source: SourceMap) -> Iterator[Problem]:
    """Aliases, tombstones and mappings must point the right way and never collide."""
    current = {item.id for _, _, item in _walk(framework)}
    aliases: dict[str, str] = {}
    for _, path, item in _walk(framework):
        for n, alias in enumerate(item.aliases):
            where = source.locate((*path, "aliases", n))
            if alias in current:
                yield problem("alias-clash", where, alias=alias, id=item.id,
                              what="a current id")
            elif alias in aliases:
                yield problem("alias-clash", where, alias=alias, id=item.id,
                              what=f"also an alias of {aliases[alias]!r}")
            aliases[alias] = item.id
    for n, tomb in enumerate(framework.retired):
        if tomb.id in current:
            yield problem("retired-id-in-use", source.locate(("retired", n, "id")), id=tomb.id,
                          since=tomb.since)
        for m, ref in enumerate(tomb.replaced_by):
            if ref not in current:
                yield problem("reference-unknown", source.locate(("retired", n, "replaced_by",
                                                                   m)),
                              what=f"retired {tomb.id!r}", ref=ref)
        if not SEMVER.match(tomb.since):
            yield problem("version-invalid", source.locate(("retired", n, "since")),
                          value=tomb.since)
    for n, mapping in enumerate(framework.mappings):
        for m, ref in enumerate(mapping.new):
            if ref not in current:
                yield problem("reference-unknown", source.locate(("mappings", n, "new", m)),
                              what=f"the mapping of {mapping.old!r}", ref=ref)
        if not SEMVER.match(mapping.from_version):
            yield problem("version-invalid", source.locate(("mappings", n, "from_version")),
                          value=mapping.from_version)


def _texts(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))


def check_text(framework: Framework, source: SourceMap) -> Iterator[Problem]:
    for path, text in _texts(framework.model_dump(), ()):
        if len(text) > EXCEL_CELL_LIMIT:
            yield problem("text-too-long", source.locate(path), length=len(text),
                          limit=EXCEL_CELL_LIMIT)
        found = sorted({f"U+{ord(ch):04X}" for ch in _CONTROL.findall(text)})
        if found:
            yield problem("control-characters", source.locate(path), chars=", ".join(found))


CHECKS: tuple[Check, ...] = (
    check_version,
    check_scale,
    check_ids,
    check_structure,
    check_grading,
    check_titles,
    check_illustrations,
    check_measures,
    check_versions,
    check_text,
)


def lint_framework(framework: Framework, source: SourceMap | None = None) -> list[Problem]:
    """Run every check over a schema-valid framework."""
    source = source or SourceMap("<framework>")
    return [item for check in CHECKS for item in check(framework, source)]
