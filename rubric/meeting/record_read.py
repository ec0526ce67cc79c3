"""A filled meeting record -> :class:`MeetingRecord`, through the same gate as returns.

The file passes the safety gate and raw reader every return passes (rubric/workbook/safety.py,
rubric/workbook/read.py); its provenance must name a framework text we hold; then the
Evaluation and Action plans tables are found by their header texts and rows by the authority
code and id columns. Every problem is located at ``Sheet!Cell`` and collected in one pass.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rubric.framework.model import Framework
from rubric.framework.store import FrameworkStore
from rubric.meeting import layout
from rubric.problems import Location, Report, problem
from rubric.read.raw import RawWorkbook, Sheet, read_workbook
from rubric.xlsx.cells import cell_id, cell_text
from rubric.xlsx.layout import cell_name, find_header, is_blank, normalise, parse_level

MAX_PROVENANCE_CHARS = 500
MAX_MEMBERS_CHARS = 20_000
MAX_MEMBERS = 16
_UK_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+)?")
_LINK_SPLIT = re.compile(r"[,;\s]+")


@dataclass(frozen=True, slots=True)
class RecordMember:
    code: str
    name: str
    return_hash: str = ""


@dataclass(frozen=True, slots=True)
class Validation:
    """The Quad's view of one member's self-evaluation of one indicator."""

    authority_code: str
    indicator_id: str
    self_score: float | None  # as shown in the record (read only)
    view: str  # one of layout.VIEWS
    level: int | None
    rationale: str
    cell: str = ""


@dataclass(frozen=True, slots=True)
class Action:
    """One action of a member's plan."""

    authority_code: str
    id: str
    action: str
    links: tuple[str, ...] = ()
    owner: str = ""
    due: dt.date | None = None
    success: str = ""
    status: str = layout.NOT_STARTED
    cell: str = ""

    def overdue(self, on: dt.date) -> bool:
        return self.due is not None and self.due < on and self.status not in (
            layout.COMPLETED, layout.NO_LONGER)


@dataclass(slots=True)
class MeetingRecord:
    path: str
    framework_id: str
    framework_version: str
    framework_hash: str
    quad: str
    cycle: str
    meeting_date: dt.date | None
    members: list[RecordMember]
    validations: list[Validation] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    created_at: str = ""

    def member(self, code: str) -> RecordMember | None:
        return next((m for m in self.members if m.code == code), None)


@dataclass(slots=True)
class RecordResult:
    path: str
    record: MeetingRecord | None = None
    framework: Framework | None = None
    report: Report = field(default_factory=Report)
    provenance: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.record is not None and self.report.valid

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "valid": self.valid,
                "quad": self.provenance.get("quad") or None,
                "cycle": self.provenance.get("cycle") or None,
                "errors": [p.to_dict() for p in self.report.errors],
                "warnings": [p.to_dict() for p in self.report.warnings]}


_text, _id = cell_text, cell_id  # read as returns are read


def _short(value: Any) -> str:
    text = _text(value)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_date(value: Any) -> dt.date | str | None:
    """A date cell -> date, None when blank, or the text itself when it is not a date."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    try:
        iso = _ISO_DATE.fullmatch(text)
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        uk = _UK_DATE.fullmatch(text)
        if uk:
            return dt.date(int(uk.group(3)), int(uk.group(2)), int(uk.group(1)))
    except ValueError:
        pass
    return text


def _choice(value: Any, options: tuple[str, ...]) -> str | None:
    wanted = normalise(value)
    return next((option for option in options if normalise(option) == wanted), None)


def _provenance(book: RawWorkbook, report: Report) -> dict[str, str]:
    file = str(book.path)
    sheet = book.sheet(layout.PROVENANCE_SHEET)
    if sheet is None:
        report.add(problem("provenance-missing", Location(file, sheet=layout.PROVENANCE_SHEET),
                           reason=f"no sheet named {layout.PROVENANCE_SHEET!r}"))
        return {}
    values = {_text(row[0]): _text(row[1]) for row in sheet.rows if len(row) >= 2 and row[0]}

    def bad(key: str, reason: str) -> None:
        row = layout.PROVENANCE_KEYS.index(key) + 1
        report.add(problem("provenance-invalid", Location(file, sheet=sheet.name,
                                                          cell=f"B{row}"), reason=reason))

    found = values.get("format", "")
    if found != layout.FORMAT:
        what = " (an authority's return, not a meeting record)" \
            if found.startswith("rubric-workbook/") else ""
        bad("format", f"format is {found[:60]!r}{what}, expected {layout.FORMAT!r}")
        return values
    for key in ("framework_id", "framework_version", "framework_hash", "cycle", "quad"):
        if len(values.get(key, "")) > MAX_PROVENANCE_CHARS:
            bad(key, f"{key} is {len(values[key]):,} characters long")
        elif not values.get(key):
            bad(key, f"{key} is missing")
    if len(values.get("members", "")) > MAX_MEMBERS_CHARS:
        bad("members", f"members is {len(values['members']):,} characters long")
    elif _members(values.get("members", "")) is None:
        bad("members", "the list of members cannot be read")
    day = parse_date(values.get("meeting_date", ""))
    if isinstance(day, str):
        bad("meeting_date", f"meeting_date {day[:40]!r} is not a date")
    return values


def _members(text: str) -> list[RecordMember] | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, list) or not 1 <= len(data) <= MAX_MEMBERS:
        return None
    members = []
    for item in data:
        if not isinstance(item, dict):
            return None
        code, name, digest = item.get("code"), item.get("name"), item.get("return_hash", "")
        if not all(isinstance(v, str) and len(v) <= MAX_PROVENANCE_CHARS
                   for v in (code, name, digest)) or not code or not name:
            return None
        members.append(RecordMember(code, name, digest))
    if len({m.code for m in members}) != len(members):
        return None
    return members


def _resolve(values: dict[str, str], store: FrameworkStore, file: str,
             report: Report) -> Framework | None:
    where = Location(file, sheet=layout.PROVENANCE_SHEET, cell="B3")
    framework_id, version = values["framework_id"], values["framework_version"]
    loaded = store.get(framework_id, version)
    if loaded is None:
        known = store.versions(framework_id)
        report.add(problem("provenance-unknown-framework", where, framework=framework_id,
                           version=version, directory=store.describe(),
                           known="known versions: " + ", ".join(known) if known
                           else "no versions of it are there"))
        return None
    if not loaded.valid or loaded.framework is None:
        report.add(problem("provenance-framework-invalid", where, path=loaded.path))
        return None
    if values["framework_hash"] != loaded.framework.content_hash:
        report.add(problem("provenance-hash-mismatch", Location(
            file, sheet=layout.PROVENANCE_SHEET, cell="B4"), framework=framework_id,
            version=version, found=values["framework_hash"][:19],
            expected=loaded.framework.content_hash[:19]))
        return None
    return loaded.framework


class _Reader:
    def __init__(self, book: RawWorkbook, framework: Framework, members: list[RecordMember],
                 report: Report) -> None:
        self.book, self.framework, self.report = book, framework, report
        self.file = str(book.path)
        self.members = {m.code: m for m in members}
        self.validations: list[Validation] = []
        self.actions: list[Action] = []
        self.seen: dict[tuple[str, str], str] = {}  # (code, id) -> "Sheet!A5"

    def add(self, kind: str, sheet: Sheet, row: int, column: int, **context: Any) -> None:
        self.report.add(problem(kind, Location(self.file, sheet=sheet.name,
                                               cell=cell_name(row, column)), **context))

    def run(self) -> None:
        found = {"evaluation": False, "actions": False}
        for sheet in self.book.sheets:
            if sheet.name in layout.SUPPORT_SHEETS:
                continue
            table = find_header(sheet.rows, layout.EVALUATION_COLUMNS,
                                ("code", "id", "view", "level", "rationale"))
            if table is not None:
                found["evaluation"] = True
                self._evaluation(sheet, *table)
                continue
            table = find_header(sheet.rows, layout.ACTION_COLUMNS,
                                ("code", "action_id", "action", "due", "status"))
            if table is not None:
                found["actions"] = True
                self._actions(sheet, *table)
        for key, sheet_name, what in (("evaluation", layout.EVALUATION_SHEET, "evaluation"),
                                      ("actions", layout.ACTIONS_SHEET, "action plan")):
            if not found[key]:
                self.report.add(problem("record-table-missing",
                                        Location(self.file, sheet=sheet_name), what=what))
        if found["evaluation"]:
            self._missing_rows()

    def _member(self, sheet: Sheet, r: int, column: int, code: str) -> bool:
        if code in self.members:
            return True
        self.add("record-member-unknown", sheet, r, column, value=code,
                 members=", ".join(self.members))
        return False

    def _first(self, key: tuple[str, str], sheet: Sheet, r: int, column: int) -> bool:
        if key in self.seen:
            self.add("id-duplicated", sheet, r, column, id=key[1], first=self.seen[key])
            return False
        self.seen[key] = f"{sheet.name}!{cell_name(r, column)}"
        return True

    def _stray(self, sheet: Sheet, r: int, row: list[Any], columns: list[int]) -> None:
        for c in columns:
            if c < len(row) and not is_blank(row[c]):
                self.add("answer-outside-framework", sheet, r, c, value=_short(row[c]))
                return

    # --- the Evaluation table ----------------------------------------------------------------

    def _evaluation(self, sheet: Sheet, header: int, columns: dict[str, int]) -> None:
        answers = [columns[k] for k in ("view", "level", "rationale")]
        scale = self.framework.scale
        level_choices = ", ".join(f"{lv.value} - {lv.label}" for lv in reversed(scale.ascending))
        for r in range(header + 1, len(sheet.rows)):
            row = sheet.rows[r]

            def cell(key: str, row: list[Any] = row) -> Any:
                index = columns.get(key, -1)
                return row[index] if 0 <= index < len(row) else ""

            code, indicator_id = _text(cell("code")), _id(cell("id"))
            if not code and not indicator_id:
                self._stray(sheet, r, row, answers)
                continue
            if not self._member(sheet, r, columns["code"], code):
                continue
            if indicator_id not in self.framework.indicator_index:
                self.add("id-unknown", sheet, r, columns["id"], id=indicator_id,
                         framework=self.framework.key)
                continue
            if not self._first((code, indicator_id), sheet, r, columns["id"]):
                continue
            raw_view, raw_level = cell("view"), cell("level")
            rationale = _text(cell("rationale"))
            if is_blank(raw_view) and is_blank(raw_level) and not rationale:
                continue  # not reached in the meeting
            view = _choice(raw_view, layout.VIEWS) if not is_blank(raw_view) else None
            ok = True
            if view is None and not is_blank(raw_view):
                self.add("record-view-unknown", sheet, r, columns["view"],
                         value=_short(raw_view), choices=", ".join(layout.VIEWS))
                ok = False
            level = None
            if not is_blank(raw_level):
                parsed = parse_level(raw_level, scale)
                if parsed is None or parsed.value is None:
                    self.add("level-unknown", sheet, r, columns["level"],
                             value=_short(raw_level), choices=level_choices)
                    ok = False
                else:
                    level = parsed.value
            if is_blank(raw_view):
                self.add("record-view-missing", sheet, r, columns["view"])
                ok = False
            if view in layout.VIEWS_NEEDING_LEVEL and level is None and ok:
                self.add("record-level-missing", sheet, r, columns["level"], view=view)
                ok = False
            if view in layout.VIEWS_NEEDING_RATIONALE and not rationale:
                self.add("record-rationale-missing", sheet, r, columns["rationale"], view=view)
                ok = False
            raw_score = cell("self_score")
            self_score = float(raw_score) if isinstance(raw_score, int | float) and \
                not isinstance(raw_score, bool) else None
            if ok and view is not None and level is not None:
                self._consistent(sheet, r, columns["level"], view, level, self_score)
            if ok and view is not None:
                self.validations.append(Validation(
                    code, indicator_id, self_score, view, level, rationale,
                    f"{sheet.name}!{cell_name(r, columns['view'])}"))

    def _consistent(self, sheet: Sheet, r: int, column: int, view: str, level: int,
                    self_score: float | None) -> None:
        if self_score is None:
            return
        relation = None
        if view == layout.HIGHER and level <= self_score:
            relation = "not above"
        elif view == layout.LOWER and level >= self_score:
            relation = "not below"
        elif view == layout.AGREED and abs(level - self_score) >= 1:
            relation = "far from"
        elif view == layout.NOT_DISCUSSED:
            relation = "given while not discussing"
        if relation:
            self.add("record-view-inconsistent", sheet, r, column, view=view, level=level,
                     relation=relation, self_score=f"{self_score:.1f}")

    def _missing_rows(self) -> None:
        for code, member in self.members.items():
            for indicator_id in self.framework.indicator_index:
                if (code, indicator_id) not in self.seen:
                    self.report.add(problem("record-row-missing", Location(
                        self.file, sheet=layout.EVALUATION_SHEET), authority=member.name,
                        id=indicator_id))

    # --- the Action plans table --------------------------------------------------------------

    def _actions(self, sheet: Sheet, header: int, columns: dict[str, int]) -> None:
        keys = ("action", "links", "owner", "due", "success", "status")
        answers = [columns[k] for k in keys if k in columns]
        last_code = ""
        numbers: dict[str, int] = {}
        pending: list[tuple[int, dict[str, Any]]] = []
        for r in range(header + 1, len(sheet.rows)):
            row = sheet.rows[r]
            values = {k: (row[columns[k]] if k in columns and columns[k] < len(row) else "")
                      for k in ("code", "action_id", *keys)}
            code, action_id = _text(values["code"]), _id(values["action_id"])
            used = any(not is_blank(values[k]) for k in keys)
            if not code and not action_id:
                if used and last_code:
                    pending.append((r, values))  # an inserted row: numbered after the rest
                else:
                    self._stray(sheet, r, row, answers)
                continue
            if not self._member(sheet, r, columns["code"], code):
                continue
            last_code = code
            match = re.fullmatch(re.escape(code) + r"-A(\d{1,4})", action_id)
            if match:
                numbers[code] = max(numbers.get(code, 0), int(match.group(1)))
            if not action_id:
                if used:
                    pending.append((r, values))
                continue
            if not self._first((code, action_id), sheet, r, columns["action_id"]):
                continue
            if used:
                self._action(sheet, r, columns, code, action_id, values)
        owners = self._owners(sheet, header, columns)
        for r, values in pending:
            code = _text(values["code"]) or owners.get(r, "")
            if code not in self.members:
                continue
            numbers[code] = numbers.get(code, 0) + 1
            new_id = layout.action_id(code, numbers[code])
            self.seen[(code, new_id)] = f"{sheet.name}!{cell_name(r, columns['action_id'])}"
            self.add("record-action-new-row", sheet, r, columns["action_id"], id=new_id)
            self._action(sheet, r, columns, code, new_id, values)

    def _owners(self, sheet: Sheet, header: int, columns: dict[str, int]) -> dict[int, str]:
        """Row -> the member code of the nearest row above that names one."""
        owners, current = {}, ""
        for r in range(header + 1, len(sheet.rows)):
            row = sheet.rows[r]
            index = columns["code"]
            code = _text(row[index]) if index < len(row) else ""
            current = code or current
            owners[r] = current
        return owners

    def _action(self, sheet: Sheet, r: int, columns: dict[str, int], code: str,
                action_id: str, values: dict[str, Any]) -> None:
        ok = True
        text = _text(values["action"])
        if not text:
            self.add("record-action-missing", sheet, r, columns["action"])
            ok = False
        links: list[str] = []
        raw_links = values["links"]
        tokens = [_id(raw_links)] if isinstance(raw_links, float) else \
            [t for t in _LINK_SPLIT.split(_text(raw_links)) if t]
        known = self.framework.indicator_index.keys() | self.framework.theme_index.keys()
        for token in tokens:
            if token in known:
                links.append(token)
            else:
                self.add("record-link-unknown", sheet, r, columns["links"], value=token[:40],
                         framework=self.framework.key)
                ok = False
                break
        due = parse_date(values["due"])
        if isinstance(due, str) or isinstance(values["due"], bool):
            self.add("record-date-invalid", sheet, r, columns["due"], value=_short(due))
            ok, due = False, None
        status = layout.NOT_STARTED
        if not is_blank(values["status"]):
            found = _choice(values["status"], layout.STATUSES)
            if found is None:
                self.add("record-status-unknown", sheet, r, columns["status"],
                         value=_short(values["status"]), choices=", ".join(layout.STATUSES))
                ok = False
            else:
                status = found
        if ok:
            self.actions.append(Action(
                code, action_id, text, tuple(links), _text(values["owner"]),
                due if isinstance(due, dt.date) else None, _text(values["success"]), status,
                f"{sheet.name}!{cell_name(r, columns['action'])}"))


def read_record(path: str | Path, store: FrameworkStore | None = None) -> RecordResult:
    """Read and check one meeting record; bad input becomes problems, never exceptions."""
    store = store or FrameworkStore()
    result = RecordResult(str(path))
    book, problems = read_workbook(path, skip=frozenset({layout.INSTRUCTIONS_SHEET,
                                                         layout.LISTS_SHEET}))
    result.report.extend(problems)
    if book is None:
        return result
    values = result.provenance = _provenance(book, result.report)
    if not result.report.valid:
        return result
    framework = _resolve(values, store, str(path), result.report)
    if framework is None:
        return result
    result.framework = framework
    members = _members(values["members"]) or []
    reader = _Reader(book, framework, members, result.report)
    reader.run()
    day = parse_date(values.get("meeting_date", ""))
    result.record = MeetingRecord(
        path=str(path), framework_id=framework.id, framework_version=framework.version,
        framework_hash=values["framework_hash"], quad=values["quad"], cycle=values["cycle"],
        meeting_date=day if isinstance(day, dt.date) else None, members=members,
        validations=reader.validations, actions=reader.actions,
        created_at=values.get("created_at", ""))
    return result
