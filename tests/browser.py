"""Driving Debian's Chromium through playwright with axe-core injected: shared by every test
that checks an HTML page renders and passes WCAG 2.1 A/AA (import this, never a test module).
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium as root in a container needs --no-sandbox; the rest keeps it quiet and offline.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

NEEDS_BROWSER = [
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None,
                       reason="the playwright package is not installed (pip install -e .[test])"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Chromium is not installed; .ci/run installs it"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not in .cache/axe; run "
                       "scripts/get-axe.sh (.ci/run does)"),
]


def check_page(page_path: Path, widths: tuple[int, ...] = (1280, 760),
               screenshot: Path | None = None) -> list[tuple[int, dict[str, Any]]]:
    """axe-core's WCAG 2.1 A/AA results for the page at each window width; with
    ``screenshot``, a full-page PNG at the first width. The page's CSP forbids every script;
    axe is injected by the test only."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            for width in widths:
                context = browser.new_context(bypass_csp=True,
                                              viewport={"width": width, "height": 900})
                page = context.new_page()
                page.goto(page_path.resolve().as_uri())
                if screenshot is not None and width == widths[0]:
                    page.screenshot(path=str(screenshot), full_page=True)
                page.add_script_tag(path=str(AXE))
                results.append((width, page.evaluate(
                    "rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})",
                    RULES)))
                context.close()
        finally:
            browser.close()
    return results


def serious_violations(found: dict[str, Any]) -> list[tuple[str, str, str, list[Any]]]:
    assert found["passes"], "axe ran no rule"
    return [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in found["violations"] if v["impact"] in ("serious", "critical")]
