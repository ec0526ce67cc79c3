"""Shared paths and helpers for the test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORKS = ROOT / "frameworks"
DEMO = FRAMEWORKS / "demo" / "1.0.0.yaml"
HGIOEA = FRAMEWORKS / "hgioea" / "1.0.0.yaml"
HGIOS4 = FRAMEWORKS / "hgios4" / "1.0.0.yaml"


@pytest.fixture(scope="session")
def demo_text() -> str:
    return DEMO.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def demo_framework():
    from rubric.framework.load import load_framework

    result = load_framework(DEMO)
    assert result.valid, [str(p) for p in result.report]
    return result.framework
