"""``rubric score`` per return, made in the worker that read it: only text comes back.

Unpickling a return's whole result in the parent costs more than scoring it, and keeping every
result until the end makes memory grow with the number of returns. So the worker scores the
return and renders what the command prints (its lines, or its JSON entry); the parent writes
each as it arrives and keeps nothing but the paths of invalid returns. ``--json`` is streamed
one return at a time, as one JSON document.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO

from rubric.framework.store import FrameworkStore
from rubric.problems import Problem
from rubric.read.batch import plain, read_many, scores_of
from rubric.read.returns import PlainAnswers
from rubric.response import ReadResult
from rubric.scoring import Scores, explain_lines

Form = Literal["text", "explain", "json", "json-explain"]


def _fmt(value: float | None) -> str:
    return "no score" if value is None else f"{value:.1f}"


def score_lines(scores: Scores) -> list[str]:
    """One return's scores as ``rubric score`` prints them: overall, then each key area."""
    code = f" ({scores.authority_code})" if scores.authority_code else ""
    cycle = f", {scores.cycle}" if scores.cycle else ""
    lines = [f"{scores.authority}{code}, {scores.framework_id} {scores.framework_version}"
             f"{cycle}: overall {_fmt(scores.overall.rounded)}; completion "
             f"{scores.completion:.0%}; evidence for {scores.evidence_coverage:.0%} of levels"]
    for category in scores.categories:
        children = {i for i, _, _ in category.inputs} | {i for i, _ in category.excluded}
        parts = ", ".join(f"{s.id} {_fmt(s.rounded)} ({s.answered}/{s.total})"
                          for s in scores.indicators if s.id in children)
        lines.append(f"  {category.id:<3} {_fmt(category.rounded):>9}  {category.title}: "
                     f"{parts}")
    return lines


@dataclass(slots=True)
class ScoredFile:
    """What the parent needs of one scored return."""

    path: str
    errors: list[Problem] = field(default_factory=list)  # why it was not scored
    text: str | None = None  # the lines or the JSON entry; None when the return is invalid


@dataclass(frozen=True, slots=True)
class RenderScores:
    """A work for :func:`~rubric.read.batch.read_many`: score, render, send back the text."""

    form: Form = "text"

    def __call__(self, result: ReadResult, answers: PlainAnswers | None = None) -> ScoredFile:
        scores = scores_of(result, answers)
        if scores is None:
            return ScoredFile(result.path, result.report.errors)
        if self.form == "text":
            text = "\n".join(score_lines(scores))
        elif self.form == "explain":
            text = "\n".join(explain_lines(scores))
        else:
            text = json.dumps(scores.to_dict(self.form == "json-explain"), indent=2,
                              ensure_ascii=False, default=str)
        return ScoredFile(result.path, text=text)


plain(RenderScores)  # its instances take (result, answers): read on the hot path


def score_files(paths: list[Path], store: FrameworkStore, *, form: Form = "text",
                jobs: int | None = None,
                on_done: Callable[[int], None] | None = None) -> Iterator[ScoredFile]:
    """Score ``paths`` in the guarded workers; yield each return's rendered output in input
    order, as soon as it is ready."""
    return read_many(paths, store, jobs=jobs, work=RenderScores(form), on_done=on_done)


def write_scores_json(files: Iterator[ScoredFile], out: TextIO,
                      on_invalid: Callable[[ScoredFile], None]) -> bool:
    """Write ``{"responses": [...], "invalid": [...], "ok": bool}`` to ``out`` one return at
    a time (the same document ``json.dumps(..., indent=2)`` makes); True when all were valid.
    ``on_invalid`` hears of each invalid return (to print its errors)."""
    invalid: list[str] = []
    out.write('{\n  "responses": [')
    first = True
    for scored in files:
        if scored.text is None:
            invalid.append(scored.path)
            on_invalid(scored)
            continue
        out.write(("\n" if first else ",\n") + _indent(scored.text, "    "))
        first = False
    out.write("\n  ]," if not first else "],")
    tail = json.dumps(invalid, indent=2, ensure_ascii=False)
    out.write(f'\n  "invalid": {_indent(tail, "  ").lstrip()},\n'
              f'  "ok": {"false" if invalid else "true"}\n}}\n')
    return not invalid


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.split("\n"))
