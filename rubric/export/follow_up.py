"""Follow-up by status in the comparison exports: actions counted by status, overdue ones listed.

Kept apart from the xlsx and HTML writers (each calls one function here), so the counting rules
live in rubric.meeting.actions and the writers only gain a section.
"""

from __future__ import annotations

import html
from typing import Any

from rubric.compare.quad import Comparison
from rubric.meeting import layout
from rubric.meeting.actions import NOT_REPORTED, status_counts

COLUMNS = (*layout.STATUSES, NOT_REPORTED)


def write_follow_up_sheet(book: Any, comparison: Comparison) -> None:
    """Add (or extend) the Follow-up sheet with each member's actions by status."""
    from rubric.xlsx import styles
    from rubric.xlsx.cells import put_number, put_text

    counts = status_counts(comparison)
    if not counts:
        return
    if "Follow-up" in book.sheetnames:
        sheet = book["Follow-up"]
        row = sheet.max_row + 3
    else:
        sheet = book.create_sheet("Follow-up")
        row = 1
    day = comparison.generated_at.date().isoformat()
    put_text(sheet.cell(row, 1), "Actions agreed last cycle, by status").font = styles.TITLE_FONT
    put_text(sheet.cell(row + 1, 1), f"'Not started' is never progress; overdue: due before "
             f"{day} and neither completed nor dropped.")
    row += 3
    styles.header_cells(sheet, row, ["Member", *COLUMNS, "Actions", "Progressed", "Overdue"])
    for member in counts:
        row += 1
        put_text(sheet.cell(row, 1), member.name)
        values = [*(member.counts.get(s, 0) for s in COLUMNS), member.total, member.progressed,
                  len(member.overdue)]
        for col, value in enumerate(values, start=2):
            put_number(sheet.cell(row, col), value)
    row += 2
    put_text(sheet.cell(row, 1), "Overdue actions").font = styles.BOLD
    row += 1
    styles.header_cells(sheet, row, ["Member", "ID", "Action", "Due", "Status"])
    for member in counts:
        for action_id, text, due, status in member.overdue:
            row += 1
            for col, value in enumerate((member.name, action_id, text, due, status), start=1):
                put_text(sheet.cell(row, col), value).alignment = styles.WRAP_TOP


def follow_up_html(comparison: Comparison) -> str:
    """The HTML section: a table of counts by status per member and the overdue actions."""
    counts = status_counts(comparison)
    if not counts:
        return ""

    def e(value: object) -> str:
        return html.escape(str(value), quote=True)

    heads = "".join(f'<th scope="col" class="num">{e(s)}</th>' for s in COLUMNS)
    rows = "".join(
        f'<tr><th scope="row">{e(m.name)}</th>'
        + "".join(f'<td class="num">{m.counts.get(s, 0)}</td>' for s in COLUMNS)
        + f'<td class="num">{m.progressed} of {m.total}</td>'
        f'<td class="num">{len(m.overdue)}</td></tr>' for m in counts)
    overdue = "".join(
        f'<tr><th scope="row">{e(m.name)}</th><td class="mono">{e(i)}</td><td>{e(text)}</td>'
        f"<td>{e(due)}</td><td>{e(status)}</td></tr>"
        for m in counts for i, text, due, status in m.overdue)
    listing = (f'<table><thead><tr><th scope="col">Member</th><th scope="col">ID</th>'
               '<th scope="col">Action</th><th scope="col">Due</th><th scope="col">Status'
               f"</th></tr></thead><tbody>{overdue}</tbody></table>" if overdue
               else "<p>No action is overdue.</p>")
    return ('<section id="follow-up" class="card"><h2>Follow-up: actions agreed last cycle</h2>'
            '<p class="hint">Each member\'s actions by the status it reports. Progress counts '
            "'In progress' and 'Completed' only: 'Not started' is never progress.</p>"
            f'<table class="members"><thead><tr><th scope="col">Member</th>{heads}'
            '<th scope="col" class="num">Progressed</th><th scope="col" class="num">Overdue'
            f"</th></tr></thead><tbody>{rows}</tbody></table><h3>Overdue actions</h3>"
            f"{listing}</section>")
