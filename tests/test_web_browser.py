"""The whole journey in a real browser (Debian's Chromium driven by Playwright), with every page
checked by axe-core against WCAG 2.1 A/AA.

An authority officer signs in, downloads the workbook, uploads a filled return with a mistake,
sees the problem at its cell, uploads the fixed one; the Quad lead sees four valid returns,
generates and releases the comparison and makes the meeting pack; the officer then opens the
comparison and its own report. Screenshots of each step go
to out/web-journey/ (git-ignored) for a reviewer to look at.
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

pytest.importorskip("django", reason="the web extra (django) is not installed")

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "out" / "web-journey"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "example-only-password"


def _needs() -> None:
    pytest.importorskip("playwright", reason="playwright is not installed")
    if not Path(CHROMIUM).is_file():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    if not AXE.is_file():
        pytest.skip("axe-core is not fetched (bash scripts/get-axe.sh)")


@pytest.fixture
def live(web):
    """The service on a free local port, in this process (same database as ``web``)."""
    from rubric.web.server import make_server

    server = make_server(web.config, "127.0.0.1", 0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    from rubric.read.sandbox import shutdown_workers

    shutdown_workers()


def _answers() -> dict:
    """Every answer of example return A, as fill_workbook takes them."""
    from rubric.read.returns import read_return

    result = read_return(ROOT / "responses" / "examples" / "example-authority-a.xlsx")
    assert result.response is not None
    return {tid: {"level": a.level if a.level is not None else a.special,
                  "evidence": a.evidence, "strengths": a.strengths,
                  "next_steps": a.next_steps}
            for tid, a in result.response.themes.items()}


class Journey:
    def __init__(self, page, base: str) -> None:
        self.page, self.base, self.step = page, base, 0
        self.violations: dict[str, list] = {}

    def check(self, name: str) -> None:
        """Screenshot the page and run axe-core on it."""
        self.step += 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{self.step:02d}-{name}.png"), full_page=True)
        self.page.evaluate(AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate("""async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }""")
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        if bad:
            self.violations[f"{self.step:02d}-{name}"] = bad

    def sign_in(self, name: str) -> None:
        self.page.goto(self.base + "/sign-in")
        self.page.get_by_label("Name").fill(name)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()


def test_officer_and_quad_lead_journey_in_a_real_browser(web, live, tmp_path) -> None:
    _needs()
    from playwright.sync_api import sync_playwright

    from rubric.template.fill import fill_workbook

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(accept_downloads=True, bypass_csp=True,
                                      viewport={"width": 1200, "height": 900})
        page = context.new_page()
        journey = Journey(page, live)
        journey.page.goto(live + "/")
        journey.check("sign-in")

        # the officer: workbook, a return with a mistake, the fixed return
        journey.sign_in("officer-a")
        page.wait_for_url("**/authority/")
        journey.check("officer-home")
        with page.expect_download() as download:
            page.get_by_role("link", name="Workbook for 2025-26 (.xlsx)").click()
        blank = tmp_path / "blank.xlsx"
        download.value.save_as(blank)
        answers = _answers()
        first = next(iter(answers))
        wrong = {**answers, first: {**answers[first], "level": "Brilliant"}}
        with_mistake = fill_workbook(blank, tmp_path / "with-mistake.xlsx", wrong)
        fixed = fill_workbook(blank, tmp_path / "fixed.xlsx", answers)
        page.get_by_label("Your filled workbook").set_input_files(str(with_mistake))
        page.get_by_role("button", name="Upload and check").click()
        page.wait_for_url("**/uploads/*")
        table = page.get_by_role("table", name="Problems to fix")
        assert "level-unknown" in table.inner_text()
        assert "'Brilliant' is not a level" in table.inner_text()
        assert "!E6" in table.inner_text() and "Choose from the dropdown" in table.inner_text()
        journey.check("upload-with-problem")
        page.get_by_role("link", name="Back to Example Authority A").click()
        page.get_by_label("Your filled workbook").set_input_files(str(fixed))
        page.get_by_role("button", name="Upload and check").click()
        page.wait_for_url("**/uploads/*")
        assert "This return is valid and recorded" in page.inner_text("main")
        journey.check("upload-valid")
        journey.sign_out()

        # the Quad lead: four valid returns, generate, release
        journey.sign_in("quad-lead")
        page.get_by_role("link", name="Example Quad").click()
        assert "4 of 4 members have a valid return" in page.inner_text("main")
        journey.check("quad-dashboard")
        page.get_by_role("button", name="Generate the comparison").click()
        page.wait_for_url("**/comparisons/*/")
        comparison_url = page.url
        frame = page.frame_locator("iframe.report")
        assert "Example Authority D" in frame.locator("body").inner_text()
        journey.check("comparison-unreleased")
        page.get_by_role("button", name="Release to the Quad's members").click()
        assert "Released to members" in page.inner_text("main")
        journey.check("comparison-released")

        # the Quad lead makes the meeting pack and takes its record workbook
        page.get_by_role("link", name="My Quads").click()
        page.get_by_role("link", name="Example Quad", exact=True).click()
        page.get_by_role("link", name="The Example Quad meeting").click()
        journey.check("meeting")
        page.get_by_label("Meeting date (optional)").fill("2026-03-12")
        page.get_by_role("button", name="Make the meeting pack").click()
        page.wait_for_url("**/packs/*/")
        pack = page.frame_locator("iframe.report")
        assert "Example Authority D" in pack.locator("body").inner_text()
        journey.check("meeting-pack")
        with page.expect_download() as download:
            page.get_by_role("link", name="Meeting record to fill (.xlsx)").click()
        assert download.value.suggested_filename.startswith("record-")
        journey.sign_out()

        # the officer opens it
        journey.sign_in("officer-a")
        page.get_by_role("link", name="Example Quad, 2025-26").first.click()
        assert page.url == comparison_url
        assert "Example Authority A" in frame.locator("body").inner_text()
        journey.check("officer-comparison")
        page.get_by_role("link", name="My authority").click()
        page.get_by_role("link", name="Your report for 2025-26").click()
        page.wait_for_url("**/reports/EXA/")
        report = page.frame_locator("iframe.report")
        assert "Example Authority A" in report.locator("body").inner_text()
        journey.check("officer-report")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the report (Word, .docx)").click()
        assert download.value.suggested_filename == "report-EXA-2025-26.docx"
        browser.close()
    assert journey.violations == {}, json.dumps(journey.violations, indent=1)


def test_a_body_over_the_limit_is_refused_while_it_arrives(web, live) -> None:
    import http.client
    from urllib.parse import urlsplit

    address = urlsplit(live)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.putrequest("POST", "/authority/upload")
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.putheader("Content-Length", str(web.config.max_upload_bytes * 50))
    connection.endheaders()
    connection.send(b"--x\r\n")  # the rest never comes: the server must not wait for it
    response = connection.getresponse()
    assert response.status == 413
    connection.close()
