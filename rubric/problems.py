"""One catalogue of coded problems, and the report that carries them.

Every check in rubric yields :class:`Problem` values instead of raising, so one run collects
everything that is wrong with an input. A problem's code is stable (tests, ``--json`` consumers
and documentation key on it); its message is rendered from the catalogue's template with the
context of the case, and its hint says how to fix it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from os import PathLike
from typing import Any


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class ProblemType:
    code: str
    severity: Severity
    template: str
    hint: str


CATALOGUE: dict[str, ProblemType] = {}


def _define(code: str, severity: Severity, template: str, hint: str) -> None:
    assert code not in CATALOGUE, code
    CATALOGUE[code] = ProblemType(code, severity, template, hint)


E, W = Severity.ERROR, Severity.WARNING

# --- files -----------------------------------------------------------------------------------
_define("file-not-found", E, "no such file", "Check the path.")
_define("file-unreadable", E, "cannot read the file: {reason}", "Check the file is not open "
        "elsewhere or damaged, and that it is the file you meant.")
_define("file-too-large", E, "the file is {size} bytes; rubric reads at most {limit}",
        "A real framework or return is far smaller; check it is the right file.")
_define("output-exists", E, "{path} already exists", "Pass --force to replace it, or choose "
        "another output path.")
_define("file-skipped", W, "not read: {reason}", "{hint}")

# --- YAML ------------------------------------------------------------------------------------
_define("yaml-syntax", E, "YAML syntax error: {reason}", "Fix the YAML at this position; "
        "indent with spaces, never tabs, and quote text containing ': ' or '#'.")
_define("yaml-not-mapping", E, "the document must be a mapping of fields, found {found}",
        "Start the file with 'id:', 'title:', 'version:' and the other top-level fields.")
_define("yaml-tag-not-allowed", E, "the YAML tag {tag} is not allowed",
        "Remove the tag: framework files hold plain text, numbers, lists and mappings only.")
_define("yaml-alias", E, "YAML anchors and aliases are not allowed (this node is reused)",
        "Write the content out in full at each place it is needed.")
_define("yaml-duplicate-key", E, "the key {key!r} appears twice in this mapping (first at line "
        "{first_line})", "Remove or rename one of them; YAML would silently keep only the last.")
_define("yaml-complex-key", E, "mapping keys must be plain scalars", "Use a plain text or "
        "number key.")
_define("yaml-boolean-as-text", E, "{raw!r} was read as the boolean {value}, but text is "
        "expected here", "YAML 1.1 reads yes/no/on/off as booleans: quote it, e.g. \"{raw}\".")
_define("yaml-number-as-text", E, "{raw!r} was read as the number {value}, but text is expected "
        "here", "Quote it, e.g. \"{raw}\", so it stays exactly as written.")

# --- framework schema ------------------------------------------------------------------------
_define("missing-field", E, "the required field {field!r} is missing", "Add '{field}:'.")
_define("unknown-field", E, "unknown field {field!r}", "{suggestion}")
_define("wrong-type", E, "expected {expected}, found {found}", "Change the value to {expected}.")
_define("blank-text", E, "this text is empty", "Write the text, or remove the field if it is "
        "optional.")
_define("invalid-id", E, "{value!r} is not a valid {what}", "{rule}")
_define("invalid-choice", E, "{value!r} is not one of {choices}", "Use one of {choices}.")
_define("out-of-range", E, "{value!r} is out of range: {reason}", "Use a value {reason}.")
_define("invalid-value", E, "{reason}", "Check the value against the framework format in "
        "docs/framework-format.md.")

# --- framework lint --------------------------------------------------------------------------
_define("version-invalid", E, "{value!r} is not a semantic version", "Write "
        "MAJOR.MINOR.PATCH, e.g. 1.0.0 (quote it so YAML keeps it as text).")
_define("duplicate-id", E, "the id {id!r} is used twice (first by the {first} at line "
        "{first_line})", "Ids must be unique across the whole framework: renumber one.")
_define("indicator-id-prefix", E, "indicator {id!r} does not start with its category's id "
        "{parent!r}", "Number indicators inside their category, e.g. {parent}.1.")
_define("theme-id-prefix", E, "theme {id!r} does not start with its indicator's id {parent!r}",
        "Number themes inside their indicator, e.g. {parent}.1.")
_define("category-without-indicators", E, "category {id!r} has no indicators",
        "Add at least one indicator, or remove the category.")
_define("indicator-without-themes", E, "indicator {id!r} has no themes",
        "Add at least one theme: themes are what authorities evaluate.")
_define("illustration-unknown-level", E, "theme {id!r} illustrates level {level}, which is not "
        "on the scale ({levels})", "Key illustrations by a level value on the scale.")
_define("illustration-missing", E, "theme {id!r} has no illustration for level {level}",
        "The scale lists level {level} under 'required_illustrations': write one.")
_define("weight-not-positive", E, "the weight of {id!r} is {value}; weights must be above 0",
        "Use a positive weight, or remove the item if it should not count.")
_define("measure-unknown", E, "theme {id!r} links the measure {measure!r}, which is not "
        "defined", "Define it under 'measures:' or fix the id.")
_define("measure-indicator-unknown", E, "measure {id!r} belongs to indicator {indicator!r}, "
        "which does not exist", "Use the id of an indicator in this framework.")
_define("scale-too-short", E, "the scale has {count} level(s); at least 2 are needed",
        "List every level of the scale with its value, label and meaning.")
_define("scale-duplicate-value", E, "the scale value {value} is used twice",
        "Give each level its own value.")
_define("scale-duplicate-label", E, "the label {label!r} is used twice on the scale "
        "(special answers included, ignoring case)", "Every answer must be told apart by its "
        "label: rename one.")
_define("text-too-long", E, "this text has {length} characters; a workbook cell holds at most "
        "{limit}", "Shorten it: it must fit in one spreadsheet cell.")
_define("changelog-version-missing", W, "the changelog has no entry for version {version}",
        "Add a changelog entry saying what changed in {version}.")
_define("challenge-questions-missing", W, "indicator {id!r} has no challenge questions",
        "Add 'How well do we ...?' questions to the indicator or its themes.")
_define("duplicate-title", W, "the title {title!r} is used by {first!r} too",
        "Give each item a distinct title so people can tell them apart.")
_define("alias-clash", E, "the alias {alias!r} of {id!r} is {what}",
        "An alias names a former id: it may not be a current id or another item's alias.")
_define("retired-id-in-use", E, "the id {id!r} is retired (since {since}) but used again",
        "Retired ids are never reused: choose a new id.")
_define("reference-unknown", E, "{what} refers to {ref!r}, which is not in this framework",
        "Use the id of an item in this version.")
_define("control-characters", E, "this text contains control characters ({chars})",
        "Remove them; they cannot be written into a workbook.")

# --- the history database -----------------------------------------------------------------
_define("history-not-a-database", E, "{path} is not a rubric history database ({found})",
        "Check --db (or $RUBRIC_DB) points to the history file that 'rubric ingest' made; "
        "the file was left as it is.")
_define("history-corrupt", E, "the history database {path} is damaged: {reason}",
        "Restore it from a backup (rubric never repairs or overwrites it); the file was left "
        "as it is.")
_define("history-newer-version", E, "the history database {path} was written by a newer "
        "rubric (schema {found}; this rubric knows up to {known})",
        "Upgrade rubric to read it; the file was left as it is.")
_define("history-missing", E, "no history database at {path}",
        "Record returns with 'rubric ingest' first, or point --db at the history file.")

# --- Quads ----------------------------------------------------------------------------------
_define("quad-unknown-authority", E, "{name!r} is not one of the 32 authorities",
        "{suggestion}")
_define("quad-member-twice", E, "{authority} is in Quad {quad!r} and also in {other!r} in "
        "cycle {cycle}", "An authority belongs to one Quad per cycle: remove one membership.")
_define("quad-size", E, "Quad {quad!r} has {count} member(s); {expected} expected",
        "Add or remove members, or set 'size:' on the Quad if it really differs.")
_define("quad-lead-not-member", E, "the lead of Quad {quad!r}, {lead}, is not one of its "
        "members", "Choose the lead from the members.")
_define("quad-duplicate-name", E, "the Quad name {quad!r} is used twice in cycle {cycle}",
        "Give each Quad of a cycle its own name.")

# --- comparisons ----------------------------------------------------------------------------
_define("compare-invalid-return", E, "this return has {errors} error(s) and cannot be compared",
        "Run 'rubric validate' on it and have the authority fix it first.")
_define("compare-too-few", E, "a comparison needs at least 2 returns; {count} given",
        "Pass the returns of every member of the Quad.")
_define("compare-framework-mismatch", E, "this return uses {found}, but {first} uses {expected}",
        "Compare returns of one framework version, or bring them to one version with "
        "'rubric migrate'.")
_define("compare-duplicate-authority", E, "{authority} appears twice (also in {first})",
        "Keep one return per authority: the latest.")
_define("compare-not-in-quad", E, "{authority} is not a member of Quad {quad!r}",
        "Check the Quads file, or leave this return out of the comparison.")
_define("compare-member-missing", W, "no return from {authority}, a member of Quad {quad!r}",
        "The comparison goes ahead without it; add its return when it arrives.")

# --- returned workbooks: the file ------------------------------------------------------------
_define("workbook-not-xlsx", E, "not an .xlsx workbook: this is {found}",
        "Open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx).")
_define("workbook-legacy-xls", E, "this is a legacy Excel 97-2003 file (.xls)",
        "Open it and save it as an Excel workbook (.xlsx).")
_define("workbook-encrypted", E, "the workbook is password-protected (encrypted)",
        "Remove the password to open (File > Info > Protect Workbook) and send it again.")
_define("workbook-macro-enabled", E, "the workbook contains macros (VBA); rubric does not read "
        "macro-enabled files", "Save it as a plain Excel workbook (.xlsx), without macros.")
_define("workbook-truncated", E, "the file is damaged or incomplete ({reason})",
        "Ask for the file to be sent again; it may have been cut off in transfer.")
_define("workbook-too-large", E, "the workbook is too large: {reason}",
        "A return is well under 1 MB; check it is the right file.")
_define("workbook-zip-bomb", E, "the part {part} is suspicious: {reason}",
        "rubric refuses files that unpack to far more than a return ever holds.")
_define("workbook-xml-entities", E, "the part {part} declares a DTD or entities",
        "Workbooks never need them; they are a known attack. Ask for a clean copy.")
_define("workbook-unreadable", E, "the workbook cannot be read: {reason}",
        "Open and re-save it in Excel or LibreOffice as .xlsx, then try again.")
_define("sheet-too-large", E, "the sheet {part} reaches row {rows:,} (or so far right that its "
        "grid is too large); rubric reads at most {limit:,} rows and 5 million cells",
        "Delete the stray content far below or to the right of the table and save again.")

# --- returned workbooks: provenance ----------------------------------------------------------
_define("provenance-missing", E, "the workbook carries no rubric provenance ({reason})",
        "Fill in a workbook generated by 'rubric template'; copies made by hand cannot be read.")
_define("provenance-invalid", E, "the provenance sheet is damaged: {reason}",
        "Start again from a freshly generated workbook, or ask the Quad lead for one.")
_define("provenance-unknown-framework", E, "the workbook was made from framework {framework!r} "
        "version {version!r}, which is not in {directory} ({known})",
        "Add that framework file, point --frameworks at the right folder, or migrate the return.")
_define("provenance-framework-invalid", E, "the framework file {path} for this workbook has "
        "errors", "Run 'rubric framework lint {path}' and fix it.")
_define("provenance-hash-mismatch", E, "the workbook was made from a different text of "
        "{framework} {version} (workbook {found}, file {expected})",
        "The framework file changed after the workbook was generated without a version bump; "
        "restore it or bump the framework's version.")

# --- returned workbooks: content -------------------------------------------------------------
_define("sheet-missing", E, "no sheet holds the themes of {what}",
        "The sheet was deleted or its ID column damaged; copy the answers into a fresh workbook.")
_define("header-missing", E, "the table header on this sheet is missing or changed (no "
        "{header!r} column found)", "Restore the header row from a fresh workbook.")
_define("theme-missing", E, "theme {id!r} has no row in this workbook",
        "The row was deleted or its ID changed; restore it from a fresh workbook.")
_define("id-unknown", E, "the ID {id!r} is not in framework {framework}",
        "IDs must not be edited: restore the original ID from a fresh workbook.")
_define("id-duplicated", E, "the ID {id!r} appears again (first at {first})",
        "Each theme has one row: merge the answers into one row and delete the copy.")
_define("level-unknown", E, "{value!r} is not a level of this framework",
        "Choose from the dropdown: {choices}.")
_define("measure-not-a-number", E, "{value!r} is not a number", "Enter a plain number such "
        "as 95.8; put comments in the Notes column.")
_define("level-without-evidence", W, "theme {id!r} has a level but no evidence",
        "Say how you know: evidence is what the Quad will discuss.")
_define("evidence-without-level", W, "theme {id!r} has evidence but no level",
        "Choose a level, or '{not_evaluated}' if you have not evaluated it yet.")
_define("answer-outside-framework", W, "text outside the answer cells will not be read: "
        "{value!r}", "Move it into the evidence, strengths or next steps of a theme.")
_define("measure-fraction-among-percentages", E, "{value:g} looks like a fraction, but the other "
        "percentages in this return are on a 0-100 scale (e.g. {other:g} at {other_cell})",
        "Enter it as a percentage from 0 to 100 ({percent:g}, not {value:g}), as the others are; "
        "it would otherwise be compared as {value:g}%.")
_define("answer-formula", W, "this cell holds a formula (={formula}); its saved result "
        "{value!r} was read", "Type answers as plain text or numbers. To start a text with "
        "'=', '+', '-' or '@', type an apostrophe first ('=...) so it stays text.")
_define("answer-error-value", E, "this cell shows the error value {value}: it holds a formula, "
        "not an answer (typing text that starts with '=' makes one)",
        "Retype the answer. To start a text with '=', '+', '-' or '@', type an apostrophe "
        "first ('=...) so Excel keeps it as text.")
_define("text-at-cell-limit", W, "this text is exactly {limit:,} characters long, the most a "
        "cell holds: it was probably cut when the file was saved", "Excel and LibreOffice cut "
        "longer text on saving. Check its end is there; if not, shorten it or go on in "
        "another answer cell.")
_define("return-incomplete", W, "{answered} of {total} themes answered ({percent}%){detail}",
        "Choose a level, '{not_applicable}' or '{not_evaluated}' for every theme; a score needs "
        "at least {threshold}% of the themes under it answered.")
_define("sheet-not-in-framework", W, "the sheet {sheet!r} is not part of the {framework} "
        "workbook, so nothing on it was read", "That is fine for your own notes or plans; "
        "answers belong in the key-area sheets.")
_define("measure-looks-like-fraction", W, "measure {id!r} is a percentage but {value} looks "
        "like a fraction", "Enter percentages as numbers from 0 to 100, e.g. 95.8 not 0.958.")


def display_path(path: object) -> str:
    """A path as text that can always be printed: bytes the OS gave that are not UTF-8 (a name
    unzipped from a Windows attachment) are shown as U+FFFD; the path itself is kept as given."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raw = text.encode("utf-8", "replace")
        return raw.decode("utf-8", "replace")
    return text


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a file, and within it a YAML line/column or a ``Sheet!B7`` cell."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        parts = [display_path(self.file) if self.file else ""]
        if self.line is not None:
            parts.append(f":{self.line}")
            if self.column is not None:
                parts.append(f":{self.column}")
        if self.sheet is not None:
            parts.append(f": {self.sheet}!{self.cell}" if self.cell else f": {self.sheet}")
        return "".join(parts).lstrip(": ") if not self.file else "".join(parts)


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    severity: Severity
    message: str
    hint: str
    location: Location = field(default_factory=Location)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        where = str(self.location)
        return f"{where + ': ' if where else ''}{self.code}: {self.message} ({self.hint})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "location": str(self.location),
            "message": self.message,
            "hint": self.hint,
        }


class _SafeDict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def problem(code: str, location: Location | None = None, **context: Any) -> Problem:
    """Build a problem of a catalogued type; unknown codes are a programming error."""
    kind = CATALOGUE[code]
    values = _SafeDict({key: display_path(value) if isinstance(value, str | PathLike) else value
                        for key, value in context.items()})
    return Problem(
        code=code,
        severity=kind.severity,
        message=kind.template.format_map(values),
        hint=kind.hint.format_map(values),
        location=location or Location(),
    )


@dataclass(slots=True)
class Report:
    """All problems of one input, errors and warnings apart, in the order they were found."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, item: Problem) -> None:
        self.problems.append(item)

    def extend(self, items: Iterable[Problem]) -> None:
        self.problems.extend(items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def valid(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def codes(self) -> list[str]:
        return [p.code for p in self.problems]
