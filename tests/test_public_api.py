"""The public surface is small, explicit and importable."""

from __future__ import annotations

import rubric


def test_all_is_unique_and_every_name_resolves() -> None:
    assert len(rubric.__all__) == len(set(rubric.__all__))  # ordered by ruff (RUF022)
    assert set(rubric.__all__) == {*rubric._EXPORTS, "__version__"}
    for name in rubric.__all__:
        assert getattr(rubric, name) is not None


def test_every_catalogued_code_is_kebab_case_with_message_and_hint() -> None:
    for code, kind in rubric.CATALOGUE.items():
        assert code == code.lower() and " " not in code and "_" not in code
        assert kind.template and kind.hint


def test_every_result_type_a_public_function_returns_is_public() -> None:
    """A caller (the CLI, a web service, a script) can name whatever the library hands back."""
    import inspect
    import re

    for name in rubric.__all__:
        value = getattr(rubric, name)
        if not inspect.isfunction(value):
            continue
        annotation = str(inspect.signature(value).return_annotation)
        for returned in re.findall(r"\b([A-Z]\w+)\b", annotation):
            module = inspect.getmodule(value)
            target = getattr(module, returned, None)
            if inspect.isclass(target) and target.__module__.startswith("rubric"):
                assert returned in rubric.__all__, f"{name} returns {returned}"


def test_scoring_compare_migrate_and_history_never_import_the_workbook_reader() -> None:
    """The Response contract has no I/O: answers from any source can be scored and compared."""
    import subprocess
    import sys

    probe = ("import sys; import rubric.scoring, rubric.compare.quad, rubric.versions.migrate, "
             "rubric.cycles.history, rubric.cycles.trend, rubric.response; "
             "print(sorted(m for m in sys.modules if m.startswith('rubric.read')))")
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert found == "[]", found
