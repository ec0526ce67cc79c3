"""The pack and the report per authority, as their users see them (HTML, workbook, Word)."""

from __future__ import annotations

import datetime as dt
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from rubric.cli import main
from rubric.compare.agenda import build_agenda
from rubric.cycles.history import History, open_history
from rubric.framework.store import FrameworkStore
from rubric.meeting.pack import build_pack, write_pack
from rubric.meeting.record_read import read_record
from rubric.meeting.store import store_record
from rubric.read.returns import read_return
from rubric.report.build import build_report
from rubric.report.docx import write_report_docx
from rubric.report.html import render_report_html
from rubric.scoring import score_response
from tests.conftest import FRAMEWORKS
from tests.workbooks import make_record, quad_comparison, soffice

STORE = FrameworkStore(FRAMEWORKS)
EVALUATION = """
| key     | view                    | level | rationale                                   |
| EXA 1.1 | Agreed                  | 4     |                                             |
| EXA 2.1 | Evidence suggests lower | 3     | <script>alert(1)</script> =HYPERLINK("x")   |
"""
ACTIONS = """
| key         | action                      | links | owner   | due        | success      | status |
| EXA EXA-A01 | Share tracking with <b>all</b> | 1.1   | QI lead | 2027-03-31 | =1+1 & more | In progress |
"""  # noqa: E501


def _history(tmp: Path, *, record: bool = True) -> History:
    path = make_record(tmp, EVALUATION, ACTIONS)
    history = open_history(tmp / "history.sqlite")
    for name in ("a.xlsx", "b.xlsx"):
        result = read_return(tmp / name, STORE)
        assert result.response is not None and result.framework is not None
        history.ingest(result, score_response(result.response, result.framework), "2025-26")
    if record:
        stored = store_record(history, read_record(path, STORE))
        assert stored.outcome == "recorded"
    return history


def _document(tmp: Path, **kwargs: bool):
    history = _history(tmp, **kwargs)
    try:
        built = build_report(history, "Example Authority A", "2025-26", STORE,
                             generated_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    finally:
        history.close()
    return built


def test_the_report_holds_the_validated_evaluation_and_the_authoritys_own_words(
        tmp_path: Path) -> None:
    built = _document(tmp_path)
    assert built.valid and not built.report.problems
    doc = built.document
    line = next(r for r in doc.indicators if r.id == "2.1")
    assert (line.score, line.quad_median, line.validation.view, line.validation.level) == (
        4.5, 3.5, "Evidence suggests lower", 3)
    assert [w.text for w in doc.strengths] == ["Strong tracking.", "<b>Bold</b> =SUM(1,2) & Co",
                                               "A shared vision."]
    assert [a.id for a in doc.actions] == ["EXA-A01"] and doc.actions[0].status == "In progress"
    page = render_report_html(doc)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Bold&lt;/b&gt; =SUM(1,2) &amp; Co" in page
    assert "Share tracking with &lt;b&gt;all&lt;/b&gt;" in page
    assert "No national median" in page  # two returns are too few


def test_without_a_record_the_report_says_so(tmp_path: Path) -> None:
    built = _document(tmp_path, record=False)
    assert built.valid and built.report.codes() == ["report-no-record"]
    assert "No Quad meeting has been recorded" in render_report_html(built.document)


def test_no_return_no_report(tmp_path: Path) -> None:
    history = _history(tmp_path)
    try:
        built = build_report(history, "Fife", "2025-26", STORE)
    finally:
        history.close()
    assert built.document is None and built.report.codes() == ["report-no-return"]


def _docx_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_the_word_report_uses_real_headings_and_header_rows(tmp_path: Path) -> None:
    import docx

    target = write_report_docx(_document(tmp_path).document, tmp_path / "report.docx")
    document = docx.Document(str(target))
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Self-evaluation report: Example Authority A, 2025-26")
    assert ("Heading 2", "The Quad's validated evaluation") in headings
    assert ("Heading 2", "Action plan") in headings
    xml = _docx_xml(target)
    assert xml.count("<w:tblHeader") == len(document.tables) >= 4
    texts = "\n".join(cell.text for table in document.tables for row in table.rows
                      for cell in row.cells)
    assert '<script>alert(1)</script> =HYPERLINK("x")' in texts  # whole, as plain text
    assert "<w:fldSimple" not in xml and "<w:instrText" not in xml  # no fields or formulas


def test_the_word_report_opens_in_libreoffice_writer(tmp_path: Path) -> None:
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot check the .docx opens")
    target = write_report_docx(_document(tmp_path).document, tmp_path / "report.docx")
    out = tmp_path / "pdf"
    subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp_path}/.lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(target)], check=True,
                   capture_output=True, timeout=180)
    pdf = out / "report.pdf"
    assert pdf.exists() and pdf.stat().st_size > 5_000, "Writer could not open the report"
    if subprocess.run(["which", "pdftotext"], capture_output=True).returncode == 0:
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "The Quad's validated evaluation" in text and "Share tracking with" in text


def test_the_pack_has_pre_reading_an_agenda_and_a_page_per_member(tmp_path: Path) -> None:
    comparison = quad_comparison(tmp_path)
    result = write_pack(comparison, tmp_path / "pack", meeting_date=dt.date(2026, 3, 10))
    assert result.valid and [p.name for p in result.written] == ["pack.html", "pack.xlsx",
                                                                "record.xlsx"]
    page = (tmp_path / "pack" / "pack.html").read_text(encoding="utf-8")
    assert page.count('<section class="member">') == 2
    assert "What a challenge prompt is" in page and "10 March 2026" in page
    assert read_record(tmp_path / "pack" / "record.xlsx", STORE).valid
    again = write_pack(comparison, tmp_path / "pack")
    assert again.report.codes() == ["output-exists"] * 3 and not again.written


def test_the_pack_leads_with_the_comparisons_agenda(tmp_path: Path) -> None:
    comparison = quad_comparison(tmp_path)
    assert build_pack(comparison).agenda == comparison.agenda
    agenda = build_agenda(comparison.prompts, per_kind_per_member=1)
    for kind in {p.kind for p in agenda}:
        mine = [p for p in agenda if p.kind == kind]
        strongest = max(p.strength for p in comparison.prompts if p.kind == kind)
        assert mine[0].strength == strongest
        assert len(mine) <= len(comparison.members)


def test_cli_pack_record_and_report(tmp_path: Path) -> None:
    history = _history(tmp_path, record=False)
    history.close()
    runner, fw = CliRunner(), ["--frameworks", str(FRAMEWORKS)]
    db = ["--db", str(tmp_path / "history.sqlite")]
    done = runner.invoke(main, ["meeting", "pack", str(tmp_path / "a.xlsx"),
                                str(tmp_path / "b.xlsx"), "-o", str(tmp_path / "pack"), *fw])
    assert done.exit_code == 0, done.output
    blank = runner.invoke(main, ["meeting", "record", str(tmp_path / "pack" / "record.xlsx"),
                                 *db, *fw])
    assert blank.exit_code == 0 and "recorded as #1" in blank.output, blank.output
    bad = runner.invoke(main, ["meeting", "record", str(tmp_path / "a.xlsx"), *db, *fw])
    assert bad.exit_code == 1 and "provenance-invalid" in bad.output
    html = runner.invoke(main, ["report", "--authority", "EXA", "--cycle", "2025-26", "-o",
                                str(tmp_path / "r.html"), *db, *fw])
    assert html.exit_code == 0 and (tmp_path / "r.html").exists(), html.output
    wrong = runner.invoke(main, ["report", "--authority", "EXA", "--cycle", "2025-26", "-o",
                                 str(tmp_path / "r.pdf"), *db, *fw])
    assert wrong.exit_code == 2
    missing = runner.invoke(main, ["report", "--authority", "Fife", "--cycle", "2025-26", "-o",
                                   str(tmp_path / "f.html"), *db, *fw])
    assert missing.exit_code == 1 and "report-no-return" in missing.output
