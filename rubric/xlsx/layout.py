"""The one place that says where things live in an authority workbook.

Both the template writer and the return reader import these names, so they cannot drift apart.
The reader finds tables by their header texts and rows by the ids in the ID column, never by
fixed coordinates: inserted rows, re-ordered sheets and re-saves by other programs do not matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rubric.framework.model import Category, Framework, Scale
from rubric.response import Special

FORMAT = "rubric-workbook/1"

INSTRUCTIONS_SHEET = "Instructions"
MEASURES_SHEET = "Measures"
PROGRESS_SHEET = "Progress"
PROVENANCE_SHEET = "_rubric"
LISTS_SHEET = "_lists"
CARRIED_OVER_SHEET = "Carried over"  # answers a migration could not place (never read back)
SUPPORT_SHEETS = (INSTRUCTIONS_SHEET, PROGRESS_SHEET, PROVENANCE_SHEET, LISTS_SHEET,
                  CARRIED_OVER_SHEET)

# Rows above the table on a key-area sheet: 1 title, 2 guidance, 3 blank, 4 header.
HEADER_ROW = 4
HEADER_SEARCH_ROWS = 60  # how far down the reader looks for a moved header row


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    width: float
    answer: bool = False


THEME_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", 9),
    Column("title", "Theme", 28),
    Column("illustrations", "What it looks like", 58),
    Column("questions", "Challenge questions", 46),
    Column("level", "Level", 22, answer=True),
    Column("evidence", "Evidence: How do we know?", 58, answer=True),
    Column("strengths", "Strengths", 42, answer=True),
    Column("next_steps", "Next steps: What are we going to do now?", 46, answer=True),
)
# Follow-up workbooks (a cycle after one already recorded) add two columns at the end.
FOLLOW_UP_COLUMNS: tuple[Column, ...] = (
    Column("previous_next_steps", "Last cycle's next steps", 44),
    Column("progress", "Progress on last cycle's next steps", 46, answer=True),
)
ALL_THEME_COLUMNS = THEME_COLUMNS + FOLLOW_UP_COLUMNS
# A theme text longer than a cell holds goes on over rows "<id> (continued)" after the table.
CONTINUED = " (continued)"
CONTINUED_NOTE = "Text above 32,767 characters continues here, in order."
NO_PREVIOUS_STEPS = "(none recorded last cycle)"  # shown in the follow-up column; reads as empty
THEME_ANSWER_KEYS = tuple(c.key for c in ALL_THEME_COLUMNS if c.answer)
THEME_TEXT_KEYS = ("evidence", "strengths", "next_steps")
FOLLOW_UP_KEYS = ("previous_next_steps", "progress")

MEASURE_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", 26),
    Column("title", "Measure", 44),
    Column("indicator", "Indicator", 11),
    Column("unit", "Unit", 16),
    Column("direction", "Better when", 13),
    Column("baseline", "Baseline", 16, answer=True),
    Column("current", "Current", 16, answer=True),
    Column("notes", "Notes", 50, answer=True),
)

# Follow-up workbooks: the actions agreed at last cycle's Quad meeting (or last cycle's next
# steps), each with a status to choose and a progress note.
ACTIONS_SHEET = "Actions"
ACTION_STATUSES = ("Not started", "In progress", "Completed", "No longer a priority")
ACTION_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", 11),
    Column("action", "Agreed action", 46),
    Column("links", "Linked to", 12),
    Column("owner", "Owner", 16),
    Column("due", "Due date", 12),
    Column("success", "Success measure", 32),
    Column("status", "Status", 20, answer=True),
    Column("progress_note", "Progress note", 46, answer=True),
)

PROVENANCE_KEYS = (
    "format",
    "framework_id",
    "framework_version",
    "framework_hash",
    "framework_title",
    "authority",
    "authority_code",
    "cycle",
    "generator",
    "created_at",
    "migrated_from",  # "<framework id> <version>" when the return was migrated; else empty
    "follow_up_actions",  # ids on the Actions sheet, comma-separated (follow-up workbooks)
)

_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\']")


def category_sheet_name(category: Category) -> str:
    """``'2 Impact on learners and famil'``: id and title, cut to Excel's 31 characters."""
    name = _SHEET_NAME_BAD.sub(" ", f"{category.id} {category.title}")
    return " ".join(name.split())[:31].rstrip()


def column_letter(index: int) -> str:
    """0-based column index -> ``A``, ``B``, ..., ``AA``."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_name(row: int, column: int) -> str:
    """0-based row and column -> ``B7``."""
    return f"{column_letter(column)}{row + 1}"


_PLAIN_SHEET = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_LOOKS_LIKE_CELL = re.compile(r"[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc]?[0-9]*|[Cc][0-9]*")


def cell_ref(sheet: str, cell: str) -> str:
    """``'7 Management and support of sta'!E10`` or ``Measures!F6``: a sheet and cell as Excel
    writes a reference, the name quoted (and any apostrophe doubled) when it needs it."""
    if _PLAIN_SHEET.fullmatch(sheet) and not _LOOKS_LIKE_CELL.fullmatch(sheet):
        return f"{sheet}!{cell}"
    return "'" + sheet.replace("'", "''") + f"'!{cell}"


def split_cell_ref(ref: str) -> tuple[str, str]:
    """The inverse of :func:`cell_ref`: ``(sheet, cell)``."""
    sheet, _, cell = ref.rpartition("!")
    if len(sheet) >= 2 and sheet[0] == sheet[-1] == "'":
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, cell


def normalise(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def header_matches(cell: Any, column: Column) -> bool:
    """A header cell matches its column's text, allowing a suffix such as ``(2024-25)``."""
    text, header = normalise(cell), normalise(column.header)
    return text == header or text.startswith(header + " (")


_HEADER_KEYS: dict[int, dict[str, str]] = {}


def _header_keys(columns: tuple[Column, ...]) -> dict[str, str]:
    """Normalised header -> key, per column set (keyed by identity: the sets are constants)."""
    keys = _HEADER_KEYS.get(id(columns))
    if keys is None:
        keys = _HEADER_KEYS[id(columns)] = {normalise(c.header): c.key for c in columns}
    return keys


_KEY_OF: dict[tuple[int, str], str | None] = {}  # (column set, cell) -> key, see header_key


def header_key(cell: Any, columns: tuple[Column, ...]) -> str | None:
    """The key of the column whose header ``cell`` holds (suffixes like ``(2024-25)`` allowed).

    Every return of a template repeats the same title and header cells, so short cells'
    answers are kept."""
    if not isinstance(cell, str) or not cell:
        return None
    known = _KEY_OF.get((id(columns), cell), _UNKNOWN) if len(cell) <= 200 else _UNKNOWN
    if known is not _UNKNOWN:
        return known  # type: ignore[return-value]
    keys = _header_keys(columns)
    text = normalise(cell)
    key = keys.get(text) or keys.get(text.split(" (", 1)[0])
    if len(cell) <= 200:
        if len(_KEY_OF) >= 4096:
            _KEY_OF.clear()
        _KEY_OF[(id(columns), cell)] = key
    return key


_UNKNOWN = object()


def find_header(rows: list[list[Any]], columns: tuple[Column, ...],
                required: tuple[str, ...]) -> tuple[int, dict[str, int]] | None:
    """The first row (within :data:`HEADER_SEARCH_ROWS`) holding all ``required`` headers."""
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for c, value in enumerate(row):
            key = header_key(value, columns)
            if key is not None:
                found.setdefault(key, c)
        if all(key in found for key in required):
            return r, found
    return None


# --- levels -----------------------------------------------------------------------------------



@dataclass(frozen=True, slots=True)
class LevelAnswer:
    """A parsed level cell: a scale value, or one of the special answers."""

    value: int | None = None
    special: Special | None = None


def level_choice(value: int, label: str) -> str:
    return f"{value} - {label}"


def level_choices(scale: Scale) -> list[str]:
    """The dropdown: levels from the top of the scale down, then the special answers."""
    levels = [level_choice(lv.value, lv.label) for lv in reversed(scale.ascending)]
    return [*levels, scale.not_applicable.label, scale.not_evaluated.label]


_LOOKUPS: dict[int, tuple[Scale, dict[str, LevelAnswer]]] = {}


def _level_lookup(scale: Scale) -> dict[str, LevelAnswer]:
    """Accepted spellings -> answer, built once per scale (keyed by identity: hashing a frozen
    model walks all its fields, which would cost more than the lookup saves)."""
    cached = _LOOKUPS.get(id(scale))
    if cached is not None and cached[0] is scale:
        return cached[1]
    lookup: dict[str, LevelAnswer] = {}
    for level in scale.levels:
        answer = LevelAnswer(value=level.value)
        label = normalise(level.label)
        for form in (label, str(level.value), f"{level.value}.0",
                     f"{level.value} - {label}", f"{level.value} – {label}",
                     f"{level.value}-{label}", f"{level.value}. {label}",
                     f"{level.value} {label}", f"{level.value}: {label}"):
            lookup[form] = answer
    for special, answer in (("not_applicable", scale.not_applicable),
                            ("not_evaluated", scale.not_evaluated)):
        lookup[normalise(answer.label)] = LevelAnswer(special=special)  # type: ignore[arg-type]
    for form in ("n/a", "na", "n.a."):
        lookup.setdefault(form, LevelAnswer(special="not_applicable"))
    _LOOKUPS[id(scale)] = (scale, lookup)
    return lookup


def parse_level(cell: Any, scale: Scale) -> LevelAnswer | None:
    """A level cell -> answer; ``None`` when the cell is not a recognisable answer.

    Accepted: a label in any case with stray spaces, the number, or the dropdown's full text.
    """
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        if float(cell).is_integer() and int(cell) in scale.by_value:
            return LevelAnswer(value=int(cell))
        return None
    return _level_lookup(scale).get(normalise(cell))


def is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def theme_rows(framework: Framework) -> dict[str, list[str]]:
    """Sheet name -> the ids (indicators and themes) in the order their rows are written."""
    sheets: dict[str, list[str]] = {}
    for category in framework.categories:
        ids: list[str] = []
        for indicator in category.indicators:
            ids.append(indicator.id)
            ids.extend(theme.id for theme in indicator.themes)
        sheets[category_sheet_name(category)] = ids
    return sheets
