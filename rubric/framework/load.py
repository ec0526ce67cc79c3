"""YAML file -> :class:`Framework`, with every problem located at ``path:line:column``.

Loading is three passes over one file, each collecting all it finds: safe YAML (with positions),
the strict schema (pydantic, which reports every field error at once), then lint.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rubric.problems import Location, Problem, Report, problem

if TYPE_CHECKING:  # imported when needed: a cached framework needs neither YAML nor lint
    from pydantic import BaseModel

    from rubric.framework.model import Framework
    from rubric.framework.yamlsource import SourceMap

MAX_FRAMEWORK_BYTES = 5 * 1024 * 1024

_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "date_type": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
}
_RANGE_WORDS = {
    "greater_than": "above {gt}",
    "greater_than_equal": "of at least {ge}",
    "less_than": "below {lt}",
    "less_than_equal": "of at most {le}",
}


@dataclass(slots=True)
class LoadResult:
    """The outcome of loading one framework file: the model (when the schema held) and a report."""

    path: str
    framework: Framework | None
    report: Report = field(default_factory=Report)
    _source: SourceMap | None = field(default=None, repr=False)
    # The source map as a pickle, unpacked on first use: a framework from the on-disk cache
    # is mostly read to check returns, which never look at it (nor need PyYAML to rebuild it).
    _packed_source: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def source(self) -> SourceMap | None:
        """Where each value stood in the YAML, for later reports (diff)."""
        if self._packed_source is not None:
            import pickle

            self._source, self._packed_source = pickle.loads(self._packed_source), None
        return self._source

    @source.setter
    def source(self, value: SourceMap | None) -> None:
        self._source, self._packed_source = value, None

    def packed(self) -> LoadResult:
        """A copy whose source map is pickled apart (what the on-disk cache stores)."""
        import pickle

        copy = LoadResult(self.path, self.framework, self.report)
        if self.source is not None:
            copy._packed_source = pickle.dumps(self.source, protocol=pickle.HIGHEST_PROTOCOL)
        return copy

    @property
    def valid(self) -> bool:
        return self.framework is not None and self.report.valid


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation such as ``tuple[Theme, ...]`` or ``Scale | None``."""
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the last field of ``loc`` (for 'did you mean' hints)."""
    model: type[BaseModel] | None = root
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) if model else None
        model = _model_in(info.annotation) if info else None
    return model


def schema_problem(error: dict[str, Any], source: SourceMap,
                   root: type[BaseModel] | None = None) -> Problem:
    """One pydantic error as a catalogued problem at its YAML position."""
    if root is None:
        from rubric.framework.model import Framework

        root = Framework
    loc = tuple(part for part in error["loc"] if part != "[key]")
    kind, value = error["type"], error.get("input")
    where = source.locate(loc)
    if kind == "missing":
        return problem("missing-field", where, field=loc[-1])
    if kind == "extra_forbidden":
        name = str(loc[-1])
        model = _model_at(root, loc)
        known = list(model.model_fields) if model else []
        import difflib

        close = difflib.get_close_matches(name, known, n=1)
        suggestion = f"Did you mean '{close[0]}'?" if close else (
            f"Known fields here: {', '.join(known)}." if known else "Remove it.")
        return problem("unknown-field", source.locate(loc, key=True), field=name,
                       suggestion=suggestion)
    if kind == "string_type" and isinstance(value, bool):
        raw = source.raw(loc) or str(value)
        return problem("yaml-boolean-as-text", where, raw=raw, value=str(value).lower())
    if kind == "string_type" and isinstance(value, int | float):
        raw = source.raw(loc) or str(value)
        return problem("yaml-number-as-text", where, raw=raw, value=value)
    if kind == "string_too_short":
        return problem("blank-text", where)
    if kind == "string_pattern_mismatch":
        what = "framework id (a slug)" if loc == ("id",) else "id"
        rule = ("Use lower-case letters, digits and single hyphens, e.g. 'hgioea'."
                if loc == ("id",) else
                "Use letters, digits, '.', '-' or '_', starting and ending with a letter or "
                "digit, at most 40 characters, e.g. '2.1.3'.")
        return problem("invalid-id", where, value=value, what=what, rule=rule)
    if kind == "literal_error":
        choices = error.get("ctx", {}).get("expected", "")
        return problem("invalid-choice", where, value=value, choices=choices)
    if kind in _RANGE_WORDS:
        reason = _RANGE_WORDS[kind].format(**error.get("ctx", {}))
        return problem("out-of-range", where, value=value, reason=reason)
    if kind in _TYPE_NAMES:
        return problem("wrong-type", where, expected=_TYPE_NAMES[kind], found=_describe(value))
    return problem("invalid-value", where, reason=error.get("msg", "invalid value"))


def load_framework_text(text: str, path: str) -> LoadResult:
    """Parse, validate and lint framework YAML already in memory (``path`` names it)."""
    result = _load_text(text, path)
    result.report.problems.sort(key=lambda p: (p.location.line or 0, p.location.column or 0))
    return result


def _load_text(text: str, path: str) -> LoadResult:
    from pydantic import ValidationError

    from rubric.framework.lint import lint_framework
    from rubric.framework.model import Framework
    from rubric.framework.yamlsource import parse_yaml

    result = LoadResult(path, None)
    parsed = parse_yaml(text, path)
    result.source = parsed.source
    result.report.extend(parsed.problems)
    if parsed.problems and parsed.data is None:
        return result
    if not isinstance(parsed.data, dict):
        result.report.add(problem("yaml-not-mapping", Location(path, 1, 1),
                                  found=_describe(parsed.data)))
        return result
    try:
        framework = Framework.model_validate(parsed.data)
    except ValidationError as exc:
        # Where YAML was refused the data is a hole; a schema error there would only echo it.
        result.report.extend(
            schema_problem(error, parsed.source)
            for error in exc.errors()
            if not parsed.source.is_refused(tuple(error["loc"]))
        )
        return result
    result.framework = framework
    result.report.extend(lint_framework(framework, parsed.source))
    return result


def load_framework(path: str | os.PathLike[str]) -> LoadResult:
    """Load one framework file; bad input becomes problems in the result, never an exception.

    A framework loaded before from the very same text is taken from the on-disk cache
    (:mod:`rubric.framework.cache`), skipping YAML and model validation."""
    from rubric.framework.cache import cached_load
    from rubric.framework.textfile import read_text_file

    text, problems = read_text_file(path, MAX_FRAMEWORK_BYTES)
    if text is None:
        return LoadResult(str(path), None, Report(problems))
    return cached_load(str(path), text, lambda: load_framework_text(text, str(path)))
