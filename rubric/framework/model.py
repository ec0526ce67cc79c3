"""The framework model: immutable pydantic types that every later stage is generated from.

The models are strict: YAML's guesses (``No`` as false, ``1.10`` as 1.1) are refused rather than
coerced, because a silently changed id or label would travel into every workbook. Checks that need
the whole framework (unique ids, references, prefixes) live in :mod:`rubric.framework.lint`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from functools import cached_property
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

ID_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38}[A-Za-z0-9])?$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Semantic versioning 2.0.0. Shown to editors by the JSON Schema; the loader leaves a bad version
# to lint ('version-invalid'), whose message says how to write one.
SEMVER_PATTERN = (r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                  r"(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$")

T = TypeVar("T")


def _list_as_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


# YAML gives lists; the models keep tuples so a loaded framework cannot be changed in place.
Seq = Annotated[tuple[T, ...], BeforeValidator(_list_as_tuple)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)]
Weight = Annotated[float, Field(allow_inf_nan=False, json_schema_extra={"exclusiveMinimum": 0})]
Aggregation = Literal["mean", "median", "minimum", "weighted_mean"]
SpecialPolicy = Literal["exclude", "unanswered", "lowest"]
# What an authority grades for an indicator: its themes (the indicator's score is their
# aggregate), the indicator itself (one whole-number judgement; themes give the evidence), or
# both (themes graded and the indicator judged; the judgement is the indicator's score).
Grading = Literal["themes", "indicator", "both"]
Version = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1),
                    Field(json_schema_extra={"pattern": SEMVER_PATTERN})]


class StrictModel(BaseModel):
    """Strict, frozen, no unknown fields: the base of every YAML-backed model."""

    # Each field's docstring becomes its description in the JSON Schema (an editor's hover help):
    # rubric.framework.schema reads them when a schema is asked for. (pydantic's
    # use_attribute_docstrings would read this file's source at import, on every start-up.)
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, defer_build=True)


class Level(StrictModel):
    """One point of the scale: its value (higher is better), label and one-line meaning."""

    value: int
    """The level's number: higher is better. Scores are computed from these numbers."""
    label: Text
    """The level's name as the dropdown shows it after the number, e.g. 'Very good'."""
    meaning: Text
    """One line saying what the level means, shown in the workbook's instructions."""


class SpecialAnswer(StrictModel):
    """An answer that is not a level, with the framework's stated effect on scoring.

    ``exclude``: the theme leaves the score and the completion count altogether;
    ``unanswered``: the theme counts as a gap (lowers completion, no level);
    ``lowest``: the theme is scored as the lowest level of the scale.
    """

    label: Text
    """The answer as the dropdown shows it, e.g. 'Not applicable'."""
    meaning: Text | None = None
    """When to choose it, shown in the workbook's instructions."""
    scoring: SpecialPolicy
    """How it counts: 'exclude' (left out of scores and completion), 'unanswered' (a gap) or
    'lowest' (scored as the lowest level)."""


def _not_applicable() -> SpecialAnswer:
    return SpecialAnswer(
        label="Not applicable",
        meaning="The theme does not apply to this authority's context.",
        scoring="exclude",
    )


def _not_evaluated() -> SpecialAnswer:
    return SpecialAnswer(
        label="Not yet evaluated",
        meaning="The theme applies but has not been evaluated in this cycle.",
        scoring="unanswered",
    )


class Scale(StrictModel):
    """The levels an authority chooses from, and the two answers that are not levels."""

    levels: Seq[Level]
    """Every level of the scale, usually from the highest down (six for the Scottish scale)."""
    not_applicable: SpecialAnswer = Field(default_factory=_not_applicable)
    """The answer for something that does not apply to an authority, and how it scores."""
    not_evaluated: SpecialAnswer = Field(default_factory=_not_evaluated)
    """The answer for something that applies but was not evaluated this cycle."""
    required_illustrations: Seq[int] = ()
    """Levels every theme must illustrate (lint checks), e.g. [5, 2] for 'very good' and
    'weak'."""

    @cached_property
    def ascending(self) -> tuple[Level, ...]:
        return tuple(sorted(self.levels, key=lambda level: level.value))

    @cached_property
    def by_value(self) -> dict[int, Level]:
        return {level.value: level for level in self.levels}

    @property
    def lowest(self) -> Level:
        return self.ascending[0]

    @property
    def highest(self) -> Level:
        return self.ascending[-1]


class Theme(StrictModel):
    """One aspect of an indicator: graded, or evidence for the indicator's judgement."""

    id: Id
    """Stable id, numbered inside its indicator (e.g. '2.1.3'); never reuse a retired one."""
    aliases: Seq[Id] = ()  # former ids: answers under them carry over
    """Former ids of this theme: answers given under them carry over when migrating."""
    title: Text
    """The theme's title as the workbook shows it."""
    description: Text | None = None
    """Optional guidance shown above the illustrations."""
    illustrations: dict[int, Text] = Field(default_factory=dict)
    """What practice looks like at a level, keyed by level value (e.g. 5 and 2)."""
    challenge_questions: Seq[Text] = ()
    """Questions to ask of the evidence, written as 'How well do we ...?'."""
    features: Seq[Text] = ()
    """Features of highly effective practice, shown as a list."""
    weight: Weight = 1.0
    """The theme's weight when its indicator aggregates by 'weighted_mean'."""
    measures: Seq[Id] = ()
    """Ids of measures that bear on this theme (used by challenge prompts)."""


class Indicator(StrictModel):
    """A quality indicator (QI), e.g. '2.3 Learning, teaching and assessment'."""

    id: Id
    """Stable id, numbered inside its key area (e.g. '2.3'); never reuse a retired one."""
    aliases: Seq[Id] = ()  # former ids: answers under them carry over
    """Former ids of this indicator: its judgement carries over when migrating."""
    title: Text
    """The indicator's title as the workbook shows it."""
    description: Text | None = None
    """Optional guidance shown in the indicator's row."""
    weight: Weight = 1.0
    """The indicator's weight when its key area aggregates by 'weighted_mean'."""
    challenge_questions: Seq[Text] = ()
    """Questions about the indicator as a whole, written as 'How well do we ...?'."""
    grading: Grading | None = None
    """What is graded for this indicator, overriding the framework's 'grading': 'themes',
    'indicator' (one whole-number judgement; themes give evidence) or 'both'."""
    themes: Seq[Theme] = ()
    """The indicator's themes, in the order the workbook lists them."""


class Category(StrictModel):
    """A key area: a group of indicators reported together."""

    id: Id
    """Stable id, e.g. '2' (numbered key areas prefix their indicators' ids)."""
    aliases: Seq[Id] = ()
    """Former ids of this key area."""
    title: Text
    """The key area's title; with its id it names the workbook sheet (31 characters)."""
    description: Text | None = None
    """Optional guidance about the key area."""
    weight: Weight = 1.0
    """The key area's weight when the overall score aggregates by 'weighted_mean'."""
    overall_judgement: bool = False
    """True for a key area that is an overall judgement (such as capacity for improvement):
    graded and reported on its own, never averaged into the overall score."""
    indicators: Seq[Indicator] = ()
    """The key area's indicators, in the order the workbook lists them."""


class Measure(StrictModel):
    """A number reported beside the judgements, e.g. positive destinations of leavers."""

    id: Id
    """Stable id, e.g. 'leavers-positive-destinations'."""
    aliases: Seq[Id] = ()
    """Former ids of this measure: values carry over when migrating."""
    title: Text
    """The measure's name as the Measures sheet shows it."""
    indicator: Id
    """The id of the indicator the measure informs."""
    unit: Text
    """What the value counts, e.g. 'percent' (changes are then in percentage points)."""
    higher_is_better: bool = True
    """Whether a rise is an improvement (false for e.g. exclusions)."""
    decimals: Annotated[int, Field(ge=0, le=6)] = 1
    """Decimals shown in the workbook."""
    description: Text | None = None
    """What exactly is measured and where the figure comes from."""

    @property
    def is_percent(self) -> bool:
        return self.unit.strip().lower() in {"percent", "%", "percentage"}


class Scoring(StrictModel):
    """How levels roll up: themes -> indicator -> category -> overall."""

    theme_to_indicator: Aggregation = "mean"
    """How graded themes give an indicator's score when the indicator is not judged itself."""
    indicator_to_category: Aggregation = "mean"
    """How indicator scores give a key area's score."""
    category_to_overall: Aggregation = "mean"
    """How key-area scores give the overall score (overall judgements are left out)."""
    decimals: Annotated[int, Field(ge=0, le=3)] = 1
    """Decimals of reported scores (aggregation uses unrounded values)."""
    rounding: Literal["half_up", "half_even"] = "half_up"
    """How reported scores are rounded."""
    min_answered_share: Annotated[float, Field(gt=0, le=1)] = 0.5
    """The share of graded items under a score that must be answered for it to have a
    value."""


Relation = Literal["equal", "subset", "superset", "overlap"]


class Retired(StrictModel):
    """A tombstone: an id that existed in an earlier version and must not come back."""

    id: Id
    """The retired id."""
    since: Text  # the version that removed it
    """The version that removed it."""
    replaced_by: Seq[Id] = ()
    """Ids in this version that took its place, if any."""
    reason: Text | None = None
    """Why it was retired."""


class Mapping(StrictModel):
    """How an earlier version's item relates to this version's (for splits and merges).

    ``relation`` reads from old to new: ``equal`` (same scope), ``subset`` (the old item is part
    of the new one), ``superset`` (the old item was split; the new one is part of it),
    ``overlap`` (partly the same). Answers are carried along every mapping; anything but
    ``equal`` is marked for review.
    """

    from_version: Text
    """The earlier version the old id belongs to."""
    old: Id
    """The id in the earlier version."""
    new: Seq[Id]
    """The ids in this version its answers go to."""
    relation: Relation
    """From old to new: 'equal', 'subset', 'superset' (a split) or 'overlap'."""
    note: Text | None = None
    """What changed, for the changelog and the migration report."""


class ChangelogEntry(StrictModel):
    """What one version changed, in the editor's words."""

    version: Version
    """The version this entry describes."""
    date: Annotated[dt.date, Field(strict=False)] | None = None
    """When the version was published (YYYY-MM-DD)."""
    changes: Seq[Text]
    """Each change, one line or paragraph each."""
    # Items whose reworded text (same level, new words) the editor has checked still means the
    # same: ids, or "scale:<value>" for a level's label or meaning. See framework diff.
    acknowledged: Seq[Text] = ()
    """Ids (or 'scale:<value>') whose rewording at the same level the editor has checked still
    means the same, so 'framework diff' stops flagging it as drift."""


class Framework(StrictModel):
    """A self-evaluation framework: one YAML file, one version."""

    id: Slug
    """The framework's id, lower case with hyphens (e.g. 'hgioea'); the same in every version."""
    title: Text
    """The framework's title as workbooks and reports show it."""
    version: Version
    """Semantic version MAJOR.MINOR.PATCH, quoted (e.g. "1.2.0"); 'framework diff --check'
    says which bump a change needs."""
    status: Literal["draft", "published"]
    """'draft' while being written; 'published' once returns are made from it."""
    description: Text
    """What the framework is for and where its wording comes from."""
    publisher: Text
    """Who wrote and maintains this file."""
    scale: Scale
    """The levels and the special answers."""
    grading: Grading = "themes"
    """What authorities grade unless an indicator says otherwise: 'themes' (each theme gets a
    level), 'indicator' (each indicator gets one whole-number judgement; its themes give the
    evidence) or 'both' (themes and indicator; the indicator's judgement is its score)."""
    categories: Seq[Category]
    """The key areas, in the order the workbook's sheets follow."""
    measures: Seq[Measure] = ()
    """Numbers reported beside the judgements, on the Measures sheet."""
    scoring: Scoring = Field(default_factory=Scoring)
    """How levels roll up into scores."""
    retired: Seq[Retired] = ()
    """Ids removed in earlier versions (tombstones): they must not come back."""
    mappings: Seq[Mapping] = ()
    """How earlier versions' items relate to this version's (splits and merges)."""
    changelog: Seq[ChangelogEntry] = ()
    """One entry per version, newest last."""

    def walk(self) -> Iterator[tuple[str, tuple[Any, ...], Any, str | None]]:
        """Every identified item: (kind, model path, item, parent id), in document order."""
        for c, category in enumerate(self.categories):
            yield "category", ("categories", c), category, None
            for i, indicator in enumerate(category.indicators):
                ipath = ("categories", c, "indicators", i)
                yield "indicator", ipath, indicator, category.id
                for t, theme in enumerate(indicator.themes):
                    yield "theme", (*ipath, "themes", t), theme, indicator.id
        for m, measure in enumerate(self.measures):
            yield "measure", ("measures", m), measure, measure.indicator

    def grading_of(self, indicator: Indicator | str) -> Grading:
        """What is graded for ``indicator`` (an indicator or its id): its own setting, else the
        framework's."""
        if isinstance(indicator, str):
            indicator = self.indicator_index[indicator][1]
        return indicator.grading or self.grading

    def judges(self, indicator: Indicator | str) -> bool:
        """Whether ``indicator`` gets a judgement of its own ('indicator' or 'both')."""
        return self.grading_of(indicator) != "themes"

    def grades_themes(self, indicator: Indicator | str) -> bool:
        """Whether the themes of ``indicator`` get levels ('themes' or 'both')."""
        return self.grading_of(indicator) != "indicator"

    def indicators(self) -> Iterator[Indicator]:
        for category in self.categories:
            yield from category.indicators

    def themes(self) -> Iterator[Theme]:
        for indicator in self.indicators():
            yield from indicator.themes

    @cached_property
    def theme_index(self) -> dict[str, tuple[Category, Indicator, Theme]]:
        """Theme id -> (category, indicator, theme), in framework order."""
        return {
            theme.id: (category, indicator, theme)
            for category in self.categories
            for indicator in category.indicators
            for theme in indicator.themes
        }

    @cached_property
    def indicator_index(self) -> dict[str, tuple[Category, Indicator]]:
        return {
            indicator.id: (category, indicator)
            for category in self.categories
            for indicator in category.indicators
        }

    @cached_property
    def measure_index(self) -> dict[str, Measure]:
        return {measure.id: measure for measure in self.measures}

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the framework's content, changelog aside, independent of YAML layout.

        Defaults are left out, so a later rubric that adds an optional field (with a default)
        does not change the hash of an unchanged framework, and its old returns still match.
        """
        body = self.model_dump_json(exclude={"changelog"}, exclude_defaults=True)
        return "sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"
