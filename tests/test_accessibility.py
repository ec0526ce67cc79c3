"""The HTML report passes axe-core's WCAG 2.1 A and AA rules in headless Chromium."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from rubric.compare.quad import compare_returns
from rubric.export.html import write_html
from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from tests.conftest import FRAMEWORKS, ROOT

AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium as root in a container needs --no-sandbox; the rest keeps it quiet and offline.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None,
                       reason="the playwright package is not installed (pip install -e .[test])"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Chromium is not installed; .ci/run installs it"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not in .cache/axe; run "
                       "scripts/get-axe.sh (.ci/run does)"),
]


@pytest.mark.parametrize("folder", ["", "2026-27"])  # a first cycle, and one with follow-up
def test_html_report_has_no_serious_accessibility_violation(folder: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    store = FrameworkStore(FRAMEWORKS)
    paths = sorted((ROOT / "responses" / "examples" / folder).glob("*.xlsx"))
    comparison = compare_returns([read_return(p, store) for p in paths]).comparison
    page_path = write_html(comparison, tmp_path / "quad.html")
    results = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            # A desktop window, and a narrow one where the wide tables scroll sideways (a
            # scrolling region must be reachable by keyboard). The report's CSP forbids every
            # script; axe is injected by the test only.
            for width in (1280, 760):
                context = browser.new_context(bypass_csp=True,
                                              viewport={"width": width, "height": 900})
                page = context.new_page()
                page.goto(page_path.resolve().as_uri())
                page.add_script_tag(path=str(AXE))
                results.append((width, page.evaluate(
                    "rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})",
                    RULES)))
                context.close()
        finally:
            browser.close()
    for width, found in results:
        assert found["passes"], "axe ran no rule"
        serious = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
                   for v in found["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], width
