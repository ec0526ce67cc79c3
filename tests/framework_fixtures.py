"""Framework files with one mistake each, written as edits of the demo framework.

Each entry: problem code -> list of (old text, new text) replacements applied to
``frameworks/demo/1.0.0.yaml``, and the 1-based line the problem must be reported at.
"""

from __future__ import annotations

# code: (edits, expected line or None when the problem is about the whole file)
EDITS: dict[str, tuple[list[tuple[str, str]], int | None]] = {
    "yaml-syntax": ([("title: Demo rubric\n", "title: Demo rubric\n\tstray: tab\n")], 5),
    "yaml-tag-not-allowed": ([("title: Demo rubric", "title: !!python/object/apply:os.system "
                               "['echo owned']")], 4),
    "yaml-alias": ([("description: >-", "description: &d >-"), ("publisher: rubric project "
                    "(illustrative)", "publisher: *d")], 7),
    "yaml-duplicate-key": ([("title: Demo rubric\n", "title: Demo rubric\ntitle: Again\n")], 5),
    "yaml-complex-key": ([("title: Demo rubric\n", "title: Demo rubric\n? [a, b]\n: c\n")], 5),
    "yaml-boolean-as-text": ([("label: Weak,", "label: No,")], 17),
    "yaml-number-as-text": ([('- id: "1.1"\n', "- id: 1.10\n")], 33),
    "missing-field": ([("publisher: rubric project (illustrative)\n", "")], 3),
    "unknown-field": ([("publisher:", "publsher:")], 9),
    "wrong-type": ([("weight: 2", "weight: heavy")], 53),
    "blank-text": ([("title: Outcomes", 'title: "  "')], 31),
    "invalid-id": ([("id: demo", "id: Demo Rubric")], 3),
    "invalid-choice": ([("status: published", "status: final")], 6),
    "out-of-range": ([("min_answered_share: 0.5", "min_answered_share: 1.5")], 87),
    "invalid-value": ([("weight: 2", "weight: .nan")], 53),
    "version-invalid": ([('version: "1.0.0"', 'version: "1.0"')], 5),
    "duplicate-id": ([('id: "1.1.2"', 'id: "1.1.1"')], 46),
    "indicator-id-prefix": ([('id: "2.1"', 'id: "3.1"'), ('id: "2.1.1"', 'id: "3.1.1"'),
                             ('id: "2.1.2"', 'id: "3.1.2"')], 55),
    "theme-id-prefix": ([('id: "2.1.2"', 'id: "2.2.2"')], 68),
    "category-without-indicators": ([("  - id: \"2\"\n    title: Leadership\n",
                                      "  - id: \"3\"\n    title: Empty\n    indicators: []\n"
                                      "  - id: \"2\"\n    title: Leadership\n")], 51),
    "indicator-without-themes": ([("      - id: \"2.1\"\n", "      - id: \"2.2\"\n        title: "
                                   "Nothing\n        challenge_questions: [How well?]\n"
                                   "      - id: \"2.1\"\n")], 55),
    "illustration-unknown-level": ([("5: Attainment has risen", "7: Attainment has risen")], 43),
    "illustration-missing": ([("              5: The gap between", "              4: The gap "
                               "between")], 48),
    "weight-not-positive": ([("weight: 2", "weight: 0")], 53),
    "measure-unknown": ([("measures: [leavers-positive-destinations]",
                          "measures: [leavers-positive-destination]")], 45),
    "measure-indicator-unknown": ([('indicator: "1.1"', 'indicator: "9.9"')], 77),
    "scale-too-short": ([("    - {value: 5,", "    #"), ("    - {value: 4,", "    #"),
                         ("    - {value: 3,", "    #"), ("    - {value: 2,", "    #"),
                         ("    - {value: 1,", "    #"),
                         ("required_illustrations: [5]", "required_illustrations: []")], 13),
    "scale-duplicate-value": ([("{value: 4, label: Good", "{value: 3, label: Good")], 16),
    "scale-duplicate-label": ([("label: Not applicable", "label: excellent")], 20),
    "text-too-long": ([("title: Shared vision", "title: " + "x" * 33_000)], 62),
    "changelog-version-missing": ([('  - version: "1.0.0"', '  - version: "0.9.0"')], 90),
    "challenge-questions-missing": ([("          - How well do our staff and partners share "
                                      "our vision?\n", ""),
                                     ("          - How well does our plan turn the vision "
                                      "into action?\n", ""),
                                     ("        challenge_questions:\n        themes:\n          "
                                      "- id: \"2.1.1\"", "        themes:\n          - id: "
                                      "\"2.1.1\"")], 55),
    "duplicate-title": ([("title: Planning for improvement", "title: Shared Vision")], 69),
    "alias-clash": ([('            title: Closing the gap\n', '            title: Closing the gap\n'
                                   '            aliases: ["1.1.1"]\n')], 48),
    "retired-id-in-use": ([("measures:\n  - id: leavers", 'retired:\n  - id: "2.1.2"\n    since: '
                            '"1.0.0"\nmeasures:\n  - id: leavers')], 75),
    "reference-unknown": ([("measures:\n  - id: leavers", 'mappings:\n  - from_version: "0.9.0"\n'
                            '    old: "3.1"\n    new: ["3.1"]\n    relation: equal\n'
                            'measures:\n  - id: leavers')], 77),
    "control-characters": ([("title: Closing the gap", 'title: "Closing\\x07the gap"')], 47),
    "overall-judgement-shape": ([("    title: Outcomes\n", "    title: Outcomes\n"
                                  "    overall_judgement: true\n")], 32),
}


def apply_edits(text: str, edits: list[tuple[str, str]]) -> str:
    for old, new in edits:
        assert text.count(old) >= 1, f"fixture edit does not apply: {old!r}"
        text = text.replace(old, new, 1)
    return text


# --- a fixture framework of each grading kind ------------------------------------------------
# The demo framework with what is graded changed, and a key area 3 that is an overall judgement
# (one indicator judged as a whole). Versions follow what 'framework diff' requires from the
# demo's 1.0.0: adding the key area is minor, changing what is graded major.
GRADING_VERSIONS = {"themes": "1.1.0", "indicator": "2.0.0", "both": "3.0.0"}
_CAPACITY = '''  - id: "3"
    title: Capacity for improvement
    overall_judgement: true
    indicators:
      - id: "3.1"
        title: Capacity for improvement
        grading: indicator
        challenge_questions:
          - How well does our track record support confidence in our plans?
        themes:
          - id: "3.1.1"
            title: Track record
            illustrations:
              5: Outcomes have improved over several years and past advice was acted on.
              2: Few outcomes have improved and earlier actions are unfinished.

measures:
'''


def graded_demo(text: str, grading: str) -> str:
    """The demo framework's text (``text``) as the fixture framework grading ``grading``."""
    version = GRADING_VERSIONS[grading]
    edits = [('version: "1.0.0"', f'version: "{version}"'),
             ("\nscale:\n", f"\ngrading: {grading}\nscale:\n"),
             ("\nmeasures:\n", "\n" + _CAPACITY),
             ("      - First version.", f'      - First version.\n  - version: "{version}"\n'
              f"    changes:\n      - Grades {grading}; key area 3 is an overall judgement.")]
    return apply_edits(text, edits)
