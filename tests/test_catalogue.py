"""Every code in the problem catalogue is triggered by at least one fixture in the suite.

Fixture tables are found by reading the test sources (no test module imports another): a
module-level dict named FIXTURES, STORE_FIXTURES, EDITS or COMMANDS maps each code to the
fixture that triggers it (its own test asserts the code comes out), and DEDICATED below maps
the rest to the test that triggers them, which must exist.
"""

from __future__ import annotations

import ast
from pathlib import Path

from rubric.problems import CATALOGUE

TESTS = Path(__file__).resolve().parent
TABLES = {"FIXTURES", "STORE_FIXTURES", "EDITS", "COMMANDS"}

# Codes whose fixture lives in a dedicated test rather than a fixture table.
DEDICATED = {
    "file-too-large": "test_framework_load.py::test_missing_file_unreadable_file_and_huge_file",
    "yaml-not-mapping": "test_framework_load.py::test_not_a_mapping",
    "output-exists": "test_cli_framework.py::test_committed_schema_matches_the_model",
    "workbook-too-large": "test_workbook_problems.py::test_workbook_too_large_is_refused_from_"
                          "its_size",
    "compare-invalid-return": "test_compare.py::test_gate_refuses_mixed_versions_duplicates_"
                              "and_invalid_returns",
    "compare-too-few": "test_compare.py::test_gate_refuses_mixed_versions_duplicates_and_"
                       "invalid_returns",
    "compare-framework-mismatch": "test_compare.py::test_gate_refuses_mixed_versions_"
                                  "duplicates_and_invalid_returns",
    "compare-duplicate-authority": "test_compare.py::test_gate_refuses_mixed_versions_"
                                   "duplicates_and_invalid_returns",
    "compare-not-in-quad": "test_cli_compare.py::test_compare_with_a_quad_checks_membership",
    "file-skipped": "test_files.py::test_a_folder_gives_every_workbook_in_any_case_and_says_"
                    "what_it_skipped",
    "history-not-a-database": "test_history.py::test_a_file_that_is_not_a_usable_history_is_"
                              "refused_untouched",
    "history-corrupt": "test_history.py::test_a_file_that_is_not_a_usable_history_is_refused_"
                       "untouched",
    "history-newer-version": "test_history.py::test_a_file_that_is_not_a_usable_history_is_"
                             "refused_untouched",
    "history-missing": "test_history.py::test_a_missing_history_is_a_coded_problem_when_it_"
                       "must_exist",
    "compare-member-missing": "test_compare.py::test_a_quad_member_without_a_return_is_a_"
                              "warning",
    "action-id-unknown": "test_meeting_follow_up.py::test_a_tampered_action_id_or_status_is_"
                         "refused_at_its_cell",
    "action-status-unknown": "test_meeting_follow_up.py::test_a_tampered_action_id_or_status_"
                             "is_refused_at_its_cell",
    "report-no-return": "test_meeting_report.py::test_no_return_no_report",
    "report-no-record": "test_meeting_report.py::test_without_a_record_the_report_says_so",
    "record-other-quad": "test_meeting_record.py::test_a_record_naming_authorities_outside_"
                         "the_quad_is_refused_and_not_kept",
    "compare-cycle-mismatch": "test_compare_meeting.py::test_returns_of_different_cycles_are_"
                              "refused_or_compared_with_a_warning",
    "compare-cycles-mixed": "test_compare_meeting.py::test_returns_of_different_cycles_are_"
                            "refused_or_compared_with_a_warning",
    "compare-low-completion": "test_compare_meeting.py::test_a_member_below_the_completion_"
                              "threshold_gets_a_warning",
}
# What is graded (tests/test_grading.py).
DEDICATED.update({
    "level-not-graded": "test_grading.py::test_a_level_typed_on_a_theme_that_is_not_graded_is_"
                        "reported_and_not_used",
    "judgement-missing": "test_grading.py::test_judgements_missing_or_without_evidence_are_"
                         "warnings",
    "judgement-without-evidence": "test_grading.py::test_judgements_missing_or_without_"
                                  "evidence_are_warnings",
    "judgement-far-from-themes": "test_grading.py::test_a_judgement_far_from_its_themes_is_a_"
                                 "warning",
})
# Refusals of the commands themselves: tests/test_cli_refusals.py::COMMANDS triggers each.
DEDICATED.update(dict.fromkeys((
    "framework-not-found", "framework-has-errors", "authority-unknown", "quad-unknown",
    "quads-file-missing", "no-input-files", "options-conflict", "cycle-invalid",
    "output-name-mismatch", "history-missing", "history-no-returns", "history-framework-missing",
    "ingest-cycle-mismatch", "ingest-cycle-unknown", "follow-up-no-previous",
    "migrate-invalid-return", "migrate-other-framework", "diff-check-failed", "date-invalid",
    "internal-error"),
    "test_cli_refusals.py::test_refusal_is_coded_in_text_and_json"))

# Published measures (tests/test_measures.py).
DEDICATED.update({
    **dict.fromkeys(("measures-csv-authority", "measures-csv-cycle", "measures-csv-value",
                     "measures-csv-duplicate"),
                    "test_measures.py::test_every_problem_of_a_csv_is_reported_at_its_line_"
                    "and_nothing_is_recorded"),
    **dict.fromkeys(("measures-csv-columns", "measures-csv-empty"),
                    "test_measures.py::test_missing_columns_and_an_empty_csv_are_refused"),
    "measures-csv-measure-unknown": "test_measures.py::test_measures_unknown_to_the_framework_"
                                    "are_warned_about",
    **dict.fromkeys(("measure-differs-from-published", "measures-not-published"),
                    "test_measures.py::test_templates_are_prefilled_and_returns_checked_"
                    "against_the_figures"),
})

# The web service's refusals (tests/test_web_*.py).
DEDICATED.update({
    "web-extra-missing": "test_cli_refusals.py::test_serve_without_the_web_extra_says_how_to_"
                         "install_it",
    "return-other-authority": "test_web_uploads.py::test_a_return_of_another_authority_is_"
                              "refused",
    "upload-missing": "test_web_security.py::test_uploads_over_the_limits_are_refused_before_"
                      "they_are_read",
    "upload-too-large": "test_web_security.py::test_uploads_over_the_limits_are_refused_"
                        "before_they_are_read",
    "upload-too-many": "test_web_security.py::test_uploads_over_the_limits_are_refused_before_"
                       "they_are_read",
    "sign-in-failed": "test_web_security.py::test_sign_in_is_rate_limited_per_name",
    "sign-in-locked": "test_web_security.py::test_sign_in_is_rate_limited_per_name",
    "access-denied": "test_web_access.py::test_a_refusal_is_a_coded_problem_in_the_clis_json_"
                     "shape",
    "comparison-not-released": "test_web_access.py::test_a_comparison_is_seen_by_members_only_"
                               "after_release",
    "not-found": "test_web_access.py::test_unknown_objects_bad_dates_and_unreleasable_"
                 "comparisons",
    "comparison-has-problems": "test_web_access.py::test_unknown_objects_bad_dates_and_"
                               "unreleasable_comparisons",
    "report-not-released": "test_web_meeting.py::test_reports_for_the_lead_and_for_the_officer_"
                           "after_release_only",
    "draft-not-publishable": "test_web_pages.py::test_a_draft_with_errors_or_an_under_bumped_"
                             "version_is_not_published",
    "account-exists": "test_web_security.py::test_password_rules_and_unknown_names_are_refused_"
                      "when_adding_accounts",
    "account-unknown": "test_web_security.py::test_password_rules_and_unknown_names_are_"
                       "refused_when_adding_accounts",
    "password-rejected": "test_web_security.py::test_password_rules_and_unknown_names_are_"
                         "refused_when_adding_accounts",
})


def _keys(node: ast.AST) -> set[str]:
    """String keys of a dict literal, or of ``dict.fromkeys((...), ...)``."""
    if isinstance(node, ast.Dict):
        return {k.value for k in node.keys if isinstance(k, ast.Constant)
                and isinstance(k.value, str)}
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "fromkeys" and node.args
            and isinstance(node.args[0], ast.Tuple | ast.List)):
        return {e.value for e in node.args[0].elts if isinstance(e, ast.Constant)}
    return set()


def _tables() -> set[str]:
    """Every code that is a key of a fixture table in a test source or helper module."""
    found: set[str] = set()
    for path in [*TESTS.glob("*.py"), *TESTS.glob("*/*.py")]:
        if path.name == Path(__file__).name:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target = node.targets[0] if isinstance(node, ast.Assign) else (
                node.target if isinstance(node, ast.AnnAssign) else None)
            if isinstance(target, ast.Name) and target.id in TABLES and node.value is not None:
                found |= _keys(node.value)
    return found


def test_every_problem_code_has_a_fixture() -> None:
    covered = _tables() | set(DEDICATED)
    assert sorted(set(CATALOGUE) - covered) == []
    assert sorted(covered - set(CATALOGUE)) == []


def test_every_dedicated_fixture_names_a_real_test() -> None:
    for code, where in DEDICATED.items():
        module, _, name = where.partition("::")
        source = (TESTS / module).read_text(encoding="utf-8")
        assert f"def {name}(" in source, f"{code}: no test {where}"
