"""Quads: four authorities that self-evaluate together, configured per cycle in YAML.

Which authorities form which Quad is not published and changes, so membership is configuration
(``quads.yaml`` by default), validated against the authority registry: real councils, nobody in
two Quads of one cycle, and four members unless the file says otherwise.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rubric.framework.load import schema_problem
from rubric.framework.model import Seq, StrictModel, Text
from rubric.framework.textfile import read_text_file
from rubric.framework.yamlsource import parse_yaml
from rubric.problems import Location, Report, problem
from rubric.registry.authorities import Authority, find, suggest

MAX_QUADS_BYTES = 1024 * 1024


class QuadEntry(StrictModel):
    name: Text
    cycle: Text
    members: Seq[Text]
    lead: Text | None = None
    size: int = 4
    note: Text | None = None


class QuadsFile(StrictModel):
    example: bool = False
    note: Text | None = None
    quads: Seq[QuadEntry]


@dataclass(frozen=True, slots=True)
class Quad:
    name: str
    cycle: str
    members: tuple[Authority, ...]
    lead: Authority | None = None
    note: str | None = None

    @property
    def family_groups(self) -> list[int]:
        return sorted({member.family_group for member in self.members})

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "cycle": self.cycle,
            "members": [{"code": m.code, "name": m.name, "family_group": m.family_group}
                        for m in self.members],
            "lead": self.lead.name if self.lead else None,
            "family_groups": self.family_groups,
            "note": self.note,
        }


@dataclass(slots=True)
class QuadsResult:
    path: str
    quads: list[Quad] = field(default_factory=list)
    example: bool = False
    note: str | None = None
    report: Report = field(default_factory=Report)

    @property
    def valid(self) -> bool:
        return self.report.valid

    def get(self, name: str, cycle: str | None = None) -> Quad | None:
        wanted = " ".join(name.split()).casefold()
        matches = [q for q in self.quads if q.name.casefold() == wanted
                   and (cycle is None or q.cycle == cycle)]
        return matches[-1] if matches else None

    def quad_of(self, authority: Authority, cycle: str | None = None) -> Quad | None:
        return next((q for q in self.quads if authority in q.members
                     and (cycle is None or q.cycle == cycle)), None)


def load_quads(path: str | os.PathLike[str]) -> QuadsResult:
    """Load and check a Quads file; problems are located at their YAML line."""
    result = QuadsResult(str(path))
    text, problems = read_text_file(path, MAX_QUADS_BYTES)
    result.report.extend(problems)
    if text is None:
        return result
    parsed = parse_yaml(text, str(path))
    result.report.extend(parsed.problems)
    if not isinstance(parsed.data, dict):
        if parsed.data is not None:
            result.report.add(problem("yaml-not-mapping", Location(str(path), 1, 1),
                                      found="something else"))
        return result
    try:
        data = QuadsFile.model_validate(parsed.data)
    except ValidationError as exc:
        result.report.extend(schema_problem(e, parsed.source, QuadsFile) for e in exc.errors())
        return result
    result.example, result.note = data.example, data.note
    source = parsed.source
    seen: dict[tuple[str, str], str] = {}
    names: set[tuple[str, str]] = set()
    for q, entry in enumerate(data.quads):
        here = ("quads", q)
        key = (entry.cycle, entry.name.casefold())
        if key in names:
            result.report.add(problem("quad-duplicate-name", source.locate((*here, "name")),
                                      quad=entry.name, cycle=entry.cycle))
        names.add(key)
        members: list[Authority] = []
        for m, name in enumerate(entry.members):
            authority = find(name)
            if authority is None:
                close = suggest(name)
                result.report.add(problem(
                    "quad-unknown-authority", source.locate((*here, "members", m)), name=name,
                    suggestion=f"Did you mean {close[0]!r}?" if close else
                    "Use a council name, its GSS code or its three-letter code."))
                continue
            other = seen.get((entry.cycle, authority.code))
            if other is not None:
                result.report.add(problem("quad-member-twice",
                                          source.locate((*here, "members", m)),
                                          authority=authority.name, quad=entry.name,
                                          other=other, cycle=entry.cycle))
                continue
            seen[(entry.cycle, authority.code)] = entry.name
            members.append(authority)
        if len(entry.members) != entry.size:
            result.report.add(problem("quad-size", source.locate((*here, "members")),
                                      quad=entry.name, count=len(entry.members),
                                      expected=entry.size))
        lead = find(entry.lead) if entry.lead else None
        if entry.lead and (lead is None or lead not in members):
            result.report.add(problem("quad-lead-not-member", source.locate((*here, "lead")),
                                      quad=entry.name, lead=entry.lead))
        result.quads.append(Quad(entry.name, entry.cycle, tuple(members), lead, entry.note))
    return result


def load_quads_file(path: str | os.PathLike[str] | None = None) -> QuadsResult:
    """The Quads file by the lookup order (``path``, $RUBRIC_QUADS, ./quads.yaml, bundled);
    raises :class:`Refused` when there is none or it has errors."""
    from rubric.problems import Refused
    from rubric.resources import quads_file

    chosen = quads_file(path)
    if chosen is None or not Path(chosen).is_file():
        raise Refused(problem("quads-file-missing", Location(str(chosen or "quads.yaml")),
                              path=chosen or "quads.yaml"))
    result = load_quads(chosen)
    if not result.valid:
        first = result.report.errors[0]
        raise Refused(first, Report([p for p in result.report.problems if p is not first]))
    return result


def find_quad(name: str, path: str | os.PathLike[str] | None = None,
              cycle: str | None = None) -> Quad:
    """Quad ``name`` (of ``cycle`` when given, else its latest) from the Quads file; refused
    with the known names, closest first, when there is no such Quad."""
    import difflib

    from rubric.problems import Refused

    quads = load_quads_file(path)
    quad = quads.get(name, cycle) or (quads.get(name) if cycle is None else None)
    if quad is not None:
        return quad
    names = sorted({q.name for q in quads.quads if cycle is None or q.cycle == cycle})
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.4)
    known = (f"Did you mean {' or '.join(repr(c) for c in close)}? " if close else "")
    known += f"Quads{' in ' + cycle if cycle else ''}: {', '.join(names) or 'none'}."
    other = sorted({q.cycle for q in quads.quads if q.name.casefold() == name.casefold()})
    if other:
        known += f" {name!r} is a Quad of {', '.join(other)}: pass --cycle."
    raise Refused(problem("quad-unknown", Location(quads.path), name=name,
                          for_cycle=f" for {cycle}" if cycle else "", path=quads.path,
                          known=known))
