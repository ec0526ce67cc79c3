"""One catalogue of coded problems, and the report that carries them.

Every check in rubric yields :class:`Problem` values instead of raising, so one run collects
everything that is wrong with an input. A problem's code is stable (tests, ``--json`` consumers
and documentation key on it); its message is rendered from the catalogue's template with the
context of the case, and its hint says how to fix it.
"""

from __future__ import annotations

import enum
import string
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
    usage: bool = False  # the command cannot run as asked (exit 2), not a problem of the input


CATALOGUE: dict[str, ProblemType] = {}

# One exit-code rule for every command (the CLI only applies it):
EXIT_OK = 0  # done; warnings, if any, were printed
EXIT_PROBLEMS = 1  # the input has problems (an invalid return, a framework with errors, ...)
EXIT_USAGE = 2  # the command cannot run as asked (unknown name, no files, output exists, ...)


def _define(code: str, severity: Severity, template: str, hint: str, *,
            usage: bool = False) -> None:
    assert code not in CATALOGUE, code
    CATALOGUE[code] = ProblemType(code, severity, template, hint, usage)


E, W = Severity.ERROR, Severity.WARNING

# --- files -----------------------------------------------------------------------------------
_define("file-not-found", E, "no such file", "Check the path.")
_define("file-unreadable", E, "cannot read the file: {reason}", "Check the file is not open "
        "elsewhere or damaged, and that it is the file you meant.")
_define("file-too-large", E, "the file is {size} bytes; rubric reads at most {limit}",
        "A real framework or return is far smaller; check it is the right file.")
_define("output-exists", E, "{path} already exists", "Pass --force to replace it, or choose "
        "another output path.", usage=True)
_define("internal-error", E, "rubric stopped on an unexpected error ({kind}: {detail})",
        "This is a fault in rubric, not in your files: please report it with the command you "
        "ran (set RUBRIC_DEBUG=1 to see the details). Your inputs were not changed.", usage=True)
_define("web-extra-missing", E, "the web service needs {missing}, which is not installed",
        "Install rubric with its web extra: pip install 'rubric[web]'.", usage=True)
_define("output-name-mismatch", E, "{path}: {reason}", "{hint}", usage=True)
_define("no-input-files", E, "no returns to read: {reason}", "Name .xlsx files, or folders that "
        "hold them.", usage=True)
_define("options-conflict", E, "{reason}", "{hint}", usage=True)
_define("date-invalid", E, "{value!r} is not a date", "Write a date as YYYY-MM-DD, e.g. "
        "2026-11-12.", usage=True)
_define("cycle-invalid", E, "{value!r} is not a cycle", "Write a cycle as the school year it "
        "covers, e.g. 2025-26 (two consecutive years).", usage=True)

# --- names: frameworks, authorities, Quads ---------------------------------------------------
_define("framework-not-found", E, "no framework {spec!r} ({searched})", "{known}", usage=True)
_define("framework-has-errors", E, "the framework {path} has {errors:plural:error} (listed above)",
        "Run 'rubric framework lint {path}' and fix them first.")
_define("authority-unknown", E, "{name!r} is not one of the 32 education authorities",
        "{suggestion}", usage=True)
_define("quad-unknown", E, "no Quad named {name!r}{for_cycle} in {path}", "{known}", usage=True)
_define("quads-file-missing", E, "no Quads file at {path}", "Pass --quads-file, set "
        "RUBRIC_QUADS, or put a quads.yaml in this folder.", usage=True)
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
_define("scale-too-short", E, "the scale has {count:plural:level}; at least 2 are needed",
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
_define("overall-judgement-shape", W, "key area {id!r} is an overall judgement, but {reason}",
        "An overall judgement is one level chosen for the whole: give the key area one "
        "indicator with 'grading: indicator' (or 'both').")
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
# --- the history, across cycles ---------------------------------------------------------------
_define("history-missing", E, "no history database at {path}", "Record returns first with "
        "'rubric ingest RETURNS', or point --db (or RUBRIC_DB) at the database.", usage=True)
_define("history-framework-missing", E, "the history holds returns on framework {framework} "
        "{version}, which is not available ({searched})", "Add that framework file to a folder "
        "on the lookup path (--frameworks, RUBRIC_FRAMEWORKS, ./frameworks).")
_define("history-no-returns", E, "no returns recorded for {what} in {path}",
        "{known}Record returns with 'rubric ingest', or check the name, code and cycle.")
_define("follow-up-no-previous", W, "{authority} has no return recorded for {cycle}",
        "Its follow-up column says so; ingest last cycle's return first to list its next steps.")
_define("ingest-cycle-mismatch", E, "this return is for cycle {found}, not {expected}",
        "Ingest it under its own cycle (leave out --cycle to take it from the return), or "
        "ask the authority for the {expected} return.")
_define("ingest-cycle-unknown", E, "this return does not say which cycle it is for",
        "Pass --cycle to say which cycle it belongs to.")

# --- published measures (rubric measures import) -----------------------------------------------
_define("measures-csv-columns", E, "the CSV has no {missing} column (its first row names: "
        "{found})", "The first row must name the columns authority, measure, cycle and value "
        "(see 'The measures CSV' in the README).")
_define("measures-csv-empty", E, "the CSV holds no figures", "Put one figure per row under "
        "the header: authority, measure, cycle, value.")
_define("measures-csv-authority", E, "{name!r} is not one of the 32 education authorities",
        "{suggestion}Use a council's name, its three-letter code or its GSS code.")
_define("measures-csv-cycle", E, "{value!r} is not a cycle", "Write the school year the figure "
        "is for, e.g. 2025-26.")
_define("measures-csv-value", E, "{value!r} is not a number", "Write the figure as a plain "
        "number, e.g. 95.8 (a percentage from 0 to 100).")
_define("measures-csv-duplicate", E, "{authority}, {measure}, {cycle} is given twice (first "
        "on line {first}) with another value", "Keep one figure per authority, measure and "
        "cycle.")
_define("measures-csv-measure-unknown", W, "{framework} has no measure {measure!r}",
        "Check the measure id against the framework's Measures sheet; the figure is imported "
        "all the same.")
_define("measure-differs-from-published", W, "the {which} value {found:g} differs from the "
        "published figure {published:g} for {authority} in {cycle}", "Check the return "
        "against the published figure (imported with 'rubric measures import'); if the "
        "return is right, say why in Notes.")
_define("measures-not-published", W, "no published figures for {authority} in {cycles}",
        "Its Measures sheet is left for the authority to fill in; import the figures with "
        "'rubric measures import' to prefill it.")

# --- the web service (rubric serve) -----------------------------------------------------------
_define("return-other-authority", E, "this return is from {found}, but you upload for {expected}",
        "Upload your own authority's return: download a fresh workbook from your page if this "
        "one was made for someone else.")
_define("upload-missing", E, "no file was uploaded", "Choose a workbook (.xlsx) and upload it "
        "again.", usage=True)
_define("upload-too-large", E, "the upload is larger than {limit}", "A return is well under "
        "1 MB; check it is the right file.", usage=True)
_define("upload-too-many", E, "more than {limit} file(s) in one upload", "Upload one file at "
        "a time.", usage=True)
_define("sign-in-failed", E, "the name or password is not right", "Check both and try again; "
        "ask your administrator for a new sign-in link if you have forgotten the password.",
        usage=True)
_define("sign-in-locked", E, "too many failed sign-ins; wait {minutes} minutes",
        "Sign-in pauses after repeated failures to stop password guessing; ask your "
        "administrator for a new sign-in link if you have forgotten the password.", usage=True)
_define("access-denied", E, "you may not see or do this", "Sign in with an account that has "
        "this role, or ask your administrator.", usage=True)
_define("not-found", E, "there is nothing here", "Go back to your home page and follow a link "
        "from there.", usage=True)
_define("account-exists", E, "there is already an account named {name!r}", "Choose another "
        "name, or use 'rubric users link {name}' for a new sign-in link.", usage=True)
_define("account-unknown", E, "there is no account named {name!r}", "'rubric users list' "
        "shows the accounts.", usage=True)
_define("password-rejected", E, "the password was refused: {reason}", "Choose a longer "
        "password that is not common and not like the account name (12 characters or more).",
        usage=True)
_define("comparison-has-problems", E, "this comparison could not be made ({errors} error(s)), "
        "so it cannot be released", "Have the members fix the problems it lists, then "
        "generate it again.", usage=True)
_define("report-not-released", E, "your report for {cycle} is shown once your Quad's "
        "comparison is released", "Your Quad lead releases the comparison after checking it; "
        "ask them.", usage=True)
_define("draft-not-publishable", E, "{name} cannot be published: {reason}", "{hint}",
        usage=True)
_define("comparison-not-released", E, "the comparison of {quad} for {cycle} has not been "
        "released yet", "Your Quad lead releases it after checking it; ask them.", usage=True)

# --- versions -------------------------------------------------------------------------------
_define("migrate-invalid-return", E, "this return has {errors:plural:error} and cannot be migrated "
        "(listed above)", "Fix the return first: run 'rubric validate' on it.")
_define("migrate-other-framework", E, "this is a {found} return, but {target} is framework "
        "{expected}", "Migrate to a version of the framework the return was made from.",
        usage=True)
_define("diff-check-failed", E, "version check failed: {reason}", "{hint}")

# --- Quads ----------------------------------------------------------------------------------
_define("quad-unknown-authority", E, "{name!r} is not one of the 32 authorities",
        "{suggestion}")
_define("quad-member-twice", E, "{authority} is in Quad {quad!r} and also in {other!r} in "
        "cycle {cycle}", "An authority belongs to one Quad per cycle: remove one membership.")
_define("quad-size", E, "Quad {quad!r} has {count:plural:member}; {expected} expected",
        "Add or remove members, or set 'size:' on the Quad if it really differs.")
_define("quad-lead-not-member", E, "the lead of Quad {quad!r}, {lead}, is not one of its "
        "members", "Choose the lead from the members.")
_define("quad-duplicate-name", E, "the Quad name {quad!r} is used twice in cycle {cycle}",
        "Give each Quad of a cycle its own name.")

# --- comparisons ----------------------------------------------------------------------------
_define("compare-invalid-return", E, "this return has {errors:plural:error} and cannot be compared",
        "Run 'rubric validate' on it and have the authority fix it first.")
_define("compare-too-few", E, "a comparison needs at least 2 returns; {count} given",
        "Pass the returns of every member of the Quad.")
_define("compare-framework-mismatch", E, "this return uses {found}, but {first} uses {expected}",
        "Compare returns of one framework version: --migrate brings every return to the "
        "newest version (or use 'rubric migrate' on each).")
_define("compare-duplicate-authority", E, "{authority} appears twice (also in {first})",
        "Keep one return per authority: the latest.")
_define("compare-not-in-quad", E, "{authority} is not a member of Quad {quad!r}",
        "Check the Quads file, or leave this return out of the comparison.")
_define("compare-cycle-mismatch", E, "this return is for cycle {found}, but {first} is for "
        "{expected}", "Compare the returns of one cycle; to compare across cycles on purpose, "
        "allow mixed cycles (compare --allow-mixed-cycles) and every output will say so.")
_define("compare-cycles-mixed", W, "this return is for cycle {found}, but {first} is for "
        "{expected}; they are compared as asked", "Levels from different years may not be "
        "comparable: every output of this comparison says which cycle each return is for.")
_define("compare-low-completion", W, "{authority} answered {completion} of the themes that "
        "apply, below the {threshold} expected", "Its scores rest on fewer answers than the "
        "others': ask it to complete its return, or read its scores with care.")
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
        "version {version!r}, which is not available ({directory}; {known})",
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
_define("theme-missing", E, "{what} {id!r} has no row in this workbook",
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
_define("level-not-graded", W, "theme {id!r} has a level, but indicator {indicator!r} is judged "
        "as a whole in this framework, so the theme's level is not used",
        "Choose the level in the row of indicator {indicator} and use the theme's row for "
        "evidence; clear the theme's level.")
_define("judgement-missing", W, "indicator {id!r} has evidence but no judgement",
        "Choose a level for the indicator in its own row, or '{not_evaluated}' if you have not "
        "evaluated it yet; without one it has no score.")
_define("judgement-without-evidence", W, "indicator {id!r} has a judgement but no evidence in "
        "its row or its themes", "Say how you know: evidence is what the Quad will discuss.")
_define("judgement-far-from-themes", W, "the judgement {level} for indicator {id!r} is more than "
        "a level away from its themes (their {rule} is {themes:g})",
        "A judgement may weigh some themes more than others; say why in the indicator's "
        "evidence, or check the level chosen.")
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
_define("return-incomplete", W, "{answered} of {total} {what} answered ({percent}%){detail}",
        "Choose a level, '{not_applicable}' or '{not_evaluated}' for every {one}; a score needs "
        "at least {threshold}% of the {what} under it answered.")
_define("sheet-not-in-framework", W, "the sheet {sheet!r} is not part of the {framework} "
        "workbook, so nothing on it was read", "That is fine for your own notes or plans; "
        "answers belong in the key-area sheets.")
_define("measure-looks-like-fraction", W, "measure {id!r} is a percentage but {value} looks "
        "like a fraction", "Enter percentages as numbers from 0 to 100, e.g. 95.8 not 0.958.")

# --- the Quad meeting: record workbooks -------------------------------------------------------
_define("record-table-missing", E, "no sheet holds the {what} table of this meeting record",
        "The sheet was deleted or its header row changed; copy the answers into a freshly "
        "generated record ('rubric meeting pack').")
_define("record-member-unknown", E, "{value!r} is not one of the members this record was made "
        "for ({members})", "Codes must not be edited: restore the row from a fresh record.")
_define("record-row-missing", W, "{authority} has no row for indicator {id!r}",
        "The row was deleted; the Quad's view of it is not recorded. Restore it from a fresh "
        "record if it was discussed.")
_define("record-view-unknown", E, "{value!r} is not one of the Quad's views",
        "Choose from the dropdown: {choices}.")
_define("record-view-missing", E, "a validated level or rationale is written but no Quad's "
        "view is chosen", "Choose the Quad's view from the dropdown.")
_define("record-level-missing", E, "the Quad's view is {view!r} but no validated level is given",
        "Choose the level the Quad agrees the evidence supports.")
_define("record-rationale-missing", E, "the Quad's view is {view!r} but no rationale is written",
        "Say in a sentence or two what evidence led the Quad to this view.")
_define("record-view-inconsistent", W, "the Quad's view is {view!r} but the validated level "
        "{level} is {relation} the self-evaluated {self_score}",
        "Check the view and the validated level agree.")
_define("record-action-missing", E, "this action plan row has details but no action",
        "Write the action, or clear the row.")
_define("record-action-new-row", W, "this action has no ID (an inserted row); it was given "
        "{id!r}", "Nothing to do, unless the row belongs to another authority: use that "
        "authority's rows.")
_define("record-link-unknown", E, "{value!r} is not an indicator or theme id of framework "
        "{framework}", "Link actions to ids such as 2.1 or 2.1.3, separated by commas.")
_define("record-date-invalid", E, "{value!r} is not a date", "Type the date as 31/03/2027 "
        "(day/month/year) or 2027-03-31.")
_define("record-status-unknown", E, "{value!r} is not an action status",
        "Choose from the dropdown: {choices}.")
_define("record-self-changed", W, "the self-evaluated score of {authority} for {id!r} reads "
        "{found} here but {expected} in its return", "The read-only column was edited, or the "
        "return changed after the pack was made; the return's score is kept.")
_define("record-return-not-in-history", W, "the return of {authority} this record was made "
        "from is not in the history", "Run 'rubric ingest' on the returns, then record again, so "
        "the validated levels sit beside the self-evaluated ones.")

_define("record-other-quad", E, "this meeting record ({quad}) names {strangers}, who are not "
        "members of your Quad", "Upload the record made from your own Quad's meeting pack; "
        "it was not kept.")

# --- the Quad meeting: follow-up returns and reports -----------------------------------------
_define("action-id-unknown", E, "the action ID {id!r} was not on this follow-up workbook when "
        "it was made", "Action IDs must not be edited: restore the original ID from a fresh "
        "workbook.")
_define("action-status-unknown", E, "{value!r} is not an action status",
        "Choose from the dropdown: {choices}.")
_define("report-no-return", E, "the history holds no return from {authority} for {cycle}",
        "Ingest the authority's return for that cycle with 'rubric ingest' first.")
_define("report-no-record", W, "no meeting record for {authority} in {cycle}; the report has "
        "no validated evaluation or action plan", "Record the Quad meeting with 'rubric meeting "
        "record', then make the report again.")


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


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 error``, ``2 errors``, ``3 authorities`` (with ``many`` for irregular words)."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


class _Messages(string.Formatter):
    """``str.format`` plus ``{n:plural:error}`` and ``{n:plural:authority/authorities}``."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("plural:") and isinstance(value, int):
            word, _, many = format_spec.removeprefix("plural:").partition("/")
            return plural(value, word, many or None)
        return super().format_field(value, format_spec)


_MESSAGES = _Messages()


def problem(code: str, location: Location | None = None, **context: Any) -> Problem:
    """Build a problem of a catalogued type; unknown codes are a programming error."""
    kind = CATALOGUE[code]
    values = _SafeDict({key: display_path(value) if isinstance(value, str | PathLike) else value
                        for key, value in context.items()})
    return Problem(
        code=code,
        severity=kind.severity,
        message=_MESSAGES.vformat(kind.template, (), values),
        hint=_MESSAGES.vformat(kind.hint, (), values),
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

    @property
    def exit_code(self) -> int:
        """The one exit-code rule: 2 when the command cannot run as asked, 1 when the input has
        problems, 0 otherwise (warnings do not fail a command)."""
        errors = self.errors
        if any(CATALOGUE[p.code].usage for p in errors):
            return EXIT_USAGE
        return EXIT_PROBLEMS if errors else EXIT_OK

    def to_dict(self) -> dict[str, Any]:
        return {"errors": [p.to_dict() for p in self.errors],
                "warnings": [p.to_dict() for p in self.warnings]}


class Refused(Exception):
    """A library function cannot go on: carries the coded problem (and any found before it).

    Orchestration code raises it where going on makes no sense (a name that resolves to
    nothing, an output that exists); callers catch it and render ``report`` like any other.
    """

    def __init__(self, item: Problem, report: Report | None = None) -> None:
        super().__init__(str(item))
        self.problem = item
        self.report = Report(list(report.problems) if report else [])
        self.report.add(item)
