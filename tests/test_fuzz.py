"""Property tests: whatever people type into a return's cells, the library answers with data.

Random cell contents (any text, formula-looking text, very long text, numbers, booleans, blanks)
go into the level, evidence, strengths, next-steps and measure cells of a demo-framework return.
Reading, scoring, comparing and exporting must never raise; validation gives a Response or
located problems; an accepted level is on the scale; typed text is kept. Cells are written into
the sheet XML directly (via tests.workbooks.rewrite_zip): openpyxl would cut text at 32,767
characters and refuse control characters, and we need to know exactly what each cell holds.
"""

from __future__ import annotations

import math
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rubric.compare.quad import compare_returns
from rubric.export.html import render_html
from rubric.export.xlsx import write_comparison_xlsx
from rubric.framework.load import load_framework
from rubric.framework.model import Framework
from rubric.framework.store import FrameworkStore
from rubric.problems import Problem
from rubric.read.returns import read_return
from rubric.response import ReadResult
from rubric.scoring import score_response
from rubric.xlsx import layout
from tests.conftest import DEMO, FRAMEWORKS
from tests.hostile.corpus import demo_return_bytes
from tests.workbooks import rewrite_zip

STORE = FrameworkStore(FRAMEWORKS)
FUZZ = settings(deadline=None, derandomize=True, max_examples=100,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Cell -> what it is for: ("theme", id, key) or ("measure", id, key). Parts of a demo return.
OUTCOMES, LEADERSHIP, MEASURES = ("xl/worksheets/sheet3.xml", "xl/worksheets/sheet4.xml",
                                  "xl/worksheets/sheet5.xml")
TARGETS: dict[tuple[str, str], tuple[str, str, str]] = {
    (OUTCOMES, "E6"): ("theme", "1.1.1", "level"),
    (OUTCOMES, "F6"): ("theme", "1.1.1", "evidence"),
    (OUTCOMES, "G6"): ("theme", "1.1.1", "strengths"),
    (OUTCOMES, "H6"): ("theme", "1.1.1", "next_steps"),
    (LEADERSHIP, "E6"): ("theme", "2.1.1", "level"),
    (LEADERSHIP, "F6"): ("theme", "2.1.1", "evidence"),
    (LEADERSHIP, "H7"): ("theme", "2.1.2", "next_steps"),
    (MEASURES, "F5"): ("measure", "leavers-positive-destinations", "baseline"),
    (MEASURES, "G5"): ("measure", "leavers-positive-destinations", "current"),
    (MEASURES, "H5"): ("measure", "leavers-positive-destinations", "notes"),
}

# --- what people type ----------------------------------------------------------------------------

# Any character a cell can hold: XML 1.0 cannot carry surrogates, U+FFFE or U+FFFF at all (not
# even escaped, for calamine), so Excel cannot have put them in a cell.
_CHARACTERS = st.characters(exclude_categories=("Cs",), exclude_characters="\ufffe\uffff")
_TEXT = st.text(_CHARACTERS, max_size=60)
_FORMULA_LIKE = st.builds(lambda lead, rest: lead + rest, st.sampled_from(["=", "+", "-", "@"]),
                          st.one_of(_TEXT, st.sampled_from([
                              "1+1", "cmd|' /C calc'!A0", 'HYPERLINK("http://x","y")',
                              "SUM(A1:A9)", "A1", "@", "<script>alert(1)</script>"])))
_LONG = st.builds(lambda unit, size: (unit * size)[:size], st.text(_CHARACTERS, min_size=1,
                                                                   max_size=12),
                  st.integers(30_000, 40_000))
_LEVELS_ON_SCALE = st.sampled_from(["6 - Excellent", "5 - Very good", "very good", " 3 ", "Weak",
                                     "1", "Not applicable", "n/a", "not yet evaluated"])
_LEVEL_WORDS = st.sampled_from(["1.0", "N/A", "7", "0", "-1", "Great", "5.5", "", "  ", "=6"])
_NUMBERS = st.one_of(st.integers(-10**15, 10**15),
                     st.floats(allow_nan=False, allow_infinity=False, width=64))
_MEASURE_WORDS = st.sampled_from(["95,8", "1,234.5", "95.8%", " 94 ", "about 95", "NaN", "inf",
                                  "1e400", "-0", "\u00a095.8"])
CELL_VALUES = st.one_of(st.none(), _TEXT, _FORMULA_LIKE, _LONG, _LEVEL_WORDS, _NUMBERS,
                        st.booleans())
# Mostly plausible answers, so that many returns validate and go on to be scored and compared.
_BY_KEY = {
    "level": st.one_of(_LEVELS_ON_SCALE, st.integers(1, 6), CELL_VALUES),
    "baseline": st.one_of(_NUMBERS, _MEASURE_WORDS, CELL_VALUES),
    "current": st.one_of(_NUMBERS, _MEASURE_WORDS, CELL_VALUES),
}
CELLS = st.fixed_dictionaries({}, optional={
    target: _BY_KEY.get(purpose[2], CELL_VALUES) for target, purpose in TARGETS.items()})


# --- writing cells into the sheet XML ------------------------------------------------------------

_MUST_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")


def _escape(text: str) -> str:
    """OOXML text: XML-escaped, control characters and a literal '_xHHHH_' as _xHHHH_ escapes."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MUST_ESCAPE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def cell_xml(ref: str, value: Any) -> bytes:
    if value is None:
        return f'<c r="{ref}"/>'.encode()
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'.encode()
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{float(value)!r}</v></c>'.encode()
    return (f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_escape(value)}</t></is>'
            "</c>").encode()


def write_return(directory: Path, cells: dict[tuple[str, str], Any]) -> Path:
    path = directory / "fuzzed.xlsx"
    path.write_bytes(demo_return_bytes("A"))

    def change(parts: dict[str, bytes]) -> None:
        for (part, ref), value in cells.items():
            pattern = re.compile(rb'<c r="' + ref.encode() + rb'"(?:[^>]*?/>|[^>]*>.*?</c>)',
                                 re.S)
            assert pattern.search(parts[part]), f"no cell {ref} in {part}"
            parts[part] = pattern.sub(lambda _, v=value, r=ref: cell_xml(r, v), parts[part],
                                      count=1)
    return rewrite_zip(path, change)


# --- shared inputs -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def partner(tmp_path_factory: pytest.TempPathFactory) -> ReadResult:
    """A valid return from another authority, to compare each fuzzed return with."""
    path = tmp_path_factory.mktemp("fuzz-partner") / "partner.xlsx"
    path.write_bytes(demo_return_bytes("B"))
    result = read_return(path, STORE)
    assert result.valid, [str(p) for p in result.report]
    return result


@pytest.fixture(scope="module")
def framework() -> Framework:
    loaded = load_framework(DEMO)
    assert loaded.framework is not None
    return loaded.framework


def _located(found: Problem, path: Path) -> bool:
    return found.location.file == str(path)


def _formula_cells(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return [name for name in archive.namelist() if name.startswith("xl/worksheets/")
                and re.search(rb"<(?:\w+:)?f[ >]", archive.read(name))]


# --- properties ----------------------------------------------------------------------------------

@FUZZ
@given(cells=CELLS)
def test_any_cell_contents_are_read_scored_compared_and_exported(
        cells: dict[tuple[str, str], Any], partner: ReadResult, framework: Framework) -> None:
    """The whole library path survives any typing, and keeps what it accepts."""
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        path = write_return(directory, cells)
        result = read_return(path, STORE)
        event("valid" if result.valid else "refused: " + ", ".join(sorted(
            {p.code for p in result.report.errors})))
        if any(isinstance(v, str) and len(v) > 32_767 for v in cells.values()):
            event(f"text above the cell limit, {'valid' if result.valid else 'refused'}")
        if any(isinstance(v, str) and v[:1] in "=+-@" and v for v in cells.values()):
            event(f"formula-looking text, {'valid' if result.valid else 'refused'}")

        assert all(_located(p, path) for p in result.report), [str(p) for p in result.report]
        if not result.valid:
            assert result.report.errors, "refused without saying why"
        if result.response is None:
            assert result.report.errors
        else:
            response = result.response
            for answer in response.themes.values():
                assert answer.level is None or answer.level in framework.scale.by_value
                assert answer.level is None or answer.special is None
            for (part, ref), value in cells.items():
                kind, item, key = TARGETS[(part, ref)]
                if kind == "theme" and key != "level" and isinstance(value, str):
                    answer = response.themes.get(item)
                    assert answer is not None, item
                    assert getattr(answer, key) == value.strip(), (ref, key)
                if kind == "measure" and item in response.measures:
                    measure = response.measures[item]
                    if key == "notes" and isinstance(value, str):
                        assert measure.notes == value.strip()
                    if key in ("baseline", "current"):
                        number = getattr(measure, key)
                        assert number is None or math.isfinite(number)

        if result.valid:
            assert result.response is not None and result.framework is not None
            score_response(result.response, result.framework)
        outcome = compare_returns([result, partner])
        assert (outcome.comparison is not None) == result.valid, [str(p) for p in outcome.report]
        if outcome.comparison is not None:
            target = write_comparison_xlsx(outcome.comparison, directory / "quad.xlsx")
            assert _formula_cells(target) == []
            page = render_html(outcome.comparison)
            assert "<script" not in page.lower()


@settings(deadline=None, derandomize=True, max_examples=300)
@given(value=st.one_of(CELL_VALUES, st.floats()))
def test_an_accepted_level_is_always_on_the_scale(value: Any, framework: Framework) -> None:
    """parse_level turns anything into a level on the scale, a special answer, or nothing."""
    parsed = layout.parse_level(value, framework.scale)
    if parsed is not None:
        assert (parsed.value is None) != (parsed.special is None)
        assert parsed.value is None or parsed.value in framework.scale.by_value


_SNIPPETS = st.sampled_from([
    "!!python/object/apply:os.system ['true']", "&a", "*a", "<<: *a", "!tag", "!!binary AA==",
    "[", "]", "{", "}", "- ", ": ", "? ", "\t", "'", '"', "|", ">-", "#", "---", "...", "%YAML 1.1",
    "yes", "no", "1.10", "0x1F", ".inf", ".nan", "~", "2026-08-01", "\x07", "\u2028", "\ufeff",
])


@settings(deadline=None, derandomize=True, max_examples=60)
@given(edits=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 60),
                                st.lists(st.one_of(_SNIPPETS, _TEXT), max_size=4).map("".join)),
                      min_size=1, max_size=5))
def test_any_edit_of_a_framework_file_gives_located_problems_not_exceptions(
        edits: list[tuple[int, int, str]], demo_text: str) -> None:
    """A framework mangled anywhere loads into a model or into problems at the file."""
    lines = demo_text.splitlines(keepends=True)
    for line, column, snippet in edits:
        index = line % len(lines)
        text = lines[index]
        lines[index] = text[: column] + snippet + text[column:]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "framework.yaml"
        path.write_text("".join(lines), encoding="utf-8")
        result = load_framework(path)
        assert result.valid or result.report.errors
        assert all(p.location.file == str(path) for p in result.report)
