"""Who gets a workbook, and where it goes: the whole ``rubric template`` job as a function.

Targets come from one of: named authorities, a Quad's members, or all 32 councils. A single
workbook goes to the ``.xlsx`` path given; several go into a folder, one file each, named
``<framework>-<version>-<authority code>-<cycle>.xlsx``. Follow-up workbooks carry each
authority's next steps from the previous cycle, read from the history.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rubric._io import OutputExists
from rubric.cycles.cycle import check_cycle, previous_cycle
from rubric.framework.model import Framework
from rubric.framework.store import FrameworkStore
from rubric.problems import Location, Refused, Report, problem
from rubric.template.workbook import TemplateInfo, write_templates


@dataclass(frozen=True, slots=True)
class TemplateTarget:
    authority: str
    code: str  # "" for an authority outside the 32 (allowed with allow_unlisted)
    path: Path
    follow_up: dict[str, str] | None = None  # theme id -> last cycle's next steps
    actions: tuple[dict[str, str], ...] | None = None  # agreed at last cycle's Quad meeting
    measures: dict[str, dict[str, float]] | None = None  # published figures prefilled


@dataclass(slots=True)
class TemplateRun:
    framework: Framework
    cycle: str
    targets: list[TemplateTarget] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    report: Report = field(default_factory=Report)  # warnings (e.g. no return last cycle)

    def to_dict(self) -> dict:
        return {"framework": {"id": self.framework.id, "version": self.framework.version},
                "cycle": self.cycle, "written": [str(p) for p in self.written],
                "targets": [{"authority": t.authority, "code": t.code or None,
                             "path": str(t.path), "follow_up": t.follow_up is not None,
                             "actions": len(t.actions or ()),
                             "measures_prefilled": len(t.measures or ())}
                            for t in self.targets], **self.report.to_dict()}


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "authority"


def resolve_authorities(names: Sequence[str], *, allow_unlisted: bool = False
                        ) -> list[tuple[str, str]]:
    """(name, code) for each name; an unknown one is refused with the closest names."""
    from rubric.registry.authorities import find, suggest

    found: list[tuple[str, str]] = []
    for name in names:
        authority = find(name)
        if authority is not None:
            found.append((authority.name, authority.code))
        elif allow_unlisted and name.strip():
            found.append((" ".join(name.split()), ""))
        else:
            close = suggest(name)
            hint = (f"Did you mean {' or '.join(repr(s) for s in close)}? " if close else "")
            raise Refused(problem("authority-unknown", Location(), name=name,
                                  suggestion=hint + "Use a council's name, its three-letter "
                                  "code or its GSS code ('rubric authorities' lists them); "
                                  "--allow-unlisted accepts another name, e.g. for training."))
    return found


def quad_members(quad_name: str, cycle: str, quads_path: Path | None) -> list[tuple[str, str]]:
    """(name, code) of the members of Quad ``quad_name`` in ``cycle``."""
    from rubric.registry.quads import find_quad

    quad = find_quad(quad_name, quads_path, cycle)
    return [(a.name, a.code) for a in quad.members]


def output_paths(framework: Framework, cycle: str, targets: list[tuple[str, str]],
                 output: Path) -> list[Path]:
    """One path per target: ``output`` itself for one workbook, else files in folder
    ``output``. A file name for several workbooks, or a non-.xlsx name, is refused."""
    suffix = output.suffix.lower()
    if len(targets) == 1 and not output.is_dir():
        if suffix == ".xlsx":
            return [output]
        if suffix:
            raise Refused(problem("output-name-mismatch", Location(str(output)),
                                  path=output, reason="a workbook's name must end in .xlsx",
                                  hint=f"Use e.g. -o {output.with_suffix('.xlsx')}"))
    elif suffix and not output.is_dir():
        raise Refused(problem("output-name-mismatch", Location(str(output)), path=output,
                              reason=f"{len(targets)} workbooks need a folder, not a file name",
                              hint=f"Use a folder, e.g. -o {output.with_suffix('')}/"))
    return [output / f"{framework.id}-{framework.version}-{code or _slug(name)}-{cycle}.xlsx"
            for name, code in targets]


def make_templates(framework: Framework, output: Path, *, cycle: str,
                   authorities: Sequence[str] = (), quad: str | None = None,
                   all_authorities: bool = False, allow_unlisted: bool = False,
                   quads_path: Path | None = None, follow_up: bool = False,
                   history_path: Path | None = None, follow_up_cycle: str | None = None,
                   store: FrameworkStore | None = None, force: bool = False,
                   prefill_measures: bool = False) -> TemplateRun:
    """Plan and write the workbooks; raises :class:`Refused` when it cannot run as asked.

    ``prefill_measures`` fills each Measures sheet with the published figures the history
    holds (``rubric measures import``); an authority without any gets a warning."""
    from rubric.registry.authorities import all_authorities as every_authority

    cycle = check_cycle(cycle)
    if sum(map(bool, (authorities, quad, all_authorities))) != 1:
        raise Refused(problem("options-conflict", Location(), reason="say who the workbooks "
                              "are for", hint="Give exactly one of --authority, --quad or --all."))
    if all_authorities:
        chosen = [(a.name, a.code) for a in every_authority()]
    elif quad:
        chosen = quad_members(quad, cycle, quads_path)
    else:
        chosen = resolve_authorities(authorities, allow_unlisted=allow_unlisted)
    chosen = list(dict.fromkeys(chosen))
    paths = output_paths(framework, cycle, chosen, output)
    run = TemplateRun(framework, cycle)
    previous: dict[str, tuple[dict[str, str] | None, tuple[dict[str, str], ...]]] = {}
    if follow_up:
        previous = _previous_steps(framework, chosen, follow_up_cycle or previous_cycle(cycle),
                                   history_path, store or FrameworkStore(), run.report)
    figures = (_published(framework, chosen, cycle, history_path, run.report)
               if prefill_measures and framework.measures else {})
    for (name, code), path in zip(chosen, paths, strict=True):
        steps, actions = previous.get(code or name, (None, ()))
        run.targets.append(TemplateTarget(name, code, path, (steps or {}) if follow_up else None,
                                          actions or None, figures.get(code) or None))
    planned = [(TemplateInfo(t.authority, cycle, t.code, follow_up=t.follow_up,
                             actions=t.actions, measures=t.measures), t.path)
               for t in run.targets]
    try:
        run.written = write_templates(framework, planned, force=force)
    except OutputExists as exc:
        raise Refused(problem("output-exists", Location(str(exc)), path=exc)) from None
    return run


def _published(framework: Framework, chosen: list[tuple[str, str]], cycle: str,
               history_path: Path | None, report: Report) -> dict[str, dict[str, dict[str, float]]]:
    """Per authority code: the published figures to prefill (baseline and current)."""
    from rubric.cycles.cycle import previous_cycle as before
    from rubric.cycles.history import open_existing_history
    from rubric.cycles.measures import prefill_values
    from rubric.resources import history_path as default_history

    history = open_existing_history(history_path or default_history())
    found: dict[str, dict[str, dict[str, float]]] = {}
    try:
        for name, code in chosen:
            values = prefill_values(history, framework, code, cycle) if code else {}
            if values:
                found[code] = values
            else:
                report.add(problem("measures-not-published", Location(name), authority=name,
                                   cycles=f"{before(cycle)} or {cycle}"))
    finally:
        history.close()
    return found


def _previous_steps(framework: Framework, chosen: list[tuple[str, str]], earlier: str,
                    history_path: Path | None, store: FrameworkStore, report: Report
                    ) -> dict[str, tuple[dict[str, str] | None, tuple[dict[str, str], ...]]]:
    """Per target: last cycle's next steps (theme id -> text; None without a return) and the
    actions its Quad agreed for it at last cycle's meeting (from the meeting record)."""
    from rubric.cycles.history import open_existing_history
    from rubric.cycles.trend import previous_next_steps
    from rubric.meeting.actions import follow_up_items
    from rubric.resources import history_path as default_history

    earlier = check_cycle(earlier, "--previous-cycle")
    history = open_existing_history(history_path or default_history())
    found: dict[str, tuple[dict[str, str] | None, tuple[dict[str, str], ...]]] = {}
    try:
        for name, code in chosen:
            steps = previous_next_steps(history, code or name, earlier, store, framework)
            if steps is None and code:
                steps = previous_next_steps(history, name, earlier, store, framework)
            agreed = history.code_for(code or name)
            items = (follow_up_items(history, agreed, earlier, store, framework)
                     if agreed else None)
            actions = items.template_actions() if items and items.source == "record" else ()
            found[code or name] = (steps, actions)
            if steps is None and not actions:
                report.add(problem("follow-up-no-previous", Location(name), authority=name,
                                   cycle=earlier))
    finally:
        history.close()
    return found
