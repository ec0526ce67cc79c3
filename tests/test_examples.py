"""The bundled example returns are valid, fictional, and what the script makes today."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rubric.framework.store import FrameworkStore
from rubric.read.returns import read_return
from tests.conftest import FRAMEWORKS, ROOT

EXAMPLES = sorted((ROOT / "responses" / "examples").glob("*.xlsx"))
STORE = FrameworkStore(FRAMEWORKS)


def test_four_fictional_examples_are_valid() -> None:
    assert [p.name for p in EXAMPLES] == [f"example-authority-{x}.xlsx" for x in "abcd"]
    for path in EXAMPLES:
        result = read_return(path, STORE)
        assert result.valid, [str(p) for p in result.report]
        assert result.response.authority.startswith("Example Authority ")
        assert result.response.framework_id == "hgioea"


def test_committed_examples_match_the_generator(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_examples.py"), "--out",
                    str(tmp_path)], check=True, capture_output=True)
    second = sorted((ROOT / "responses" / "examples" / "2026-27").glob("*.xlsx"))
    assert len(second) == 4
    for path in [*EXAMPLES, *second]:
        committed = read_return(path, STORE).response
        fresh = read_return(tmp_path / path.relative_to(EXAMPLES[0].parent), STORE).response
        assert committed.model_dump(exclude={"path"}) == fresh.model_dump(exclude={"path"})
