"""National picture -> one self-contained HTML page with charts, for ADES and every Quad.

Like the Quad report (rubric/export/html.py, whose look and escaping it shares) the page loads
nothing and runs no scripts; every chart is inline SVG with a text alternative (its label
and a table of the same figures). Anonymised, it shows authorities only as labels by family
group and Quad: no name, code or file name appears anywhere in it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from rubric._io import atomic_output
from rubric._version import __version__
from rubric.compare.national import FAMILY_GROUPS, ItemSummary, NationalOverview, Spread
from rubric.export.html import _CSS, _e, _f, _heat, _svg, _text_width, _wrap
from rubric.export.national import QUAD_COLOURS

NO_SCORE = "–"
_POINT = "#1f4e79"
_MEDIAN = "#b3261e"


def _s(value: float | None) -> str:
    return NO_SCORE if value is None else f"{value:.1f}"


def _change(value: float | None) -> str:
    if value is None:
        return NO_SCORE
    return "0.0" if abs(value) < 0.05 else f"{value:+.1f}".replace("-", "−")


def _range(spread: Spread) -> str:
    return NO_SCORE if spread.q1 is None else f"{spread.q1:.1f}–{spread.q3:.1f}"


def _scroll(label: str, table: str) -> str:
    return (f'<div class="scroll" tabindex="0" role="region" aria-label="{_e(label)} '
            f'(scrolls sideways)">{table}</div>')


# --- header ------------------------------------------------------------------------------------

def _header(o: NationalOverview) -> str:
    fw = o.framework
    facts = [("Framework", f"{fw.title} ({fw.id} {fw.version})"), ("Cycle", o.cycle),
             ("Returns", f"{len(o.rows)} of {len(o.rows) + len(o.missing)}"),
             ("Compared with", o.previous_cycle or "no previous cycle"),
             ("Authorities", "anonymised: family group and Quad only" if o.anonymised
              else "named")]
    notes = o.all_notes
    return (
        '<header class="masthead"><p class="kicker">National picture</p>'
        f"<h1>{_e(fw.title)}: Scotland, {_e(o.cycle)}</h1><dl class=\"facts\">"
        + "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in facts)
        + "</dl>"
        f'<p class="method">Every authority\'s judgements as scored by rubric from its return '
        f"({_e(fw.scoring.theme_to_indicator.replace('_', ' '))} of themes per indicator, "
        f"{_e(fw.scoring.indicator_to_category.replace('_', ' '))} of indicators per key area). "
        "Medians and quartiles are over the authorities with a score; a family group is the "
        "LGBF children's services group (1 least deprived, 4 most). No return from: "
        f"{_e(o.missing_text())}.</p>"
        + (('<section class="notes" aria-label="Notes"><h2>Notes</h2><ul>'
            + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul></section>") if notes else "")
        + "</header>")


# --- tables ----------------------------------------------------------------------------------

def _spread_head(o: NationalOverview, first: str) -> str:
    cells = [first, "National median", "Middle half (Q1–Q3)", "Returns",
             *(f"Family group {g} median" for g in FAMILY_GROUPS)]
    if o.previous_cycle:
        cells += [f"Median {o.previous_cycle}", "Change"]
    num = ' class="num"'
    return "<thead><tr>" + "".join(
        f'<th scope="col"{"" if i == 0 else num}>{_e(c)}</th>'
        for i, c in enumerate(cells)) + "</tr></thead>"


def _spread_row(o: NationalOverview, item: ItemSummary, label: str, cls: str = "") -> str:
    n = item.national
    cells = [_s(n.median), _range(n), str(n.count),
             *(_s(item.by_family_group[g].median) for g in FAMILY_GROUPS)]
    if o.previous_cycle:
        before = item.national_previous.median if item.national_previous else None
        cells += [_s(before), _change(item.median_change)]
    attr = f' class="{cls}"' if cls else ""
    return (f'<tr{attr}><th scope="row">{label}</th>'
            + "".join(f'<td class="num">{_e(c)}</td>' for c in cells) + "</tr>")


def _label(item: ItemSummary) -> str:
    if item.kind == "overall":
        return _e(item.title)
    return f'<span class="id">{_e(item.id)}</span>{_e(item.title)}'


def _key_areas(o: NationalOverview) -> str:
    assert o.overall is not None
    rows = _spread_row(o, o.overall, "Overall", "area") + "".join(
        _spread_row(o, item, _label(item)) for item in o.categories)
    return ('<section id="key-areas" class="card"><h2>Key areas across Scotland</h2>'
            '<p class="hint">The national median of each key-area score, where the middle half '
            "of authorities lie, and each family group's median.</p>"
            + _scroll("Key areas table", f"<table><caption class=\"sr\">Key-area scores across "
                      f"Scotland</caption>{_spread_head(o, 'Key area')}<tbody>{rows}</tbody>"
                      "</table>") + "</section>")


def _indicators(o: NationalOverview) -> str:
    body = []
    for area in o.categories:
        body.append(_spread_row(o, area, _label(area), "area"))
        body += [_spread_row(o, item, _label(item)) for item in o.indicators
                 if item.parent == area.id]
    return ('<section id="indicators" class="card"><h2>Indicators across Scotland</h2>'
            + _scroll("Indicators table", f"<table><caption class=\"sr\">Indicator scores "
                      f"across Scotland</caption>{_spread_head(o, 'Indicator')}<tbody>"
                      + "".join(body) + "</tbody></table>") + "</section>")


def _authorities(o: NationalOverview) -> str:
    """Each authority's overall and key-area scores (with change), then its indicator scores."""
    low, top = o.framework.scale.lowest.value, o.framework.scale.highest.value
    assert o.overall is not None

    def table(items: list[ItemSummary], caption: str) -> str:
        head = ('<thead><tr><th scope="col">Authority</th><th scope="col">Quad</th>'
                + "".join(f'<th scope="col" class="num" title="{_e(i.title)}">{_e(i.id)}</th>'
                          for i in items) + "</tr></thead>")
        rows = []
        for row in o.rows:
            cells = []
            for item in items:
                value = item.values.get(row.key)
                change = item.change(row.key) if o.previous_cycle else None
                extra = f' <span class="chg">({_change(change)})</span>' \
                    if change is not None else ""
                cells.append(f'<td class="score" style="background:{_heat(value, low, top)}">'
                             f"{_s(value)}{extra}</td>")
            rows.append(f'<tr><th scope="row">{_e(row.authority)}</th>'
                        f"<td>{_e(row.quad or NO_SCORE)}</td>{''.join(cells)}</tr>")
        return (f'<table class="heat"><caption class="sr">{_e(caption)}</caption>{head}<tbody>'
                + "".join(rows) + "</tbody></table>")

    change = (f" In brackets: the change since {_e(o.previous_cycle)}." if o.previous_cycle
              else "")
    overall = ItemSummary("overall", "Overall", "Overall", None, o.overall.national, {}, {},
                          o.overall.values, o.overall.previous, None)
    return ('<section id="authorities" class="card"><h2>Each authority\'s judgements</h2>'
            f'<p class="hint">Scores from red (low) to green (high) on the framework\'s scale '
            f"({low} to {top}).{change}</p><h3>Overall and key areas</h3>"
            + _scroll("Authorities by key area", table([overall, *o.categories],
                                                       "Overall and key-area scores"))
            + "<h3>Indicators</h3>"
            + _scroll("Authorities by indicator", table(o.indicators, "Indicator scores"))
            + "</section>")


# --- charts ----------------------------------------------------------------------------------

def _cluster(x: float, y: float, count: int) -> list[tuple[float, float]]:
    """Places for ``count`` equal scores around (x, y): columns of four, spreading sideways,
    so every authority shows as its own point."""
    columns = (count + 3) // 4
    return [(x + (i // 4 - (columns - 1) / 2) * 7.0, y + (i % 4 - 1.5) * 5.5)
            for i in range(count)]


def _distribution(o: NationalOverview) -> str:
    """A strip per indicator: every authority as a point, the middle half shaded and the
    national median marked."""
    low, top = o.framework.scale.lowest.value, o.framework.scale.highest.value
    width, left, right, band = 1180.0, 360.0, 30.0, 30.0
    plot_w = width - left - right
    rows: list[tuple[str, ItemSummary | None]] = []
    for area in o.categories:
        rows.append((f"{area.id} {area.title}", None))
        rows += [("", item) for item in o.indicators if item.parent == area.id]
    top_y = 40.0
    height = top_y + band * len(rows) + 50

    def x_of(value: float) -> float:
        return left + plot_w * (min(max(value, low), top) - low) / (top - low) if top > low \
            else left

    parts = []
    for tick in range(low, top + 1):
        x = x_of(tick)
        parts.append(f'<line x1="{_f(x)}" y1="{_f(top_y - 6)}" x2="{_f(x)}" '
                     f'y2="{_f(height - 44)}" class="grid"/><text x="{_f(x)}" '
                     f'y="{_f(top_y - 12)}" text-anchor="middle" class="tick">{tick}</text>')
    names = {row.key: row.authority for row in o.rows}
    for index, (heading, item) in enumerate(rows):
        y = top_y + band * index + band / 2
        if item is None:
            parts.append(f'<text x="8" y="{_f(y + 4)}" class="cat-id">'
                         f"{_e(_wrap(heading, 52, 1)[0])}</text>")
            continue
        parts.append(f'<text x="20" y="{_f(y + 4)}" class="cat-label"><tspan class="cat-id">'
                     f"{_e(item.id)}</tspan> {_e(_wrap(item.title, 44, 1)[0])}</text>")
        n = item.national
        if n.q1 is not None and n.q3 is not None:
            x1, x3 = x_of(n.q1), x_of(n.q3)
            parts.append(f'<rect x="{_f(x1)}" y="{_f(y - 12)}" width="{_f(max(x3 - x1, 2))}" '
                         'height="24" fill="#dce6f2"/>')
        groups: dict[float, list[str]] = {}
        for key, value in item.values.items():
            if value is not None:
                groups.setdefault(round(value, 1), []).append(key)
        for value, keys in sorted(groups.items()):
            for key, (px, py) in zip(keys, _cluster(x_of(value), y, len(keys)), strict=True):
                parts.append(f'<circle cx="{_f(px)}" cy="{_f(py)}" r="2.6" fill="{_POINT}" '
                             f'fill-opacity="0.75"><title>{_e(names.get(key, key))}, '
                             f"{_e(item.id)}: {_s(value)}</title></circle>")
        if n.median is not None:
            xm = x_of(n.median)
            parts.append(f'<line x1="{_f(xm)}" y1="{_f(y - 13)}" x2="{_f(xm)}" y2="{_f(y + 13)}" '
                         f'stroke="{_MEDIAN}" stroke-width="3"><title>National median, '
                         f"{_e(item.id)}: {_s(n.median)}</title></line>")
    parts.append(f'<text x="{_f(left + plot_w / 2)}" y="{_f(height - 16)}" '
                 f'text-anchor="middle" class="axis-title">Score ({low} to {top}); shaded: the '
                 "middle half of authorities; red bar: the national median</text>")
    label = (f"Strip chart of {len(o.indicators)} indicators, one point per authority with a "
             "score, the national median marked: " + "; ".join(
                 f"{i.id} median {_s(i.national.median)}, middle half {_range(i.national)}, "
                 f"{i.national.count} scores" for i in o.indicators)
             + ". The table 'Indicators across Scotland' gives the same figures.")
    return _svg(width, height, "Indicator scores across Scotland", label, "".join(parts))


def _quad_colour(index: int) -> str:
    return "#" + QUAD_COLOURS[index % len(QUAD_COLOURS)]


def _legend(entries: Sequence[tuple[str, str]], x0: float, y0: float,
            width: float) -> tuple[str, float]:
    """(text, colour) keys in rows that fit ``width``; the markup and the height it took."""
    rows: list[list[tuple[str, str, float]]] = [[]]
    for text, colour in entries:
        item = 30 + _text_width(text, 12) + 20
        if rows[-1] and sum(w for *_, w in rows[-1]) + item > width:
            rows.append([])
        rows[-1].append((text, colour, item))
    parts = []
    for r, row in enumerate(rows):
        y, x = y0 + 22 * r, x0
        for quad, colour, item in row:
            parts.append(f'<rect x="{_f(x)}" y="{_f(y - 6)}" width="22" height="12" '
                         f'fill="{colour}"/><text x="{_f(x + 28)}" y="{_f(y + 4)}">'
                         f"{_e(quad)}</text>")
            x += item
    return "".join(parts), 22.0 * len(rows)


def _quad_medians(o: NationalOverview) -> str:
    """Per key area, each Quad's median side by side, with the national median as a line."""
    quads = o.quads
    top = o.framework.scale.highest.value
    width, left, right = 1180.0, 70.0, 16.0
    plot_w = width - left - right
    legend, legend_h = _legend([*((q, _quad_colour(j)) for j, q in enumerate(quads)),
                                ("National median (dashed line)", "#111111")], left, 16,
                               plot_w)
    plot_top, plot_h = 16 + legend_h + 14, 280.0
    base = plot_top + plot_h
    n_cat, n_q = max(len(o.categories), 1), max(len(quads), 1)
    group_w = plot_w / n_cat
    bar_w = group_w * 0.84 / n_q
    chars = max(int(group_w / (11 * 0.56)), 6)
    lines = max((len(_wrap(c.title, chars, 3)) for c in o.categories), default=1)
    height = base + 24 + 13 * lines + 20

    def y_of(value: float) -> float:
        return base - plot_h * min(max(value, 0.0), top) / top if top else base

    parts = [legend]
    for tick in range(0, top + 1):
        y = y_of(tick)
        parts.append(f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(width - right)}" '
                     f'y2="{_f(y)}" class="{"axis" if tick == 0 else "grid"}"/>'
                     f'<text x="{_f(left - 8)}" y="{_f(y + 4)}" text-anchor="end" '
                     f'class="tick">{tick}</text>')
    mid = plot_top + plot_h / 2
    parts.append(f'<text x="18" y="{_f(mid)}" transform="rotate(-90 18 {_f(mid)})" '
                 'text-anchor="middle" class="axis-title">Median key-area score</text>')
    for i, area in enumerate(o.categories):
        gx = left + i * group_w
        start = gx + group_w * 0.08
        for j, quad in enumerate(quads):
            spread = area.by_quad.get(quad)
            value = spread.median if spread else None
            if value is None:
                continue
            y = y_of(value)
            colour = _quad_colour(j)
            parts.append(f'<rect x="{_f(start + j * bar_w + 0.5)}" y="{_f(y)}" '
                         f'width="{_f(max(bar_w - 1, 1))}" height="{_f(base - y)}" '
                         f'fill="{colour}"><title>{_e(quad)}, {_e(area.id)} {_e(area.title)}: '
                         f"median {_s(value)}</title></rect>")
        if area.national.median is not None:
            y = y_of(area.national.median)
            parts.append(f'<line x1="{_f(gx + 4)}" y1="{_f(y)}" x2="{_f(gx + group_w - 4)}" '
                         f'y2="{_f(y)}" stroke="#111111" stroke-width="2.5" '
                         'stroke-dasharray="6 3">'
                         f"<title>National median, {_e(area.id)}: {_s(area.national.median)}"
                         "</title></line>")
        cx = gx + group_w / 2
        parts.append(f'<text x="{_f(cx)}" y="{_f(base + 18)}" text-anchor="middle" '
                     f'class="cat-id">{_e(area.id)}</text>')
        for k, line in enumerate(_wrap(area.title, chars, 3)):
            parts.append(f'<text x="{_f(cx)}" y="{_f(base + 33 + 13 * k)}" '
                         f'text-anchor="middle" class="cat-label">{_e(line)}</text>')
    label = (f"Grouped bar chart of the median key-area score of {len(quads)} Quads in "
             f"{len(o.categories)} key areas, with the national median as a line: " + "; ".join(
                 f"{a.id}: national {_s(a.national.median)}, " + ", ".join(
                     f"{q} {_s(_median(a.by_quad, q))}"
                     for q in quads) for a in o.categories)
             + ". The table below the chart gives the same figures.")
    return _svg(width, height, "Quad medians by key area", label, "".join(parts))


def _quad_table(o: NationalOverview) -> str:
    head = ('<thead><tr><th scope="col">Key area</th><th scope="col" class="num">National</th>'
            + "".join(f'<th scope="col" class="num">{_e(q)}</th>' for q in o.quads)
            + "</tr></thead>")
    rows = "".join(
        f"<tr><th scope=\"row\">{_label(a)}</th><td class=\"num\">{_s(a.national.median)}</td>"
        + "".join(f'<td class="num">{_s(_median(a.by_quad, q))}</td>'
                  for q in o.quads) + "</tr>"
        for a in [*([o.overall] if o.overall else []), *o.categories])
    return _scroll("Quad medians table", f"<table><caption class=\"sr\">Quad medians by key "
                   f"area</caption>{head}<tbody>{rows}</tbody></table>")


def _trend(o: NationalOverview) -> str:
    """The national median of the overall score across cycles, the middle half shaded."""
    low, top = o.framework.scale.lowest.value, o.framework.scale.highest.value
    points = o.trend
    width, left, right, plot_top, plot_h = 840.0, 70.0, 40.0, 24.0, 240.0
    base = plot_top + plot_h
    height = base + 60
    step = (width - left - right) / max(len(points), 1)

    def x_of(i: int) -> float:
        return left + step * (i + 0.5)

    def y_of(value: float) -> float:
        return base - plot_h * (min(max(value, low), top) - low) / (top - low) if top > low \
            else base

    parts = []
    for tick in range(low, top + 1):
        y = y_of(tick)
        parts.append(f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(width - right)}" '
                     f'y2="{_f(y)}" class="grid"/><text x="{_f(left - 8)}" y="{_f(y + 4)}" '
                     f'text-anchor="end" class="tick">{tick}</text>')
    known = [(i, p.overall) for i, p in enumerate(points) if p.overall.median is not None]
    if len(known) > 1:
        upper = [(x_of(i), y_of(s.q3 or 0.0)) for i, s in known]
        lower = [(x_of(i), y_of(s.q1 or 0.0)) for i, s in reversed(known)]
        parts.append('<polygon points="' + " ".join(f"{_f(x)},{_f(y)}" for x, y in
                                                    upper + lower) + '" fill="#dce6f2"/>')
        line = " ".join(f"{_f(x_of(i))},{_f(y_of(s.median or 0.0))}" for i, s in known)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{_POINT}" '
                     'stroke-width="3"/>')
    for i, point in enumerate(points):
        x = x_of(i)
        parts.append(f'<text x="{_f(x)}" y="{_f(base + 22)}" text-anchor="middle">'
                     f"{_e(point.cycle)}</text><text x=\"{_f(x)}\" y=\"{_f(base + 38)}\" "
                     f'text-anchor="middle" class="tick">{point.returns} returns</text>')
        median = point.overall.median
        if median is not None:
            y = y_of(median)
            parts.append(f'<circle cx="{_f(x)}" cy="{_f(y)}" r="5" fill="{_POINT}"><title>'
                         f"{_e(point.cycle)}: national median {_s(median)}</title></circle>"
                         f'<text x="{_f(x + 9)}" y="{_f(y - 8)}" class="value">{_s(median)}'
                         "</text>")
    label = ("Line chart of the national median overall score by cycle, the middle half of "
             "authorities shaded: " + "; ".join(
                 f"{p.cycle}: median {_s(p.overall.median)}, middle half {_range(p.overall)}, "
                 f"{p.returns} returns" for p in points) + ".")
    return _svg(width, height, "National trend across cycles", label, "".join(parts))


def _median(spreads: dict[str, Spread], key: str) -> float | None:
    found = spreads.get(key)
    return found.median if found else None


def _trend_table(o: NationalOverview) -> str:
    head = ('<thead><tr><th scope="col">Cycle</th><th scope="col" class="num">Returns</th>'
            '<th scope="col" class="num">Overall median</th><th scope="col" class="num">'
            "Middle half</th>" + "".join(f'<th scope="col" class="num" title="{_e(c.title)}">'
                                        f"KA {_e(c.id)}</th>" for c in o.framework.categories)
            + "</tr></thead>")
    rows = "".join(
        f'<tr><th scope="row">{_e(p.cycle)}</th><td class="num">{p.returns}</td>'
        f'<td class="num">{_s(p.overall.median)}</td><td class="num">{_range(p.overall)}</td>'
        + "".join(f'<td class="num">{_s(_median(p.categories, c.id))}</td>'
                  for c in o.framework.categories) + "</tr>" for p in o.trend)
    return _scroll("Trend table", f"<table><caption class=\"sr\">National medians by cycle"
                   f"</caption>{head}<tbody>{rows}</tbody></table>")


def _charts(o: NationalOverview) -> str:
    quads = (
        '<figure class="chart">' + _quad_medians(o) + "<figcaption>Each Quad's median key-area "
        "score side by side; the dashed line is the national median.</figcaption></figure>"
        + _quad_table(o) if o.quads else
        '<p class="hint">No Quads file was found, so there are no Quad medians.</p>')
    single = "" if len(o.trend) > 1 else (
        '<p class="hint">Only this cycle is known: earlier cycles come from the history '
        "(ingest their returns, then give --db).</p>")
    return (
        '<section id="distribution" class="card"><h2>Indicator scores across Scotland</h2>'
        '<figure class="chart">' + _distribution(o) + "<figcaption>Every authority's score "
        "per indicator as a point; the shaded band holds the middle half of authorities and "
        "the red bar is the national median.</figcaption></figure></section>"
        '<section id="quads" class="card"><h2>Quad medians side by side</h2>' + quads
        + "</section>"
        '<section id="trend" class="card"><h2>National trend across cycles</h2>' + single
        + '<figure class="chart trend">' + _trend(o) + "<figcaption>The national median "
        "overall score in each cycle; the shaded band holds the middle half of authorities."
        "</figcaption></figure>" + _trend_table(o) + "</section>")


_EXTRA_CSS = """
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.chart.trend svg{max-width:840px}
.chg{font-weight:400;font-size:12px}
tr.area th,tr.area td{background:#f1f4f8;font-weight:700}
@media print{#distribution,#quads,#trend,#authorities{break-before:page}}
"""


def render_national_html(overview: NationalOverview) -> str:
    """The whole page as one string; deterministic for a given overview."""
    o = overview
    title = f"National picture: {o.framework.title}, {o.cycle}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="rubric {_e(__version__)}">'
        f"<title>{_e(title)}</title><style>{_CSS}{_EXTRA_CSS}</style></head>"
        f"<body><main>{_header(o)}{_key_areas(o)}{_charts(o)}{_indicators(o)}"
        f"{_authorities(o)}</main>"
        f'<footer class="foot"><p>Made by rubric {_e(__version__)} from {len(o.rows)} returns '
        f"against {_e(o.framework.id)} {_e(o.framework.version)}. Generated "
        f"{_e(o.generated_at.isoformat())}. This page is self-contained: it loads nothing and "
        "runs no scripts.</p></footer></body></html>\n")


def write_national_html(overview: NationalOverview, path: str | os.PathLike[str], *,
                        force: bool = False) -> Path:
    """Write the page atomically; an existing file is kept unless ``force``."""
    target = Path(path)
    with atomic_output(target, force=force) as temporary:
        temporary.write_text(render_national_html(overview), encoding="utf-8")
    return target
