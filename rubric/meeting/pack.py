"""Comparison -> the meeting pack: pre-reading, the agenda and one page per member.

Written as print-ready HTML (A4, one member per page) and as a workbook, beside the meeting
record already holding what each member self-evaluated. What goes in is decided here
(:func:`build_pack`); the writers only render it.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from dataclasses import dataclass, field
from pathlib import Path

from rubric._io import OutputExists, atomic_output
from rubric._version import __version__
from rubric.compare.challenge import KIND_TITLES, Prompt
from rubric.compare.quad import Comparison, Member
from rubric.meeting.record import quad_name, write_record
from rubric.problems import Location, Report, problem

STRONGEST = 3  # indicators shown as strongest and weakest per member

PRE_READING: tuple[tuple[str, str], ...] = (
    ("What the meeting is for",
     "Each member has evaluated itself against the same framework. At the meeting the Quad "
     "acts as critical friends: members ask each other how they know, test the evidence "
     "behind the levels, and agree what the evidence supports. The outcome is the Quad's "
     "validated view of each self-evaluation and an action plan per member, which next "
     "year's cycle follows up."),
    ("How to read the scores",
     "Scores are on the framework's scale, computed by rubric from each return by the "
     "framework's own rules. Each member's page sets its indicator scores beside the Quad "
     "median (the middle of the members' scores). Colours run from red (low) through amber to "
     "green (high); a grey cell has no score because too little was answered."),
    ("What a challenge prompt is",
     "A question for the meeting found in the returns: members far apart on a theme, a high "
     "grade resting on little evidence, a priority every member shares, a high grade while a "
     "linked measure got worse, or a member others could learn from. Prompts are starting "
     "points for discussion, not judgements; each names the cells it rests on."),
    ("What to bring",
     "Your return and the evidence behind it. The meeting record (record.xlsx) is filled in "
     "during or after the meeting: the Quad's view of each indicator, the validated level, "
     "the rationale, and each member's actions."),
)


@dataclass(frozen=True, slots=True)
class IndicatorView:
    id: str
    title: str
    score: float | None
    median: float | None

    @property
    def difference(self) -> float | None:
        if self.score is None or self.median is None:
            return None
        return round(self.score - self.median, 6)


@dataclass(slots=True)
class MemberPage:
    member: Member
    indicators: list[IndicatorView]
    strongest: list[IndicatorView]
    weakest: list[IndicatorView]
    prompts: list[Prompt]


@dataclass(slots=True)
class MeetingPack:
    comparison: Comparison
    meeting_date: dt.date | None
    agenda: list[Prompt]
    pages: list[MemberPage]

    @property
    def title(self) -> str:
        return f"Quad meeting pack: {quad_name(self.comparison)}, {self.comparison.cycle}"


@dataclass(slots=True)
class PackResult:
    pack: MeetingPack | None = None
    written: list[Path] = field(default_factory=list)
    report: Report = field(default_factory=Report)

    @property
    def valid(self) -> bool:
        return self.pack is not None and self.report.valid


def build_pack(comparison: Comparison, meeting_date: dt.date | None = None) -> MeetingPack:
    agenda = comparison.agenda  # the comparison's ranked, meeting-sized agenda
    pages = []
    for member in comparison.members:
        views = [IndicatorView(r.id, r.title, r.values.get(member.code), r.median)
                 for r in comparison.indicators]
        scored = [v for v in views if v.score is not None]
        ranked = sorted(scored, key=lambda v: (-(v.score or 0), v.id))
        weakest = sorted(scored, key=lambda v: (v.score or 0, v.id))[:STRONGEST]
        strongest = [v for v in ranked[:STRONGEST] if v not in weakest] or ranked[:STRONGEST]
        pages.append(MemberPage(member, views, strongest, weakest,
                                [p for p in agenda if member.code in p.members]))
    return MeetingPack(comparison, meeting_date, agenda, pages)


# --- HTML ----------------------------------------------------------------------------------------

def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _prompt_html(prompt: Prompt, names: dict[str, str]) -> str:
    who = ", ".join(names.get(code, code) for code in prompt.members)
    return (f'<li class="prompt"><p class="what"><span class="kind">'
            f"{_e(KIND_TITLES.get(prompt.kind, prompt.kind))}</span> "
            f'<span class="id">{_e(prompt.item)}</span> {_e(prompt.title)} '
            f'<span class="who">({_e(who)})</span></p><p>{_e(prompt.reason)}</p>'
            f'<p class="question">{_e(prompt.question)}</p></li>')


def _indicator_rows(views: list[IndicatorView], low: float, high: float) -> str:
    from rubric.report.html import heat

    rows = []
    for v in views:
        diff = v.difference
        shown = "–" if diff is None else f"{diff:+.1f}"
        rows.append(f'<tr><th scope="row"><span class="id">{_e(v.id)}</span> {_e(v.title)}</th>'
                    f'<td class="num score" style="background:{heat(v.score, low, high)}">'
                    f'{_score(v.score)}</td><td class="num">{_score(v.median)}</td>'
                    f'<td class="num">{shown}</td></tr>')
    return "".join(rows)


def render_pack_html(pack: MeetingPack) -> str:
    c = pack.comparison
    scale = c.framework.scale
    low, high = scale.lowest.value, scale.highest.value
    names = c.labels
    when = (f"{pack.meeting_date.day} {pack.meeting_date:%B %Y}" if pack.meeting_date
            else "date to be set")
    reading = "".join(f"<h3>{_e(title)}</h3><p>{_e(text)}</p>" for title, text in PRE_READING)
    members = "".join(f"<li>{_e(m.name)} ({_e(m.code)})</li>" for m in c.members)
    agenda = "".join(_prompt_html(p, names) for p in pack.agenda) or \
        "<li>No challenge prompts were found in these returns.</li>"
    pages = []
    for page in pack.pages:
        m = page.member
        strong = "".join(f"<li>{_e(v.id)} {_e(v.title)}: {_score(v.score)}</li>"
                         for v in page.strongest)
        weak = "".join(f"<li>{_e(v.id)} {_e(v.title)}: {_score(v.score)}</li>"
                       for v in page.weakest)
        prompts = "".join(_prompt_html(p, names) for p in page.prompts) or \
            "<li>No prompts on the agenda concern this member.</li>"
        pages.append(
            f'<section class="member"><h2>{_e(m.name)}</h2>'
            f'<p class="facts">Overall {_score(m.scores.overall.rounded)} of {high}; '
            f"completion {m.scores.completion:.0%}; evidence beside "
            f"{m.scores.evidence_coverage:.0%} of levels.</p>"
            '<div class="two"><div><h3>Strongest indicators</h3>'
            f'<ul>{strong}</ul></div><div><h3>Weakest indicators</h3><ul>{weak}</ul></div></div>'
            '<h3>Scores beside the Quad median</h3><table><thead><tr>'
            '<th scope="col">Indicator</th><th scope="col" class="num">Score</th>'
            '<th scope="col" class="num">Quad median</th><th scope="col" class="num">'
            "Difference</th></tr></thead>"
            f"<tbody>{_indicator_rows(page.indicators, low, high)}</tbody></table>"
            f'<h3>Prompts about {_e(m.name)}</h3><ol class="prompts">{prompts}</ol></section>')
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f'<meta name="generator" content="rubric {_e(__version__)}">'
        f"<title>{_e(pack.title)}</title><style>{_CSS}</style></head><body><main>"
        f'<section class="cover"><p class="kicker">Quad meeting pack</p>'
        f"<h1>{_e(pack.title)}</h1><p>Meeting: {_e(when)}. Framework: "
        f"{_e(c.framework.title)} ({_e(c.framework.id)} {_e(c.framework.version)}).</p>"
        f"<h2>Members</h2><ul>{members}</ul><h2>Pre-reading</h2>{reading}</section>"
        f'<section class="agenda"><h2>Agenda: the challenge prompts</h2>'
        f'<p class="hint">The strongest prompts of each kind, at most a few per member: '
        f"{len(pack.agenda)} in all.</p><ol class=\"prompts\">{agenda}</ol></section>"
        f"{''.join(pages)}</main><footer>Made by rubric {_e(__version__)} from "
        f"{len(c.members)} returns. Self-contained: it loads nothing and runs no scripts."
        "</footer></body></html>\n")


_CSS = """
body{margin:0;color:#1d2330;font:13.5px/1.45 system-ui,"Segoe UI",Roboto,Arial,sans-serif}
main{max-width:900px;margin:0 auto;padding:18px 24px}
h1{font-size:24px;color:#1f4e79;margin:0 0 8px}
h2{font-size:18px;color:#1f4e79;margin:16px 0 6px;border-bottom:2px solid #d9dee6}
h3{font-size:14.5px;margin:12px 0 4px}
.kicker{text-transform:uppercase;letter-spacing:.08em;font-size:11px;color:#5a6475;margin:0}
.hint,.facts{color:#5a6475}
table{border-collapse:collapse;width:100%;font-size:12.5px}
th,td{padding:3px 6px;border-bottom:1px solid #d9dee6;text-align:left}
thead th{color:#5a6475;border-bottom:2px solid #aab3c0}
th[scope=row]{font-weight:400}
.num{text-align:right;font-variant-numeric:tabular-nums}
td.score{text-align:center;font-weight:600}
.id{font-family:ui-monospace,Menlo,Consolas,monospace;color:#5a6475}
.prompts{padding-left:20px}.prompt{margin:0 0 8px}.prompt p{margin:0}
.kind{font-weight:700}.who{color:#5a6475}.question{font-style:italic}
.two{display:flex;gap:24px}.two>div{flex:1}
footer{color:#5a6475;font-size:11px;max-width:900px;margin:0 auto;padding:0 24px 20px}
@page{size:A4 portrait;margin:12mm}
@media print{main{padding:0;max-width:none}.agenda,.member{break-before:page}
tr,.prompt{break-inside:avoid}h2,h3{break-after:avoid}thead{display:table-header-group}}
"""


# --- workbook ------------------------------------------------------------------------------------

def _pack_workbook(pack: MeetingPack, path: Path) -> None:
    from openpyxl import Workbook

    from rubric.xlsx import styles
    from rubric.xlsx.cells import put_number, put_text

    c = pack.comparison
    book = Workbook()
    sheet = book.active
    sheet.title = "Pre-reading"
    put_text(sheet.cell(1, 1), pack.title).font = styles.TITLE_FONT
    for row, (title, text) in enumerate(PRE_READING, start=3):
        put_text(sheet.cell(row, 1), title).font = styles.BOLD
        put_text(sheet.cell(row, 2), text).alignment = styles.WRAP_TOP
        sheet.row_dimensions[row].height = 75
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 26, 100
    styles.print_landscape(sheet, None)

    agenda = book.create_sheet("Agenda")
    headers = ["Kind", "ID", "Title", "Members", "Reason", "Question for the meeting",
               "Cells it rests on"]
    styles.header_cells(agenda, 1, headers, [20, 8, 26, 24, 40, 50, 40])
    for row, p in enumerate(pack.agenda, start=2):
        values = [KIND_TITLES.get(p.kind, p.kind), p.item, p.title,
                  ", ".join(c.labels.get(code, code) for code in p.members), p.reason,
                  p.question, "\n".join(p.cells)]
        for col, value in enumerate(values, start=1):
            put_text(agenda.cell(row, col), value).alignment = styles.WRAP_TOP
    styles.print_landscape(agenda, 1)
    agenda.freeze_panes = "A2"

    for page in pack.pages:
        name = f"{page.member.code} {page.member.name}"
        for bad in "[]:*?/\\'":
            name = name.replace(bad, " ")
        sheet = book.create_sheet(name[:31].rstrip())
        put_text(sheet.cell(1, 1), f"{page.member.name}: scores beside the Quad median"
                 ).font = styles.TITLE_FONT
        styles.header_cells(sheet, 3, ["ID", "Indicator", "Score", "Quad median",
                                       "Difference", "Note"], [8, 44, 10, 12, 12, 14])
        strong, weak = {v.id for v in page.strongest}, {v.id for v in page.weakest}
        for row, v in enumerate(page.indicators, start=4):
            put_text(sheet.cell(row, 1), v.id)
            put_text(sheet.cell(row, 2), v.title)
            put_number(sheet.cell(row, 3), v.score, "0.0")
            put_number(sheet.cell(row, 4), v.median, "0.0")
            put_number(sheet.cell(row, 5), v.difference, "+0.0;-0.0;0.0")
            put_text(sheet.cell(row, 6), "strongest" if v.id in strong else
                     "weakest" if v.id in weak else "")
        last = 3 + len(page.indicators)
        styles.level_colour_scale(sheet, f"C4:D{last}", c.framework.scale)
        styles.print_landscape(sheet, 3)
        sheet.freeze_panes = "C4"
    with atomic_output(path, force=True) as temporary:
        book.save(temporary)


PACK_FILES = ("pack.html", "pack.xlsx", "record.xlsx")


def write_pack(comparison: Comparison, directory: str | os.PathLike[str], *,
               meeting_date: dt.date | None = None, created_at: dt.datetime | None = None,
               force: bool = False) -> PackResult:
    """Write pack.html, pack.xlsx and record.xlsx into ``directory`` (nothing when any exists
    and ``force`` is not given: that is a problem in the result, not an exception)."""
    folder = Path(directory)
    result = PackResult()
    targets = [folder / name for name in PACK_FILES]
    for target in targets:
        if target.exists() and not force:
            result.report.add(problem("output-exists", Location(str(target)), path=target))
    if not result.report.valid:
        return result
    pack = result.pack = build_pack(comparison, meeting_date)
    try:
        with atomic_output(targets[0], force=force) as temporary:
            temporary.write_text(render_pack_html(pack), encoding="utf-8")
        result.written.append(targets[0])
        _pack_workbook(pack, targets[1])
        result.written.append(targets[1])
        write_record(comparison, targets[2], meeting_date=meeting_date, created_at=created_at,
                     force=force)
        result.written.append(targets[2])
    except OutputExists as exc:  # appeared while writing
        result.report.add(problem("output-exists", Location(str(exc)), path=exc))
    return result
