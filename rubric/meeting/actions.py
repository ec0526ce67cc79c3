"""What the next cycle follows up for an authority, and how its actions stand.

An authority's follow-up workbook lists the actions agreed at the Quad meeting of the cycle
being followed up (its record in the history) or, without a record, the next steps it set
itself that cycle, one item per theme. Statuses come back in the next return; only "In
progress" and "Completed" count as progress, never "Not started".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from rubric.meeting import layout

if TYPE_CHECKING:
    from rubric.compare.quad import Comparison
    from rubric.cycles.history import History
    from rubric.framework.model import Framework
    from rubric.framework.store import FrameworkStore

Source = Literal["record", "next-steps", "none"]


@dataclass(frozen=True, slots=True)
class FollowUpItem:
    id: str
    action: str
    links: tuple[str, ...] = ()
    owner: str = ""
    due: dt.date | None = None
    success: str = ""
    status: str = ""  # as last known

    def as_row(self) -> dict[str, str]:
        """The texts of its row on a follow-up workbook's Actions sheet (TemplateInfo.actions)."""
        return {"id": self.id, "action": self.action, "links": ", ".join(self.links),
                "owner": self.owner, "due": self.due.isoformat() if self.due else "",
                "success": self.success, "status": self.status}


@dataclass(slots=True)
class FollowUp:
    authority_code: str
    cycle: str  # the cycle followed up
    source: Source
    items: list[FollowUpItem] = field(default_factory=list)
    record_id: int | None = None

    def template_actions(self) -> tuple[dict[str, str], ...]:
        return tuple(item.as_row() for item in self.items)


def follow_up_items(history: History, authority_code: str, cycle: str, store: FrameworkStore,
                    framework: Framework) -> FollowUp:
    """The authority's agreed actions from the record of ``cycle``, else (no record, or no
    actions for it in the record) its next steps of that cycle (theme ids carried to
    ``framework``), else nothing to follow up."""
    from rubric.cycles.trend import previous_next_steps
    from rubric.meeting import store as records

    record = records.record_for(history, authority_code, cycle)
    if record is not None:
        items = [FollowUpItem(a.id, a.action, a.links, a.owner, a.due, a.success, a.status)
                 for a in records.actions(history, record.id, authority_code)]
        if items:
            return FollowUp(authority_code, cycle, "record", items, record.id)
    steps = previous_next_steps(history, authority_code, cycle, store, framework)
    if not steps:
        return FollowUp(authority_code, cycle, "none")
    return FollowUp(authority_code, cycle, "next-steps",
                    [FollowUpItem(theme_id, text, (theme_id,)) for theme_id, text in
                     steps.items()])


# --- in a comparison -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class StatusCounts:
    """One member's actions by status, and the overdue ones (due date passed, not completed)."""

    code: str
    name: str
    counts: dict[str, int]  # every status in layout.STATUSES, plus "Not reported"
    overdue: tuple[tuple[str, str, str, str], ...]  # (id, action, due, status)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def progressed(self) -> int:
        return sum(self.counts[s] for s in layout.PROGRESS_STATUSES)


NOT_REPORTED = "Not reported"


def status_counts(comparison: Comparison, on: dt.date | None = None) -> list[StatusCounts]:
    """Per member with actions to follow up: counts by status and the overdue actions as of
    ``on`` (default: the day the comparison was made). Empty when no member has actions."""
    day = on or comparison.generated_at.date()
    found = []
    for member in comparison.members:
        actions = member.response.actions
        if not actions:
            continue
        counts = dict.fromkeys((*layout.STATUSES, NOT_REPORTED), 0)
        overdue = []
        for action in actions.values():
            status = action.status or NOT_REPORTED
            counts[status] = counts.get(status, 0) + 1
            try:
                due = dt.date.fromisoformat(action.due[:10]) if action.due else None
            except ValueError:
                due = None
            if due is not None and due < day and status not in (layout.COMPLETED,
                                                                layout.NO_LONGER):
                overdue.append((action.id, action.action, due.isoformat(), status))
        found.append(StatusCounts(member.code, member.name, counts, tuple(overdue)))
    return found
