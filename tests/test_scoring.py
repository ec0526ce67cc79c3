"""Scoring by hand-computed expectations: every aggregation rule, rounding and N/A policy."""

from __future__ import annotations

import pytest

from rubric.framework.load import load_framework_text
from rubric.framework.model import Framework
from rubric.response import Response, ThemeAnswer
from rubric.scoring import aggregate, explain_lines, round_score, score_response
from tests.conftest import DEMO

BASE = DEMO.read_text()


def framework(*edits: tuple[str, str]) -> Framework:
    text = BASE
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    result = load_framework_text(text, "case.yaml")
    assert result.framework is not None and result.report.valid, [str(p) for p in result.report]
    return result.framework


def response(fw: Framework, **answers: int | str | None) -> Response:
    """Answers by theme id with dots as underscores: t1_1_1=6, t1_1_2="na", t2_1_1=None."""
    themes = {}
    for key, value in answers.items():
        theme_id = key[1:].replace("_", ".")
        if value == "na":
            themes[theme_id] = ThemeAnswer(id=theme_id, special="not_applicable")
        elif value == "ne":
            themes[theme_id] = ThemeAnswer(id=theme_id, special="not_evaluated")
        elif value is not None:
            themes[theme_id] = ThemeAnswer(id=theme_id, level=value, evidence="Seen it.")
    return Response(path="case.xlsx", framework_id=fw.id, framework_version=fw.version,
                    framework_hash=fw.content_hash, authority="Example Authority A",
                    authority_code="EXA", cycle="2025-26", themes=themes)


def rules(themes: str, indicators: str, categories: str) -> tuple[str, str]:
    return ("  theme_to_indicator: mean\n  indicator_to_category: mean\n"
            "  category_to_overall: weighted_mean",
            f"  theme_to_indicator: {themes}\n  indicator_to_category: {indicators}\n"
            f"  category_to_overall: {categories}")


# Demo: key area 1 (weight 1) = indicator 1.1 = themes 1.1.1, 1.1.2;
#       key area 2 (weight 2) = indicator 2.1 = themes 2.1.1, 2.1.2.
LEVELS = {"t1_1_1": 6, "t1_1_2": 3, "t2_1_1": 4, "t2_1_2": 1}


@pytest.mark.parametrize(("rule", "indicator_1", "indicator_2", "overall"), [
    # mean: (6+3)/2 = 4.5, (4+1)/2 = 2.5, overall mean(4.5, 2.5) = 3.5
    ("mean", 4.5, 2.5, 3.5),
    # median of two is their mean; overall median(4.5, 2.5) = 3.5
    ("median", 4.5, 2.5, 3.5),
    # minimum: 3, 1, overall min = 1
    ("minimum", 3.0, 1.0, 1.0),
])
def test_each_aggregation_rule(rule: str, indicator_1: float, indicator_2: float,
                               overall: float) -> None:
    fw = framework(rules(rule, rule, rule))
    scores = score_response(response(fw, **LEVELS), fw)
    assert scores.indicator("1.1").rounded == indicator_1
    assert scores.indicator("2.1").rounded == indicator_2
    assert scores.overall.rounded == overall


def test_weighted_mean_uses_the_weights_of_what_it_combines() -> None:
    # Key area weights 1 and 2: (4.5 * 1 + 2.5 * 2) / 3 = 3.1666... -> 3.2
    fw = framework(rules("mean", "mean", "weighted_mean"))
    scores = score_response(response(fw, **LEVELS), fw)
    assert scores.overall.value == pytest.approx(9.5 / 3)
    assert scores.overall.rounded == 3.2
    # Theme weight 3 on 1.1.1: (6 * 3 + 3 * 1) / 4 = 5.25 -> 5.3 half-up, 5.2 half-even
    fw = framework(rules("weighted_mean", "mean", "mean"),
                   ("            title: Trends in attainment\n",
                    "            title: Trends in attainment\n            weight: 3\n"))
    assert score_response(response(fw, **LEVELS), fw).indicator("1.1").rounded == 5.3
    fw_even = framework(rules("weighted_mean", "mean", "mean"), ("rounding: half_up",
                                                                  "rounding: half_even"),
                        ("            title: Trends in attainment\n",
                         "            title: Trends in attainment\n            weight: 3\n"))
    assert score_response(response(fw_even, **LEVELS), fw_even).indicator("1.1").rounded == 5.2


def test_rounding_modes_and_decimals() -> None:
    fw = framework(("decimals: 1", "decimals: 0"))
    assert round_score(2.5, fw.scoring) == 3.0
    assert round_score(2.25, framework().scoring) == 2.3
    even = framework(("decimals: 1", "decimals: 0"), ("rounding: half_up", "rounding: half_even"))
    assert round_score(2.5, even.scoring) == 2.0
    assert round_score(3.5, even.scoring) == 4.0


def test_not_applicable_excluded_leaves_the_theme_out_of_score_and_completion() -> None:
    fw = framework()
    scores = score_response(response(fw, **{**LEVELS, "t1_1_2": "na"}), fw)
    assert scores.indicator("1.1").rounded == 6.0
    assert (scores.indicator("1.1").answered, scores.indicator("1.1").total) == (1, 1)
    assert scores.completion == 1.0
    assert scores.theme("1.1.2").status == "excluded"
    assert ("1.1.2", scores.theme("1.1.2").reason) in scores.indicator("1.1").excluded


def test_not_applicable_as_unanswered_lowers_completion_and_can_block_a_score() -> None:
    fw = framework(("    scoring: exclude", "    scoring: unanswered"))
    scores = score_response(response(fw, **{**LEVELS, "t1_1_2": "na"}), fw)
    assert scores.indicator("1.1").rounded == 6.0  # 1 of 2 answered = 0.5, the minimum
    assert scores.completion == 0.75
    strict = framework(("    scoring: exclude", "    scoring: unanswered"),
                       ("min_answered_share: 0.5", "min_answered_share: 0.75"))
    blocked = score_response(response(strict, **{**LEVELS, "t1_1_2": "na"}), strict)
    assert blocked.indicator("1.1").rounded is None
    assert "1 of 2 themes answered, below the framework's minimum share of 0.75" in \
        blocked.indicator("1.1").note
    # Overall: 3 of 4 themes answered (0.75) is enough; key area 1 has no score, so the
    # overall combines key area 2 alone: 2.5
    assert ("1", "no score") in blocked.overall.excluded
    assert blocked.overall.rounded == 2.5


def test_not_evaluated_scored_as_lowest() -> None:
    fw = framework(("    scoring: unanswered", "    scoring: lowest"))
    scores = score_response(response(fw, **{**LEVELS, "t2_1_1": "ne"}), fw)
    assert scores.indicator("2.1").rounded == 1.0  # (1 + 1) / 2
    assert scores.theme("2.1.1").value == 1.0 and scores.theme("2.1.1").level is None


def test_blank_themes_count_as_unanswered() -> None:
    fw = framework()
    scores = score_response(response(fw, t1_1_1=6), fw)
    assert scores.completion == 0.25
    assert scores.indicator("1.1").rounded == 6.0  # 1 of 2 = the minimum share
    assert scores.indicator("2.1").rounded is None
    assert scores.overall.rounded is None  # 1 of 4 themes is below the minimum share 0.5
    assert "1 of 4 themes answered" in scores.overall.note


def test_everything_excluded_gives_no_score_and_says_why() -> None:
    fw = framework()
    scores = score_response(response(fw, t1_1_1="na", t1_1_2="na", t2_1_1=5, t2_1_2=5), fw)
    indicator = scores.indicator("1.1")
    assert indicator.rounded is None and indicator.total == 0
    assert "nothing here applies" in indicator.note
    assert scores.overall.rounded == 5.0


def test_explanation_names_rule_inputs_and_exclusions() -> None:
    fw = framework()
    scores = score_response(response(fw, **{**LEVELS, "t1_1_2": "na"}), fw)
    text = "\n".join(explain_lines(scores))
    assert "weighted_mean(1=6, 2=2.5x2)" in text
    assert "1.1.2 left out: 'Not applicable': left out (framework policy: exclude)" in text
    as_json = scores.to_dict(explain=True)
    assert as_json["indicators"][0]["explain"]["rule"] == "mean"
    assert set(as_json) >= {"authority", "framework", "completion", "overall", "categories",
                            "indicators", "themes"}
    assert as_json["themes"][0] == {"id": "1.1.1", "level": 6, "label": "Excellent",
                                    "status": "scored", "value": 6.0, "reason": "level 6 "
                                    "(Excellent)"}


def test_aggregate_rejects_an_unknown_rule() -> None:
    with pytest.raises(ValueError):
        aggregate("mode", [1.0], [1.0])
