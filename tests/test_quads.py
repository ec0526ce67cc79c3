"""The Quads file: the shipped example is valid, and every Quad problem is located."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rubric.cli import main
from rubric.registry.authorities import family_group
from rubric.registry.quads import load_quads
from tests.conftest import ROOT

QUAD = """\
quads:
  - name: Alpha
    cycle: "2025-26"
    members: [East Renfrewshire, "Edinburgh, City of", Perth & Kinross, S12000033]
    lead: Perth and Kinross
"""
# code: (replacement of the file above, expected line)
FIXTURES: dict[str, tuple[str, int]] = {
    "quad-unknown-authority": (QUAD.replace("S12000033", "Aberdene City"), 4),
    "quad-size": (QUAD.replace(", S12000033", ""), 4),
    "quad-lead-not-member": (QUAD.replace("lead: Perth and Kinross", "lead: Fife"), 5),
    "quad-member-twice": (QUAD + QUAD.replace("quads:\n", "").replace("Alpha", "Beta"), 8),
    "quad-duplicate-name": (QUAD + QUAD.replace("quads:\n", "").replace(
        'East Renfrewshire, "Edinburgh, City of", Perth & Kinross, S12000033',
        "Fife, Falkirk, Angus, Moray").replace("Perth and Kinross", "Fife"), 6),
}


def test_the_shipped_example_is_valid_and_labelled() -> None:
    result = load_quads(ROOT / "quads.yaml")
    assert result.valid, [str(p) for p in result.report]
    assert result.example and "example" in (result.note or "").lower()
    assert len(result.quads) == 8
    for group in (1, 2, 3, 4):
        quads = [q for q in result.quads if q.family_groups == [group]]
        assert len(quads) == 2
        assert {m for q in quads for m in q.members} == set(family_group(group))


def test_names_resolve_tolerantly() -> None:
    text = QUAD
    result = load_quads(_write(text))
    assert result.valid, [str(p) for p in result.report]
    [quad] = result.quads
    assert [m.code for m in quad.members] == ["ERW", "EDH", "PKN", "ABE"]
    assert quad.lead is not None and quad.lead.code == "PKN"


@pytest.mark.parametrize("code", sorted(FIXTURES))
def test_each_quad_problem_is_located(code: str) -> None:
    text, line = FIXTURES[code]
    result = load_quads(_write(text))
    found = [p for p in result.report if p.code == code]
    assert found, [str(p) for p in result.report]
    assert found[0].location.line == line, str(found[0])


def test_unknown_authority_suggests_the_closest() -> None:
    result = load_quads(_write(FIXTURES["quad-unknown-authority"][0]))
    assert "Aberdeen City" in result.report.problems[0].hint


def test_quads_command_json() -> None:
    output = CliRunner().invoke(main, ["quads", "--quads-file", str(ROOT / "quads.yaml"),
                                       "--json"]).output
    data = json.loads(output)
    assert data["example"] is True and len(data["quads"]) == 8
    assert data["quads"][0]["members"][0]["code"]


def _write(text: str) -> Path:
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        handle.write(text)
    return Path(handle.name)
