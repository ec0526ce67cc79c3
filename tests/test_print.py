"""Every workbook rubric writes prints on A4, in a reasonable number of pages (LibreOffice)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from rubric.compare.national import national_overview
from rubric.compare.quad import compare_returns
from rubric.export.national import write_national_xlsx
from rubric.export.xlsx import build_comparison_workbook, write_comparison_xlsx
from rubric.framework.load import load_framework
from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from rubric.template.workbook import TemplateInfo, write_template
from rubric.versions.migrate import migrate_response, write_migrated_workbook
from tests.conftest import FRAMEWORKS, HGIOEA, ROOT
from tests.workbooks import soffice

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not "
                                "installed; .ci/run installs it (libreoffice-calc-nogui)")

STORE = FrameworkStore(FRAMEWORKS)
EXAMPLES = sorted((ROOT / "responses" / "examples").glob("*.xlsx"))
A4 = {(595, 842), (842, 595)}  # portrait and landscape, in points (rounded)
# A page object's own size (the page tree's node, /Type/Pages, has a MediaBox too).
_MEDIA_BOX = re.compile(rb"/Type\s*/Page\b(?!s)[^>]*?/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+"
                        rb"([\d.]+)\s*\]")


def _to_pdf(paths: list[Path], out: Path) -> dict[str, Path]:
    """All ``paths`` converted in one LibreOffice run (it starts slowly)."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice() or "soffice", f"-env:UserInstallation=file://{out / '.profile'}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(out),
                    *map(str, paths)], check=True, capture_output=True, timeout=300)
    pdfs = {p.stem: out / f"{p.stem}.pdf" for p in paths}
    assert all(pdf.exists() for pdf in pdfs.values()), sorted(out.iterdir())
    return pdfs


def _pages(pdf: Path) -> list[tuple[int, int]]:
    """Each page's size in points, rounded."""
    return [(round(float(w)), round(float(h))) for w, h in _MEDIA_BOX.findall(
        pdf.read_bytes())]


def _page_texts(pdf: Path) -> list[str] | None:
    try:
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True, timeout=60).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("print")
    framework = load_framework(HGIOEA).framework
    template = write_template(framework, TemplateInfo("Fife", "2025-26", "FIF"),
                              tmp / "template.xlsx")
    results = [read_return(path, STORE) for path in EXAMPLES]
    comparison = compare_returns(results).comparison
    quad = write_comparison_xlsx(comparison, tmp / "comparison.xlsx")
    book = build_comparison_workbook(comparison)  # the Evidence sheet alone, for its pages
    for name in book.sheetnames:
        if name != "Evidence":
            del book[name]
    book.save(tmp / "evidence.xlsx")
    national = write_national_xlsx(national_overview(results).overview, tmp / "national.xlsx")
    newer = load_framework(FRAMEWORKS / "hgioea" / "1.1.0.yaml").framework
    migration = migrate_response(results[0].response, framework, newer)
    migrated = write_migrated_workbook(migration, framework, newer, tmp / "migrated.xlsx")
    return _to_pdf([template, quad, tmp / "evidence.xlsx", national, migrated], tmp / "pdf")


@pytest.mark.parametrize(("kind", "most"), [("template", 40), ("comparison", 60),
                                            ("national", 10), ("migrated", 40)])
def test_every_page_of_every_workbook_is_a4(pdfs, kind: str, most: int) -> None:
    pages = _pages(pdfs[kind])
    assert pages and set(pages) <= A4, (kind, sorted(set(pages)))
    assert len(pages) <= most, (kind, len(pages))


def test_evidence_prints_one_row_of_pages_with_every_member_side_by_side(pdfs) -> None:
    pages = _pages(pdfs["evidence"])
    assert set(pages) == {(842, 595)}  # landscape A4
    assert len(pages) <= 15  # 60 themes of 4 members (it was 128 pages)
    texts = _page_texts(pdfs["evidence"])
    if texts is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; page sizes were checked")
    assert len(texts) == len(pages)
    for number, text in enumerate(texts, start=1):
        flat = " ".join(text.split())
        for letter in "ABCD":  # every member's columns are on every page: no page to the right
            assert f"Authority {letter}: evidence" in flat, (number, letter)
    first = " ".join(texts[0].split())
    assert "Evidence side by side - Quad comparison: Example Authority A / Example Authority B" \
        in first  # the title wraps between words
