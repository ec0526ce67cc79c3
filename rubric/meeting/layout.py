"""Where things live in a meeting record workbook: shared by its writer and its reader.

As with returns, the reader finds tables by their header texts and rows by the authority code
and id columns, never by fixed coordinates, so inserted rows and re-saves do not matter.
"""

from __future__ import annotations

from rubric.xlsx.layout import ACTION_STATUSES, Column

FORMAT = "rubric-meeting-record/1"

INSTRUCTIONS_SHEET = "Instructions"
EVALUATION_SHEET = "Evaluation"
ACTIONS_SHEET = "Action plans"
LISTS_SHEET = "_lists"
PROVENANCE_SHEET = "_rubric"
SUPPORT_SHEETS = (INSTRUCTIONS_SHEET, LISTS_SHEET, PROVENANCE_SHEET)
HEADER_ROW = 4  # 1 title, 2 guidance, 3 blank, 4 header; data from row 5

AGREED = "Agreed"
HIGHER = "Evidence suggests higher"
LOWER = "Evidence suggests lower"
NOT_DISCUSSED = "Not discussed"
VIEWS = (AGREED, HIGHER, LOWER, NOT_DISCUSSED)
VIEWS_NEEDING_LEVEL = (AGREED, HIGHER, LOWER)
VIEWS_NEEDING_RATIONALE = (HIGHER, LOWER, NOT_DISCUSSED)

# The record and the follow-up workbook offer the same statuses: one definition.
STATUSES = ACTION_STATUSES
NOT_STARTED, IN_PROGRESS, COMPLETED, NO_LONGER = ACTION_STATUSES
PROGRESS_STATUSES = (IN_PROGRESS, COMPLETED)  # "Not started" is never progress
ACTION_SLOTS = 8  # empty numbered action rows per member

EVALUATION_COLUMNS: tuple[Column, ...] = (
    Column("code", "Code", 8),
    Column("authority", "Authority", 20),
    Column("id", "ID", 7),
    Column("title", "Indicator", 30),
    Column("self_score", "Self-evaluated score", 12),
    Column("self_levels", "Self-evaluated theme levels", 30),
    Column("median", "Quad median", 9),
    Column("view", "Quad's view", 20, answer=True),
    Column("level", "Validated level", 16, answer=True),
    Column("rationale", "Rationale", 52, answer=True),
)
ACTION_COLUMNS: tuple[Column, ...] = (
    Column("code", "Code", 8),
    Column("authority", "Authority", 20),
    Column("action_id", "Action ID", 10),
    Column("action", "Action", 46, answer=True),
    Column("links", "Linked indicators or themes", 16, answer=True),
    Column("owner", "Owner", 18, answer=True),
    Column("due", "Due date", 12, answer=True),
    Column("success", "Success measure", 36, answer=True),
    Column("status", "Status", 18, answer=True),
)

PROVENANCE_KEYS = (
    "format",
    "framework_id",
    "framework_version",
    "framework_hash",
    "framework_title",
    "quad",
    "cycle",
    "meeting_date",
    "members",  # JSON: [{"code", "name", "return_hash"}, ...]
    "generator",
    "created_at",
)


def action_id(code: str, number: int) -> str:
    """``EXA-A03``: the member's code and the action's number."""
    return f"{code}-A{number:02d}"
