"""What the history writes for one return, as plain rows ready for ``executemany``.

Ingesting thousands of returns, the rows are made in the reading workers (from the plain answers
of the hot path) and sent back as tuples: far cheaper to pickle and to insert than the answer
models. :func:`rows_of` makes the same rows from a whole :class:`~rubric.response.Response`
(one return recorded through the API); a test holds the two equal on every example.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rubric.problems import display_path
from rubric.read.batch import plain_with, scores_of
from rubric.read.returns import ANSWER_FIELDS, PlainAnswers, read_return_plain_measures
from rubric.response import ReadResult

if TYPE_CHECKING:
    from rubric.framework.model import Framework
    from rubric.response import Response
    from rubric.scoring import Scores

_LEVEL, _SPECIAL, _EVIDENCE, _STRENGTHS, _NEXT_STEPS, _PROGRESS = (
    ANSWER_FIELDS.index(f) for f in ("level", "special", "evidence", "strengths", "next_steps",
                                     "progress"))


@dataclass(frozen=True, slots=True)
class ReturnRows:
    """One valid return as the history stores it, less what only the history knows (the new
    return's id, the file hash, the cycle it is recorded under, when)."""

    path: str  # as given (the outcome's path); the history stores it as displayed
    authority_code: str
    authority: str
    framework_id: str
    framework_version: str
    framework_hash: str
    answers: list[tuple[Any, ...]]  # (theme_id, level, special, evidence, strengths,
    #                                  next_steps, progress, kind): themes, then judgements
    measures: list[tuple[Any, ...]]  # (measure_id, baseline, current, notes)
    scores: list[tuple[Any, ...]]  # (item_kind, item_id, score, answered, total)
    actions: list[tuple[Any, ...]]  # (action_id, status, progress)

    @property
    def shown_path(self) -> str:
        return display_path(self.path)  # SQLite text is UTF-8: as shown, not as bytes


def _score_rows(scores: Scores) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = [("overall", "overall", scores.overall.value,
                                    scores.overall.answered, scores.overall.total)]
    rows += [("category", s.id, s.value, s.answered, s.total) for s in scores.categories]
    rows += [("indicator", s.id, s.value, s.answered, s.total) for s in scores.indicators]
    return rows


def _rows(response: Response, answers: list[tuple[Any, ...]], scores: Scores,
          path: str) -> ReturnRows:
    answers += [(a.id, a.level, a.special, a.evidence, a.strengths, a.next_steps, a.progress,
                 "indicator") for a in response.judgements.values()]
    return ReturnRows(
        path, response.authority_code or response.authority, response.authority,
        response.framework_id, response.framework_version, response.framework_hash, answers,
        [(m.id, m.baseline, m.current, m.notes) for m in response.measures.values()],
        _score_rows(scores),
        [(a.id, a.status, a.progress) for a in response.actions.values()])


def rows_of(response: Response, scores: Scores, *, path: str | None = None) -> ReturnRows:
    """The rows of a whole response (its theme answers as models), read from ``path``
    (default: the response's own)."""
    return _rows(response, [(a.id, a.level, a.special, a.evidence, a.strengths, a.next_steps,
                             a.progress, "theme") for a in response.themes.values()], scores,
                 response.path if path is None else path)


def plain_rows(response: Response, answers: dict[str, tuple[Any, ...]], framework: Framework,
               scores: Scores) -> ReturnRows:
    """The rows of a hot-path response (no theme models) and its plain theme ``answers``:
    themes in the framework's order, as :meth:`Response.themes` holds them."""
    themes = []
    for tid in framework.theme_index:
        a = answers.get(tid)
        if a is not None:
            themes.append((tid, a[_LEVEL], a[_SPECIAL], a[_EVIDENCE], a[_STRENGTHS],
                           a[_NEXT_STEPS], a[_PROGRESS], "theme"))
    return _rows(response, themes, scores, response.path)


@plain_with(read_return_plain_measures)
def rows_for_history(result: ReadResult, answers: PlainAnswers | None = None
                     ) -> tuple[ReadResult, ReturnRows | None]:
    """In a reading worker (a ``work`` for :func:`rubric.read.batch.read_many`): the rows the
    history records, and what the parent checks before recording them (the report, the
    provenance, a response with its measures and no answers); no rows for an invalid return.
    """
    response, framework = result.response, result.framework
    scores = scores_of(result, answers or {})
    if scores is None or response is None or framework is None:
        return ReadResult(result.path, None, None, result.report, result.provenance), None
    rows = plain_rows(response, answers or {}, framework, scores)
    light = response.model_copy(update={"judgements": {}, "actions": {}})
    return ReadResult(result.path, light, None, result.report, result.provenance), rows
