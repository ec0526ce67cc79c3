"""A return on one framework version -> the same answers on another, losing nothing.

Each answer follows, in order: the same id, an alias of a new item (a rename), an explicit
mapping (splits and merges; marked for review unless ``equal``). An answer that cannot be placed
(its theme was removed, its level is not on the new scale, or its target already holds an
answer) is kept whole on the "Carried over" sheet and listed in the report.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from rubric.framework.model import Framework
from rubric.framework.store import FrameworkStore
from rubric.problems import plural
from rubric.response import MeasureValue, ReadResult, Response, ThemeAnswer
from rubric.xlsx import layout

How = Literal["same", "alias", "mapping", "unplaced"]
CARRIED_OVER_SHEET = layout.CARRIED_OVER_SHEET


@dataclass(frozen=True, slots=True)
class Placement:
    old_id: str
    new_id: str | None
    how: How
    review: bool
    why: str = ""


@dataclass(slots=True)
class Migration:
    """The migrated response, where every old answer went, and what could not be placed."""

    response: Response
    old_version: str
    new_version: str
    placements: list[Placement] = field(default_factory=list)
    carried_over: list[tuple[ThemeAnswer, str]] = field(default_factory=list)
    measures_carried_over: list[tuple[MeasureValue, str]] = field(default_factory=list)

    @property
    def summary(self) -> str:
        placed = [p for p in self.placements if p.how != "unplaced"]
        review = sum(p.review for p in placed)
        return (f"{self.response.authority}: {self.old_version} -> {self.new_version}; "
                f"{plural(len(placed), 'answer')} carried ({review} to review), "
                f"{len(self.carried_over) + len(self.measures_carried_over)} kept on the "
                f"'{CARRIED_OVER_SHEET}' sheet")

    def to_dict(self) -> dict[str, Any]:
        return {
            "authority": self.response.authority,
            "from": self.old_version, "to": self.new_version,
            "placements": [{"old": p.old_id, "new": p.new_id, "how": p.how,
                            "review": p.review, "why": p.why} for p in self.placements],
            "carried_over": [{"id": a.id, "why": why} for a, why in self.carried_over]
            + [{"id": m.id, "why": why} for m, why in self.measures_carried_over],
        }


def _targets(old_id: str, kind: str, new: Framework) -> tuple[list[str], How, bool]:
    index: Any = {"theme": new.theme_index, "measure": new.measure_index,
                  "indicator": new.indicator_index}[kind]
    if old_id in index:
        return [old_id], "same", False
    for _, path, item, _ in new.walk():
        if path[0] != ("measures" if kind == "measure" else "categories"):
            continue
        if old_id in getattr(item, "aliases", ()) and item.id in index:
            return [item.id], "alias", False
    for mapping in new.mappings:
        if mapping.old == old_id:
            targets = [t for t in mapping.new if t in index]
            if targets:
                return targets, "mapping", mapping.relation != "equal"
    return [], "unplaced", False


def _has_answer(answer: ThemeAnswer) -> bool:
    return answer.level is not None or answer.special is not None or answer.has_text


def migrate_response(response: Response, old: Framework, new: Framework) -> Migration:
    """Carry ``response`` (made from ``old``) across to ``new``."""
    migration = Migration(response, old.version, new.version)
    themes: dict[str, ThemeAnswer] = {}
    for old_id, answer in response.themes.items():
        if not _has_answer(answer):
            continue
        targets, how, review = _targets(old_id, "theme", new)
        why = ""
        if answer.level is not None and answer.level not in new.scale.by_value:
            targets, why = [], f"level {answer.level} is not on the new scale"
        placed = [t for t in targets if t not in themes]
        if targets and not placed:
            why = f"{', '.join(targets)} already holds an answer"
        if not placed:
            migration.placements.append(Placement(old_id, None, "unplaced", False,
                                                  why or "no item in the new version"))
            migration.carried_over.append((answer, why or "no item in the new version"))
            continue
        for target in placed:
            themes[target] = answer.model_copy(update={"id": target, "cell": ""})
            migration.placements.append(Placement(old_id, target, how, review))
    judgements = _carry_judgements(migration, response, old, new, themes)
    measures: dict[str, MeasureValue] = {}
    for old_id, value in response.measures.items():
        if value.baseline is None and value.current is None and not value.notes:
            continue
        targets, how, review = _targets(old_id, "measure", new)
        free = [t for t in targets if t not in measures]
        if not free:
            migration.measures_carried_over.append((value, "no measure in the new version"))
            continue
        measures[free[0]] = value.model_copy(update={"id": free[0], "cell": ""})
        migration.placements.append(Placement(old_id, free[0], how, review))
    ordered = {tid: themes[tid] for tid in new.theme_index if tid in themes}
    migration.response = response.model_copy(update={
        "framework_id": new.id, "framework_version": new.version,
        "framework_hash": new.content_hash, "themes": ordered, "measures": measures,
        "judgements": {i: judgements[i] for i in new.indicator_index if i in judgements},
        "migrated_from": f"{old.id} {old.version}"})
    return migration


def _carry_judgements(migration: Migration, response: Response, old: Framework, new: Framework,
                      themes: dict[str, ThemeAnswer]) -> dict[str, ThemeAnswer]:
    """Indicators' judgements follow ids, aliases and mappings to indicators the new version
    judges; where the new version grades an indicator's themes only, or a theme's indicator
    is now judged as a whole, the level has no place: the answer is kept whole on the
    'Carried over' sheet (its texts stay on the theme's row), and the judgement is left to
    the authority, never made up from the themes."""
    judgements: dict[str, ThemeAnswer] = {}
    for old_id, answer in response.judgements.items():
        if not _has_answer(answer):
            continue
        targets, how, review = _targets(old_id, "indicator", new)
        judged = [t for t in targets if new.judges(t) and t not in judgements]
        if not judged:
            why = ("no indicator in the new version" if not targets else
                   f"{', '.join(targets)} is no longer judged as a whole in {new.version}"
                   if not any(new.judges(t) for t in targets)
                   else f"{', '.join(targets)} already holds a judgement")
            migration.placements.append(Placement(old_id, None, "unplaced", False, why))
            migration.carried_over.append((answer, why))
            continue
        for target in judged:
            judgements[target] = answer.model_copy(update={"id": target, "cell": ""})
            migration.placements.append(Placement(old_id, target, how, review))
    for theme_id, answer in list(themes.items()):
        indicator = new.theme_index[theme_id][1]
        if new.grades_themes(indicator) or (answer.level is None and answer.special is None):
            continue
        why = (f"indicator {indicator.id} is judged as a whole in {new.version}: its themes "
               "are not graded (the texts stay on the theme's row)")
        migration.carried_over.append((answer, why))
        themes[theme_id] = answer.model_copy(update={"level": None, "special": None})
    return judgements


def _level_text(answer: ThemeAnswer, framework: Framework) -> str | None:
    if answer.level is not None:
        return layout.level_choice(answer.level, framework.scale.by_value[answer.level].label)
    if answer.special == "not_applicable":
        return framework.scale.not_applicable.label
    if answer.special == "not_evaluated":
        return framework.scale.not_evaluated.label
    return None


def write_migrated_workbook(migration: Migration, old: Framework, new: Framework,
                            path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """The return as a workbook on ``new``: answers in place, the rest on "Carried over"."""
    import tempfile

    from rubric.template.fill import fill_workbook
    from rubric.template.workbook import TemplateInfo, write_template
    from rubric.xlsx.cells import put_text, split_text
    from rubric.xlsx.styles import BORDER, WRAP_TOP, header_cells, print_landscape

    response = migration.response
    info = TemplateInfo(response.authority, response.cycle, response.authority_code,
                        migrated_from=f"{old.id} {old.version}")
    answers = {tid: {"level": _level_text(a, new), "evidence": a.evidence,
                     "strengths": a.strengths, "next_steps": a.next_steps}
               for tid, a in (*response.themes.items(), *response.judgements.items())}
    measures = {mid: {"baseline": m.baseline, "current": m.current, "notes": m.notes}
                for mid, m in response.measures.items()}

    def carried_over(book: Any) -> None:
        if not migration.carried_over and not migration.measures_carried_over:
            return
        sheet = book.create_sheet(CARRIED_OVER_SHEET)
        put_text(sheet.cell(1, 1), f"Answers from {old.id} {old.version} that have no place in "
                 f"{new.version}: kept here in full so nothing is lost. Copy what still "
                 "applies into the key-area sheets.")
        header_cells(sheet, 3, ["Former ID", "Former title", "Former level", "Evidence",
                                "Strengths", "Next steps", "Why it is here"],
                     [12, 30, 18, 50, 36, 36, 30])
        row = 3
        for answer, why in migration.carried_over:
            _, _, theme = old.theme_index.get(answer.id, (None, None, None))
            if theme is None and answer.id in old.indicator_index:
                theme = old.indicator_index[answer.id][1]
            values = [answer.id, theme.title if theme else "", _level_text(answer, old),
                      answer.evidence, answer.strengths, answer.next_steps, why]
            pieces = [split_text(v) if v else [None] for v in values]
            for part in range(max(len(p) for p in pieces)):
                row += 1
                for col, chunks in enumerate(pieces, start=1):
                    cell = put_text(sheet.cell(row, col), chunks[part] if part < len(chunks)
                                    else None)
                    cell.alignment, cell.border = WRAP_TOP, BORDER
        for value, why in migration.measures_carried_over:
            row += 1
            for col, text in enumerate([value.id, "(measure)", None,
                                        f"baseline {value.baseline}, current {value.current}",
                                        value.notes, None, why], start=1):
                put_text(sheet.cell(row, col), text)
        print_landscape(sheet, 3)

    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "blank.xlsx"
        write_template(new, info, blank)
        return fill_workbook(blank, path, answers, measures, force=force,
                             before_save=carried_over)


def newest(versions: list[str]) -> str:
    def key(version: str) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", version)[:3])
    return max(versions, key=key)


def migrate_to_newest(results: list[ReadResult]) -> tuple[list[ReadResult], list[str]]:
    """Bring valid returns of one framework to its newest version among them, in memory.

    Returns the (possibly migrated) results and a note per migrated return for the comparison.
    Returns of different framework ids are left as they are, for the gate to explain.
    """
    usable = [r for r in results if r.valid and r.framework is not None]
    if not usable or len({r.framework.id for r in usable}) != 1:  # type: ignore[union-attr]
        return results, []
    frameworks = {r.framework.version: r.framework for r in usable}  # type: ignore[union-attr]
    target = frameworks[newest(list(frameworks))]
    migrated, notes = [], []
    for result in results:
        if (result.response is None or result.framework is None or not result.valid
                or result.framework.version == target.version):
            migrated.append(result)
            continue
        migration = migrate_response(result.response, result.framework, target)
        migrated.append(ReadResult(result.path, migration.response, target, result.report,
                                   result.provenance))
        notes.append(f"Migrated for this comparison: {migration.summary}.")
    return migrated, notes


@dataclass(slots=True)
class MigrationRun:
    """``rubric migrate`` as data: the migration (when the return could be carried) and the
    problems found on the way."""

    migration: Migration | None
    output: Path | None = None
    report: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"output": str(self.output) if self.output else None,
                "migration": self.migration.to_dict() if self.migration else None}


def migrate_file(path: str | os.PathLike[str], target: Framework,
                 output: str | os.PathLike[str], *, store: Any = None,
                 force: bool = False) -> MigrationRun:
    """Read the return at ``path``, carry its answers to ``target`` and write ``output``.

    Raises :class:`~rubric.problems.Refused` when the command cannot run as asked (the output
    exists, the return is of another framework); an invalid return comes back as a run
    without a migration whose report lists its problems.
    """
    from rubric._io import OutputExists
    from rubric.problems import Location, Refused, Report, problem
    from rubric.read.batch import read_many

    output = Path(output)
    if output.exists() and not force:
        raise Refused(problem("output-exists", Location(str(output)), path=output))
    [result] = read_many([Path(path)], store or FrameworkStore())
    report = Report(list(result.report.problems))
    if not result.valid or result.response is None or result.framework is None:
        report.add(problem("migrate-invalid-return", Location(str(path)),
                           errors=len(result.report.errors)))
        return MigrationRun(None, None, report)
    if result.framework.id != target.id:
        raise Refused(problem("migrate-other-framework", Location(str(path)),
                              found=result.framework.id, target=target.key,
                              expected=target.id), report)
    migration = migrate_response(result.response, result.framework, target)
    try:
        write_migrated_workbook(migration, result.framework, target, output, force=force)
    except OutputExists:
        raise Refused(problem("output-exists", Location(str(output)), path=output)) from None
    return MigrationRun(migration, output, report)
