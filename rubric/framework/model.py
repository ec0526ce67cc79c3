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


class StrictModel(BaseModel):
    """Strict, frozen, no unknown fields: the base of every YAML-backed model."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, defer_build=True)


class Level(StrictModel):
    """One point of the scale: its value (higher is better), label and one-line meaning."""

    value: int
    label: Text
    meaning: Text


class SpecialAnswer(StrictModel):
    """An answer that is not a level, with the framework's stated effect on scoring.

    ``exclude``: the theme leaves the score and the completion count altogether;
    ``unanswered``: the theme counts as a gap (lowers completion, no level);
    ``lowest``: the theme is scored as the lowest level of the scale.
    """

    label: Text
    meaning: Text | None = None
    scoring: SpecialPolicy


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
    levels: Seq[Level]
    not_applicable: SpecialAnswer = Field(default_factory=_not_applicable)
    not_evaluated: SpecialAnswer = Field(default_factory=_not_evaluated)
    required_illustrations: Seq[int] = ()

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
    id: Id
    aliases: Seq[Id] = ()  # former ids: answers under them carry over
    title: Text
    description: Text | None = None
    illustrations: dict[int, Text] = Field(default_factory=dict)
    challenge_questions: Seq[Text] = ()
    features: Seq[Text] = ()
    weight: Weight = 1.0
    measures: Seq[Id] = ()


class Indicator(StrictModel):
    id: Id
    aliases: Seq[Id] = ()  # former ids: answers under them carry over
    title: Text
    description: Text | None = None
    weight: Weight = 1.0
    challenge_questions: Seq[Text] = ()
    themes: Seq[Theme] = ()


class Category(StrictModel):
    """A key area: a group of indicators reported together."""

    id: Id
    aliases: Seq[Id] = ()
    title: Text
    description: Text | None = None
    weight: Weight = 1.0
    indicators: Seq[Indicator] = ()


class Measure(StrictModel):
    """A number reported beside the judgements, e.g. positive destinations of leavers."""

    id: Id
    aliases: Seq[Id] = ()
    title: Text
    indicator: Id
    unit: Text
    higher_is_better: bool = True
    decimals: Annotated[int, Field(ge=0, le=6)] = 1
    description: Text | None = None

    @property
    def is_percent(self) -> bool:
        return self.unit.strip().lower() in {"percent", "%", "percentage"}


class Scoring(StrictModel):
    """How levels roll up: themes -> indicator -> category -> overall."""

    theme_to_indicator: Aggregation = "mean"
    indicator_to_category: Aggregation = "mean"
    category_to_overall: Aggregation = "mean"
    decimals: Annotated[int, Field(ge=0, le=3)] = 1
    rounding: Literal["half_up", "half_even"] = "half_up"
    min_answered_share: Annotated[float, Field(gt=0, le=1)] = 0.5


Relation = Literal["equal", "subset", "superset", "overlap"]


class Retired(StrictModel):
    """A tombstone: an id that existed in an earlier version and must not come back."""

    id: Id
    since: Text  # the version that removed it
    replaced_by: Seq[Id] = ()
    reason: Text | None = None


class Mapping(StrictModel):
    """How an earlier version's item relates to this version's (for splits and merges).

    ``relation`` reads from old to new: ``equal`` (same scope), ``subset`` (the old item is part
    of the new one), ``superset`` (the old item was split; the new one is part of it),
    ``overlap`` (partly the same). Answers are carried along every mapping; anything but
    ``equal`` is marked for review.
    """

    from_version: Text
    old: Id
    new: Seq[Id]
    relation: Relation
    note: Text | None = None


class ChangelogEntry(StrictModel):
    version: Text
    date: Annotated[dt.date, Field(strict=False)] | None = None
    changes: Seq[Text]
    # Items whose reworded text (same level, new words) the editor has checked still means the
    # same: ids, or "scale:<value>" for a level's label or meaning. See framework diff.
    acknowledged: Seq[Text] = ()


class Framework(StrictModel):
    id: Slug
    title: Text
    version: Text
    status: Literal["draft", "published"]
    description: Text
    publisher: Text
    scale: Scale
    categories: Seq[Category]
    measures: Seq[Measure] = ()
    scoring: Scoring = Field(default_factory=Scoring)
    retired: Seq[Retired] = ()
    mappings: Seq[Mapping] = ()
    changelog: Seq[ChangelogEntry] = ()

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
