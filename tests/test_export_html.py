"""The HTML report: self-contained, complete, escaped, safe to write, and readable in a browser."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rubric._io import OutputExists
from rubric.compare.challenge import KIND_TITLES, Prompt
from rubric.compare.quad import NO_SCORE, Comparison, compare_returns
from rubric.export.html import render_html, write_html
from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from rubric.response import ReadResult
from tests.conftest import FRAMEWORKS, ROOT

EXAMPLES = sorted((ROOT / "responses" / "examples").glob("*.xlsx"))
WHEN = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example/x","click")'


@pytest.fixture(scope="module")
def results() -> list[ReadResult]:
    store = FrameworkStore(FRAMEWORKS)
    return [read_return(path, store) for path in EXAMPLES]


def _compare(results: list[ReadResult]) -> Comparison:
    comparison = compare_returns(results, generated_at=WHEN).comparison
    assert comparison is not None
    return comparison


@pytest.fixture(scope="module")
def comparison(results: list[ReadResult]) -> Comparison:
    return _compare(results)


@pytest.fixture(scope="module")
def page(comparison: Comparison) -> str:
    return render_html(comparison)


@pytest.fixture(scope="module")
def hostile(results: list[ReadResult]) -> str:
    """A comparison where a return's authority name, evidence and a prompt carry markup."""
    first = results[0]
    assert first.response is not None
    theme_id, answer = next(iter(first.response.themes.items()))
    response = first.response.model_copy(update={
        "authority": f"Evil {SCRIPT} Council",
        "themes": {**first.response.themes,
                   theme_id: answer.model_copy(update={"evidence": f"{SCRIPT} {FORMULA}"})},
    })
    comparison = _compare([dataclasses.replace(first, response=response), *results[1:]])
    comparison.prompts.insert(0, Prompt(
        "divergence", theme_id, f'Title "{SCRIPT}"', (response.authority_code,),
        f"Reason {SCRIPT}", f"Question {FORMULA}", (f"{first.path}: {FORMULA}",), 99.0))
    comparison.notes.append(f"Note {SCRIPT}")
    return render_html(comparison)


def test_needs_the_four_example_returns() -> None:
    assert len(EXAMPLES) == 4


def test_document_is_self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert "http://" not in page and "https://" not in page
    assert "src=" not in page
    assert "<script" not in page.lower()
    assert not re.search(r"<link\b", page, re.IGNORECASE)
    assert "@import" not in page and "url(" not in page
    assert page.count("<style>") == 1


def test_contains_every_member_and_indicator(comparison: Comparison, page: str) -> None:
    for member in comparison.members:
        assert member.name in page
        assert member.code in page
    for row in comparison.indicators:
        assert f'<span class="id">{row.id}</span>' in page
    for row in comparison.categories:
        assert row.title in page


def test_two_labelled_charts(page: str) -> None:
    svgs = re.findall(r"<svg\b[^>]*>", page)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg and 'aria-label="' in svg
    assert page.count("<svg") == page.count("</svg>") == 2
    for chart in re.findall(r"<svg\b.*?</svg>", page, re.DOTALL):
        assert re.match(r"<svg\b[^>]*><title>[^<]+</title>", chart)


def test_heat_map_prints_every_score(comparison: Comparison, page: str) -> None:
    heat = page.split('id="heatmap"')[1].split('id="charts"')[0]
    for row in comparison.indicators:
        for value in row.values.values():
            assert (f"{value:.1f}" if value is not None else NO_SCORE) in heat
    divergent = sum(r.divergent for r in comparison.indicators + comparison.categories)
    assert heat.count("<tr class=\"divergent\">") + heat.count('"area divergent"') == divergent


def test_agenda_leads_and_every_prompt_follows(comparison: Comparison, page: str) -> None:
    agenda_at, members_at = page.index('id="agenda"'), page.index('id="members"')
    prompts_at = page.index('id="prompts"')
    assert page.index("</header>") < agenda_at < members_at < prompts_at
    agenda = page[agenda_at:members_at]
    assert 0 < len(comparison.agenda) < len(comparison.prompts)
    assert agenda.count('<li class="prompt">') == len(comparison.agenda)
    for prompt in comparison.agenda:
        assert html.escape(prompt.question) in agenda
    everything = page[prompts_at:]
    positions = [everything.index(f"<h3>{title} ") for title in KIND_TITLES.values()]
    assert positions == sorted(positions)
    assert everything.count('<tr><td class="num">') == len(comparison.prompts)
    for prompt in comparison.prompts:
        assert html.escape(prompt.reason) in everything
    assert everything.count("on the agenda</td>") == len(comparison.agenda)


def test_deterministic(comparison: Comparison, page: str) -> None:
    assert render_html(comparison) == page
    assert WHEN.isoformat() in page


def test_hostile_text_is_escaped(hostile: str) -> None:
    assert SCRIPT not in hostile
    assert "<script" not in hostile.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    assert "Evil &lt;script&gt;" in hostile  # members table, heat map, legend, SVG labels
    assert FORMULA not in hostile
    assert "=HYPERLINK(&quot;http://evil.example/x&quot;,&quot;click&quot;)" in hostile
    assert re.search(r"<svg\b[^>]*>.*Evil &lt;script&gt;", hostile, re.DOTALL)
    assert "Title &quot;&lt;script&gt;" in hostile


def test_write_html_refuses_to_overwrite(comparison: Comparison, tmp_path: Path) -> None:
    target = tmp_path / "out" / "quad.html"
    assert write_html(comparison, target) == target
    assert target.read_text(encoding="utf-8") == render_html(comparison)
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputExists):
        write_html(comparison, target)
    assert target.read_text(encoding="utf-8") == "keep me"
    write_html(comparison, target, force=True)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["quad.html"]


@pytest.mark.skipif(shutil.which("chromium") is None,
                    reason="Chromium is not installed; .ci/run installs it")
def test_report_screenshot_in_headless_chromium(comparison: Comparison, tmp_path: Path) -> None:
    page = write_html(comparison, tmp_path / "quad.html")
    shot = tmp_path / "shot.png"
    subprocess.run(
        [str(shutil.which("chromium")), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={shot}", "--window-size=1400,2400", page.resolve().as_uri()],
        check=False, capture_output=True, timeout=120)
    assert shot.exists()
    assert shot.stat().st_size > 10 * 1024
