"""Safe YAML with positions: plain data plus a map from each value's path to its line.

PyYAML's safe loader still accepts things a framework editor never means: duplicate keys (the
last silently wins), anchors and aliases (and so alias bombs), and explicit tags. We compose the
node graph (which never constructs objects, so ``!!python/...`` cannot run), then build plain
data ourselves, refusing each of those with its position. Every value and every mapping key is
recorded in a :class:`SourceMap` so later checks can point at the right line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from rubric.problems import Location, Problem, problem

try:  # libyaml composes ~10x faster; the pure-Python loader gives the same nodes.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_STANDARD_SCALARS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()

Path = tuple[Any, ...]
MAX_DEPTH = 64  # a framework nests ~10 deep; building data recursively needs a bound


@dataclass(frozen=True, slots=True)
class Scalar:
    """Where a value stood and how it was written (for messages about YAML's guesses)."""

    line: int
    column: int
    raw: str | None = None


@dataclass(slots=True)
class SourceMap:
    file: str
    values: dict[Path, Scalar] = field(default_factory=dict)
    keys: dict[Path, Scalar] = field(default_factory=dict)
    refused: set[Path] = field(default_factory=set)

    def is_refused(self, path: Path) -> bool:
        """Whether YAML at ``path`` (or above it) was refused, so later passes stay quiet there."""
        return any(tuple(path[:depth]) in self.refused for depth in range(len(path) + 1))

    def locate(self, path: Path, *, key: bool = False) -> Location:
        """The position of ``path``, or of its nearest recorded ancestor."""
        path = tuple(path)
        if key and path in self.keys:
            found = self.keys[path]
            return Location(self.file, found.line, found.column)
        while path not in self.values and path:
            path = path[:-1]
        found = self.values.get(path)
        if found is None:
            return Location(self.file)
        return Location(self.file, found.line, found.column)

    def raw(self, path: Path) -> str | None:
        found = self.values.get(tuple(path))
        return found.raw if found else None


@dataclass(slots=True)
class ParsedYaml:
    data: Any
    source: SourceMap
    problems: list[Problem]


def _position(mark: yaml.Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


class _Builder:
    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self._seen: set[int] = set()

    def _report(self, code: str, mark: yaml.Mark, path: Path | None, **context: Any) -> None:
        if "tag" in context:
            context["tag"] = context["tag"].replace("tag:yaml.org,2002:", "!!")
        """Record a problem; ``path`` marks data left out, so later passes stay quiet there."""
        if path is not None:
            self.source.refused.add(path)
        line, column = _position(mark)
        self.problems.append(problem(code, Location(self.source.file, line, column), **context))

    def build(self, node: yaml.Node, path: Path) -> Any:
        if len(path) > MAX_DEPTH:
            self._report("yaml-syntax", node.start_mark, path,
                         reason=f"nested more than {MAX_DEPTH} levels deep")
            return None
        if id(node) in self._seen:
            self._report("yaml-alias", node.start_mark, path)
            return None
        self._seen.add(id(node))
        line, column = _position(node.start_mark)
        raw = node.value if isinstance(node, yaml.ScalarNode) else None
        self.source.values[path] = Scalar(line, column, raw)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self._report("yaml-tag-not-allowed", node.start_mark, path, tag=node.tag)
                return None
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        if node.tag != _MAP_TAG:
            self._report("yaml-tag-not-allowed", node.start_mark, path, tag=node.tag)
            return None
        return self._mapping(node, path)

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        if node.tag not in _STANDARD_SCALARS:
            self._report("yaml-tag-not-allowed", node.start_mark, path, tag=node.tag)
            return None
        try:
            return _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
        except (ValueError, yaml.YAMLError) as exc:
            self._report("yaml-syntax", node.start_mark, path, reason=str(exc).splitlines()[0])
            return None

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_lines: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._report("yaml-alias", key_node.start_mark, path)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._report("yaml-complex-key", key_node.start_mark, path)
                continue
            key = self._scalar(key_node, path)
            try:
                hash(key)
            except TypeError:  # pragma: no cover - scalars are hashable
                self._report("yaml-complex-key", key_node.start_mark, path)
                continue
            line, column = _position(key_node.start_mark)
            if key in first_lines:
                self._report("yaml-duplicate-key", key_node.start_mark, None, key=key,
                             first_line=first_lines[key])
                continue
            first_lines[key] = line
            self.source.keys[(*path, key)] = Scalar(line, column, key_node.value)
            result[key] = self.build(value_node, (*path, key))
        return result


def parse_yaml(text: str, file: str) -> ParsedYaml:
    """Compose ``text`` safely and build plain data with positions; never raises on bad input."""
    source = SourceMap(file)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(file, *_position(mark)) if mark else Location(file)
        reason = exc.problem or exc.context or "not valid YAML"
        return ParsedYaml(None, source, [problem("yaml-syntax", where, reason=reason)])
    except yaml.YAMLError as exc:
        return ParsedYaml(None, source, [problem("yaml-syntax", Location(file),
                                                 reason=str(exc).splitlines()[0])])
    if node is None:
        return ParsedYaml(None, source, [problem("yaml-not-mapping", Location(file, 1, 1),
                                                 found="an empty document")])
    builder = _Builder(source)
    data = builder.build(node, ())
    return ParsedYaml(data, source, builder.problems)
