"""Comparison -> one self-contained HTML page: header, members, heat map, charts, prompts.

The page has to survive being emailed, archived and printed for a Quad meeting, so everything is
inline (style and SVG drawn here) and nothing is fetched. Every text that came from a return or a
framework passes through :func:`_e` before it meets markup: authorities' words are data, never
HTML, whether in a table cell, an SVG label or an attribute. Output is deterministic for a given
comparison, so two renders can be diffed.
"""

from __future__ import annotations

import html
import itertools
import math
import os
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

from rubric._io import atomic_output
from rubric._version import __version__
from rubric.compare.challenge import KIND_TITLES, Prompt
from rubric.compare.quad import NO_SCORE, Comparison, Member, ScoreRow
from rubric.compare.wording import plural, signed
from rubric.export.follow_up import follow_up_html

MARKERS = ("circle", "square", "triangle", "diamond")
_NO_SCORE_FILL = "#eceff1"
# Light enough that dark text stays readable (contrast >= 7:1) on every shade.
_HEAT_STOPS = ((0.0, (236, 112, 99)), (0.5, (250, 199, 92)), (1.0, (95, 186, 125)))


# --- small helpers ---------------------------------------------------------------------------

def _e(value: object) -> str:
    """Escape anything for text or a quoted attribute (HTML and inline SVG alike)."""
    return html.escape(str(value), quote=True)


def _score(value: float | None) -> str:
    return NO_SCORE if value is None else f"{value:.1f}"


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _heat(value: float | None, low: float, high: float) -> str:
    """Red -> amber -> green over the framework's own scale, so 3 of 6 and 3 of 4 differ."""
    if value is None:
        return _NO_SCORE_FILL
    t = 0.5 if high <= low else min(max((value - low) / (high - low), 0.0), 1.0)
    for (t0, c0), (t1, c1) in itertools.pairwise(_HEAT_STOPS):
        if t <= t1:
            f = (t - t0) / (t1 - t0)
            r, g, b = (round(a + (z - a) * f) for a, z in zip(c0, c1, strict=True))
            return f"#{r:02x}{g:02x}{b:02x}"
    return "#{:02x}{:02x}{:02x}".format(*_HEAT_STOPS[-1][1])


def _colours(comparison: Comparison) -> dict[str, str]:
    return comparison.colours


def _marker_of(comparison: Comparison) -> dict[str, str]:
    """A shape per member as well as a colour, so the radar reads without colour vision."""
    return {m.code: MARKERS[i % len(MARKERS)] for i, m in enumerate(comparison.members)}


def _f(number: float) -> str:
    """SVG coordinates: short and stable across platforms."""
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _wrap(text: str, width: int, lines: int) -> list[str]:
    wrapped = textwrap.wrap(text, max(width, 4)) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], textwrap.shorten(" ".join(wrapped[lines - 1:]),
                                                           max(width, 8), placeholder="…")]
    return wrapped


def _text_width(text: str, size: float) -> float:
    """A rough width for layout; SVG has no text measuring without a browser."""
    return len(text) * size * 0.56


def _swatch(colour: str) -> str:
    return f'<span class="swatch" style="background:{colour}" aria-hidden="true"></span>'


def _row_groups(comparison: Comparison) -> list[tuple[ScoreRow | None, list[ScoreRow]]]:
    """Indicators under their key area, in framework order; strays kept, never dropped."""
    groups: list[tuple[ScoreRow | None, list[ScoreRow]]] = [
        (cat, [r for r in comparison.indicators if r.parent_id == cat.id])
        for cat in comparison.categories]
    known = {cat.id for cat in comparison.categories}
    strays = [r for r in comparison.indicators if r.parent_id not in known]
    if strays:
        groups.append((None, strays))
    return groups


# --- sections ----------------------------------------------------------------------------------

def _header(c: Comparison) -> str:
    fw = c.framework
    scoring = fw.scoring
    rule = {k: _e(getattr(scoring, k).replace("_", " ")) for k in (
        "theme_to_indicator", "indicator_to_category", "category_to_overall")}
    stamp = c.generated_at
    when = f"{stamp.day} {stamp:%B %Y, %H:%M} {stamp.tzname() or ''}".rstrip()
    status = "" if fw.status == "published" else f" <span class=\"pill\">{_e(fw.status)}</span>"
    facts = [
        ("Framework", f"{_e(fw.title)} <span class=\"mono\">{_e(fw.id)} {_e(fw.version)}</span>"
                      f"{status}"),
        ("Cycle", _e(c.cycle)),
        *([("Quad", _e(c.quad.name))] if c.quad else []),
        ("Returns", str(len(c.members))),
        ("Generated", f'<time datetime="{_e(stamp.isoformat())}">{_e(when)}</time>'),
    ]
    notes = ""
    if c.notes:
        items = "".join(f"<li>{_e(note)}</li>" for note in c.notes)
        notes = f'<aside class="notes" aria-label="Notes"><h2>Notes</h2><ul>{items}</ul></aside>'
    return (
        '<header class="masthead">'
        '<p class="kicker">Quad self-evaluation comparison</p>'
        f"<h1>{_e(c.title)}</h1>"
        '<dl class="facts">'
        + "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts)
        + "</dl>"
        '<p class="method">Scores are computed by rubric from the values in the returns, by the '
        f"framework's own rules ({rule['theme_to_indicator']} of themes for an indicator, "
        f"{rule['indicator_to_category']} of indicators for a key area, "
        f"{rule['category_to_overall']} of key areas overall; rounded "
        f"{_e(scoring.rounding.replace('_', '-'))} to {scoring.decimals} decimal"
        f"{'' if scoring.decimals == 1 else 's'}). They are values, not spreadsheet formulas; "
        "each challenge prompt cites the cells it rests on.</p>"
        f"{notes}</header>"
    )


def _members(c: Comparison) -> str:
    scale = c.framework.scale
    low, high = scale.lowest.value, scale.highest.value
    colours = _colours(c)
    rows = []
    agenda = c.prompt_counts(c.agenda)
    for m in c.members:
        overall = m.scores.overall.rounded
        extra = ""
        if c.previous:
            change = c.overall_change(m.code)
            moved = NO_SCORE if change.change is None else signed(change.change)
            extra += f'<td class="num">{_score(change.was)}</td><td class="num">{moved}</td>'
        if c.has_follow_up:
            extra += f'<td class="num">{_e(c.follow_up(m.code).text)}</td>'
        extra += f'<td class="num">{agenda[m.code]}</td>'
        rows.append(
            f'<tr><th scope="row">{_swatch(colours[m.code])}{_e(m.name)}</th>'
            f'<td class="mono">{_e(m.code)}</td>'
            f'<td class="num">{_percent(m.scores.completion)}</td>'
            f'<td class="num">{_percent(m.scores.evidence_coverage)}</td>'
            f'<td class="num score" style="background:{_heat(overall, low, high)}">'
            f"{_score(overall)}</td>{extra}</tr>")
    heads = ""
    if c.previous:
        heads += (f'<th scope="col" class="num">Overall in {_e(c.previous.cycle)}</th>'
                  '<th scope="col" class="num">Change</th>')
    if c.has_follow_up:
        heads += '<th scope="col" class="num">Progress reported on last next steps</th>'
    heads += '<th scope="col" class="num">Prompts on the agenda</th>'
    return (
        '<section id="members" class="card"><h2>Members</h2>'
        '<table class="members"><thead><tr><th scope="col">Authority</th>'
        '<th scope="col">Code</th><th scope="col" class="num">Completion</th>'
        '<th scope="col" class="num">Evidence coverage</th>'
        f'<th scope="col" class="num">Overall score (of {high})</th>{heads}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        '<p class="hint">Completion: themes answered of those that apply. Evidence coverage: '
        "levels given with evidence written beside them."
        + (" Progress: themes where the member reported progress on the next steps it set "
           "last cycle (details on the Follow-up sheet of the workbook)."
           if c.has_follow_up else "") + "</p></section>"
    )


def _heat_legend(c: Comparison) -> str:
    scale = c.framework.scale
    low, high = scale.lowest.value, scale.highest.value
    keys = [f'<li><span class="key" style="background:{_heat(level.value, low, high)}">'
            f"{level.value}</span>{_e(level.label)}</li>" for level in scale.ascending]
    keys.append(f'<li><span class="key" style="background:{_NO_SCORE_FILL}">{NO_SCORE}</span>'
                "too few themes answered for a score</li>")
    keys.append('<li><span class="flag">▲ apart</span>members '
                f"{c.settings.divergence_levels}+ levels apart</li>")
    return f'<ul class="legend" aria-label="Colour key">{"".join(keys)}</ul>'


def _score_cells(row: ScoreRow, c: Comparison, low: float, high: float) -> str:
    cells = [f'<td class="num score" style="background:{_heat(row.values.get(m.code), low, high)}"'
             f">{_score(row.values.get(m.code))}</td>" for m in c.members]
    flag = '<span class="flag">▲ apart</span>' if row.divergent else ""
    cells.append(f'<td class="num median">{_score(row.median)}</td>')
    cells.append(f'<td class="num">{_score(row.spread)}</td>')
    cells.append(f'<td class="flagcell">{flag}</td>')
    return "".join(cells)


def _heatmap(c: Comparison) -> str:
    scale = c.framework.scale
    low, high = scale.lowest.value, scale.highest.value
    colours = _colours(c)
    heads = "".join(f'<th scope="col" class="num member">{_swatch(colours[m.code])}'
                    f"{_e(m.name)}</th>" for m in c.members)
    bodies = []
    for category, rows in _row_groups(c):
        if category is not None:
            cls = "area divergent" if category.divergent else "area"
            head = (f'<tr class="{cls}"><th scope="rowgroup"><span class="id">'
                    f"{_e(category.id)}</span> {_e(category.title)}</th>"
                    f"{_score_cells(category, c, low, high)}</tr>")
        else:
            head = (f'<tr class="area"><th scope="rowgroup" colspan="{len(c.members) + 4}">'
                    "Other indicators</th></tr>")
        lines = [head]
        for row in rows:
            cls = ' class="divergent"' if row.divergent else ""
            lines.append(f'<tr{cls}><th scope="row"><span class="id">{_e(row.id)}</span> '
                         f"{_e(row.title)}</th>{_score_cells(row, c, low, high)}</tr>")
        bodies.append(f"<tbody>{''.join(lines)}</tbody>")
    return (
        '<section id="heatmap" class="card"><h2>Heat map: indicators by authority</h2>'
        f'<p class="hint">Scores on the framework\'s scale, {low} to {high}; each key area\'s '
        "own score is on its shaded row. The Quad median and spread (highest minus lowest) are "
        "across the members who have a score.</p>"
        f"{_heat_legend(c)}"
        '<div class="scroll" tabindex="0" role="region" aria-label="Heat map table (scrolls '
        'sideways)"><table class="heat"><thead><tr>'
        '<th scope="col">Key area / indicator</th>'
        f'{heads}<th scope="col" class="num">Quad median</th>'
        '<th scope="col" class="num">Spread</th><th scope="col">Divergence</th></tr></thead>'
        f"{''.join(bodies)}</table></div></section>"
    )


# --- SVG charts --------------------------------------------------------------------------------

def _marker(shape: str, x: float, y: float, colour: str, size: float = 4.5) -> str:
    common = f'fill="{colour}" stroke="#fff" stroke-width="1"'
    if shape == "square":
        return (f'<rect x="{_f(x - size)}" y="{_f(y - size)}" width="{_f(2 * size)}" '
                f'height="{_f(2 * size)}" {common}/>')
    if shape == "triangle":
        pts = [(x, y - size * 1.2), (x + size * 1.1, y + size * 0.8),
               (x - size * 1.1, y + size * 0.8)]
        return f'<polygon points="{_points(pts)}" {common}/>'
    if shape == "diamond":
        pts = [(x, y - size * 1.3), (x + size * 1.3, y), (x, y + size * 1.3), (x - size * 1.3, y)]
        return f'<polygon points="{_points(pts)}" {common}/>'
    return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(size)}" {common}/>'


def _points(points: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{_f(x)},{_f(y)}" for x, y in points)


def _legend(members: Sequence[Member], colours: dict[str, str], markers: dict[str, str] | None,
            x0: float, y0: float, width: float) -> tuple[str, float]:
    """Legend rows, each centred over the chart; returns the markup and the height it took."""
    size = 12.0
    rows: list[list[tuple[Member, float]]] = [[]]
    for m in members:
        item = 34 + _text_width(m.name, size) + 22
        if rows[-1] and sum(w for _, w in rows[-1]) + item > width:
            rows.append([])
        rows[-1].append((m, item))
    parts = []
    for r, row in enumerate(rows):
        y = y0 + 22 * r
        x = x0 + (width - sum(w for _, w in row) + 22) / 2
        for m, item in row:
            colour = colours[m.code]
            if markers is None:
                key = f'<rect x="{_f(x)}" y="{_f(y - 6)}" width="24" height="12" fill="{colour}"/>'
            else:
                key = (f'<line x1="{_f(x)}" y1="{_f(y)}" x2="{_f(x + 24)}" y2="{_f(y)}" '
                       f'stroke="{colour}" stroke-width="2.5"/>'
                       + _marker(markers[m.code], x + 12, y, colour))
            parts.append(f'<g class="legend-item">{key}<text x="{_f(x + 32)}" y="{_f(y + 4)}" '
                         f'font-size="{_f(size)}">{_e(m.name)}</text></g>')
            x += item
    return "".join(parts), 22.0 * len(rows)


def _svg(width: float, height: float, title: str, label: str, body: str) -> str:
    return (f'<svg viewBox="0 0 {_f(width)} {_f(height)}" '
            f'width="{_f(width)}" height="{_f(height)}" role="img" aria-label="{_e(label)}">'
            f"<title>{_e(title)}</title>{body}</svg>")


def _bar_chart(c: Comparison) -> str:
    """Key-area scores grouped by key area, one bar per member, y from 0 to the scale's top."""
    colours = _colours(c)
    top = c.framework.scale.highest.value
    width, left, right = 1180.0, 70.0, 16.0
    plot_w = width - left - right
    legend, legend_h = _legend(c.members, colours, None, left, 16, plot_w)
    plot_top = 16 + legend_h + 14
    plot_h = 300.0
    base = plot_top + plot_h
    n_cat, n_mem = max(len(c.categories), 1), max(len(c.members), 1)
    group_w = plot_w / n_cat
    bar_w = group_w * 0.8 / n_mem
    chars = max(int(group_w / (11 * 0.56)), 6)
    label_lines = max((len(_wrap(cat.title, chars, 3)) for cat in c.categories), default=1)
    height = base + 24 + 13 * label_lines + 34

    def y_of(value: float) -> float:
        return base - plot_h * min(max(value, 0.0), top) / top if top else base

    parts = [legend]
    for tick in range(0, top + 1):
        y = y_of(tick)
        parts.append(f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(width - right)}" y2="{_f(y)}" '
                     f'class="{"axis" if tick == 0 else "grid"}"/>'
                     f'<text x="{_f(left - 8)}" y="{_f(y + 4)}" text-anchor="end" '
                     f'class="tick">{tick}</text>')
    parts.append(f'<line x1="{_f(left)}" y1="{_f(plot_top)}" x2="{_f(left)}" y2="{_f(base)}" '
                 'class="axis"/>')
    mid = plot_top + plot_h / 2
    parts.append(f'<text x="18" y="{_f(mid)}" transform="rotate(-90 18 {_f(mid)})" '
                 f'text-anchor="middle" class="axis-title">Key-area score (0 to {top})</text>')
    names = c.labels
    for i, cat in enumerate(c.categories):
        gx = left + i * group_w
        start = gx + group_w * 0.1
        for j, m in enumerate(c.members):
            value = cat.values.get(m.code)
            x = start + j * bar_w
            tip = f"{names[m.code]}, {cat.id} {cat.title}: {_score(value)}"
            if value is None:
                tx, ty = _f(x + bar_w / 2 + 3), _f(base - 4)
                parts.append(f'<text x="{tx}" y="{ty}" transform="rotate(-90 {tx} {ty})" '
                             f'class="value"><title>{_e(tip)}</title>{NO_SCORE}</text>')
                continue
            y = y_of(value)
            parts.append(f'<rect x="{_f(x + 1)}" y="{_f(y)}" width="{_f(max(bar_w - 2, 1))}" '
                         f'height="{_f(base - y)}" fill="{colours[m.code]}">'
                         f"<title>{_e(tip)}</title></rect>")
            if bar_w >= 17:
                parts.append(f'<text x="{_f(x + bar_w / 2)}" y="{_f(y - 4)}" '
                             f'text-anchor="middle" class="value">{_score(value)}</text>')
        cx = gx + group_w / 2
        parts.append(f'<text x="{_f(cx)}" y="{_f(base + 18)}" text-anchor="middle" '
                     f'class="cat-id">{_e(cat.id)}</text>')
        for k, line in enumerate(_wrap(cat.title, chars, 3)):
            parts.append(f'<text x="{_f(cx)}" y="{_f(base + 33 + 13 * k)}" '
                         f'text-anchor="middle" class="cat-label">{_e(line)}</text>')
    parts.append(f'<text x="{_f(left + plot_w / 2)}" y="{_f(height - 8)}" text-anchor="middle" '
                 'class="axis-title">Key area</text>')
    title = "Key-area scores by authority"
    label = (f"Grouped bar chart of {len(c.categories)} key-area scores for "
             f"{len(c.members)} authorities: " + "; ".join(
                 f"{cat.id} {cat.title}: " + ", ".join(
                     f"{names[code]} {_score(v)}" for code, v in cat.values.items())
                 for cat in c.categories))
    return _svg(width, height, title, label, "".join(parts))


def _radar_chart(c: Comparison) -> str:
    """One outline per member over the key areas; gaps where a member has no score. The
    centre is the scale's lowest level (1 on a 1-to-6 scale), as in the workbook's radar."""
    colours, markers = _colours(c), _marker_of(c)
    low, top = c.framework.scale.lowest.value, c.framework.scale.highest.value
    width, radius = 840.0, 200.0
    legend, legend_h = _legend(c.members, colours, markers, 20, 16, width - 40)
    cx, cy = width / 2, 16 + legend_h + 30 + radius + 20
    height = cy + radius + 70
    n = len(c.categories)
    angles = [-math.pi / 2 + 2 * math.pi * i / max(n, 1) for i in range(n)]

    def at(angle: float, value: float) -> tuple[float, float]:
        r = radius * (min(max(value, low), top) - low) / (top - low) if top > low else 0.0
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    fill = "0.12" if len(c.members) <= 4 else "0.05"  # stacked fills turn muddy otherwise
    parts = [legend]
    for ring in range(low, top + 1):
        r = radius * (ring - low) / (top - low) if top > low else 0.0
        if ring > low and n >= 3:
            parts.append(f'<polygon points="{_points(at(a, ring) for a in angles)}" '
                         f'class="{"ring-outer" if ring == top else "ring"}"/>')
        elif ring > low:
            parts.append(f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(r)}" class="ring"/>')
        parts.append(f'<text x="{_f(cx + 4)}" y="{_f(cy - r - 3)}" class="tick">{ring}</text>')
    for cat, angle in zip(c.categories, angles, strict=True):
        x, y = at(angle, top)
        parts.append(f'<line x1="{_f(cx)}" y1="{_f(cy)}" x2="{_f(x)}" y2="{_f(y)}" '
                     'class="spoke"/>')
        cos, sin = math.cos(angle), math.sin(angle)
        anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        lines = _wrap(cat.title, 22, 3)
        lx, ly = cx + (radius + 14) * cos, cy + (radius + 14) * sin
        ly += 4 if abs(sin) < 0.3 else (-13 * len(lines) + 2 if sin < 0 else 10)
        tspans = f'<tspan class="cat-id">{_e(cat.id)}</tspan> {_e(lines[0])}'
        tspans += "".join(f'<tspan x="{_f(lx)}" dy="13">{_e(line)}</tspan>'
                          for line in lines[1:])
        parts.append(f'<text x="{_f(lx)}" y="{_f(ly)}" text-anchor="{anchor}" '
                     f'class="cat-label">{tspans}</text>')
    for m in c.members:
        colour = colours[m.code]
        values = [cat.values.get(m.code) for cat in c.categories]
        points = [None if v is None else at(a, v) for a, v in zip(angles, values, strict=True)]
        if points and all(p is not None for p in points):
            parts.append(f'<polygon points="{_points(p for p in points if p)}" fill="{colour}" '
                         f'fill-opacity="{fill}" stroke="{colour}" stroke-width="2.2" '
                         'stroke-linejoin="round"/>')
        else:
            for run in _runs(points):
                parts.append(f'<polyline points="{_points(run)}" fill="none" stroke="{colour}" '
                             'stroke-width="2.2" stroke-linejoin="round"/>')
        for cat, point, value in zip(c.categories, points, values, strict=True):
            if point is not None:
                parts.append(f"<g>{_marker(markers[m.code], *point, colour)}<title>"
                             f"{_e(m.name)}, {_e(cat.id)} {_e(cat.title)}: {_score(value)}"
                             "</title></g>")
    title = "Key areas by authority (radar)"
    label = (f"Radar chart of {n} key-area scores, one outline per authority: "
             + ", ".join(m.name for m in c.members)
             + ". The same scores are printed in the bar chart and the heat map.")
    return _svg(width, height, title, label, "".join(parts))


def _runs(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Consecutive present points (wrapping round), so a missing score leaves a visible gap."""
    if not any(points):
        return []
    if None in points:
        first_gap = points.index(None)
        points = points[first_gap:] + points[:first_gap]
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def _charts(c: Comparison) -> str:
    return (
        '<section id="charts" class="card"><h2>Key areas at a glance</h2>'
        '<figure class="chart">' + _bar_chart(c) + "<figcaption>Key-area scores, one bar per "
        "authority; the number above each bar is its score.</figcaption></figure>"
        '<figure class="chart radar">' + _radar_chart(c) + "<figcaption>The same key-area scores "
        "as outlines: further out is higher; the centre is the lowest level of the scale. A "
        "gap in an outline means no score.</figcaption>"
        "</figure></section>"
    )


# --- prompts and footer ----------------------------------------------------------------------

def _prompt(p: Prompt, c: Comparison, colours: dict[str, str]) -> str:
    names = c.labels
    who = "".join(f'<li>{_swatch(colours.get(code, "#777"))}{_e(names.get(code, code))}</li>'
                  for code in p.members)
    cells = "".join(f"<li><code>{_e(cell)}</code></li>" for cell in p.cells)
    return (
        '<li class="prompt">'
        f'<h4><span class="id">{_e(p.item)}</span> {_e(p.title)}</h4>'
        f'<ul class="who" aria-label="Members">{who}</ul>'
        f'<p class="reason">{_e(p.reason)}</p>'
        f'<p class="question">{_e(p.question)}</p>'
        f'<ul class="cells" aria-label="Cells it rests on">{cells}</ul></li>'
    )


def _by_kind(prompts: list[Prompt]) -> dict[str, list[Prompt]]:
    by_kind: dict[str, list[Prompt]] = {kind: [] for kind in KIND_TITLES}
    for p in prompts:
        by_kind.setdefault(p.kind, []).append(p)
    return by_kind


def _agenda(c: Comparison) -> str:
    """The meeting-sized agenda, first thing after the header, as cards grouped by kind."""
    colours = _colours(c)
    agenda = c.agenda
    counts = c.prompt_counts(agenda)
    blocks = []
    for kind, found in _by_kind(agenda).items():
        if not found:
            continue
        blocks.append(f'<section class="kind"><h3>{_e(KIND_TITLES.get(kind, kind))} '
                      f'<span class="count">{plural(len(found), "prompt")}</span></h3>'
                      f'<ol class="prompts">{"".join(_prompt(p, c, colours) for p in found)}'
                      "</ol></section>")
    if not blocks:
        blocks.append('<p class="hint">No prompts: the members agree closely and their '
                      "evidence supports their grades.</p>")
    per_member = "".join(f"<li>{_swatch(colours[code])}{_e(c.labels[code])} <b>{n}</b></li>"
                         for code, n in counts.items())
    settings = c.settings
    return (
        '<section id="agenda" class="card"><h2>Agenda for the Quad meeting</h2>'
        f'<p class="hint">{len(agenda)} of {len(c.prompts)} challenge prompts: the strongest '
        f"{settings.agenda_per_kind} of each kind for each member, at most "
        f"{settings.agenda_per_member} about any one member. Every prompt is listed, ranked, "
        'under <a href="#prompts">All challenge prompts</a>. Questions to ask each other, '
        "found from the scores and evidence: starting points for discussion, not "
        "judgements. Cells are given as <span class=\"mono\">file: Sheet!Cell</span>.</p>"
        f'<ul class="kinds" aria-label="Prompts per member on the agenda">{per_member}</ul>'
        f"{''.join(blocks)}</section>"
    )


def _prompts(c: Comparison) -> str:
    """Every prompt, ranked within its kind, as one compact table per kind."""
    names = c.labels
    on_agenda = {id(p) for p in c.agenda}
    by_kind = _by_kind(c.prompts)
    summary = "".join(f"<li>{_e(KIND_TITLES.get(kind, kind))} <b>{len(found)}</b></li>"
                      for kind, found in by_kind.items())
    blocks = []
    for kind, found in by_kind.items():
        title = _e(KIND_TITLES.get(kind, kind))
        count = plural(len(found), "prompt")
        if not found:
            blocks.append(f'<section class="kind"><h3>{title} <span class="count">{count}'
                          '</span></h3><p class="hint">None in this comparison.</p></section>')
            continue
        rows = "".join(
            f'<tr><td class="num">{rank}</td>'
            f'<th scope="row"><span class="id">{_e(p.item)}</span> {_e(p.title)}</th>'
            f"<td>{_e(', '.join(names.get(m, m) for m in p.members))}</td>"
            f"<td>{_e(p.reason)}</td><td>{_e(p.question)}</td>"
            f'<td class="cells">{"<br>".join(f"<code>{_e(cell)}</code>" for cell in p.cells)}'
            f'</td><td>{"on the agenda" if id(p) in on_agenda else ""}</td></tr>'
            for rank, p in enumerate(found, start=1))
        blocks.append(
            f'<section class="kind"><h3>{title} <span class="count">{count}</span></h3>'
            f'<div class="scroll" tabindex="0" role="region" aria-label="{title}: all prompts '
            '(scrolls sideways)"><table class="all-prompts"><thead><tr>'
            '<th scope="col" class="num">Rank</th><th scope="col">Theme</th>'
            '<th scope="col">Members</th><th scope="col">Reason</th>'
            '<th scope="col">Question</th><th scope="col">Cells it rests on</th>'
            '<th scope="col">Agenda</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div></section>")
    return (
        '<section id="prompts" class="card"><h2>All challenge prompts</h2>'
        '<p class="hint">Every prompt, one per theme and kind, strongest first within each '
        "kind; the agenda above is drawn from these.</p>"
        f'<ul class="kinds" aria-label="Prompts by kind">{summary}</ul>'
        f"{''.join(blocks)}</section>"
    )


def _footer(c: Comparison) -> str:
    files = ", ".join(f"<code>{_e(Path(m.path).name)}</code>" for m in c.members)
    return (
        '<footer class="foot">'
        f"<p>Made by rubric {_e(__version__)} from {len(c.members)} returns ({files}) "
        f"against {_e(c.framework.id)} {_e(c.framework.version)}. Generated "
        f"{_e(c.generated_at.isoformat())}. This page is self-contained: it loads nothing "
        "and runs no scripts.</p></footer>"
    )


_CSS = """
:root{--ink:#1d2330;--muted:#5a6475;--line:#d9dee6;--paper:#fff;--bg:#f4f6f9;--accent:#1f4e79}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,
"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1320px;margin:0 auto;padding:24px 28px 8px}
h1{font-size:28px;line-height:1.2;margin:2px 0 14px;color:var(--accent)}
h2{font-size:20px;margin:0 0 8px;color:var(--accent)}
h3{font-size:16px;margin:18px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h4{font-size:14.5px;margin:0 0 6px}
.mono,code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace}
.masthead{padding:4px 0 10px}
.kicker{margin:0;text-transform:uppercase;letter-spacing:.08em;font-size:12px;font-weight:600;
color:var(--muted)}
.facts{display:flex;flex-wrap:wrap;gap:6px 28px;margin:0 0 10px}
.facts div{min-width:120px}
.facts dt{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
.facts dd{margin:0;font-weight:600}
.method{margin:6px 0 0;padding:8px 12px;background:#e8eef6;border-left:4px solid var(--accent);
font-size:14px;max-width:1100px}
.notes{margin-top:10px;padding:8px 12px;background:#fff7e0;border-left:4px solid #e0a100}
.notes h2{font-size:15px;margin:0}
.notes ul{margin:4px 0 0;padding-left:20px}
.pill{font-size:12px;padding:1px 7px;border-radius:9px;background:#ffe3a3;font-weight:600}
.card{background:var(--paper);border:1px solid var(--line);border-radius:8px;padding:16px 20px;
margin:16px 0}
.hint{color:var(--muted);font-size:13.5px;margin:0 0 10px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle}
thead th{font-size:12.5px;color:var(--muted);font-weight:600;border-bottom:2px solid #aab3c0;
vertical-align:bottom}
.num{text-align:right;font-variant-numeric:tabular-nums}
thead th.num{text-align:center}
.members{max-width:900px}
.members th[scope=row]{font-weight:600}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:7px;
vertical-align:-1px;border:1px solid rgba(0,0,0,.25)}
td.score{text-align:center;font-weight:600;color:#1a1a1a;border:2px solid #fff;min-width:56px}
.heat th[scope=row]{font-weight:400;padding-left:22px}
.heat tr.area th,.heat tr.area td{border-top:2px solid #aab3c0;background:#f1f4f8}
.heat tr.area td.score{font-weight:800}
.heat tr.area th{font-weight:700;padding-left:8px}
.heat tr.area th[colspan]{background:#f1f4f8}
.heat thead th:first-child{width:28%;min-width:220px}
.scroll{overflow-x:auto}
.heat th,.heat td{padding:5px 6px}
.heat .member{min-width:64px}
.heat td.median{font-weight:700}
.id{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.92em;
color:var(--muted);margin-right:4px}
.heat tr.area .id{color:var(--ink)}
.heat tr.divergent th{box-shadow:inset 4px 0 0 #b3261e}
.flag{display:inline-block;font-size:12px;font-weight:700;color:#8c1d18;background:#fde7e5;
border:1px solid #e3a29d;border-radius:4px;padding:0 6px;white-space:nowrap}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:6px 18px;padding:0;margin:0 0 12px;
font-size:13px}
.legend li{display:flex;align-items:center;gap:6px}
.legend .key{display:inline-block;min-width:30px;text-align:center;font-weight:700;
border-radius:3px;padding:1px 4px;color:#1a1a1a}
.chart{margin:8px 0 18px}
.chart svg{display:block;width:100%;height:auto;max-width:1180px;margin:0 auto}
.chart.radar svg{max-width:840px}
figcaption{text-align:center;color:var(--muted);font-size:13px;margin-top:4px}
svg text{fill:var(--ink);font-family:inherit;font-size:12px}
svg .tick{fill:var(--muted);font-size:11px}
svg .value{font-size:10px;fill:#333}
svg .axis-title{font-size:12.5px;font-weight:600;fill:var(--muted)}
svg .cat-id{font-weight:700;font-size:12.5px}
svg .cat-label{font-size:11px}
svg .grid{stroke:#e3e7ee;stroke-width:1}
svg .axis{stroke:#7a8494;stroke-width:1.2}
svg .ring{fill:none;stroke:#dde2ea;stroke-width:1}
svg .ring-outer{fill:#fafbfd;stroke:#aab3c0;stroke-width:1.2}
svg .spoke{stroke:#dde2ea;stroke-width:1}
.kinds{list-style:none;display:flex;flex-wrap:wrap;gap:8px;padding:0;margin:0 0 6px}
.kinds li{background:#eef2f7;border-radius:14px;padding:2px 12px;font-size:13.5px}
.count{font-weight:400;font-size:13px;color:var(--muted);margin-left:6px}
.prompts{list-style:none;padding:0;margin:0;display:grid;
grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:12px}
.prompt{border:1px solid var(--line);border-left:4px solid var(--accent);border-radius:6px;
padding:10px 12px;background:#fcfdfe}
.who{list-style:none;display:flex;flex-wrap:wrap;gap:2px 14px;padding:0;margin:0 0 6px;
font-size:13px;font-weight:600}
.reason{margin:0 0 6px;font-size:14px}
.question{margin:0 0 8px;font-size:14px;font-style:italic;color:#25324a}
.cells{list-style:none;padding:0;margin:0;font-size:11.5px;color:var(--muted);
overflow-wrap:anywhere}
.all-prompts{font-size:13px}
.all-prompts th[scope=row]{font-weight:600;min-width:170px}
.all-prompts td,.all-prompts th{vertical-align:top}
.all-prompts td.cells{font-size:11.5px;color:var(--muted);overflow-wrap:anywhere;
min-width:220px}
.scroll:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.foot{max-width:1320px;margin:0 auto;padding:4px 28px 28px;color:var(--muted);font-size:12.5px}
@page{size:A4 landscape;margin:11mm}
@media print{
body{background:#fff;font-size:10pt}
table{font-size:9.5pt}
.heat th,.heat td{padding:2px 5px}
.hint{font-size:9pt}
main{max-width:none;padding:0}
.card{border:none;border-radius:0;padding:0;margin:0 0 14px}
#members,#heatmap,#charts,#prompts{break-before:page}
thead{display:table-header-group}
tr,tbody,.prompt,.legend,figure,.members{break-inside:avoid}
h2,h3,h4{break-after:avoid}
.chart svg{max-height:165mm}
.prompts{grid-template-columns:1fr 1fr 1fr;gap:8px}
.prompt{padding:6px 8px}
.reason,.question{font-size:9.5pt}
.cells{font-size:7.5pt}
.foot{padding:8px 0 0}
.scroll{overflow:visible}
}
"""


def render_html(comparison: Comparison) -> str:
    """The whole page as one string; deterministic for a given comparison."""
    c = comparison
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB"><head><meta charset="utf-8">'
        # Defence in depth: even a missed escape could neither run script nor fetch anything.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="rubric {_e(__version__)}">'
        f"<title>{_e(c.title)}</title><style>{_CSS}</style></head>"
        f"<body><main>{_header(c)}{_agenda(c)}{_members(c)}{follow_up_html(c)}"
        f"{_heatmap(c)}{_charts(c)}{_prompts(c)}</main>"
        f"{_footer(c)}</body></html>\n"
    )


def write_html(comparison: Comparison, path: str | os.PathLike[str], *,
               force: bool = False) -> Path:
    """Write the page atomically; an existing file is kept unless ``force``."""
    target = Path(path)
    with atomic_output(target, force=force) as temporary:
        temporary.write_text(render_html(comparison), encoding="utf-8")
    return target
