"""Loading framework files: every problem code, located, and all of them in one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from rubric.framework.load import MAX_FRAMEWORK_BYTES, load_framework, load_framework_text
from tests.conftest import DEMO, FRAMEWORKS
from tests.framework_fixtures import EDITS, apply_edits


def test_demo_framework_loads_clean() -> None:
    result = load_framework(DEMO)
    assert result.valid
    assert list(result.report) == []
    framework = result.framework
    assert [t.id for t in framework.themes()] == ["1.1.1", "1.1.2", "2.1.1", "2.1.2"]
    assert framework.scale.not_applicable.scoring == "exclude"


@pytest.mark.parametrize("code", sorted(EDITS))
def test_each_problem_code_is_reported_at_its_line(code: str, demo_text: str) -> None:
    edits, line = EDITS[code]
    result = load_framework_text(apply_edits(demo_text, edits), "case.yaml")
    found = [p for p in result.report if p.code == code]
    assert found, f"expected {code}, got {[str(p) for p in result.report]}"
    assert found[0].location.file == "case.yaml"
    assert found[0].location.line == line, str(found[0])
    assert found[0].message and found[0].hint


def test_several_mistakes_come_out_together_with_their_lines(demo_text: str) -> None:
    text = apply_edits(demo_text, [
        ("status: published", "status: final"),           # line 6
        ("label: Weak,", "label: No,"),                    # line 17
        ('- id: "1.1"\n', "- id: 1.10\n"),                 # line 33
        ("title: Closing the gap", "titel: Closing the gap"),  # line 47
        ("weight: 2", "weight: heavy"),                    # line 53
    ])
    result = load_framework_text(text, "many.yaml")
    assert [(p.code, p.location.line) for p in result.report] == [
        ("invalid-choice", 6),
        ("yaml-boolean-as-text", 17),
        ("yaml-number-as-text", 33),
        ("missing-field", 46),
        ("unknown-field", 47),
        ("wrong-type", 53),
    ]


def test_several_lint_mistakes_come_out_together(demo_text: str) -> None:
    text = apply_edits(demo_text, [
        ('version: "1.0.0"', 'version: "1.0"'),
        ('id: "1.1.2"', 'id: "1.1.1"'),
        ('id: "2.1.2"', 'id: "2.2.2"'),
        ('indicator: "1.1"', 'indicator: "9.9"'),
    ])
    result = load_framework_text(text, "lint.yaml")
    assert [(p.code, p.location.line) for p in result.report.errors] == [
        ("version-invalid", 5),
        ("duplicate-id", 46),
        ("theme-id-prefix", 68),
        ("measure-indicator-unknown", 77),
    ]
    assert "changelog-version-missing" in result.report.codes()


def test_unsafe_yaml_is_refused_and_never_run(tmp_path: Path, demo_text: str) -> None:
    marker = tmp_path / "owned"
    text = demo_text.replace(
        "title: Demo rubric",
        f"title: !!python/object/apply:os.system ['touch {marker}']",
    )
    result = load_framework_text(text, "unsafe.yaml")
    assert result.report.codes() == ["yaml-tag-not-allowed"]
    assert "!!python/object/apply:os.system" in result.report.problems[0].message
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 12)]
    result = load_framework_text("\n".join(lines) + "\n", "bomb.yaml")
    assert "yaml-alias" in result.report.codes()
    assert result.framework is None


def test_missing_file_unreadable_file_and_huge_file(tmp_path: Path) -> None:
    assert load_framework(tmp_path / "nope.yaml").report.codes() == ["file-not-found"]
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: caf\xe9\n".encode("latin-1"))
    assert load_framework(latin).report.codes() == ["file-unreadable"]
    assert load_framework(tmp_path).report.codes() == ["file-unreadable"]
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"#" * (MAX_FRAMEWORK_BYTES + 1))
    assert load_framework(huge).report.codes() == ["file-too-large"]


def test_not_a_mapping() -> None:
    assert load_framework_text("- a\n- b\n", "list.yaml").report.codes() == ["yaml-not-mapping"]
    assert load_framework_text("", "empty.yaml").report.codes() == ["yaml-not-mapping"]


def test_loaded_framework_is_immutable(demo_framework) -> None:
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises ValidationError
        demo_framework.title = "changed"
    assert isinstance(demo_framework.categories, tuple)


def test_content_hash_ignores_layout_but_not_content(demo_text: str) -> None:
    base = load_framework_text(demo_text, "a.yaml").framework
    relaid = load_framework_text("# a comment\n" + demo_text.replace("- First version.",
                                                                     "- First version!"), "b")
    changed = load_framework_text(demo_text.replace("Shared vision", "Common vision"), "c")
    assert relaid.framework.content_hash == base.content_hash
    assert changed.framework.content_hash != base.content_hash


@pytest.mark.parametrize("path", sorted(FRAMEWORKS.glob("*/*.yaml")), ids=str)
def test_shipped_frameworks_are_clean_and_point_at_the_schema(path: Path) -> None:
    result = load_framework(path)
    assert result.valid and not result.report.warnings, [str(p) for p in result.report]
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../framework.schema.json"
