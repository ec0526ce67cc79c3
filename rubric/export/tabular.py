"""A cycle's answers and scores as CSV or JSON, for other tools.

CSV is opened by spreadsheets, which run any cell starting with ``=``, ``+``, ``-``, ``@``, tab
or carriage return as a formula; such cells are prefixed with an apostrophe (the OWASP advice),
which spreadsheets display as text. JSON keeps every value exactly.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rubric.cycles.history import History

CSV_COLUMNS = ("cycle", "authority_code", "authority", "framework_id", "framework_version",
               "theme_id", "kind", "level", "special", "evidence", "strengths", "next_steps",
               "progress", "indicator_id", "indicator_score", "overall_score", "ingested_at")
# What a row's answer is: a theme's level, or an indicator's judgement as a whole (its
# ``theme_id`` is then the indicator's id); frameworks say which they grade.
THEME, JUDGEMENT = "theme", "indicator judgement"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _rows(history: History, cycle: str) -> list[dict[str, Any]]:
    rows = []
    for stored in history.returns(cycle=cycle):
        response = history.response(stored)
        scores = history.scores(stored)
        answers = [(THEME, a, a.id.rsplit(".", 1)[0]) for a in response.themes.values()]
        answers += [(JUDGEMENT, a, a.id) for a in response.judgements.values()]
        for kind, answer, indicator_id in answers:
            rows.append({
                "cycle": stored.cycle, "authority_code": stored.authority_code,
                "authority": stored.authority, "framework_id": stored.framework_id,
                "framework_version": stored.framework_version, "theme_id": answer.id,
                "kind": kind,
                "level": answer.level, "special": answer.special or "",
                "evidence": answer.evidence, "strengths": answer.strengths,
                "next_steps": answer.next_steps, "progress": answer.progress,
                "indicator_id": indicator_id,
                "indicator_score": scores.get(("indicator", indicator_id)),
                "overall_score": scores.get(("overall", "overall")),
                "ingested_at": stored.ingested_at,
            })
    return rows


def cycle_csv(history: History, cycle: str) -> str:
    """One row per theme (and per indicator judged as a whole) per authority (current returns
    of ``cycle``), formula-safe."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in _rows(history, cycle):
        writer.writerow({key: csv_safe("" if value is None else value)
                         for key, value in row.items()})
    return buffer.getvalue()


def cycle_json(history: History, cycle: str) -> str:
    """Every current return of ``cycle`` with answers, measures and scores, values exact."""
    returns = []
    for stored in history.returns(cycle=cycle):
        response = history.response(stored)
        scores = history.scores(stored)
        returns.append({
            "authority": {"code": stored.authority_code, "name": stored.authority},
            "framework": {"id": stored.framework_id, "version": stored.framework_version},
            "cycle": stored.cycle, "file_hash": stored.file_hash,
            "ingested_at": stored.ingested_at,
            "answers": [a.model_dump(exclude={"cell"}) for a in response.themes.values()],
            "judgements": [a.model_dump(exclude={"cell"})
                           for a in response.judgements.values()],
            "measures": [m.model_dump(exclude={"cell"}) for m in response.measures.values()],
            "scores": [{"kind": kind, "id": item, "score": score}
                       for (kind, item), score in sorted(scores.items())],
        })
    return json.dumps({"cycle": cycle, "returns": returns}, indent=2, ensure_ascii=False) + "\n"


def export_cycle(db_path: Any, cycle: str, fmt: str = "csv") -> str:
    """The cycle's current returns from the history at ``db_path`` as CSV or JSON text.

    Refused (coded) when the history is missing, the cycle is not a cycle, or it holds no
    returns for it: an empty file would look like a successful export.
    """
    from rubric.cycles.cycle import check_cycle
    from rubric.cycles.history import open_existing_history
    from rubric.problems import Location, Refused, problem

    cycle = check_cycle(cycle)
    history = open_existing_history(db_path)
    try:
        if not history.returns(cycle=cycle):
            raise Refused(problem("history-no-returns", Location(str(db_path)),
                                  what=f"cycle {cycle}", path=db_path,
                                  known=f"Cycles recorded: {', '.join(history.cycles())}. "
                                  if history.cycles() else ""))
        return cycle_csv(history, cycle) if fmt == "csv" else cycle_json(history, cycle)
    finally:
        history.close()
