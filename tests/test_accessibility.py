"""The HTML report passes axe-core's WCAG 2.1 A and AA rules in headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from rubric.compare.quad import compare_returns
from rubric.export.html import write_html
from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from tests.browser import NEEDS_BROWSER, check_page, serious_violations
from tests.conftest import FRAMEWORKS, ROOT

pytestmark = NEEDS_BROWSER


@pytest.mark.parametrize("folder", ["", "2026-27"])  # a first cycle, and one with follow-up
def test_html_report_has_no_serious_accessibility_violation(folder: str, tmp_path: Path) -> None:
    store = FrameworkStore(FRAMEWORKS)
    paths = sorted((ROOT / "responses" / "examples" / folder).glob("*.xlsx"))
    comparison = compare_returns([read_return(p, store) for p in paths]).comparison
    page_path = write_html(comparison, tmp_path / "quad.html")
    # A desktop window, and a narrow one where the wide tables scroll sideways (a scrolling
    # region must be reachable by keyboard).
    for width, found in check_page(page_path):
        assert serious_violations(found) == [], width
