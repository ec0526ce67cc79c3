"""Building fixture workbooks in code: answers as compact tables, tampering as small edits.

    make_return(tmp_path, '''
        | theme | level         | evidence          |
        | 1.1.1 | 5 - Very good | Data shows gains. |
    ''')

writes a real demo-framework template, fills it through openpyxl and returns its path.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rubric.framework.load import load_framework
from rubric.framework.model import Framework
from rubric.template.fill import fill_workbook
from rubric.template.workbook import TemplateInfo, write_template
from tests.conftest import DEMO

INFO = TemplateInfo("Example Authority A", "2025-26", "EXA")


def parse_table(text: str) -> dict[str, dict[str, Any]]:
    """A markdown-style table whose first column is the id -> {id: {column: value}}."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    header, body = rows[0], [r for r in rows[1:] if not set("".join(r)) <= set("-: ")]
    table: dict[str, dict[str, Any]] = {}
    for row in body:
        values = {key: _value(cell) for key, cell in zip(header[1:], row[1:], strict=True)
                  if cell != ""}
        table[row[0]] = values
    return table


def _value(cell: str) -> Any:
    try:
        return float(cell) if "." in cell else int(cell)
    except ValueError:
        return cell


def demo_framework() -> Framework:
    result = load_framework(DEMO)
    assert result.framework is not None
    return result.framework


def blank_template(directory: Path, framework: Framework | None = None,
                   name: str = "template.xlsx") -> Path:
    path = directory / name
    write_template(framework or demo_framework(), INFO, path, force=True)
    return path


def make_return(directory: Path, themes: str = "", measures: str = "",
                framework: Framework | None = None, name: str = "return.xlsx") -> Path:
    blank = blank_template(directory, framework, name=f"blank-{name}")
    target = directory / name
    fill_workbook(blank, target, parse_table(themes) if themes else {},
                  parse_table(measures) if measures else {}, force=True)
    return target


def edit_workbook(path: Path, change: Callable[[Any], None]) -> Path:
    """Open with openpyxl, apply ``change(book)``, save in place (for tampering fixtures)."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    return path


def rewrite_zip(path: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    """Rewrite the xlsx's parts: ``change`` edits a dict of part name -> bytes in place."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    change(parts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_convert(path: Path, out_dir: Path, target: str = "xlsx") -> Path:
    """Re-save ``path`` through LibreOffice (headless) into ``out_dir``; returns the new file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / ".lo-profile"
    command = [soffice() or "soffice", f"-env:UserInstallation=file://{profile}", "--headless",
               "--convert-to", target, "--outdir", str(out_dir), str(path)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    converted = out_dir / f"{path.stem}.{target.split(':')[0]}"
    assert converted.exists(), f"LibreOffice wrote nothing for {path}"
    return converted


# --- Quad meeting records ------------------------------------------------------------------------

RETURN_B = """
| theme | level | evidence                         | strengths            | next_steps          |
| 1.1.1 | 2     | Attainment data, three years.    | Shared data.         | Agree one measure.  |
| 1.1.2 | 3     | Survey of 40 schools.            | Partnership working. | Extend peer review. |
| 2.1.1 | 3     | Visit notes.                     |                      | Train officers.     |
| 2.1.2 | 2     | Plans reviewed.                  |                      |                     |
"""
RETURN_A = """
| theme | level | evidence                      | strengths                  | next_steps        |
| 1.1.1 | 5     | Attainment data, three years. | Strong tracking.           | Share tracking.   |
| 1.1.2 | 4     | Survey of 40 schools.         | <b>Bold</b> =SUM(1,2) & Co | Report each term. |
| 2.1.1 | 3     | Visit notes.                  |                            |                   |
| 2.1.2 | 6     | Good.                         | A shared vision.           |                   |
"""


def quad_returns(directory: Path) -> list[Path]:
    """Two demo returns (Example Authority A and B) for a small Quad meeting."""
    framework = demo_framework()
    paths = [make_return(directory, RETURN_A, framework=framework, name="a.xlsx")]
    blank = directory / "blank-b.xlsx"
    write_template(framework, TemplateInfo("Example Authority B", "2025-26", "EXB"), blank,
                   force=True)
    paths.append(fill_workbook(blank, directory / "b.xlsx", parse_table(RETURN_B), {},
                               force=True))
    return paths


def quad_comparison(directory: Path) -> Any:
    from rubric.compare.quad import compare_returns
    from rubric.framework.store import FrameworkStore
    from rubric.read.returns import read_return
    from tests.conftest import FRAMEWORKS

    store = FrameworkStore(FRAMEWORKS)
    result = compare_returns([read_return(p, store) for p in quad_returns(directory)])
    assert result.comparison is not None, [str(p) for p in result.report]
    return result.comparison


def _keyed(text: str) -> dict[tuple[str, str], dict[str, Any]]:
    """A table keyed by ``CODE ID`` (e.g. ``EXA 1.1``) -> {(code, id): {column: value}}."""
    rows = parse_table(text) if text.strip() else {}
    keyed = {}
    for key, values in rows.items():
        code, item = key.split()
        keyed[(code, item)] = {k: (str(v) if k == "links" else v) for k, v in values.items()}
    return keyed


def make_record(directory: Path, evaluation: str = "", actions: str = "",
                name: str = "record.xlsx", comparison: Any = None) -> Path:
    """A meeting record for :func:`quad_comparison`, filled from compact tables:

        | key     | view                    | level | rationale      |
        | EXB 2.1 | Evidence suggests lower | 2     | Thin evidence. |
    """
    import datetime as dt

    from rubric.meeting.fill import fill_record
    from rubric.meeting.record import write_record

    comparison = comparison or quad_comparison(directory)
    blank = write_record(comparison, directory / f"blank-{name}",
                         meeting_date=dt.date(2026, 3, 10), force=True)
    return fill_record(blank, directory / name, _keyed(evaluation), _keyed(actions),
                       force=True)


# --- the national demo: a return from every council ----------------------------------------------

def national_levels(framework: Framework, code: str, family_group: int, cycle: str,
                    *, lift: int = 0) -> dict[str, dict[str, Any]]:
    """Deterministic answers for one council: levels around a base set by its family group
    (and ``lift``), a theme or two left unanswered, evidence for most levels."""
    import random

    rng = random.Random(f"{code}:{cycle}")
    base = 5 - family_group // 2 + lift
    top = framework.scale.highest.value
    low = framework.scale.lowest.value
    answers: dict[str, dict[str, Any]] = {}
    for theme_id in framework.theme_index:
        if rng.random() < 0.04:
            continue
        level = min(max(base + rng.choice((-2, -1, -1, 0, 0, 0, 1, 1)), low), top)
        answers[theme_id] = {"level": level}
        if rng.random() < 0.9:
            answers[theme_id]["evidence"] = f"Evidence for {theme_id} from {code}."
    return answers


def national_returns(directory: Path, framework: Framework, cycle: str, *,
                     lift: int = 0) -> list[Path]:
    """All 32 councils' returns: templates made by rubric, filled in code."""
    from rubric.registry.authorities import all_authorities
    from rubric.template.targets import make_templates

    run = make_templates(framework, directory / "templates", cycle=cycle,
                         all_authorities=True, force=True)
    groups = {a.code: a.family_group for a in all_authorities()}
    returns = directory / "returns"
    returns.mkdir(parents=True, exist_ok=True)
    paths = []
    for target in run.targets:
        path = returns / target.path.name
        fill_workbook(target.path, path, national_levels(framework, target.code,
                                                         groups[target.code], cycle,
                                                         lift=lift), force=True)
        paths.append(path)
    return paths
