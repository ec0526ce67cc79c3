"""Every returned-workbook problem code, triggered by a fixture built in code, with its cell."""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from rubric.read.safety import ZipLimits, check_workbook_file
from rubric.xlsx import layout
from tests.conftest import FRAMEWORKS, ROOT
from tests.hostile import corpus
from tests.workbooks import (
    blank_template,
    edit_workbook,
    libreoffice_convert,
    make_return,
    rewrite_zip,
    soffice,
)

STORE = FrameworkStore(FRAMEWORKS)
GOOD = """
| theme | level | evidence  |
| 1.1.1 | 5     | Evidence. |
"""


def _good(tmp: Path) -> Path:
    return make_return(tmp, GOOD)


def _bytes(data: bytes) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        path = tmp / "file.xlsx"
        path.write_bytes(data)
        return path
    return build


def _truncated(tmp: Path) -> Path:
    path = _good(tmp)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _add_part(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        return rewrite_zip(_good(tmp), lambda parts: parts.__setitem__(name, data))
    return build


def _zip_bomb(tmp: Path) -> Path:
    return rewrite_zip(_good(tmp), lambda parts: parts.__setitem__(
        "xl/media/padding.xml", b"<a>" + b"0" * (30 * 1024 * 1024) + b"</a>"))


def _entities(tmp: Path) -> Path:
    def change(parts: dict[str, bytes]) -> None:
        parts["xl/worksheets/sheet3.xml"] = (
            b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;">]>' + parts["xl/worksheets/sheet3.xml"])
    return rewrite_zip(_good(tmp), change)


def _huge_dimension(tmp: Path) -> Path:
    def change(parts: dict[str, bytes]) -> None:
        parts["xl/worksheets/sheet3.xml"] = re.sub(
            rb'<dimension ref="[^"]+"', b'<dimension ref="A1:H1048576"',
            parts["xl/worksheets/sheet3.xml"])
    return rewrite_zip(_good(tmp), change)


def _garbage_workbook_part(tmp: Path) -> Path:
    return rewrite_zip(_good(tmp), lambda parts: parts.__setitem__(
        "xl/workbook.xml", b"<workbook><sheets><sheet name=unquoted/></sheets>"))


def _edit(change: Callable[[object], None]) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        return edit_workbook(_good(tmp), change)
    return build


def _set(sheet: str, cell: str, value: object) -> Callable[[Path], Path]:
    def change(book) -> None:
        book[sheet][cell] = value
    return _edit(change)


def _other_store_framework(tmp: Path) -> Path:
    store = tmp / "store"
    shutil.copytree(FRAMEWORKS / "demo", store / "demo")
    path = store / "demo" / "1.0.0.yaml"
    path.write_text(path.read_text().replace("status: published", "status: final"))
    return _good(tmp)


def _hash_changed(tmp: Path) -> Path:
    store = tmp / "store"
    shutil.copytree(FRAMEWORKS / "demo", store / "demo")
    path = store / "demo" / "1.0.0.yaml"
    path.write_text(path.read_text().replace("Shared vision", "Common vision"))
    return _good(tmp)


def _delete_sheet(book) -> None:
    del book["2 Leadership"]


def _delete_row(book) -> None:
    book["2 Leadership"].delete_rows(7)


def _duplicate_row(book) -> None:
    sheet = book["1 Outcomes"]
    sheet["A8"] = "1.1.1"
    sheet["E8"] = 4


def _no_measures(book) -> None:
    del book[layout.MEASURES_SHEET]


def _cell_xml(ref: str, xml: bytes) -> Callable[[Path], Path]:
    """The good return with cell ``ref`` of '1 Outcomes' written as raw XML."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"(?:[^>]*?/>|[^>]*>.*?</c>)', re.S)

    def change(parts: dict[str, bytes]) -> None:
        data = parts["xl/worksheets/sheet3.xml"]
        assert pattern.search(data), ref
        parts["xl/worksheets/sheet3.xml"] = pattern.sub(lambda _: xml, data, count=1)
    return lambda tmp: rewrite_zip(_good(tmp), change)


def _own_sheet(book) -> None:
    sheet = book.create_sheet("Action plan")
    sheet["A1"], sheet["B1"] = "Theme", "What we will do"
    sheet["A2"], sheet["B2"] = "1.1.1", "Share the tracking with schools."


def _fraction_among_percentages(book) -> None:
    book[layout.MEASURES_SHEET]["F5"] = 92.5
    book[layout.MEASURES_SHEET]["G5"] = 0.941


# code: (builder, expected location or None for whole-file problems, store folder name or None)
FIXTURES: dict[str, tuple[Callable[[Path], Path], str | None]] = {
    "file-not-found": (lambda tmp: tmp / "missing.xlsx", None),
    "file-unreadable": (lambda tmp: tmp, None),
    "workbook-not-xlsx": (_bytes(b"id,level\n1.1.1,5\n"), None),
    "workbook-legacy-xls": (_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024), None),
    "workbook-encrypted": (_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
                                  + "EncryptedPackage".encode("utf-16-le")), None),
    "workbook-macro-enabled": (_add_part("xl/vbaProject.bin", b"\0" * 64), None),
    "workbook-truncated": (_truncated, None),
    "workbook-zip-bomb": (_zip_bomb, None),
    "workbook-xml-entities": (_entities, None),
    "workbook-unreadable": (_garbage_workbook_part, None),
    "sheet-too-large": (_huge_dimension, None),
    "provenance-missing": (_edit(lambda book: book.remove(book[layout.PROVENANCE_SHEET])),
                           "_rubric"),
    "provenance-invalid": (_set(layout.PROVENANCE_SHEET, "B1", "something/9"), "_rubric!B1"),
    "provenance-unknown-framework": (_set(layout.PROVENANCE_SHEET, "B3", "9.9.9"),
                                     "_rubric!B3"),
    "provenance-framework-invalid": (_other_store_framework, "_rubric!B3"),
    "provenance-hash-mismatch": (_hash_changed, "_rubric!B4"),
    "sheet-missing": (_edit(_delete_sheet), "2 Leadership"),
    "header-missing": (_set("1 Outcomes", "E4", "Grade"), "1 Outcomes!A6"),
    "theme-missing": (_edit(_delete_row), "2 Leadership"),
    "id-unknown": (_set("1 Outcomes", "A7", "1.1.9"), "1 Outcomes!A7"),
    "id-duplicated": (_edit(_duplicate_row), "1 Outcomes!A8"),
    "level-unknown": (_set("1 Outcomes", "E7", "Pretty good"), "1 Outcomes!E7"),
    "measure-not-a-number": (_set(layout.MEASURES_SHEET, "G5", "about 95"), "Measures!G5"),
    "measure-looks-like-fraction": (_set(layout.MEASURES_SHEET, "G5", 0.958), "Measures!G5"),
    "level-without-evidence": (_set("1 Outcomes", "E7", "Good"), "1 Outcomes!E7"),
    "evidence-without-level": (_set("1 Outcomes", "F7", "We know because..."),
                               "1 Outcomes!E7"),
    "answer-outside-framework": (_set("1 Outcomes", "J6", "A note in the margin"),
                                 "1 Outcomes!J6"),
    "answer-formula": (_set("1 Outcomes", "G6", "=CONCAT(\"Shared\", \" data\")"),
                       "1 Outcomes!G6"),
    "answer-error-value": (_cell_xml("E7", b'<c r="E7" t="e"><f>Good</f><v>#NAME?</v></c>'),
                           "1 Outcomes!E7"),
    "text-at-cell-limit": (_set("1 Outcomes", "F6", "x" * 32_767), "1 Outcomes!F6"),
    "measure-fraction-among-percentages": (_edit(_fraction_among_percentages),
                                           "Measures!G5"),
    "return-incomplete": (_good, None),
    "sheet-not-in-framework": (_edit(_own_sheet), "Action plan"),
}
STORES = {"provenance-framework-invalid": "store", "provenance-hash-mismatch": "store"}


@pytest.mark.parametrize("code", sorted(FIXTURES))
def test_each_workbook_problem_is_reported_where_it_is(tmp_path: Path, code: str) -> None:
    build, where = FIXTURES[code]
    path = build(tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    store = FrameworkStore(tmp_path / STORES[code]) if code in STORES else STORE
    result = read_return(path, store)
    found = [p for p in result.report if p.code == code]
    assert found, f"expected {code}, got {[str(p) for p in result.report]}"
    location = found[0].location
    assert location.file == str(path)
    if where is not None:
        sheet, _, cell = where.partition("!")
        assert (location.sheet, location.cell or "") == (sheet, cell), str(found[0])
    rendered = str(found[0])
    assert rendered.startswith(f"{path}: ") and f": {code}: " in rendered
    if before is not None:  # input files are never modified
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_workbook_too_large_is_refused_from_its_size(tmp_path: Path) -> None:
    path = _good(tmp_path)
    problems = check_workbook_file(path, ZipLimits(max_file_bytes=1000))
    assert [p.code for p in problems] == ["workbook-too-large"]
    problems = check_workbook_file(path, ZipLimits(max_total_bytes=1000))
    assert [p.code for p in problems] == ["workbook-too-large"]


def test_a_part_that_inflates_beyond_its_declared_size_is_refused(tmp_path: Path) -> None:
    path = _good(tmp_path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/styles.xml")
    # Shrink the part's declared size in the central directory (a central header is 46 bytes
    # before its file name; the uncompressed size sits at offset 24): the data is now too long.
    name_at = data.find(info.filename.encode(), data.find(b"PK\x01\x02"))
    header = name_at - 46
    assert data[header: header + 4] == b"PK\x01\x02"
    data[header + 24: header + 28] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    codes = [p.code for p in check_workbook_file(path)]
    assert codes and codes[0] in {"workbook-zip-bomb", "workbook-truncated"}


def test_an_untouched_template_is_valid_and_says_nothing_is_answered(tmp_path: Path) -> None:
    result = read_return(blank_template(tmp_path), STORE)
    assert result.valid and result.report.codes() == ["return-incomplete"]
    assert result.report.warnings[0].message == "0 of 4 themes answered (0%); no level chosen"


def test_a_far_cell_is_found_whatever_whitespace_precedes_its_reference(tmp_path: Path) -> None:
    def far_cell(parts: dict[str, bytes]) -> None:
        parts["xl/worksheets/sheet3.xml"] = parts["xl/worksheets/sheet3.xml"].replace(
            b"</sheetData>", b'<row r="9"><c\n\tr="XFD40000" t="inlineStr"><is><t>x</t></is>'
            b"</c></row></sheetData>")

    path = rewrite_zip(_good(tmp_path), far_cell)
    assert [p.code for p in check_workbook_file(path)] == ["sheet-too-large"]


# --- the hot path and the model path agree -----------------------------------------------------

def _hot_path_agrees(path: Path, store: FrameworkStore) -> None:
    """What the workers do for validate, score and ingest (plain rows, no answer models) gives
    the report, provenance, response, scores, printed output and history rows the model path
    gives."""
    from rubric.read.batch import report_only, scores_of
    from rubric.read.rendered import RenderScores
    from rubric.read.returns import ANSWER_FIELDS, read_return_plain
    from rubric.response import ThemeAnswer
    from rubric.scoring import score_response

    model = read_return(path, store)
    hot, answers = read_return_plain(path, store)
    assert [str(p) for p in hot.report] == [str(p) for p in model.report]
    assert (hot.valid, hot.provenance) == (model.valid, model.provenance)
    assert hot.response == report_only(model).response
    if model.response is not None:
        assert {tid: ThemeAnswer(id=tid, **dict(zip(ANSWER_FIELDS, a, strict=True)))
                for tid, a in answers.items()} == model.response.themes
    if model.valid:
        hot_scores = scores_of(hot, answers)
        assert hot_scores is not None
        assert hot_scores.to_dict(explain=True) == score_response(
            model.response, model.framework).to_dict(explain=True)
    for form in ("text", "explain", "json", "json-explain"):
        render = RenderScores(form)  # type: ignore[arg-type]
        assert render(hot, answers) == render(model)
    # what ingest's workers send back: the rows the history writes, from the plain answers
    from rubric.cycles.rows import rows_for_history, rows_of
    from rubric.read.returns import read_return_plain_measures

    light, rows = rows_for_history(*read_return_plain_measures(path, store))
    assert [str(p) for p in light.report] == [str(p) for p in model.report]
    assert (rows is not None) == model.valid
    if rows is not None:
        assert model.response is not None and light.response is not None
        assert rows == rows_of(model.response, score_response(model.response, model.framework))
        assert light.response.measures == model.response.measures


@pytest.mark.parametrize("code", sorted(FIXTURES))
def test_the_hot_path_agrees_on_every_problem_fixture(code: str, tmp_path: Path) -> None:
    build, _ = FIXTURES[code]
    store = FrameworkStore(tmp_path / STORES[code]) if code in STORES else STORE
    _hot_path_agrees(build(tmp_path), store)


@pytest.mark.parametrize("case", corpus.WORKBOOKS, ids=lambda case: case.id)
def test_the_hot_path_agrees_on_every_hostile_workbook(case: corpus.Case, tmp_path: Path) -> None:
    path = case.build(tmp_path)
    _hot_path_agrees(path, FrameworkStore(tmp_path / "store") if case.store else STORE)


@pytest.mark.parametrize("path", sorted((ROOT / "responses" / "examples").rglob("*.xlsx")),
                         ids=lambda p: p.name)
def test_the_hot_path_agrees_on_every_example(path: Path) -> None:
    _hot_path_agrees(path, STORE)


# --- the two engines agree -------------------------------------------------------------------
# The fast reader (python-calamine) and openpyxl give the same answers for every fixture above,
# every example and LibreOffice re-saves.

ENGINE_EXAMPLES = sorted((ROOT / "responses" / "examples").rglob("*.xlsx"))
# Refused before any reader runs, or by the reader itself for reasons engines word differently.
GATE_ONLY = {"file-not-found", "file-unreadable", "workbook-not-xlsx", "workbook-legacy-xls",
             "workbook-encrypted", "workbook-macro-enabled", "workbook-truncated",
             "workbook-zip-bomb", "workbook-xml-entities", "workbook-unreadable",
             "sheet-too-large"}


def _same(path: Path, store: FrameworkStore = STORE) -> None:
    fast = read_return(path, store, engine="calamine")
    slow = read_return(path, store, engine="openpyxl")
    assert fast.response == slow.response
    assert [str(p) for p in fast.report] == [str(p) for p in slow.report]


@pytest.mark.parametrize("code", sorted(set(FIXTURES) - GATE_ONLY))
def test_every_problem_fixture_reads_the_same(code: str, tmp_path: Path) -> None:
    build, _ = FIXTURES[code]
    store = FrameworkStore(tmp_path / STORES[code]) if code in STORES else STORE
    _same(build(tmp_path), store)


@pytest.mark.parametrize("path", ENGINE_EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_example_reads_the_same(path: Path) -> None:
    _same(path)


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed; "
                    ".ci/run installs it")
def test_libreoffice_resaved_returns_read_the_same(tmp_path: Path) -> None:
    path = make_return(tmp_path, """
| theme | level         | evidence        | strengths | next_steps |
| 1.1.1 | 5 - Very good | =Formula-like   | Yes       | Keep on    |
| 2.1.2 | n/a           | Not for us.     |           |            |
""", """
| measure                       | baseline | current | notes |
| leavers-positive-destinations | 94.1     | 95,8    | x     |
""")
    _same(libreoffice_convert(path, tmp_path / "lo"))
    _same(libreoffice_convert(ENGINE_EXAMPLES[0], tmp_path / "lo2"))
