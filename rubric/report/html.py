"""An authority's report -> one self-contained HTML page (inline CSS and SVG; A4 portrait).

Every text from a return, a record or a framework passes through :func:`_e` before it meets
markup: the authority's words are shown complete, as data, never as HTML.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from rubric._io import atomic_output
from rubric._version import __version__
from rubric.report.build import AuthorityReport, IndicatorLine, OwnWords

NO_SCORE = "–"
OWN, QUAD, NATIONAL = "#1f4e79", "#e69f00", "#555555"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _score(value: float | None) -> str:
    return NO_SCORE if value is None else f"{value:.1f}"


def _change(now: float | None, was: float | None) -> str:
    if now is None or was is None:
        return NO_SCORE
    return f"{now - was:+.1f}"


def heat(value: float | None, low: float, high: float) -> str:
    """A light red -> amber -> green fill over the scale, readable under dark text."""
    if value is None:
        return "#eceff1"
    t = 0.5 if high <= low else min(max((value - low) / (high - low), 0.0), 1.0)
    stops = ((236, 112, 99), (250, 199, 92), (95, 186, 125))
    first, second, f = (stops[0], stops[1], t * 2) if t <= 0.5 else \
        (stops[1], stops[2], (t - 0.5) * 2)
    r, g, b = (round(a + (z - a) * f) for a, z in zip(first, second, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def summary_sentences(doc: AuthorityReport) -> list[str]:
    """The summary in plain sentences (shared by the HTML and Word reports)."""
    fw, scores = doc.framework, doc.scores
    top = fw.scale.highest.value
    lines = [f"{doc.authority} evaluated itself against {fw.title} ({fw.id} {fw.version}) for "
             f"{doc.cycle}: an overall score of {_score(scores.overall.rounded)} out of {top}, "
             f"with {scores.completion:.0%} of the themes that apply answered and evidence "
             f"beside {scores.evidence_coverage:.0%} of the levels given."]
    if doc.previous_cycle:
        lines.append(f"In {doc.previous_cycle} the overall score was "
                     f"{_score(doc.previous_overall)} (change "
                     f"{_change(scores.overall.rounded, doc.previous_overall)}).")
    if doc.has_record:
        views = doc.views()
        when = f" on {doc.meeting_date.day} {doc.meeting_date:%B %Y}" if doc.meeting_date else ""
        lines.append(f"The Quad ({doc.quad}) met{when} and validated the self-evaluation: "
                     + ", ".join(f"{label.lower()} {views.get(label, 0)}" for label in (
                         "Agreed", "Evidence suggests higher", "Evidence suggests lower",
                         "Not discussed")) + f" (of {len(doc.indicators)} indicators).")
        lines.append(f"The action plan agreed at the meeting has {len(doc.actions)} "
                     f"action{'' if len(doc.actions) == 1 else 's'}.")
    else:
        lines.append("No Quad meeting has been recorded for this cycle, so this report has no "
                     "validated evaluation or action plan yet.")
    return lines


def _summary(doc: AuthorityReport) -> str:
    items = "".join(f"<p>{_e(line)}</p>" for line in summary_sentences(doc))
    return f'<section id="summary"><h2>Summary</h2>{items}</section>'


def _bar_chart(doc: AuthorityReport) -> str:
    """One bar per indicator (the authority's score) with the Quad and national medians."""
    top = doc.framework.scale.highest.value
    rows = doc.indicators
    left, width, bar_h, gap = 250.0, 700.0, 14.0, 8.0
    plot_w = width - left - 20
    height = 40 + len(rows) * (bar_h + gap) + 30

    def x(value: float) -> float:
        return left + plot_w * min(max(value, 0.0), top) / top

    parts = [f'<rect x="{left}" y="8" width="12" height="10" fill="{OWN}"/>'
             f'<text x="{left + 16}" y="17">{_e(doc.authority)}</text>',
             f'<rect x="{left + 260}" y="6" width="3" height="14" fill="{QUAD}"/>'
             f'<text x="{left + 268}" y="17">Quad median</text>',
             f'<rect x="{left + 380}" y="6" width="3" height="14" fill="{NATIONAL}"/>'
             f'<text x="{left + 388}" y="17">National median</text>']
    for tick in range(top + 1):
        parts.append(f'<line x1="{x(tick):.1f}" y1="30" x2="{x(tick):.1f}" '
                     f'y2="{height - 24:.1f}" stroke="#dde2ea"/><text x="{x(tick):.1f}" '
                     f'y="{height - 10:.1f}" text-anchor="middle" class="tick">{tick}</text>')
    for i, row in enumerate(rows):
        y = 36 + i * (bar_h + gap)
        label = f"{row.id} {row.title}"
        label = label if len(label) <= 40 else label[:39] + "…"
        parts.append(f'<text x="{left - 8}" y="{y + bar_h - 3:.1f}" text-anchor="end">'
                     f"{_e(label)}</text>")
        if row.score is not None:
            parts.append(f'<rect x="{left}" y="{y:.1f}" width="{x(row.score) - left:.1f}" '
                         f'height="{bar_h}" fill="{OWN}"><title>{_e(row.id)}: '
                         f"{_score(row.score)}</title></rect>"
                         f'<text x="{x(row.score) + 4:.1f}" y="{y + bar_h - 3:.1f}" '
                         f'class="value">{_score(row.score)}</text>')
        for value, colour in ((row.quad_median, QUAD), (row.national_median, NATIONAL)):
            if value is not None:
                parts.append(f'<rect x="{x(value) - 1.5:.1f}" y="{y - 3:.1f}" width="3" '
                             f'height="{bar_h + 6}" fill="{colour}"/>')
    label = "Bar chart of indicator scores: " + "; ".join(
        f"{r.id} {_score(r.score)} (Quad median {_score(r.quad_median)})" for r in rows)
    return (f'<svg viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
            f'height="{height:.0f}" role="img" aria-label="{_e(label)}">'
            f"<title>Indicator scores beside the medians</title>{''.join(parts)}</svg>")


def _score_row(line: IndicatorLine, doc: AuthorityReport, area: bool) -> str:
    scale = doc.framework.scale
    low, high = scale.lowest.value, scale.highest.value
    cls = ' class="area"' if area else ""
    cells = [f'<td class="num score" style="background:{heat(line.score, low, high)}">'
             f"{_score(line.score)}</td>"]
    if doc.has_record:
        cells.append(f'<td class="num">{_score(line.quad_median)}</td>')
    if doc.national_returns and any(r.national_median is not None for r in doc.indicators):
        cells.append(f'<td class="num">{_score(line.national_median)}</td>')
    if doc.previous_cycle:
        cells.append(f'<td class="num">{_score(line.previous)}</td>'
                     f'<td class="num">{_change(line.score, line.previous)}</td>')
    return (f'<tr{cls}><th scope="row"><span class="id">{_e(line.id)}</span> '
            f"{_e(line.title)}</th>{''.join(cells)}</tr>")


def _scores(doc: AuthorityReport) -> str:
    heads = [f"{_e(doc.authority)}"]
    if doc.has_record:
        heads.append("Quad median")
    national = any(r.national_median is not None for r in doc.indicators)
    if national:
        heads.append(f"National median ({doc.national_returns} returns)")
    if doc.previous_cycle:
        heads += [_e(doc.previous_cycle), "Change"]
    head = "".join(f'<th scope="col" class="num">{h}</th>' for h in heads)
    body = []
    for category in doc.categories:
        body.append(_score_row(category, doc, True))
        body.extend(_score_row(r, doc, False) for r in doc.indicators
                    if r.category_id == category.id)
    note = "" if national else (f"<p class=\"hint\">No national median: the history holds "
                                f"{doc.national_returns} return(s) for {_e(doc.cycle)}, "
                                "too few to compare with.</p>")
    return ('<section id="scores"><h2>Scores beside the Quad median</h2>'
            '<p class="hint">Scores are computed by rubric from the return by the framework\'s '
            "rules; key areas are the shaded rows.</p>"
            f'<table><thead><tr><th scope="col">Key area / indicator</th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>{note}"
            f'<figure class="chart">{_bar_chart(doc)}<figcaption>Indicator scores (bars) with '
            "the Quad and national medians (marks).</figcaption></figure></section>")


def _validation(doc: AuthorityReport) -> str:
    if not doc.has_record:
        return ('<section id="validation"><h2>The Quad\'s validated evaluation</h2>'
                "<p>No Quad meeting has been recorded for this cycle yet.</p></section>")
    rows = []
    for line in doc.indicators:
        v = line.validation
        rows.append(f'<tr><th scope="row"><span class="id">{_e(line.id)}</span> '
                    f"{_e(line.title)}</th><td class=\"num\">{_score(line.score)}</td>"
                    f"<td>{_e(v.view) if v else 'Not recorded'}</td>"
                    f'<td class="num">{_e(v.level) if v and v.level is not None else NO_SCORE}'
                    f'</td><td class="text">{_e(v.rationale) if v else ""}</td></tr>')
    return ('<section id="validation"><h2>The Quad\'s validated evaluation</h2>'
            f"<p class=\"hint\">The Quad ({_e(doc.quad)}: {_e(', '.join(doc.quad_members))}) "
            "discussed the evidence behind each self-evaluation and agreed a level.</p>"
            '<table><thead><tr><th scope="col">Indicator</th><th scope="col" class="num">'
            'Self-evaluated</th><th scope="col">Quad\'s view</th><th scope="col" class="num">'
            'Validated level</th><th scope="col">Rationale</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></section>")


def _own_words(section: str, title: str, intro: str, items: list[OwnWords]) -> str:
    if not items:
        return f'<section id="{section}"><h2>{title}</h2><p>None written.</p></section>'
    lis = "".join(f'<li><p class="text">{_e(w.text)}</p><p class="themes">Themes: '
                  f"{_e(', '.join(w.theme_ids))}</p></li>" for w in items)
    return (f'<section id="{section}"><h2>{title}</h2><p class="hint">{intro}</p>'
            f'<ul class="words">{lis}</ul></section>')


def _actions(doc: AuthorityReport) -> str:
    if not doc.actions:
        text = "No actions recorded." if doc.has_record else \
            "No action plan yet: it is agreed at the Quad meeting."
        return f'<section id="actions"><h2>Action plan</h2><p>{text}</p></section>'
    rows = "".join(
        f'<tr><th scope="row" class="mono">{_e(a.id)}</th><td class="text">{_e(a.action)}</td>'
        f"<td>{_e(', '.join(a.links))}</td><td>{_e(a.owner)}</td>"
        f"<td>{_e(a.due.strftime('%d/%m/%Y')) if a.due else NO_SCORE}</td>"
        f'<td class="text">{_e(a.success)}</td><td>{_e(a.status)}</td></tr>'
        for a in doc.actions)
    return ('<section id="actions"><h2>Action plan</h2>'
            '<table><thead><tr><th scope="col">ID</th><th scope="col">Action</th>'
            '<th scope="col">Linked to</th><th scope="col">Owner</th><th scope="col">Due</th>'
            '<th scope="col">Success measure</th><th scope="col">Status</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></section>")


def _changes(doc: AuthorityReport) -> str:
    if not doc.previous_cycle:
        return ('<section id="change"><h2>Change since last cycle</h2><p>No return from the '
                "previous cycle is in the history.</p></section>")
    if not doc.changes:
        return ('<section id="change"><h2>Change since last cycle</h2><p>No theme changed '
                f"level since {_e(doc.previous_cycle)}.</p></section>")
    rows = "".join(f'<tr><th scope="row"><span class="id">{_e(t)}</span> {_e(title)}</th>'
                   f'<td class="num">{b}</td><td class="num">{a}</td>'
                   f'<td class="num">{a - b:+d}</td></tr>' for t, title, b, a in doc.changes)
    return ('<section id="change"><h2>Change since last cycle</h2>'
            f"<p class=\"hint\">Themes whose level moved since {_e(doc.previous_cycle)}.</p>"
            f'<table><thead><tr><th scope="col">Theme</th><th scope="col" class="num">'
            f"{_e(doc.previous_cycle)}</th><th scope=\"col\" class=\"num\">{_e(doc.cycle)}</th>"
            '<th scope="col" class="num">Change</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></section>")


_CSS = """
body{margin:0;background:#fff;color:#1d2330;font:14px/1.5 system-ui,"Segoe UI",Roboto,Arial,
sans-serif}
main{max-width:1000px;margin:0 auto;padding:20px 28px}
h1{font-size:26px;color:#1f4e79;margin:0 0 6px}
h2{font-size:19px;color:#1f4e79;margin:22px 0 8px;border-bottom:2px solid #d9dee6}
.kicker{text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:#5a6475;margin:0}
.hint{color:#5a6475;font-size:13px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:4px 7px;border-bottom:1px solid #d9dee6;text-align:left;vertical-align:top}
thead th{font-size:12px;color:#5a6475;border-bottom:2px solid #aab3c0;vertical-align:bottom}
th[scope=row]{font-weight:400}
tr.area th,tr.area td{background:#f1f4f8;font-weight:700}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.score{text-align:center;font-weight:600}
.id,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;color:#5a6475}
.text{white-space:pre-wrap;overflow-wrap:anywhere}
.words{padding-left:18px}.words li{margin:0 0 8px}.words p{margin:0}
.themes{font-size:12px;color:#5a6475}
svg text{font-size:11px;fill:#1d2330}svg .tick{fill:#5a6475}svg .value{font-size:10px}
.chart svg{width:100%;height:auto}
figcaption{text-align:center;color:#5a6475;font-size:12px}
footer{color:#5a6475;font-size:12px;max-width:1000px;margin:0 auto;padding:0 28px 24px}
@page{size:A4 portrait;margin:14mm}
@media print{main{padding:0;max-width:none}body{font-size:10pt}table{font-size:9pt}
thead{display:table-header-group}tr,figure,li{break-inside:avoid}h2{break-after:avoid}
#validation,#actions{break-before:page}}
"""


def render_report_html(doc: AuthorityReport) -> str:
    """The whole report as one page; deterministic for a given report."""
    fw = doc.framework
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="rubric {_e(__version__)}">'
        f"<title>{_e(doc.title)}</title><style>{_CSS}</style></head><body><main>"
        '<p class="kicker">Self-evaluation and Quad validation</p>'
        f"<h1>{_e(doc.title)}</h1>"
        f"{_summary(doc)}{_scores(doc)}{_validation(doc)}"
        + _own_words("strengths", "Strengths", "In the authority's own words, from its return.",
                     doc.strengths)
        + _own_words("improvement", "Areas for improvement", "The next steps the authority "
                     "set itself, in its own words.", doc.improvements)
        + f"{_actions(doc)}{_changes(doc)}</main>"
        f"<footer><p>Made by rubric {_e(__version__)} from the history, against "
        f"{_e(fw.id)} {_e(fw.version)}. Generated {_e(doc.generated_at.isoformat())}. This "
        "page is self-contained: it loads nothing and runs no scripts.</p></footer>"
        "</body></html>\n")


def write_report_html(doc: AuthorityReport, path: str | os.PathLike[str], *,
                      force: bool = False) -> Path:
    target = Path(path)
    with atomic_output(target, force=force) as temporary:
        temporary.write_text(render_report_html(doc), encoding="utf-8")
    return target
