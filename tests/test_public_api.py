"""The public surface is small, explicit and importable."""

from __future__ import annotations

import rubric


def test_all_is_sorted_and_every_name_resolves() -> None:
    assert rubric.__all__ == sorted(rubric.__all__)
    assert set(rubric.__all__) == {*rubric._EXPORTS, "__version__"}
    for name in rubric.__all__:
        assert getattr(rubric, name) is not None


def test_every_catalogued_code_is_kebab_case_with_message_and_hint() -> None:
    for code, kind in rubric.CATALOGUE.items():
        assert code == code.lower() and " " not in code and "_" not in code
        assert kind.template and kind.hint
