"""The national overview: medians and quartiles by indicator, nationally and per family group."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from rubric.compare.national import Spread, national_overview
from rubric.export.national import write_national_xlsx
from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from rubric.registry.quads import load_quads
from rubric.xlsx import layout
from tests.browser import NEEDS_BROWSER, check_page, serious_violations
from tests.conftest import FRAMEWORKS, ROOT
from tests.workbooks import edit_workbook, make_return

STORE = FrameworkStore(FRAMEWORKS)
# Four real councils (two in family group 1, two in group 4), levels for theme 1.1.1 only.
COUNCILS = [("ABE", "Aberdeen City", 6), ("EDH", "City of Edinburgh", 4),
            ("DND", "Dundee City", 3), ("GLG", "Glasgow City", 1)]


def test_spread_quartiles_by_hand() -> None:
    spread = Spread.of([1.0, 3.0, 4.0, 6.0])
    # inclusive quartiles of 1, 3, 4, 6: Q1 = 2.5, median = 3.5, Q3 = 4.5
    assert (spread.q1, spread.median, spread.q3, spread.count) == (2.5, 3.5, 4.5, 4)
    assert Spread.of([]).median is None and Spread.of([2.0]).q3 == 2.0


@pytest.fixture(scope="module")
def overview(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("national")
    results = []
    for code, name, level in COUNCILS:
        path = make_return(tmp, f"| theme | level | evidence |\n| 1.1.1 | {level} | x |\n"
                                f"| 1.1.2 | {level} | y |", name=f"{code}.xlsx")

        def stamp(book, code=code, name=name) -> None:
            book[layout.PROVENANCE_SHEET]["B6"] = name
            book[layout.PROVENANCE_SHEET]["B7"] = code

        edit_workbook(path, stamp)
        results.append(read_return(path, STORE))
    return national_overview(results, load_quads(ROOT / "quads.yaml"))


def test_national_and_family_group_medians(overview) -> None:
    assert overview.report.valid
    result = overview.overview
    assert [row.code for row in result.rows] == ["ABE", "EDH", "DND", "GLG"]
    assert result.rows[0].quad == "FG1 Quad A" and result.rows[0].family_group == 1
    assert result.national["1.1"].median == 3.5
    assert result.by_family_group[1]["1.1"].median == 5.0
    assert result.by_family_group[4]["1.1"].median == 2.0
    assert result.by_family_group[2]["1.1"].count == 0
    assert len(result.missing) == 28


def test_national_workbook(overview, tmp_path: Path) -> None:
    path = write_national_xlsx(overview.overview, tmp_path / "national.xlsx")
    sheet = openpyxl.load_workbook(path)["National overview"]
    rows = {row[0].value: [c.value for c in row] for row in sheet.iter_rows(min_row=5)}
    assert rows["Aberdeen City"][:4] == ["Aberdeen City", "ABE", 1, "FG1 Quad A"]
    assert rows["National median"][6] == 3.5
    assert rows["Family group 4 median"][6] == 2.0


def test_quad_and_key_area_medians(overview) -> None:
    result = overview.overview
    [indicator] = [i for i in result.indicators if i.id == "1.1"]
    assert indicator.by_quad["FG1 Quad A"].median == 5.0  # Aberdeen City 6, Edinburgh 4
    assert indicator.by_quad["FG4 Quad A"].median == 2.0  # Dundee 3, Glasgow 1
    [area] = [c for c in result.categories if c.id == "1"]
    assert area.values["ABE"] == 6.0 and area.national.median == 3.5
    assert result.overall is not None and result.overall.national.count == 4
    assert result.previous_cycle is None and [p.cycle for p in result.trend] == ["2025-26"]


# --- the national demo: 32 returns from templates, the previous cycle in the history ----------

def _record_cycle(db: Path, framework, cycle: str, lift: int) -> None:
    """Every council's return of ``cycle`` recorded in the history, built from answers."""
    from rubric.cycles.history import open_history
    from rubric.registry.authorities import all_authorities
    from rubric.response import ReadResult, Response, ThemeAnswer
    from rubric.scoring import score_response
    from tests.workbooks import national_levels

    history = open_history(db)
    try:
        for a in all_authorities():
            answers = national_levels(framework, a.code, a.family_group, cycle, lift=lift)
            response = Response(
                path=f"{a.code}-{cycle}.xlsx", framework_id=framework.id,
                framework_version=framework.version, framework_hash=framework.content_hash,
                authority=a.name, authority_code=a.code, cycle=cycle,
                themes={t: ThemeAnswer(id=t, level=v["level"], evidence=v.get("evidence", ""))
                        for t, v in answers.items()})
            history.ingest(ReadResult(response.path, response, framework), score_response(
                response, framework), cycle, digest=f"sha256:{a.code}-{cycle}")
    finally:
        history.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from rubric.compare.pipeline import run_national
    from tests.workbooks import national_returns

    tmp = tmp_path_factory.mktemp("national-demo")
    framework = STORE.resolve("hgioea@1.0.0").framework
    paths = national_returns(tmp, framework, "2025-26")
    db = tmp / "history.sqlite"
    _record_cycle(db, framework, "2024-25", lift=-1)
    out = tmp / "out"
    run = run_national(paths, store=STORE, quads_path=ROOT / "quads.yaml", history_path=db,
                       xlsx=out / "national.xlsx", html=out / "national.html",
                       json_path=out / "national.json")
    anonymous = run_national(paths, store=STORE, quads_path=ROOT / "quads.yaml",
                             history_path=db, anonymise=True, xlsx=out / "anonymous.xlsx",
                             html=out / "anonymous.html", json_path=out / "anonymous.json")
    return SimpleNamespace(tmp=tmp, framework=framework, paths=paths, db=db, out=out, run=run,
                           anonymous=anonymous)


def test_national_demo_figures_come_from_each_returns_scores(demo) -> None:
    from rubric.scoring import score_response

    run = demo.run
    assert run.valid, [str(p) for p in run.report]
    overview = run.overview
    assert len(overview.rows) == 32 and overview.missing == []
    by_code = {row.code: row for row in overview.rows}
    [fife] = [p for p in demo.paths if "-FIF-" in p.name]
    assert by_code["FIF"].scores.overall == score_response(read_return(fife, STORE).response,
                                                           demo.framework).overall
    [item] = [i for i in overview.indicators if i.id == "5.1"]
    values = [row.scores.indicator("5.1").value for row in overview.rows]
    assert item.national == Spread.of([v for v in values if v is not None])
    fg1 = [row.scores.indicator("5.1").value for row in overview.rows if row.family_group == 1]
    assert item.by_family_group[1] == Spread.of([v for v in fg1 if v is not None])
    quad = [by_code[c].scores.indicator("5.1").value for c in ("DND", "EAY", "GLG", "IVC")]
    assert item.by_quad["FG4 Quad A"].median == Spread.of(quad).median
    # change since the previous cycle: this cycle's score less the one recorded in 2024-25
    assert overview.previous_cycle == "2024-25"
    row = by_code["FIF"]
    assert row.previous is not None
    expected = round(row.scores.indicator("5.1").rounded - row.previous.indicator("5.1").rounded,
                     6)
    assert item.change("FIF") == expected
    assert [p.cycle for p in overview.trend] == ["2024-25", "2025-26"]
    assert overview.trend[0].returns == 32
    assert overview.trend[1].overall == overview.overall.national


def test_national_workbook_has_every_view_and_native_charts(demo) -> None:
    book = openpyxl.load_workbook(demo.out / "national.xlsx")
    assert book.sheetnames == ["National overview", "Key areas", "Change", "Indicators",
                               "Trend", "Charts"]
    assert len(book["Charts"]._charts) == 3
    sheet = book["National overview"]
    rows = {row[0].value: [c.value for c in row] for row in sheet.iter_rows(min_row=4)}
    assert {"Fife", "Glasgow City", "National median", "FG3 Quad A median",
            "Family group 2 median"} <= set(rows)
    [item] = [i for i in demo.run.overview.indicators if i.id == "1.1"]
    assert rows["National median"][6] == item.national.median
    trend = [[c.value for c in row] for row in book["Trend"].iter_rows(min_row=2)]
    assert [r[0] for r in trend] == ["2024-25", "2025-26"]
    assert all(isinstance(c.value, int | float | str | None) and not
               (isinstance(c.value, str) and c.value.startswith("="))
               for ws in book for row in ws.iter_rows() for c in row)


def test_national_json_and_html_carry_the_figures(demo) -> None:
    data = json.loads((demo.out / "national.json").read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(demo.run.overview.to_dict()))
    assert data["returns"] == 32 and data["previous_cycle"] == "2024-25"
    assert {i["id"] for i in data["indicators"]} == set(demo.framework.indicator_index)
    page = (demo.out / "national.html").read_text(encoding="utf-8")
    assert "Glasgow City" in page and "FG4 Quad B" in page
    svgs = re.findall(r"<svg [^>]*>.*?</svg>", page, re.S)
    assert len(svgs) == 3
    for svg in svgs:  # every chart has a text alternative
        label = re.search(r'aria-label="([^"]+)"', svg)
        assert 'role="img"' in svg and label and len(label.group(1)) > 80
        assert "<title>" in svg


def test_anonymised_outputs_name_no_authority(demo) -> None:
    from rubric.registry.authorities import all_authorities

    run = demo.anonymous
    assert run.valid and run.overview.anonymised
    labels = {row.authority for row in run.overview.rows}
    assert "FG1 Quad A: authority 1" in labels and len(labels) == 32
    book = openpyxl.load_workbook(demo.out / "anonymous.xlsx")
    texts = {str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value}
    outputs = {"html": (demo.out / "anonymous.html").read_text(encoding="utf-8"),
               "json": (demo.out / "anonymous.json").read_text(encoding="utf-8"),
               "xlsx": "\n".join(texts)}
    for authority in all_authorities():
        for kind, text in outputs.items():
            assert authority.name not in text, (kind, authority.name)
            assert f"{authority.code}" not in re.findall(r"\b[A-Z]{3}\b", text), (kind,
                                                                              authority.code)
    # the same figures as the named picture
    named = {i.id: i.national for i in demo.run.overview.indicators}
    assert {i.id: i.national for i in run.overview.indicators} == named


def test_from_history_gives_the_same_picture_as_the_files(demo, tmp_path: Path) -> None:
    import shutil

    from rubric.compare.pipeline import run_national
    from rubric.cycles.history import open_history
    from rubric.cycles.ingest import ingest_returns

    db = tmp_path / "history.sqlite"
    shutil.copy(demo.db, db)
    history = open_history(db)
    try:
        assert ingest_returns(demo.paths, history, STORE).report.valid
    finally:
        history.close()
    run = run_national(from_history=True, cycle="2025-26", store=STORE,
                       quads_path=ROOT / "quads.yaml", history_path=db)
    assert run.valid, [str(p) for p in run.report]
    got = {i.id: (i.national, i.values) for i in run.overview.items}
    want = {i.id: (i.national, i.values) for i in demo.run.overview.items}
    assert got == want
    assert [p.cycle for p in run.overview.trend] == ["2024-25", "2025-26"]


def test_refusals_other_cycles_and_versions(demo, tmp_path: Path) -> None:
    from rubric.compare.pipeline import run_national
    from rubric.problems import Refused
    from rubric.template.fill import fill_workbook
    from rubric.template.targets import make_templates

    with pytest.raises(Refused) as refused:
        run_national(demo.paths, from_history=True, cycle="2025-26", history_path=demo.db)
    assert refused.value.problem.code == "options-conflict"
    with pytest.raises(Refused) as refused:
        run_national(from_history=True, cycle="2023-24", history_path=demo.db, store=STORE)
    assert refused.value.problem.code == "history-no-returns"
    other = run_national(demo.paths, cycle="2026-27", store=STORE, history_path=demo.db)
    assert other.overview is None and set(other.report.codes()) == {"compare-cycle-mismatch"}
    # two councils on the newer version: refused, or with --migrate all on 1.1.0
    newer = STORE.resolve("hgioea@1.1.0").framework
    made = make_templates(newer, tmp_path / "t", cycle="2025-26", authorities=["Fife", "Angus"])
    fresh = []
    for target in made.targets:
        fresh.append(fill_workbook(target.path, tmp_path / target.path.name, {
            t: {"level": 4} for t in newer.theme_index}))
    paths = [p for p in demo.paths if "-FIF-" not in p.name and "-ANS-" not in p.name] + fresh
    assert len(paths) == 32
    mixed = run_national(paths, store=STORE, history_path=demo.db)
    assert mixed.overview is None and "compare-framework-mismatch" in mixed.report.codes()
    migrated = run_national(paths, store=STORE, history_path=demo.db, migrate=True)
    assert migrated.valid and migrated.overview.framework.version == "1.1.0"
    assert any("30 of 32 returns were migrated" in n for n in migrated.overview.notes)
    assert [p.cycle for p in migrated.overview.trend] == ["2024-25", "2025-26"]
    assert migrated.overview.previous_cycle == "2024-25"


def test_national_command_json_and_refusal(demo, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rubric.cli import main

    args = ["national", "--frameworks", str(FRAMEWORKS), "--quads-file",
            str(ROOT / "quads.yaml"), "--db", str(demo.db)]
    result = CliRunner().invoke(main, [*args, str(demo.paths[0].parent), "--anonymise",
                                       "--json", "--html", str(tmp_path / "n.html")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["ok"] and data["national"]["anonymised"] and data["national"]["returns"] == 32
    assert (tmp_path / "n.html").exists()
    result = CliRunner().invoke(main, [*args, "--from-history", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["errors"][0]["code"] == "options-conflict"


# The named page in a desktop window, the anonymised one in a narrow window where the wide
# tables scroll sideways (same markup otherwise; each axe run over the page is slow).
@pytest.mark.parametrize(("kind", "width"), [("national", 1280), ("anonymous", 760)])
def test_national_html_renders_and_passes_axe(demo, kind: str, width: int,
                                              tmp_path: Path) -> None:
    shot = tmp_path / f"{kind}.png"
    results = check_page(demo.out / f"{kind}.html", widths=(width,), screenshot=shot)
    window = width
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert width >= min(window, 1200) and height > 3000, (width, height)
    assert shot.stat().st_size > 100_000
    for used, found in results:
        assert serious_violations(found) == [], used


for _mark in NEEDS_BROWSER:
    test_national_html_renders_and_passes_axe = _mark(test_national_html_renders_and_passes_axe)
